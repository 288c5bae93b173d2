"""The review inbox: what the bot did not answer well, grouped, with a topic to add it to and ways to clear it.

The studio (and any other front end) calls ``ReviewInbox(store).groups()`` and ``resolve(key, action)``. Rows are
read from the staff log (``bot.staff.review_log``); similar questions of the same language and reason (and, for
answers, the same answer) are one group (``bot.staff.grouping.cluster``). A group's key is made from what it
holds (language, reason, answer, its most asked question), never from a row's key, so it says nothing about
when or by whom a question was asked. Resolving a group deletes its rows (overwritten: ``secure_delete``).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from bot.nlu.normalise import fold
from bot.staff.grouping import cluster, real_candidates
from bot.staff.review_log import (
    CLARIFY_NOT_TAKEN,
    LOW_MARGIN,
    THUMBS_DOWN,
    StaffLog,
    parse_candidates,
    retention_days,
)
from bot.store import Store

#: The reason a group is in the inbox, by the decision stored in the log ('clarify' rows whose topic was taken,
#: or whose next message never came, are not in the inbox: `faqbot review` shows them).
REASONS = {"none": "unanswered", THUMBS_DOWN: "thumbs_down", CLARIFY_NOT_TAKEN: "clarify_not_taken",
           LOW_MARGIN: "low_margin"}
ACTIONS = ("added", "off_topic", "dismissed")
ANSWERED_REASONS = ("thumbs_down", "low_margin")


@dataclass(frozen=True)
class InboxGroup:
    """Similar questions staff should look at, and why."""

    key: str                      # stable id of the group
    lang: str                     # 'nl' | 'en'
    texts: tuple[str, ...]        # masked questions in the group, most frequent first
    count: int
    reason: str                   # 'unanswered' | 'thumbs_down' | 'clarify_not_taken' | 'low_margin'
    answered_with: str | None     # the intent that was answered (for thumbs_down / low_margin), else None
    suggestion: str | None        # a topic to add it to, only when the matcher had it as a real candidate
    first_day: str
    last_day: str


@dataclass(frozen=True)
class _Row:
    key: int
    day: str
    lang: str
    reason: str
    text: str
    candidates: tuple[tuple[str, float], ...]
    intent: str | None


class ReviewInbox:
    """The inbox over the staff log in ``store`` (its tables are created when missing)."""

    def __init__(self, store: Store) -> None:
        self.log = StaffLog(store, retention_days())
        self._members: dict[str, tuple[int, ...]] = {}  # group key -> its rows, from the last groups()

    def groups(self, days: int = 30) -> list[InboxGroup]:
        """The groups of the last ``days`` days (today included), the most asked first."""
        found: list[InboxGroup] = []
        self._members = {}
        buckets: dict[tuple[str, str, str | None], list[_Row]] = defaultdict(list)
        for row in self._rows(days):
            buckets[(row.lang, row.reason, row.intent if row.reason in ANSWERED_REASONS else None)].append(row)
        for (lang, reason, answered), rows in buckets.items():
            for members in _clusters(rows):
                group = _group(lang, reason, answered, members)
                found.append(group)
                self._members[group.key] = tuple(row.key for row in members)
        return sorted(found, key=lambda g: (-g.count, g.lang, g.reason, g.texts[:1], g.answered_with or ""))

    def resolve(self, key: str, action: str) -> None:
        """Take a group out of the inbox: 'added' (as examples), 'off_topic' or 'dismissed'; its rows are deleted.

        ``KeyError`` when no group has that key (any more), ``ValueError`` for an unknown action.
        """
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; use one of: {', '.join(ACTIONS)}")
        if key not in self._members:
            self.groups(self.log.retention)
        rows = self._members.pop(key, None)
        if rows is None:
            raise KeyError(key)
        with self.log.store.transaction() as db:
            db.executemany("DELETE FROM review_log WHERE id = ?", [(row,) for row in rows])

    def _rows(self, days: int) -> list[_Row]:
        with self.log.store.transaction() as db:
            rows = db.execute("SELECT id, day, lang, decision, text, candidates, intent FROM review_log "
                              "WHERE day >= ? ORDER BY day, lang, decision, text", (self.log.first_day(days),))
            found = [(key, day, lang, decision, text, candidates, intent)
                     for key, day, lang, decision, text, candidates, intent in rows.fetchall()]
        return [_Row(key, day, lang, REASONS[decision], text or "", parse_candidates(candidates), intent)
                for key, day, lang, decision, text, candidates, intent in found if decision in REASONS]


def _clusters(rows: list[_Row]) -> list[list[_Row]]:
    """Rows with similar texts together (a 👎 whose question is unknown has no text: those are one group)."""
    same: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        same[fold(row.text)].append(row)
    keys = sorted(same, key=lambda k: (-len(same[k]), k))
    return [[row for i in members for row in same[keys[i]]] for members in cluster(keys)]


def _group(lang: str, reason: str, answered: str | None, rows: Iterable[_Row]) -> InboxGroup:
    rows = list(rows)
    counts = Counter(row.text for row in rows if row.text)
    texts = tuple(sorted(counts, key=lambda t: (-counts[t], t)))
    days = sorted(row.day for row in rows)
    suggestion = real_candidates((row.candidates for row in rows), exclude=answered)
    seed = f"{lang}\n{reason}\n{answered or ''}\n{texts[0] if texts else ''}"
    key = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]
    return InboxGroup(key, lang, texts, len(rows), reason, answered, suggestion, days[0], days[-1])
