"""The queue of pending updates, with Telegram's offset confirmation and long polling."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterable
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
    kind = update_type(update)
    allowed_set = set(allowed or ())
    return kind in allowed_set if allowed_set else kind not in OPT_IN_UPDATES


class UpdateQueue:
    """Pending updates in order; ids only ever increase, even across :meth:`clear`."""

    def __init__(self, changed: ChangeSignal | None = None) -> None:
        self._pending: list[dict[str, Any]] = []
        self._next_id = 1
        self._poll_generation = 0
        self._closed = False
        self.changed = changed or ChangeSignal()
        self.allowed_updates: tuple[str, ...] | None = None

    def push(self, body: dict[str, Any]) -> dict[str, Any]:
        """Queue an update (``body`` without ``update_id``) and return it with its id."""
        update = {"update_id": self._next_id, **body}
        self._next_id += 1
        self._pending.append(update)
        self.changed.notify()
        return copy.deepcopy(update)

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Copies of the updates not yet confirmed."""
        return copy.deepcopy(self._pending)

    def confirm(self, offset: int) -> None:
        """Forget updates with ``update_id < offset``; a negative offset keeps only the last ``-offset``."""
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        self.changed.notify()

    def clear(self) -> None:
        """Drop every pending update."""
        self._pending.clear()
        self.changed.notify()

    def close(self) -> None:
        """Release every long poll (they return what they have, usually nothing)."""
        self._closed = True
        self.changed.notify()

    def reopen(self) -> None:
        """Accept long polls again after :meth:`close`."""
        self._closed = False

    def select(self, limit: int, allowed: Iterable[str] | None) -> list[dict[str, Any]]:
        """Up to ``limit`` pending updates passing ``allowed``."""
        allowed_list = list(allowed) if allowed is not None else None
        return [copy.deepcopy(u) for u in self._pending if is_allowed(u, allowed_list)][:limit]

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
