"""The kind of each counted message: only typed questions make the answered share in `faqbot stats` and /stats."""

from __future__ import annotations

import pytest

from bot.engine import CommandIn, Event, NonTextIn, PressIn, TextIn
from bot.staff.kinds import CHECK_ANSWER, COMMAND, LANGUAGE, OTHER, PRESS, QUESTION, kind_of

# (what the channel passed: the event, the typed text, or None for anything not typed; the decision; the kind)
KINDS: list[tuple[Event | str | None, str, str]] = [
    (TextIn("what is iom"), "answer", QUESTION),
    (TextIn("what is the weather"), "none", QUESTION),
    (TextIn("i want to die"), "crisis:self_harm", QUESTION),
    (TextIn("how do i apply for asylum"), "referral:other_asylum", QUESTION),
    (TextIn("/start"), "start", COMMAND),  # a command typed as text is still a command
    (TextIn("english please"), "language", LANGUAGE),
    (TextIn("in het Nederlands aub"), "start", LANGUAGE),  # chosen at first contact: the welcome follows
    (TextIn("ja"), "check", CHECK_ANSWER),
    (TextIn("nee"), "outcome", CHECK_ANSWER),
    (TextIn("  "), "empty", OTHER),
    (CommandIn("start"), "start", COMMAND),
    (CommandIn("start", "return"), "check", COMMAND),  # a t.me link that opens a check
    (CommandIn("menu"), "menu", COMMAND),
    (CommandIn("language"), "language", COMMAND),
    (CommandIn("cancel"), "cancel", COMMAND),
    (PressIn("i:contact"), "answer", PRESS),  # a topic button opens an answer: no question was asked
    (PressIn("m"), "menu", PRESS),
    (PressIn("l:en"), "start", PRESS),  # a language button at first contact
    (PressIn("x"), "cancel", PRESS),
    (PressIn("n"), "none", PRESS),  # "None of these"
    (PressIn("f:+:contact"), "feedback_up", PRESS),
    (NonTextIn("voice"), "non_text", OTHER),
    # a channel that passes only the typed text (None when nothing was typed)
    ("what is iom", "answer", QUESTION),
    ("/menu", "menu", COMMAND),
    ("english please", "language", LANGUAGE),
    (None, "start", COMMAND),
    (None, "help", COMMAND),
    (None, "command", COMMAND),
    (None, "unknown_command", COMMAND),
    (None, "answer", PRESS),
    (None, "menu", PRESS),  # /menu and the menu button cannot be told apart without the event
    (None, "none", PRESS),
    (None, "non_text", OTHER),
]


@pytest.mark.parametrize(("message", "decision", "kind"), KINDS, ids=[f"{m!r}-{d}" for m, d, _ in KINDS])
def test_kind_of(message: Event | str | None, decision: str, kind: str) -> None:
    assert kind_of(message, decision) == kind
