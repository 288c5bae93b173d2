"""One chat's view of the staff log: what its last reply was, so the next message can tell more about it.

A "did you mean" is only known to be *not taken* when the next message or press is something else than one of
its topics; a 👎 belongs to the question that was answered just before. So a session keeps, in memory only and
only until the next message, the last "did you mean" (the random key of its review row, the topics offered)
and the last answered question (its masked text and candidates). Nothing of it is ever written with anything
that names the chat; the rows stay as unlinkable as ``StaffLog.record`` makes them (docs/staff.md).

What is kept for review, besides what ``StaffLog.record`` keeps (``none``, ``clarify``):

- ``clarify_not_taken``: the "did you mean" row, relabelled when the person pressed "None of these" or went on
  with something else;
- ``low_margin``: a typed question answered although the runner-up topic scored within ``LOW_MARGIN`` of the
  answer (on the development questions this flags 8% of the answers and holds every wrong one);
- ``thumbs_down`` with the question: a 👎 on the answer to the question just asked (a low-margin row of that
  question becomes the 👎 row: one row per question).
"""

from __future__ import annotations

import logging
import sys
from collections import OrderedDict
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.engine.events import Event
from bot.engine.replies import Reply, Trace
from bot.staff.review_log import (
    CLARIFY_NOT_TAKEN,
    LOW_MARGIN,
    THUMBS_DOWN,
    SettingError,
    StaffLog,
    never_raising,
    outcome,
    review_row,
    row_for,
    typed_text,
)
from bot.store import FILE_NAME, Store, StoreError, default_path

log = logging.getLogger(__name__)

LOW_MARGIN_SCORE = 0.10  # best minus runner-up topic score under which an answer counts as a close call
ANSWERED = ("answer",)  # typed questions the matcher answered (not follow-ups, checks or presses)
FEEDBACK_DOWN = "feedback_down"
MAX_SESSIONS = 10_000  # chats remembered at once by ``ReviewSessions``; the least recently active go first


@dataclass(frozen=True)
class _Asked:
    """The last question of a chat that got a "did you mean" or an answer (masked text, in memory only)."""

    key: int | None  # its review row, if it has one
    text: str
    intent: str | None
    offered: tuple[str, ...]
    candidates: tuple[tuple[str, float], ...]


def margin(trace: Trace) -> float:
    """How far the answer's score is ahead of the runner-up topic (1.0 without a runner-up)."""
    scores = [score for _, score in trace.candidates]
    return scores[0] - scores[1] if len(scores) > 1 else 1.0


class ReviewSession:
    """The staff log as one chat writes it: ``record(text, replies)`` after each handled message or press."""

    def __init__(self, staff_log: StaffLog) -> None:
        self.log = staff_log
        self._clarify: _Asked | None = None
        self._answered: _Asked | None = None

    def record(self, message: Event | str | None, replies: Sequence[Reply]) -> bool:
        """Count one handled message or press and keep what staff should review; never raises.

        ``message``: the engine's event (or only the typed text, None for a press or a command)."""
        return never_raising(self._record, message, replies)

    def _record(self, message: Event | str | None, replies: Sequence[Reply]) -> None:
        trace = outcome(replies)
        if trace is None:
            return
        text = typed_text(message)
        clarify, answered = self._clarify, self._answered
        self._clarify = self._answered = None
        if clarify is not None and clarify.key is not None and not _takes(trace, clarify):
            self.log.relabel(clarify.key, CLARIFY_NOT_TAKEN)
        typed = text is not None and bool(text.strip())
        if trace.decision == FEEDBACK_DOWN and trace.intent and answered and answered.intent == trace.intent:
            self._thumbs_down(trace, answered, message)
            return
        if typed and trace.decision in ANSWERED and trace.intent and margin(trace) < LOW_MARGIN_SCORE:
            row = review_row(LOW_MARGIN, text or "", trace.candidates, trace.intent)
            key = self.log.count_and_keep(trace, row, message)
        else:
            key = self.log.count_and_keep(trace, row_for(text, trace), message)
        if not typed:
            return
        asked = _Asked(key, text or "", trace.intent, _offered(trace), trace.candidates)
        if trace.decision == "clarify":
            self._clarify = asked
        elif trace.decision in ANSWERED and trace.intent:
            self._answered = asked

    def _thumbs_down(self, trace: Trace, answered: _Asked, message: Event | str | None) -> None:
        """A 👎 on the answer to the question just asked: kept with that question."""
        if answered.key is not None:  # its low-margin row becomes the 👎 row
            self.log.count_and_keep(trace, None, message)
            self.log.relabel(answered.key, THUMBS_DOWN, trace.intent)
        else:
            row = review_row(THUMBS_DOWN, answered.text, answered.candidates, trace.intent)
            self.log.count_and_keep(trace, row, message)


def _offered(trace: Trace) -> tuple[str, ...]:
    """The topics a "did you mean" offered: its candidates (its buttons show the first three)."""
    return tuple(name for name, _ in trace.candidates[:3]) if trace.decision == "clarify" else ()


def _takes(trace: Trace, clarify: _Asked) -> bool:
    """True when the next outcome is the answer to one of the topics offered."""
    return trace.decision in ("answer", "followup") and trace.intent in clarify.offered


class ReviewSessions:
    """A session per chat, in memory, for channels with many chats; ``key`` is whatever the channel uses to
    tell its chats apart (never written anywhere)."""

    def __init__(self, staff_log: StaffLog, max_sessions: int = MAX_SESSIONS) -> None:
        self.log = staff_log
        self.max_sessions = max_sessions
        self._sessions: OrderedDict[Hashable, ReviewSession] = OrderedDict()

    def record(self, key: Hashable, message: Event | str | None, replies: Sequence[Reply]) -> bool:
        """Record one handled message or press of the chat ``key``."""
        session = self._sessions.pop(key, None) or ReviewSession(self.log)
        self._sessions[key] = session
        while len(self._sessions) > self.max_sessions:
            self._sessions.popitem(last=False)
        return session.record(message, replies)

    def forget(self, key: Hashable) -> None:
        """Forget a chat's session (the chat was forgotten)."""
        self._sessions.pop(key, None)


@contextmanager
def data_folder_log(data_dir: Path | None = None, who: str = "faqbot") -> Iterator[StaffLog | None]:
    """The staff log in the data folder (``data_dir``, else ``$FAQBOT_DATA_DIR``, else ./data), for the local
    channels (`faqbot chat`, the sandbox) to keep what `faqbot review` shows; None, after a note on stderr, when
    it cannot be opened (the chat works without it)."""
    path = data_dir / FILE_NAME if data_dir is not None else default_path()
    try:
        store = Store.connect(path)
    except StoreError as exc:
        print(f"{who}: note: nothing is kept for `faqbot review` ({exc})", file=sys.stderr)
        yield None
        return
    with store:
        try:
            staff_log: StaffLog | None = StaffLog.from_env(store)
        except SettingError as exc:
            print(f"{who}: note: nothing is kept for `faqbot review` ({exc})", file=sys.stderr)
            staff_log = None
        yield staff_log
