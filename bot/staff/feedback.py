"""What 👍/👎 presses mean for staff: the decisions the engine traces, and how they are kept.

The buttons and the thanks are the engine's (``bot.engine.feedback``); the channel passes the replies to
``StaffLog.record``, which counts ``feedback_up`` / ``feedback_down`` per intent in ``usage`` and adds a
``thumbs_down`` review row holding only the intent (and the day and language) for each 👎.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.engine.feedback import FEEDBACK_DOWN, FEEDBACK_UP
from bot.engine.replies import Reply
from bot.staff.review_log import UsageRow

__all__ = ["FEEDBACK_DOWN", "FEEDBACK_UP", "feedback_in", "ratings"]


def feedback_in(replies: Iterable[Reply]) -> tuple[str, str] | None:
    """(intent, 'up' or 'down') when these replies answer a 👍/👎 press, else None (for channels that log it)."""
    for reply in replies:
        trace = reply.trace
        if trace is not None and trace.intent and trace.decision in (FEEDBACK_UP, FEEDBACK_DOWN):
            return trace.intent, "up" if trace.decision == FEEDBACK_UP else "down"
    return None


def ratings(rows: Iterable[UsageRow]) -> dict[str, tuple[int, int]]:
    """Per intent: (thumbs up, thumbs down) from usage counts."""
    totals: dict[str, list[int]] = {}
    for row in rows:
        if row.intent and row.decision in (FEEDBACK_UP, FEEDBACK_DOWN):
            totals.setdefault(row.intent, [0, 0])[row.decision == FEEDBACK_DOWN] += row.count
    return {intent: (up, down) for intent, (up, down) in sorted(totals.items())}
