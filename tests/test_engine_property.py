"""Any sequence of events: at least one valid reply each, never an exception, and a state that round-trips."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import ChatState, CommandIn, Engine, Event, NonTextIn, PressIn, Reply, TextIn
from bot.html import MAX_MESSAGE_LENGTH, validate, visible_length

KNOWN_DATA = ["m", "r", "x", "n", "l:nl", "l:en", "g:return", "g:about", "i:contact", "i:return_eligibility",
              "c:return", "c:family", "c:cd4d", "c:ed4d", "c:match", "a:return:lives_nl:yes",
              "a:return:voluntary:no", "a:match:who:company", "a:cd4d:origin:iraq", "i#0", "a#0:0:0"]
KNOWN_TEXTS = ["ja", "nee", "yes", "no", "1", "2", "3", "hello", "hallo", "wat is iom", "what is iom",
               "en question about_iom", "nl vraag contact", "return help", "terug hulp", "ik ben in gevaar",
               "/start", "/cancel", "<b>", "&", "a" * 5000]
COMMAND_NAMES = ["start", "help", "menu", "language", "taal", "contact", "privacy", "cancel", "stop", "foo", ""]

events: st.SearchStrategy[Event] = st.one_of(
    st.builds(TextIn, st.text(max_size=300)),
    st.builds(TextIn, st.sampled_from(KNOWN_TEXTS)),
    st.builds(TextIn, st.text(min_size=4000, max_size=6000)),
    st.builds(PressIn, st.sampled_from(KNOWN_DATA)),
    st.builds(PressIn, st.text(max_size=80)),
    st.builds(CommandIn, st.one_of(st.sampled_from(COMMAND_NAMES), st.text(max_size=40)),
              st.one_of(st.just(""), st.sampled_from(["nl", "en", "return", "contact"]), st.text(max_size=20))),
    st.builds(NonTextIn, st.sampled_from(["voice", "photo", "sticker", "location", "document", ""])),
)
hints = st.one_of(st.none(), st.sampled_from(["nl", "en", "en-GB", "fr", "", "nl-BE"]), st.text(max_size=8))


def check_replies(state: ChatState, replies: list[Reply]) -> None:
    assert replies, "every event gets at least one reply"
    for reply in replies:
        assert validate(reply.text) == [], reply.text[:200]
        assert 0 < visible_length(reply.text) <= MAX_MESSAGE_LENGTH
        assert reply.trace is not None
        assert reply.trace.decision != "error", reply.trace.source  # the safety net caught an exception
        for row in reply.buttons:
            assert row
            for button in row:
                assert button.label.strip()
                assert (button.data is None) != (button.url is None)
                if button.data is not None:
                    assert 0 < len(button.data.encode("utf-8")) <= 64
    assert ChatState.from_json(state.to_json()) == state


def run_sequence(engine: Engine, hint: str | None, sequence: list[Event]) -> None:
    state: ChatState | None = None
    for event in sequence:
        new, replies = engine.handle(state, event, hint)
        check_replies(new, replies)
        # follow one of the buttons sometimes, as a user would
        pressable = [b.data for r in replies for row in r.buttons for b in row if b.data]
        if pressable:
            new, replies = engine.handle(new, PressIn(pressable[len(pressable) // 2]), hint)
            check_replies(new, replies)
        state = ChatState.from_json(new.to_json())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(hint=hints, sequence=st.lists(events, min_size=1, max_size=12))
def test_any_events_with_the_fake_matcher(mini_engine: Engine, hint: str | None, sequence: list[Event]) -> None:
    run_sequence(mini_engine, hint, sequence)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(hint=hints, sequence=st.lists(events, min_size=1, max_size=8))
def test_any_events_with_the_shipped_content(shipped_engine: Engine, hint: str | None,
                                             sequence: list[Event]) -> None:
    run_sequence(shipped_engine, hint, sequence)


@settings(max_examples=100, deadline=None)
@given(stored=st.one_of(st.text(max_size=200), st.binary(max_size=100),
                        st.dictionaries(st.sampled_from(["v", "lang", "check", "step", "misses", "lang_locked"]),
                                        st.one_of(st.none(), st.integers(), st.text(max_size=10), st.booleans()))
                        .map(json.dumps)))
def test_any_stored_state_is_readable(stored: str | bytes) -> None:
    state = ChatState.from_json(stored)
    assert ChatState.from_json(state.to_json()) == state
