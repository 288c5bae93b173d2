"""The queue of pending updates, with Telegram's offset confirmation and long polling."""

from __future__ import annotations

import asyncio
import copy
from collections import OrderedDict
from collections.abc import Iterable
from itertools import islice
from typing import Any

from .errors import POLLING_CONFLICT, BotApiError
from .events import ChangeSignal

#: Update types Telegram leaves out unless explicitly listed in ``allowed_updates``.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def update_type(update: dict[str, Any]) -> str:
    """The kind of an update (``message``, ``callback_query``...)."""
    return next((key for key in update if key != "update_id"), "")


def is_allowed(update: dict[str, Any], allowed: Iterable[str] | None) -> bool:
    """Whether ``update`` passes an ``allowed_updates`` filter (``None`` or empty: the default set)."""
    return _passes(update, frozenset(allowed or ()))


def _passes(update: dict[str, Any], allowed: frozenset[str]) -> bool:
    kind = update_type(update)
    return kind in allowed if allowed else kind not in OPT_IN_UPDATES


def update_chat_id(update: dict[str, Any]) -> int | None:
    """The chat an update belongs to (``None`` when it names none)."""
    body = update.get(update_type(update))
    if not isinstance(body, dict):
        return None
    message = body.get("message") if "chat" not in body else body
    chat = message.get("chat") if isinstance(message, dict) else None
    chat_id = chat.get("id") if isinstance(chat, dict) else None
    return chat_id if isinstance(chat_id, int) else None


class UpdateQueue:
    """Pending updates in order; ids only ever increase, even across :meth:`clear`."""

    def __init__(self, changed: ChangeSignal | None = None) -> None:
        self._pending: OrderedDict[int, dict[str, Any]] = OrderedDict()  # update id -> update, oldest first
        self._by_chat: dict[int, set[int]] = {}  # chat id -> ids of its pending updates
        self._next_id = 1
        self._poll_generation = 0
        self._closed = False
        self.changed = changed or ChangeSignal()
        self.allowed_updates: tuple[str, ...] | None = None

    def push(self, body: dict[str, Any]) -> dict[str, Any]:
        """Queue an update (``body`` without ``update_id``) and return it with its id."""
        update = {"update_id": self._next_id, **body}
        self._pending[self._next_id] = update
        chat_id = update_chat_id(update)
        if chat_id is not None:
            self._by_chat.setdefault(chat_id, set()).add(self._next_id)
        self._next_id += 1
        self.changed.notify()
        return copy.deepcopy(update)

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Copies of the updates not yet confirmed."""
        return copy.deepcopy(list(self._pending.values()))

    def _pop_oldest(self) -> None:
        update_id, update = self._pending.popitem(last=False)
        chat_id = update_chat_id(update)
        if chat_id is None:
            return
        ids = self._by_chat.get(chat_id, set())
        ids.discard(update_id)
        if not ids:
            self._by_chat.pop(chat_id, None)

    def confirm(self, offset: int) -> None:
        """Forget updates with ``update_id < offset``; a negative offset keeps only the last ``-offset``."""
        if offset < 0:
            while len(self._pending) > -offset:
                self._pop_oldest()
        elif offset > 0:
            while self._pending and next(iter(self._pending)) < offset:
                self._pop_oldest()
        self.changed.notify()

    def drop_chat(self, chat_id: int) -> None:
        """Forget the pending updates of one chat."""
        for update_id in self._by_chat.pop(chat_id, ()):
            self._pending.pop(update_id, None)
        self.changed.notify()

    def clear(self) -> None:
        """Drop every pending update."""
        self._pending.clear()
        self._by_chat.clear()
        self.changed.notify()

    def close(self) -> None:
        """Release every long poll (they return what they have, usually nothing)."""
        self._closed = True
        self.changed.notify()

    def reopen(self) -> None:
        """Accept long polls again after :meth:`close`."""
        self._closed = False

    def count(self, allowed: Iterable[str] | None) -> int:
        """How many pending updates pass ``allowed``."""
        allowed_set = frozenset(allowed or ())
        return sum(1 for u in self._pending.values() if _passes(u, allowed_set))

    def select(self, limit: int, allowed: Iterable[str] | None) -> list[dict[str, Any]]:
        """Up to ``limit`` pending updates passing ``allowed``."""
        allowed_set = frozenset(allowed or ())
        chosen = islice((u for u in self._pending.values() if _passes(u, allowed_set)), max(limit, 0))
        return [copy.deepcopy(u) for u in chosen]

    async def poll(self, *, offset: int, limit: int, timeout: float,
                   allowed_updates: list[str] | None) -> list[dict[str, Any]]:
        """``getUpdates``: confirm by ``offset``, then wait up to ``timeout`` s for updates.

        A newer poll terminates an older, still waiting one with 409 Conflict, like Telegram.
        """
        self._poll_generation += 1
        generation = self._poll_generation
        self.changed.notify()
        if allowed_updates is not None:
            self.allowed_updates = tuple(allowed_updates)
        self.confirm(offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(timeout, 0.0)
        while True:
            if generation != self._poll_generation:
                raise BotApiError(409, POLLING_CONFLICT)
            batch = self.select(limit, self.allowed_updates)
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self._closed:
                return batch
            await self.changed.wait(remaining)

    async def next_update(self, allowed: Iterable[str] | None) -> dict[str, Any]:
        """Wait for the oldest pending update passing ``allowed`` (used by webhook delivery)."""
        while True:
            batch = self.select(1, allowed)
            if batch:
                return batch[0]
            await self.changed.wait(None)
