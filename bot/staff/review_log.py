"""The staff log in the bot's data file: unanswered questions to review, and counts for statistics.

Two tables, added to the store's SQLite file by migrations (``bot.staff.schema``):

* ``review_log``: one row per question the bot did not answer (``none``), answered with "did you mean"
  (``clarify``; ``clarify_not_taken`` once the person chose none of the topics offered), answered although the
  runner-up was close (``low_margin``), or per 👎 on an answer (``thumbs_down``). It keeps the day, the
  language, the masked text (for 👎 only when the channel knows the question: ``bot.staff.session``), the
  matcher's three best intents and, for 👎 and ``low_margin``, the intent of the answer.
* ``usage``: counts per day, language, intent, decision and kind of message (a typed question, a command, a
  button press, ...: ``bot.staff.kinds``). No text at all.

Nothing identifies the person: the API takes no chat id, user id, name or username, texts are masked
(``bot.staff.masking``) before they are written, and only the day is kept, not the time. Nothing tells the
order in which questions arrived either, so a review row cannot be matched with a chat that wrote at the same
moment: each row gets a random key, rows are listed by day and content, and deleted rows are overwritten
(SQLite ``secure_delete``); the tables and keys are in ``bot.staff.schema``. Rows older than the retention
period (``FAQBOT_RETENTION_DAYS``, default 90) are deleted.
"""

from __future__ import annotations

import datetime as dtm
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bot.engine.events import Event, TextIn
from bot.engine.replies import Reply, Trace
from bot.staff.kinds import EARLIER, kind_of
from bot.staff.schema import MIGRATIONS, masked_text, random_key, remask
from bot.store import Store

log = logging.getLogger(__name__)

RETENTION_ENV = "FAQBOT_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 90
MAX_RETENTION_DAYS = 3650
MAX_CANDIDATES = 3
PURGE_EVERY = dtm.timedelta(hours=1)

#: Decisions that make a review row ('feedback_down' is stored as 'thumbs_down').
REVIEW_DECISIONS = ("none", "clarify", "missing_detail")  # missing_detail: a follow-up the topic's answer lacks
THUMBS_DOWN = "thumbs_down"
CLARIFY_NOT_TAKEN = "clarify_not_taken"  # "did you mean", then none of its topics (bot.staff.session)
LOW_MARGIN = "low_margin"  # answered, but the runner-up topic was close (bot.staff.session)
CRISIS_PREFIX = "crisis:"  # decisions "crisis:self_harm" ... come first, like the old "safety"
#: One outcome per handled message or press: the first of these among its replies, else the first reply's.
OUTCOME_ORDER = ("feedback_down", "feedback_up", "safety", "answer", "outcome", "check", "clarify", "none")

class SettingError(ValueError):
    """A setting (environment variable) has a value that cannot be used; the message says how to fix it."""


@dataclass(frozen=True)
class ReviewItem:
    """One review row: a question the bot did not answer well, or a 👎 on an answer."""

    day: str
    lang: str
    decision: str  # 'none' | 'clarify' | 'clarify_not_taken' | 'low_margin' | 'thumbs_down'
    text: str | None  # masked; None for a 👎 whose question is not known
    candidates: tuple[tuple[str, float], ...]
    intent: str | None  # the answer that got 👎


@dataclass(frozen=True)
class UsageRow:
    """How often something happened on one day."""

    day: str
    lang: str
    intent: str | None
    decision: str
    count: int
    kind: str = EARLIER  # bot.staff.kinds: 'question', 'command', 'press', ...


def utc_now() -> dtm.datetime:
    """The current time in UTC."""
    return dtm.datetime.now(dtm.UTC)


