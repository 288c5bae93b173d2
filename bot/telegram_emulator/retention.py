"""How much a long-running emulator keeps: idle chats are forgotten and the number of chats is capped."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

Clock = Callable[[], float]


@dataclass(frozen=True)
class Retention:
    """Limits on what the emulator remembers (``None``: no limit).

    The defaults never matter in a test run but keep a long-running emulator (the sandbox) from growing
    without end: a chat idle for ``chat_idle_s`` seconds is forgotten with its messages and pending updates,
    and beyond ``max_chats`` the least recently active chats are forgotten first.
    """

    chat_idle_s: float | None = 1800.0
    max_chats: int | None = 10_000
    max_messages_per_chat: int | None = None  # the oldest messages of a chat are forgotten beyond this
    max_records: int | None = None  # recorded calls, answered callbacks, chat actions, delivered webhook updates

    def __post_init__(self) -> None:
        for name in ("chat_idle_s", "max_chats", "max_messages_per_chat", "max_records"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be positive or None")


class IdleChats:
    """The last activity of each chat, least recent first, and which chats are due to be forgotten."""

    def __init__(self, idle_s: float | None, max_chats: int | None, clock: Clock) -> None:
        self.idle_s = idle_s
        self.max_chats = max_chats
        self.clock = clock
        self._last: OrderedDict[int, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._last)

    def __contains__(self, chat_id: object) -> bool:
        return chat_id in self._last

    def __iter__(self) -> Iterator[int]:
        return iter(self._last)

    def touch(self, chat_id: int) -> None:
        """``chat_id`` was active just now."""
        self._last[chat_id] = self.clock()
        self._last.move_to_end(chat_id)

    def discard(self, chat_id: int) -> None:
        """Stop tracking ``chat_id``."""
        self._last.pop(chat_id, None)

    def due(self, *, room: int = 0, keep: Callable[[int], bool] | None = None) -> list[int]:
        """Chats to forget now: every chat idle too long, then the least recently active ones until there is
        ``room`` for that many new chats under ``max_chats``. Chats for which ``keep`` is true are skipped."""
        now = self.clock()
        over = len(self._last) + room - self.max_chats if self.max_chats is not None else 0
        due: list[int] = []
        for chat_id, last in self._last.items():
            idle = self.idle_s is not None and now - last > self.idle_s
            if not idle and over <= 0:
                break  # every later chat was active more recently
            if keep is not None and keep(chat_id):
                continue
            due.append(chat_id)
            over -= 1
        return due
