"""Crisis messages get the reply of their kind first (112 where life is in danger), in both languages; only a
clear question besides the crisis is answered too, and never with a return answer the person did not ask for."""

from __future__ import annotations

import pytest

from bot.content import Content
from bot.engine import Engine
from bot.engine.safety import crisis_phrases, find_crisis, find_danger, without_crisis_words
from tests.conftest import Chat, FakeNLU, Said, fake_table, texts_of

# (message, crisis kind) on the shipped content
CRISIS = [
    ("ik ben in gevaar", "violence"),
    ("Ik word BEDREIGD door mijn baas!!", "violence"),
    ("ik wordt bedriegd", "violence"),  # typo
    ("slachtoffer van mensenhandel", "trafficking"),
    ("ik ben slachtoffer van mensenhandl", "trafficking"),
    ("slachtoffer van mensnhandl", "trafficking"),  # two letters missing in a long word
    ("ik ben opgslotn", "violence"),  # two letters missing ("opgeslagen", two wrong letters, is no typo: SAFE)  # typo
    ("ik word uitgebuit op mijn werk", "trafficking"),
    ("mijn baas heeft mijn paspoort", "trafficking"),
    ("mijn man heeft me mishandeld", "violence"),
    ("het is een noodgeval", "urgent"),
    ("bel een ambulance", "medical"),
    ("ik denk aan zelfmoord", "self_harm"),
    ("zelfmoordgedachten", "self_harm"),
    ("ik wil niet meer leven", "self_harm"),
    ("I am in danger", "violence"),
    ("my boss threatened me", "violence"),
    ("i was trafficked to holland", "trafficking"),
    ("human traficking", "trafficking"),  # typo
    ("I am forced to work without pay", "trafficking"),
    ("I was beaten", "violence"),
    ("this is an emergency", "urgent"),
    ("EMERGENCY!!!", "urgent"),
    ("i want to kill myself", "self_harm"),
    ("thinking about suicide", "self_harm"),
    ("he is not breathing", "medical"),
    ("ik heb een ámbulance nodig", "medical"),  # accents ignored
    # despair without the words of suicide: 113 (it got the money referral), and a missing child: 112
    ("i cant take it anymore", "self_harm"),
    ("ik kan het echt niet meer aan", "self_harm"),
    ("my child is missing since this morning", "urgent"),
    ("mijn kind is vermist", "urgent"),
    # indirect ones, from the helper-written set of sensitive messages (bench/data/sensitive.yaml, a tuning set)
    ("i dont want to wake up tomorow", "self_harm"),
    ("heb mezelf weer gesneden vannacht, niemand weet het", "self_harm"),
    ("i have pills saved in my room. tonight i finish it", "self_harm"),
    ("jongen in de azc heeft me aangerand in de douche, durf niks te zeggen", "violence"),
    ("my friend not waking up, he took many pills", "medical"),
    ("help mijn kind heeft iets ingeslikt en krijgt geen lucht", "medical"),
    ("we slapen met 12 man in een kamer boven de kas en mogen niet weg van de baas", "trafficking"),
    ("my daughter 7 years didnt come back from school and its 8pm already", "urgent"),
    ("er is brand in de keuken van de azc en de deur gaat niet open", "urgent"),
    # control and unwanted touching: the police (the first got the return answer, a push to go back)
    ("my husband takes all my money and dont let me go out", "violence"),
    ("mijn huisbaas raakt me aan", "violence"),
]

SAFE = [
    "waar staan de kosten",  # 'staan' is one letter from 'slaan', but short words only match exactly
    "wat is iom",
    "is het gevaarlijk om terug te gaan",
    "what is a danish passport",
    "how do i return to my country",
    "can you help me find work",
    "ik heb mijn auto verkocht",
    "ik kan niet meer terug naar mijn land",  # "can no longer" is no despair
    "wordt dit gesprek opgeslagen?",  # two wrong letters from 'opgesloten' (locked up): another word, no typo
    "volgens mij mag ik hier werken",
    "hello, am i talking to iom",
    "this really touches me, thank you",
    "mijn advocaat reageert niet op mijn berichten",
    "i can't go on the plane alone",
    "my child is with me, can we both go back",
    "",
    "🙂",
]


@pytest.mark.parametrize(("message", "kind"), CRISIS)
def test_crisis_kind_is_found(shipped_content: Content, message: str, kind: str) -> None:
    assert find_crisis(message, crisis_phrases(shipped_content)) == kind


@pytest.mark.parametrize("message", SAFE)
def test_ordinary_messages_are_no_crisis(shipped_content: Content, message: str) -> None:
    assert find_crisis(message, crisis_phrases(shipped_content)) is None


def test_the_most_serious_kind_comes_first(shipped_content: Content) -> None:
    """Words of two kinds: the kind listed first in the content (self-harm before urgent) wins."""
    assert find_crisis("urgent, i want to kill myself", crisis_phrases(shipped_content)) == "self_harm"


def test_every_language_has_every_crisis_kind(shipped_content: Content) -> None:
    for lang in shipped_content.languages:
        kinds = [c.id for c in shipped_content.crisis[lang]]
        assert set(kinds) == {"self_harm", "violence", "trafficking", "medical", "urgent"}, lang
        assert all(c.words for c in shipped_content.crisis[lang])