def retention_days(environ: Mapping[str, str] = os.environ) -> int:
    """Days to keep the staff log: ``$FAQBOT_RETENTION_DAYS``, default 90; raises SettingError when unusable."""
    raw = environ.get(RETENTION_ENV, "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_RETENTION_DAYS:
        raise SettingError(f"{RETENTION_ENV}={raw!r} is not a number of days from 1 to {MAX_RETENTION_DAYS} — "
                           f"set it to a whole number such as {DEFAULT_RETENTION_DAYS}, or remove it "
                           f"to keep {DEFAULT_RETENTION_DAYS} days")
    return int(raw)


def outcome(replies: Sequence[Reply]) -> Trace | None:
    """The trace that says what happened to one message or press (see OUTCOME_ORDER)."""
    traces = [r.trace for r in replies if r.trace is not None]
    crisis = next((t for t in traces if t.decision.startswith(CRISIS_PREFIX)), None)
    if crisis is not None:  # a message about a crisis is only ever counted, never kept as text
        return crisis
    for decision in OUTCOME_ORDER:
        found = next((t for t in traces if t.decision == decision), None)
        if found is not None:
            return found
    return traces[0] if traces else None


class StaffLog:
    """Writes the staff log after each handled message; reads it for `faqbot review`, `faqbot stats`, /stats."""

    def __init__(self, store: Store, retention: int = DEFAULT_RETENTION_DAYS,
                 clock: Callable[[], dtm.datetime] = utc_now) -> None:
        self.store = store
        self.retention = retention
        self.clock = clock
        self._last_purge: dtm.datetime | None = None
        with store.transaction() as db:  # deleted and replaced texts are overwritten, not left in free pages
            db.execute("PRAGMA secure_delete = ON")
        store.migrate(MIGRATIONS)
        remask(store)

    @classmethod
    def from_env(cls, store: Store, environ: Mapping[str, str] = os.environ) -> StaffLog:
        """A log with the retention from ``$FAQBOT_RETENTION_DAYS`` (raises SettingError when it is unusable)."""
        return cls(store, retention_days(environ))

    def today(self) -> dtm.date:
        """Today's date in UTC."""
        return self.clock().astimezone(dtm.UTC).date()

    def first_day(self, days: int) -> str:
        """The first day (ISO date) of a period of ``days`` days ending today."""
        return (self.today() - dtm.timedelta(days=max(days, 1) - 1)).isoformat()

    def record(self, message: Event | str | None, replies: Sequence[Reply]) -> bool:
        """Count what the engine did with one message or press; keep it for review when it was not answered.

        ``message`` is the event the engine handled, or only what the person typed (None for a press, command
        or voice message: then '/menu' and the menu button count alike). Never raises: a failure is logged and
        the chat goes on. Returns True when the log was written.
        """
        return never_raising(self._record, message, replies)

    def _record(self, message: Event | str | None, replies: Sequence[Reply]) -> None:
        trace = outcome(replies)
        if trace is not None:
            self.count_and_keep(trace, row_for(typed_text(message), trace), message)

    def count_and_keep(self, trace: Trace, review: ReviewRow | None, message: Event | str | None = None
                       ) -> int | None:
        """Count one outcome and add its review row, if any; returns the row's random key (kept only in memory
        by a chat's session, to relabel the row when the next message tells more)."""
        self._purge_now_and_then()
        day = self.today().isoformat()
        key = random_key() if review is not None else None
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO usage (day, lang, intent, decision, kind, count) VALUES (?, ?, ?, ?, ?, 1) "
                "ON CONFLICT (day, lang, intent, decision, kind) DO UPDATE SET count = count + 1",
                (day, trace.lang, trace.intent or "", trace.decision, kind_of(message, trace.decision)),
            )
            if review is not None:
                db.execute("INSERT INTO review_log (id, day, lang, decision, text, candidates, intent) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)", (key, day, trace.lang, *review))
        return key

    def relabel(self, key: int, decision: str, intent: str | None = None) -> None:
        """Give a review row another decision (a "did you mean" not taken; a close answer that got 👎)."""
        with self.store.transaction() as db:
            db.execute("UPDATE review_log SET decision = ?, intent = coalesce(?, intent) WHERE id = ?",
                       (decision, intent, key))

    def _purge_now_and_then(self) -> None:
        now = self.clock()
        if self._last_purge is None or now - self._last_purge >= PURGE_EVERY:
            self.purge()

    def purge(self) -> int:
        """Delete review rows, counts and idle chat states older than the retention period; returns how many."""
        self._last_purge = self.clock()
        cutoff = (self.today() - dtm.timedelta(days=self.retention - 1)).isoformat()
        with self.store.transaction() as db:
            gone = db.execute("DELETE FROM review_log WHERE day < ?", (cutoff,)).rowcount
            gone += db.execute("DELETE FROM usage WHERE day < ?", (cutoff,)).rowcount
        return int(gone) + self.store.forget_idle(cutoff)

    def review_items(self, days: int) -> list[ReviewItem]:
        """The review rows of the last ``days`` days (today included), by day and content: not in arrival order."""
        with self.store.transaction() as db:
            rows = db.execute("SELECT day, lang, decision, text, candidates, intent FROM review_log WHERE day >= ? "
                              "ORDER BY day, lang, decision, text, intent, candidates",
                              (self.first_day(days),)).fetchall()
        return [ReviewItem(day, lang, decision, text, parse_candidates(candidates), intent)
                for day, lang, decision, text, candidates, intent in rows]

    def usage(self, days: int) -> list[UsageRow]:
        """The counts of the last ``days`` days (today included)."""
        with self.store.transaction() as db:
            rows = db.execute("SELECT day, lang, intent, decision, count, kind FROM usage WHERE day >= ? "
                              "ORDER BY day, lang, intent, decision, kind", (self.first_day(days),)).fetchall()
        return [UsageRow(day, lang, intent or None, decision, count, kind)
                for day, lang, intent, decision, count, kind in rows]


