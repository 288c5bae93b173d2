"""Messages about danger get 112 and the guidance for vulnerable people first, in both languages."""

from __future__ import annotations

import pytest

from bot.content import Content
from bot.engine import Engine
from bot.engine.safety import danger_phrases, find_danger
from tests.conftest import Chat, FakeNLU, Said, fake_table, texts_of

# (message, danger phrase found or None)
DANGER = [
    ("ik ben in gevaar", "gevaar"),
    ("Ik word BEDREIGD door mijn baas!!", "bedreigd"),
    ("ik wordt bedriegd", "bedreigd"),  # typo
    ("slachtoffer van mensenhandel", "mensenhandel"),
    ("ik ben slachtoffer van mensenhandl", "mensenhandel"),  # typo
    ("ik word uitgebuit op mijn werk", "uitgebuit"),
    ("is dit uitbuiting?", "uitbuiting"),
    ("ik word gedwongen om te werken", "gedwongen"),
    ("mijn man heeft me mishandeld", "mishandeld"),
    ("hij gaat me slaan", "slaan"),
    ("het is een noodgeval", "noodgeval"),
    ("bel een ambulance", "ambulance"),
    ("ik denk aan zelfmoord", "zelfmoord"),
    ("zelfmoordgedachten", "zelfmoord"),
    ("ik wil niet meer leven", "niet meer leven"),
    ("I am in danger", "danger"),
    ("my boss threatened me", "threatened"),
    ("i was trafficked to holland", "trafficked"),
    ("human traficking", "trafficking"),  # typo
    ("they exploited me", "exploited"),
    ("I am forced to work without pay", "forced to"),
    ("he abused me", "abused"),
    ("I was beaten", "beaten"),
    ("this is an emergency", "emergency"),
    ("EMERGENCY!!!", "emergency"),
    ("i want to kill myself", "kill myself"),
    ("thinking about suicide", "suicide"),
    ("ik heb een ámbulance nodig", "ambulance"),  # accents ignored
]

SAFE = [
    "waar staan de kosten",  # 'staan' is one letter from 'slaan', but short words only match exactly
    "wat is iom",
    "is het gevaarlijk om terug te gaan",
    "what is a danish passport",
    "how do i return to my country",
    "can you help me find work",
    "",
    "🙂",
]


@pytest.mark.parametrize(("message", "phrase"), DANGER)
def test_danger_is_found(shipped_content: Content, message: str, phrase: str) -> None:
    assert find_danger(message, danger_phrases(shipped_content)) is not None
    assert find_danger(message, [phrase]) == phrase


@pytest.mark.parametrize("message", SAFE)
def test_ordinary_messages_are_not_danger(shipped_content: Content, message: str) -> None:
    assert find_danger(message, danger_phrases(shipped_content)) is None


def test_every_language_has_danger_words(shipped_content: Content) -> None:
    for pack in shipped_content.packs.values():
        assert len(pack.danger_words) >= 10, pack.code


@pytest.mark.parametrize(("hint", "message"), [
    ("en", "I am in danger, help"), ("nl", "ik word bedreigd"), ("en", "they exploited me"),
    ("nl", "ik ben slachtoffer van mensenhandel"),
])
def test_112_and_vulnerable_guidance_come_first(mini_engine: Engine, hint: str, message: str) -> None:
    chat = Chat(mini_engine, hint)
    texts = texts_of(chat.send(message))
    assert "112" in texts[0]
    assert f"answer return_vulnerable in {hint}" in texts[1]
    assert chat.replies[0].trace is not None and chat.replies[0].trace.decision == "safety"
    assert len(texts) == 2  # nothing understood beyond that: no 'sorry, I don't understand'
    assert chat.state.misses == 0


def test_then_the_rest_of_the_answer(mini_engine: Engine) -> None:
    """A question with a danger word: first 112 and the guidance, then the answer to the question."""
    table = fake_table() | {"my boss threatened me, can my family come": Said("en", intent="family_reunification")}
    engine = Engine(mini_engine.content, FakeNLU(table))
    chat = Chat(engine, "en")
    texts = texts_of(chat.send("my boss threatened me, can my family come"))
    assert "112" in texts[0]
    assert "answer return_vulnerable in en" in texts[1]
    assert "answer family_reunification in en" in texts[2]


def test_the_vulnerable_answer_is_not_repeated(mini_engine: Engine) -> None:
    table = fake_table() | {"victim of trafficking": Said("en", intent="return_vulnerable")}
    engine = Engine(mini_engine.content, FakeNLU(table))
    texts = texts_of(Chat(engine, "en").send("victim of trafficking"))
    assert len(texts) == 2
    assert sum("answer return_vulnerable" in t for t in texts) == 1


def test_danger_in_the_middle_of_a_check(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "nl")
    chat.run(["/start", "data:c:return", "ik word bedreigd"])
    texts = texts_of(chat.replies)
    assert "112" in texts[0]
    assert "Continue" not in chat.text()
    assert "↩️ Verder met de check" in chat.labels() or "✖️ Stoppen" in chat.labels()
    assert chat.state.check == "return"


@pytest.mark.parametrize(("hint", "message", "expected"), [
    ("en", "I am in danger", "Call 112 now"),
    ("nl", "ik ben in gevaar", "Bel meteen 112"),
])
def test_shipped_safety_reply(shipped_engine: Engine, hint: str, message: str, expected: str) -> None:
    chat = Chat(shipped_engine, hint, state=None)
    chat.send("/start")
    texts = texts_of(chat.send(message))
    assert expected in texts[0]
    assert shipped_engine.content.answer("return_vulnerable", hint).title  # the guidance exists
    assert any("112" in t for t in texts[:1])


@pytest.mark.parametrize(("message", "lang"), [("help I am in danger", "en"), ("ik word bedreigd", "nl")])
def test_danger_at_first_contact_is_answered_at_once(mini_engine: Engine, message: str, lang: str) -> None:
    table = fake_table() | {message: Said(lang, "none", certain=False)}
    chat = Chat(Engine(mini_engine.content, FakeNLU(table)), None)
    texts = texts_of(chat.send(message))
    assert "112" in texts[0]
    assert f"answer return_vulnerable in {lang}" in texts[1]