def test_crisis_words_are_taken_out_before_matching_the_rest(shipped_content: Content) -> None:
    kinds = crisis_phrases(shipped_content)
    assert without_crisis_words("my boss took my passport, can iom help me go home", kinds) == \
        "my boss can iom help me go home"
    assert find_danger("ik wordt bedriegd", ["bedreigd"]) == "bedreigd"


@pytest.mark.parametrize(("hint", "message", "kind"), [
    ("en", "I am in danger, help", "violence"), ("nl", "ik word bedreigd", "violence"),
    ("en", "they exploited me", "trafficking"), ("nl", "ik ben slachtoffer van mensenhandel", "trafficking"),
])
def test_crisis_reply_comes_first_and_alone(mini_engine: Engine, hint: str, message: str, kind: str) -> None:
    chat = Chat(mini_engine, hint)
    replies = chat.send(message)
    assert "112" in texts_of(replies)[0]
    assert replies[0].trace is not None and replies[0].trace.decision == f"crisis:{kind}"
    assert len(replies) == 1  # nothing understood beyond that: no 'sorry, I don't understand', no return answer
    assert chat.state.misses == 0


def test_then_a_clear_question_is_answered(mini_engine: Engine) -> None:
    """A crisis message that also asks a clear question: first the crisis reply, then the answer."""
    table = fake_table() | {"my boss threatened me can my family come": Said("en", intent="family_reunification")}
    table["my boss can my family come"] = Said("en", intent="family_reunification")
    engine = Engine(mini_engine.content, ConfidentNLU(table))
    texts = texts_of(Chat(engine, "en").send("my boss threatened me, can my family come"))
    assert "112" in texts[0]
    assert "answer family_reunification in en" in texts[1]


@pytest.mark.parametrize(("message", "rest", "answered"), [
    # asks to go back: the return answer follows
    ("they exploited me can iom help me go home", "they me can iom help me go home", True),
    # says it does not want to go back: never a return answer
    ("they exploited me i do not want to go back", "they me i do not want to go back", False),
])
def test_return_answer_only_when_asked_for(mini_engine: Engine, message: str, rest: str, answered: bool) -> None:
    table = fake_table() | {rest: Said("en", intent="return_eligibility")}
    engine = Engine(mini_engine.content, ConfidentNLU(table))
    texts = texts_of(Chat(engine, "en").send(message))
    assert "112" in texts[0]
    assert any("answer return_eligibility in en" in t for t in texts) is answered


def test_crisis_in_the_middle_of_a_check(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "nl")
    chat.run(["/start", "data:c:return", "ik word bedreigd"])
    texts = texts_of(chat.replies)
    assert "112" in texts[0]
    assert "↩️ Verder met de check" in chat.labels() or "✖️ Stoppen" in chat.labels()
    assert chat.state.check == "return"


@pytest.mark.parametrize(("hint", "message", "expected"), [
    ("en", "I am in danger", "Call 112"),
    ("nl", "ik ben in gevaar", "Bel 112"),
    ("en", "i want to kill myself", "0800-0113"),
    ("nl", "mijn baas houdt mijn paspoort", "0900-8844"),
])
def test_shipped_crisis_reply(shipped_engine: Engine, hint: str, message: str, expected: str) -> None:
    chat = Chat(shipped_engine, hint, state=None)
    chat.send("/start")
    texts = texts_of(chat.send(message))
    assert expected in texts[0]


@pytest.mark.parametrize(("message", "lang"), [("help I am in danger", "en"), ("ik word bedreigd", "nl")])
def test_crisis_at_first_contact_is_answered_at_once(mini_engine: Engine, message: str, lang: str) -> None:
    table = fake_table() | {message: Said(lang, "none", certain=False)}
    chat = Chat(Engine(mini_engine.content, FakeNLU(table)), None)
    texts = texts_of(chat.send(message))
    assert "112" in texts[0]
    assert chat.replies[0].trace is not None and chat.replies[0].trace.lang == lang


class ConfidentNLU(FakeNLU):
    """The fake matcher, sure of every answer it gives (as the real one is of a clear question)."""

    def understand(self, text: str, prior: str | None = None):  # type: ignore[no-untyped-def]
        from dataclasses import replace
        result = super().understand(text, prior)
        return replace(result, confidence=1.0 if result.decision == "answer" else 0.0)


@pytest.mark.parametrize(("hint", "message", "expected"), [
    # no crisis words, but a person who is not well: people who can help (the GP, 113, 112), in their language,
    # not an IOM programme (fresh7, a helper-written tuning set: "i am scared" got a "did you mean" about
    # reintegration, "ik ben ziek" the return answer for vulnerable migrants)
    ("en", "so alone here", ("GP", "0800-0113", "112")),
    ("en", "need doctor", ("GP", "0800-0113", "112")),
    ("nl", "ik ben heel verdrietig", ("huisarts", "0800-0113", "112")),
    ("nl", "mijn kind is ziek koorts wat moet ik doen", ("huisarts", "0800-0113", "112")),
    ("en", "pregnant and boyfriend gone, what now", ("GP", "0800-0113", "112")),  # got the return answer
])
def test_someone_unwell_is_pointed_to_people_who_can_help(shipped_engine: Engine, hint: str, message: str,
                                                          expected: tuple[str, ...]) -> None:
    chat = Chat(shipped_engine, hint, state=None)
    chat.send("/start")
    replies = chat.send(message)
    assert replies[0].trace is not None and replies[0].trace.decision == "referral:other_health"
    assert all(part in replies[0].text for part in expected), replies[0].text
