"""Statistics from the usage counts: per decision, language, intent and day, as plain-text tables.

Every handled message or button press counts once, under its outcome (``review_log.outcome``): an answer,
"did you mean" (clarify), not understood (none), safety, 👍/👎, or something else (menu, commands, ...).
"""

from __future__ import annotations

import datetime as dtm
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.staff.review_log import UsageRow


def decision_label(decision: str) -> str:
    """What staff read for a decision; crisis and referral kinds keep their kind ("crisis: self harm")."""
    for prefix in ("crisis:", "referral:"):
        if decision.startswith(prefix):
            return f"{prefix} {decision[len(prefix):].replace('_', ' ')}"
    return DECISION_LABELS.get(decision, decision)


#: What staff read for each decision.
DECISION_LABELS = {
    "answer": "answered",
    "clarify": "did you mean",
    "none": "not understood",
    "safety": "safety (112)",
    "feedback_up": "thumbs up",
    "feedback_down": "thumbs down",
    "check": "check step",
    "outcome": "check result",
    "start": "/start",
    "menu": "menu and topics",
    "help": "/help",
    "language": "language choice",
    "command": "/contact, /privacy",
    "cancel": "/cancel",
    "unknown_command": "unknown command",
    "stale": "old button",
    "empty": "empty message",
    "non_text": "voice, photo or file",
    "error": "error",
}
UNANSWERED = ("none", "clarify", "clarify_not_taken")  # the last only in review rows (bot.staff.session)


@dataclass(frozen=True)
class Stats:
    """The usage counts of a period of days."""

    first_day: str
    last_day: str
    rows: tuple[UsageRow, ...]

    @property
    def days(self) -> int:
        """How many days the period has."""
        return (dtm.date.fromisoformat(self.last_day) - dtm.date.fromisoformat(self.first_day)).days + 1

    def total(self, *decisions: str) -> int:
        """All counts, or only those with one of ``decisions``."""
        return sum(r.count for r in self.rows if not decisions or r.decision in decisions)

    def by_decision(self) -> list[tuple[str, int]]:
        """(decision, count), most first."""
        return _most(Counter(_add((r.decision, r.count) for r in self.rows)))

    def by_language(self) -> list[tuple[str, int]]:
        """(language, count), most first."""
        return _most(Counter(_add((r.lang, r.count) for r in self.rows)))

    def by_intent(self) -> list[tuple[str, int, int, int]]:
        """(intent, answers, thumbs up, thumbs down) for intents that were answered or rated, most answered first."""
        counts: dict[str, list[int]] = {}
        columns = {"answer": 0, "feedback_up": 1, "feedback_down": 2}
        for r in self.rows:
            if r.intent and r.decision in columns:
                counts.setdefault(r.intent, [0, 0, 0])[columns[r.decision]] += r.count
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1][0], -kv[1][2], kv[0]))
        return [(intent, a, up, down) for intent, (a, up, down) in ordered]

    def by_day(self) -> list[tuple[str, int, int, int]]:
        """(day, all, answered, not answered) per day with any count, oldest first."""
        days: dict[str, list[int]] = {}
        for r in self.rows:
            row = days.setdefault(r.day, [0, 0, 0])
            row[0] += r.count
            row[1] += r.count if r.decision == "answer" else 0
            row[2] += r.count if r.decision in UNANSWERED else 0
        return [(day, all_, answered, unanswered) for day, (all_, answered, unanswered) in sorted(days.items())]


def _add(pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for key, count in pairs:
        totals[key] = totals.get(key, 0) + count
    return totals


def _most(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def percent(part: int, whole: int) -> str:
    """'42%' (or '-' when there is nothing to divide by)."""
    return f"{round(100 * part / whole)}%" if whole else "-"


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain-text table: text columns left-aligned, numbers right-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    body = cells[1:]
    numeric = [bool(body) and all(c.lstrip("-").rstrip("%").isdigit() for c in (r[i] for r in body))
               for i in range(len(headers))]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = [c.rjust(w) if numeric[i] else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_stats(stats: Stats) -> str:
    """Everything `faqbot stats` prints: a summary line and four tables."""
    total = stats.total()
    if not total:
        return f"Nothing was counted from {stats.first_day} to {stats.last_day}.\n"
    answered, unanswered = stats.total("answer"), stats.total(*UNANSWERED)
    lines = [
        f"From {stats.first_day} to {stats.last_day}: {total} messages and button presses; "
        f"{answered} answered ({percent(answered, total)}), {unanswered} not answered "
        f"({percent(unanswered, total)}); thumbs up {stats.total('feedback_up')}, "
        f"thumbs down {stats.total('feedback_down')}.",
        "",
        "By decision",
        table(("decision", "count", "share"),
              ((decision_label(d), n, percent(n, total)) for d, n in stats.by_decision())),
        "",
        "By language",
        table(("language", "count", "share"), ((lang, n, percent(n, total)) for lang, n in stats.by_language())),
        "",
        "By intent",
        table(("intent", "answered", "thumbs up", "thumbs down"), stats.by_intent()) if stats.by_intent()
        else "(no answers yet)",
        "",
        "By day",
        table(("day", "all", "answered", "not answered"), stats.by_day()),
    ]
    return "\n".join(lines) + "\n"