#: (decision, masked text, candidates JSON, intent): what a review row keeps besides its day and language.
ReviewRow = tuple[str, str | None, str, str | None]


def never_raising(write: Callable[[Event | str | None, Sequence[Reply]], None], message: Event | str | None,
                  replies: Sequence[Reply]) -> bool:
    """Write to the staff log; a failure is logged (SQLite's own words or the error's kind, never the text) and
    the chat goes on. True when written."""
    try:
        write(message, replies)
    except (sqlite3.Error, ValueError, TypeError) as exc:
        reason = exc if isinstance(exc, sqlite3.Error) else type(exc).__name__
        log.warning("could not write the staff log: %s", reason)
        return False
    return True


def typed_text(message: Event | str | None) -> str | None:
    """What the person typed: the text of a typed message, else None (a press, a command, a voice message)."""
    return message.text if isinstance(message, TextIn) else message if isinstance(message, str) else None


def row_for(text: str | None, trace: Trace) -> ReviewRow | None:
    """The review row for one outcome, or None when there is nothing to review."""
    if trace.decision == "feedback_down" and trace.intent:
        return THUMBS_DOWN, None, "[]", trace.intent
    if trace.decision not in REVIEW_DECISIONS or text is None or not text.strip():
        return None
    topic = trace.intent if trace.decision == "missing_detail" else None  # the topic whose answer lacks the detail
    return review_row(trace.decision, text, trace.candidates, topic)


def review_row(decision: str, text: str, candidates: Sequence[tuple[str, float]], intent: str | None) -> ReviewRow:
    """A review row with the text masked and the three best candidates."""
    best = [[name, round(float(score), 4)] for name, score in candidates[:MAX_CANDIDATES]]
    return decision, masked_text(text), json.dumps(best), intent


def parse_candidates(raw: str | None) -> tuple[tuple[str, float], ...]:
    """Stored candidates back as pairs; anything unreadable gives none."""
    try:
        data = json.loads(raw or "[]")
        return tuple((str(name), float(score)) for name, score in data)
    except (ValueError, TypeError):
        return ()
