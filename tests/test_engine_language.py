"""Language policy: first contact, switching on clear messages, and the explicit choice that wins."""

from __future__ import annotations

import pytest

from bot.engine import ChatState, Engine
from bot.engine.language import from_hint
from tests.conftest import Chat

BILINGUAL = ["Which language do you want?", "Welke taal wil je?"]


@pytest.mark.parametrize(("hint", "expected"), [
    ("nl", "nl"), ("en", "en"), ("en-GB", "en"), ("EN_us", "en"), ("nl-BE", "nl"), (" nl ", "nl"),
    ("fr", None), ("", None), (None, None), ("-", None), ("english", None),
])
def test_language_hint(hint: str | None, expected: str | None) -> None:
    assert from_hint(hint, ("en", "nl")) == expected


# (hint, first step, phrases read, buttons seen, language after, locked after)
FIRST_CONTACT = [
    ("nl", "/start", ["Hoi! Ik ben de chatbot van IOM Nederland"], ["Over IOM"], "nl", False),
    ("en-GB", "/start", ["Hi! I am the chatbot of IOM Netherlands"], ["About IOM"], "en", False),
    ("fr", "/start", BILINGUAL, ["English", "Nederlands"], None, False),
    (None, "/start", BILINGUAL, ["English", "Nederlands"], None, False),
    ("fr", "hello", ["answer greeting in en"], ["About IOM"], "en", False),
    (None, "hallo", ["answer greeting in nl"], ["Over IOM"], "nl", False),
    ("fr", "vaag", BILINGUAL, ["English", "Nederlands"], None, False),
    (None, "nontext:voice", BILINGUAL, ["English", "Nederlands"], None, False),
    (None, "data:m", BILINGUAL, ["English", "Nederlands"], None, False),
    (None, "data:l:nl", ["Hoi! Ik ben de chatbot van IOM Nederland"], ["Over IOM"], "nl", True),
    (None, "data:l:en", ["Hi! I am the chatbot of IOM Netherlands"], ["About IOM"], "en", True),
    ("fr", "/language en", ["Hi! I am the chatbot"], ["About IOM"], "en", True),
    (None, "/taal", ["Kies je taal", "Choose your language"], ["Nederlands", "English"], None, False),
    ("de", "/taal nl", ["Hoi! Ik ben de chatbot"], ["Over IOM"], "nl", True),
]


@pytest.mark.parametrize(("hint", "step", "phrases", "labels", "lang", "locked"), FIRST_CONTACT)
def test_first_contact(mini_engine: Engine, hint: str | None, step: str, phrases: list[str], labels: list[str],
                       lang: str | None, locked: bool) -> None:
    chat = Chat(mini_engine, hint)
    chat.send(step)
    for phrase in phrases:
        assert phrase in chat.text()
    for label in labels:
        assert label in chat.labels()
    assert (chat.state.lang, chat.state.lang_locked) == (lang, locked)


def test_after_the_two_language_welcome_an_unclear_message_is_answered(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "fr")
    chat.send("vaag")
    assert "Welke taal wil je?" in chat.text()
    chat.send("vaag")
    assert "Sorry, dat begrijp ik niet" in chat.text()
    assert chat.state.lang == "nl"


def test_choosing_from_the_welcome_buttons(mini_engine: Engine) -> None:
    chat = Chat(mini_engine)
    chat.send("/start")
    chat.send("press:Nederlands")
    assert "Hoi! Ik ben de chatbot van IOM Nederland" in chat.text()
    assert "Terugkeer naar je land" in chat.labels()


# (steps, phrases read after the last step, language after it)
SWITCHING = [
    (["hello", "nl vraag about_iom"], ["answer about_iom in nl"], "nl"),
    (["hallo", "en question about_iom"], ["answer about_iom in en"], "en"),
    (["hallo", "help"], ["answer help in nl"], "nl"),  # not clearly English: stays Dutch
    (["hallo", "ok"], ["Heb je nog een vraag"], "nl"),  # "ok" is acknowledged, in Dutch
    (["hello", "nl vraag about_iom", "en question contact"], ["answer contact in en"], "en"),
]


@pytest.mark.parametrize(("steps", "phrases", "lang"), SWITCHING)
def test_switching_on_a_clear_message(mini_engine: Engine, steps: list[str], phrases: list[str], lang: str) -> None:
    chat = Chat(mini_engine)
    chat.run(steps)
    for phrase in phrases:
        assert phrase in chat.text()
    assert chat.state.lang == lang


def test_explicit_choice_wins_until_the_user_switches_again(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "nl")
    chat.send("/language")
    chat.send("press:English")
    assert "from now on I will write in English" in chat.text()
    assert chat.state.lang_locked
    chat.send("nl vraag about_iom")  # clearly Dutch, but English was chosen
    assert "answer about_iom in en" in chat.text()
    assert "Wil je dat ik in het Nederlands schrijf? Typ /taal." in chat.text()
    chat.send("nl vraag contact")
    assert "answer contact in en" in chat.text()
    assert "Typ /taal" not in chat.text()  # the tip is given once
    chat.send("/taal")
    chat.send("press:Nederlands")
    assert "vanaf nu schrijf ik in het Nederlands" in chat.text()
    chat.send("en question contact")
    assert "answer contact in nl" in chat.text()
    assert "Would you like me to write in English? Type /language." in chat.text()
    assert chat.state.lang == "nl"


def test_language_command_with_a_language(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "nl")
    chat.run(["/start", "/language en"])
    assert "from now on I will write in English" in chat.text()
    assert (chat.state.lang, chat.state.lang_locked) == ("en", True)


def test_the_hint_only_counts_at_first_contact(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "en", state=ChatState(lang="nl"))
    chat.send("/menu")
    assert "Kies een onderwerp" in chat.text()


def test_a_stored_language_that_no_longer_exists_is_forgotten(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "en", state=ChatState(lang="fr", lang_locked=True))
    chat.send("/menu")
    assert "Choose a topic" in chat.text()
    assert (chat.state.lang, chat.state.lang_locked) == ("en", False)
