"""Staff features in Telegram: every exchange counted in the staff log, and /stats and /reload for admins.

The staff log is written in a thread of its own, and /stats and /reload run in a worker thread: a slow or
locked data file or a large content folder never holds up a chat.

For everyone not in FAQBOT_ADMIN_IDS (and in groups) the admin commands go to the engine like any other
command, which answers them as unknown commands.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bot.engine import CommandIn, Event, Reply
from bot.live import ReloadResult
from bot.staff import StaffLog
from bot.staff.admin import admin_command, reload_html, stats_message
from bot.staff.session import ReviewSessions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StaffHooks:
    """The staff log to write and, for admins, what /stats and /reload do."""

    log: StaffLog | None
    admins: frozenset[int]
    reload: Callable[[], ReloadResult] | None = None
    _writer: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, "staff-log"), repr=False)
    _sessions: ReviewSessions | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.log is not None:  # frozen: set once here
            object.__setattr__(self, "_sessions", ReviewSessions(self.log))

    def observe(self, chat_id: int, event: Event, replies: tuple[Reply, ...]) -> None:
        """Count one handled message (the typed text is masked and kept only when it was not answered well).

        Per chat, a session (in memory only) relabels a "did you mean" not taken and keeps a 👎 with its question;
        the chat id is never written."""
        if self.log is not None:
            self._writer.submit(self._record, chat_id, event, replies)

    def _record(self, chat_id: int, event: Event, replies: tuple[Reply, ...]) -> None:
        assert self._sessions is not None
        try:
            self._sessions.record(chat_id, event, replies)
        except Exception as exc:  # the staff log is not worth a chat: log the kind of fault only
            log.error("could not write the staff log: %s", type(exc).__name__)

    async def admin_reply(self, event: Event, user_id: int | None, private: bool,
                          health: Callable[[], str] | None = None) -> str | None:
        """The reply to an admin command from an admin, else None (the engine handles the event).

        ``health`` adds lines about storage faults to /stats.
        """
        if not isinstance(event, CommandIn):
            return None
        command = admin_command(event.name, user_id, self.admins, private)
        if command == "stats" and self.log is not None:
            message = await asyncio.to_thread(stats_message, self.log)
            extra = health() if health is not None else ""
            return f"{message}\n\n{extra}" if extra else message
        if command == "reload" and self.reload is not None:
            result = await asyncio.to_thread(self.reload)
            log.info("admin /reload: %s", result.summary())
            return reload_html(result)
        return None

    def flush(self, timeout: float | None = None) -> None:
        """Wait until what is queued for the staff log so far is written."""
        self._writer.submit(lambda: None).result(timeout)

    def close(self) -> None:
        """Write what is queued for the staff log and stop its thread."""
        self._writer.shutdown(wait=True)
