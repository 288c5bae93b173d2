"""The chat state: small JSON that survives a round trip; anything unreadable gives a fresh state."""

from __future__ import annotations

import json

import pytest

from bot.engine import ChatState, Engine
from tests.conftest import Chat

STATES = [
    ChatState(),
    ChatState(lang="nl"),
    ChatState(lang="en", lang_locked=True, lang_asked=True, lang_hinted=True, misses=2),
    ChatState(lang="nl", check="return", step="origin"),
]


@pytest.mark.parametrize("state", STATES)
def test_round_trip(state: ChatState) -> None:
    assert ChatState.from_json(state.to_json()) == state
    assert len(state.to_json()) < 200


# (stored JSON, the state read from it)
TOLERANT = [
    (None, ChatState()),
    ("", ChatState()),
    ("not json", ChatState()),
    ("[1, 2]", ChatState()),
    ('"text"', ChatState()),
    ('{"lang": "nl"}', ChatState()),  # no version: an old format
    ('{"v": 99, "lang": "nl"}', ChatState()),
    ('{"v": 1, "lang": "nl"}', ChatState(lang="nl")),
    ('{"v": 1, "lang": 5, "misses": "two"}', ChatState()),
    ('{"v": 1, "lang": "nl", "misses": 1000}', ChatState(lang="nl", misses=9)),
    ('{"v": 1, "lang": "nl", "misses": -3}', ChatState(lang="nl")),
    ('{"v": 1, "lang": "nl", "misses": true}', ChatState(lang="nl")),
    ('{"v": 1, "lang": "NL; DROP", "lang_locked": true}', ChatState()),
    ('{"v": 1, "lang": "en", "check": "return"}', ChatState(lang="en")),  # a check without a step
    ('{"v": 1, "lang": "en", "step": "origin"}', ChatState(lang="en")),
    ('{"v": 1, "lang_locked": true, "lang_hinted": true}', ChatState()),  # locked without a language
    ('{"v": 1, "lang": "en", "lang_locked": "yes"}', ChatState(lang="en")),
    ('{"v": 1, "lang": "en", "name": "Ahmed", "phone": "0612345678"}', ChatState(lang="en")),
    (b'{"v": 1, "lang": "en"}', ChatState(lang="en")),
    (b"\xff\xfe", ChatState()),
]


@pytest.mark.parametrize(("stored", "expected"), TOLERANT)
def test_reading_is_tolerant(stored: str | bytes | None, expected: ChatState) -> None:
    assert ChatState.from_json(stored) == expected


def test_no_personal_data_or_message_texts_are_kept(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "en")
    chat.run(["/start", "my name is Ahmed and my phone is 0612345678", "en question return_eligibility",
              "press:✅ Check: help to go back"])
    stored = json.loads(chat.stored or "{}")
    assert set(stored) == {"v", "lang", "lang_locked", "lang_asked", "lang_hinted", "misses", "check", "step",
                           "topic"}
    assert stored["topic"] == "return_eligibility"  # an intent id, never the words typed
    assert "Ahmed" not in (chat.stored or "") and "0612" not in (chat.stored or "")


def test_a_check_the_content_no_longer_has_is_dropped(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "en", state=ChatState(lang="en", check="gone", step="lives_nl"))
    chat.send("/menu")
    assert chat.state.check is None
    assert "Continue the check" not in chat.labels()
