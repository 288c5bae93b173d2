"""Staff features in Telegram: every exchange counted in the staff log, and /stats and /reload for admins.

For everyone not in FAQBOT_ADMIN_IDS (and in groups) the admin commands go to the engine like any other
command, which answers them as unknown commands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.engine import CommandIn, Event, Reply, TextIn
from bot.live import ReloadResult
from bot.staff import StaffLog
from bot.staff.admin import admin_command, reload_html, stats_message

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StaffHooks:
    """The staff log to write and, for admins, what /stats and /reload do."""

    log: StaffLog | None
    admins: frozenset[int]
    reload: Callable[[], ReloadResult] | None = None

    def observe(self, event: Event, replies: tuple[Reply, ...]) -> None:
        """Count one handled message (the typed text is masked and kept only when it was not answered)."""
        if self.log is not None:
            self.log.record(event.text if isinstance(event, TextIn) else None, replies)

    def admin_reply(self, event: Event, user_id: int | None, private: bool) -> str | None:
        """The reply to an admin command from an admin, else None (the engine handles the event)."""
        if not isinstance(event, CommandIn):
            return None
        command = admin_command(event.name, user_id, self.admins, private)
        if command == "stats" and self.log is not None:
            return stats_message(self.log)
        if command == "reload" and self.reload is not None:
            result = self.reload()
            log.info("admin /reload: %s", result.summary())
            return reload_html(result)
        return None
