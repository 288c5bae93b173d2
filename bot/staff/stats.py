"""Statistics from the usage counts: questions apart from commands and presses, per decision, language, intent, day.

Every handled message or button press counts once, under its outcome (``review_log.outcome``: an answer, "did
you mean" (clarify), not understood (none), a crisis reply, 👍/👎, the menu, ...) and its kind
(``bot.staff.kinds``). Only typed questions make the answered share: /start, /menu, a topic button or a language
choice is no question, even when an answer follows.
"""

from __future__ import annotations

import datetime as dtm
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.staff.kinds import COMMAND, KIND_LABELS, PRESS, QUESTION, kind_label
from bot.staff.review_log import UsageRow

Key = TypeVar("Key")


def decision_label(decision: str) -> str:
    """What staff read for a decision; crisis and referral kinds keep their kind ("crisis: self harm")."""
    for prefix in ("crisis:", "referral:"):
        if decision.startswith(prefix):
            return f"{prefix} {decision[len(prefix):].replace('_', ' ')}"
    return DECISION_LABELS.get(decision, decision)


#: What staff read for each decision.
DECISION_LABELS = {
    "answer": "answered",
    "followup": "answered in context",
    "missing_detail": "detail not in the answer",
    "clarify": "did you mean",
    "none": "not understood",
    "acknowledged": "ok / 👍 (no question)",
    "other_language": "other language",
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
ANSWERED = ("answer", "followup")  # a question answered, on its own or within the topic in context
UNANSWERED = ("none", "clarify", "clarify_not_taken")  # the questions `faqbot review` lists (the last: review rows)
OPENED = (PRESS, COMMAND)  # an answer opened with a topic button or a /start link: not a question answered


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

    def questions(self, *decisions: str) -> int:
        """Typed questions, or only those with one of ``decisions``."""
        return sum(r.count for r in self.rows if r.kind == QUESTION and (not decisions or r.decision in decisions))

    def of_kind(self, kind: str) -> int:
        """Messages of one kind (``bot.staff.kinds``)."""
        return sum(r.count for r in self.rows if r.kind == kind)

    def by_kind(self) -> list[tuple[str, int]]:
        """(kind, count) for the kinds counted, in the order of KIND_LABELS."""
        counts = _add((r.kind, r.count) for r in self.rows)
        order = list(KIND_LABELS)
        return sorted(counts.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0]))

    def by_decision(self) -> list[tuple[str, int]]:
        """(decision, count) of the typed questions, most first."""
        return _most(Counter(_add((r.decision, r.count) for r in self.rows if r.kind == QUESTION)))

    def by_other_decision(self) -> list[tuple[str, str, int]]:
        """(kind, decision, count) of everything that is not a typed question: by kind, then most first."""
        order = [kind for kind, _ in self.by_kind()]
        counts = _add(((r.kind, r.decision), r.count) for r in self.rows if r.kind != QUESTION)
        ordered = sorted(counts.items(), key=lambda kv: (order.index(kv[0][0]), -kv[1], kv[0][1]))
        return [(kind, decision, n) for (kind, decision), n in ordered]

    def by_language(self) -> list[tuple[str, int]]:
        """(language, count), most first."""
        return _most(Counter(_add((r.lang, r.count) for r in self.rows)))

    def by_intent(self) -> list[tuple[str, int, int, int, int]]:
        """(intent, answered, opened, thumbs up, thumbs down) for intents answered, opened or rated.

        Answered: answers to typed questions; opened: the answer shown after a topic button or a /start link.
        Most answered first."""
        counts: dict[str, list[int]] = {}
        for r in self.rows:
            column = (int(r.kind in OPENED) if r.decision in ANSWERED
                      else {"feedback_up": 2, "feedback_down": 3}.get(r.decision))
            if r.intent and column is not None:
                counts.setdefault(r.intent, [0, 0, 0, 0])[column] += r.count
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1][0], -kv[1][1], -kv[1][3], kv[0]))
        return [(intent, a, opened, up, down) for intent, (a, opened, up, down) in ordered]

    def by_day(self) -> list[tuple[str, int, int, int, int, int, int]]:
        """(day, all, questions, answered, not answered, commands, presses) per day with any count, oldest first."""
        days: dict[str, list[int]] = {}
        for r in self.rows:
            row = days.setdefault(r.day, [0] * 6)
            row[0] += r.count
            if r.kind == QUESTION:
                row[1] += r.count
                row[2] += r.count if r.decision in ANSWERED else 0
                row[3] += r.count if r.decision in UNANSWERED else 0
            row[4] += r.count if r.kind == COMMAND else 0
            row[5] += r.count if r.kind == PRESS else 0
        return [(day, n, questions, answered, unanswered, commands, presses)
                for day, (n, questions, answered, unanswered, commands, presses) in sorted(days.items())]


def _add(pairs: Iterable[tuple[Key, int]]) -> dict[Key, int]:
    totals: dict[Key, int] = {}
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


def counted(n: int, one: str, many: str) -> str:
    """'1 command', '2 commands'."""
    return f"{n} {one if n == 1 else many}"


def summary(stats: Stats) -> str:
    """The first line of `faqbot stats`: questions and their answered share, then commands and presses."""
    questions = stats.questions()
    answered, unanswered = stats.questions(*ANSWERED), stats.questions(*UNANSWERED)
    return (f"From {stats.first_day} to {stats.last_day}: {counted(questions, 'question', 'questions')}, "
            f"{answered} answered ({percent(answered, questions)}), {unanswered} not answered "
            f"({percent(unanswered, questions)}); {counted(stats.of_kind(COMMAND), 'command', 'commands')}, "
            f"{counted(stats.of_kind(PRESS), 'button press', 'button presses')}; "
            f"thumbs up {stats.total('feedback_up')}, thumbs down {stats.total('feedback_down')}.")


def format_stats(stats: Stats) -> str:
    """Everything `faqbot stats` prints: a summary line and six tables."""
    total, questions = stats.total(), stats.questions()
    if not total:
        return f"Nothing was counted from {stats.first_day} to {stats.last_day}.\n"
    intents, others = stats.by_intent(), stats.by_other_decision()
    lines = [
        summary(stats),
        "",
        "By kind",
        table(("kind", "count", "share"), ((kind_label(k), n, percent(n, total)) for k, n in stats.by_kind())),
        "",
        "Questions by decision",
        table(("decision", "count", "share"),
              ((decision_label(d), n, percent(n, questions)) for d, n in stats.by_decision())) if questions
        else "(no questions yet)",
        "",
        "Commands, button presses and other messages by decision",
        table(("kind", "decision", "count"), ((kind_label(k), decision_label(d), n) for k, d, n in others)) if others
        else "(none)",
        "",
        "By language",
        table(("language", "count", "share"), ((lang, n, percent(n, total)) for lang, n in stats.by_language())),
        "",
        "By intent",
        table(("intent", "answered", "opened", "thumbs up", "thumbs down"), intents) if intents
        else "(no answers yet)",
        "",
        "By day",
        table(("day", "all", "questions", "answered", "not answered", "commands", "presses"), stats.by_day()),
    ]
    return "\n".join(lines) + "\n"
