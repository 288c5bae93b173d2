"""A clear answer between sibling topics: answered at once, the close sibling offered as a button, no "did you mean"."""

from __future__ import annotations

from bot.engine import Engine
from tests.conftest import Chat, stub_text, stub_title


def test_close_sibling_is_offered_first_under_the_answer(mini_engine: Engine) -> None:
    chat = Chat(mini_engine)
    chat.send("sick and who can go back")
    assert stub_text("return_vulnerable", "en") in chat.text()
    labels = chat.labels()
    assert labels.index(stub_title("return_eligibility", "en")) < labels.index(stub_title("return_support", "en"))


def test_without_a_close_sibling_only_the_related_topics(mini_engine: Engine) -> None:
    chat = Chat(mini_engine)
    chat.send("en question return_vulnerable")
    assert stub_title("return_eligibility", "en") not in chat.labels()
    assert stub_title("return_support", "en") in chat.labels()
