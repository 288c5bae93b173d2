"""Whole conversations with the engine, as tables: what the user sends and what they read and can press.

These use the stub content and the fake matcher from conftest.py, so they test the engine, not the matching.
"""

from __future__ import annotations

import pytest

from bot.content import Content, parse_files
from bot.content.required import REQUIRED_COMMANDS
from bot.engine import COMMANDS, CommandIn, Engine, PressIn, TextIn, from_text
from bot.engine.buttons import Codec, Press
from tests.conftest import Chat, FakeNLU, fake_table, stub_files

MENU_EN = ["Going back to your country", "Family and resettlement", "Work and integration",
           "Diaspora and development", "About IOM"]
MENU_NL = ["Terugkeer naar je land", "Gezin en hervestiging", "Werk en integratie", "Diaspora en ontwikkeling",
           "Over IOM"]

# (name, language hint, [(step, phrases the user reads, button labels the user sees)])
CONVERSATIONS = [
    ("menu and answers, English", "en", [
        ("/start", ["IOM Netherlands", "can't look at your situation", "/privacy"], MENU_EN),
        ("press:About IOM", ["About IOM – choose a question"], ["About iom (en)", "Contact (en)", "⬅️ Back"]),
        ("press:⬅️ Back", ["Choose a topic"], MENU_EN),
        ("press:Going back to your country", ["choose a question"],
         ["Return eligibility (en)", "Return support (en)", "Return vulnerable (en)"]),
        ("press:Return eligibility (en)", ["answer return_eligibility in en"],
         ["✅ Check: help to go back", "Return support (en)", "Return vulnerable (en)"]),
        ("press:Return support (en)", ["answer return_support in en"], ["Return eligibility (en)"]),
    ]),
    ("menu and answers, Dutch", "nl-NL", [
        ("/start", ["IOM Nederland", "je situatie niet bekijken", "/privacy"], MENU_NL),
        ("press:Over IOM", ["Over IOM – kies een vraag"], ["About iom (nl)", "Contact (nl)", "⬅️ Terug"]),
        ("press:Contact (nl)", ["answer contact in nl"], ["About iom (nl)", "Site nl"]),
        ("press:About iom (nl)", ["answer about_iom in nl"], ["Contact (nl)"]),
    ]),
    ("free questions, English", "en", [
        ("en question family_reunification", ["answer family_reunification in en"],
         ["✅ Check: family reunification", "Contact (en)"]),
        ("en question contact", ["answer contact in en"], ["About iom (en)", "Site en"]),
        ("en question diaspora_cd4d", ["answer diaspora_cd4d in en"],
         ["✅ Check: CD4D2 (diaspora experts)", "Diaspora ed4d (en)"]),
    ]),
    ("free questions, Dutch", "nl", [
        ("nl vraag labour_mobility", ["answer labour_mobility in nl"], ["✅ Check: MATCH (werk)"]),
        ("nl vraag return_vulnerable", ["answer return_vulnerable in nl"], ["Return support (nl)", "Site nl"]),
    ]),
    ("small talk, English", "en", [
        ("hello", ["answer greeting in en"], MENU_EN),
        ("thanks", ["answer thanks in en"], []),
        ("help", ["answer help in en"], MENU_EN),
        ("a person please", ["answer human in en"], ["Contact (en)", "Site en"]),
        ("bye", ["answer goodbye in en"], []),
    ]),
    ("small talk, Dutch", "nl", [
        ("hallo", ["answer greeting in nl"], MENU_NL),
        ("bedankt", ["answer thanks in nl"], []),
        ("hulp", ["answer help in nl"], MENU_NL),
        ("mens", ["answer human in nl"], ["Contact (nl)", "Site nl"]),
        ("doei", ["answer goodbye in nl"], []),
    ]),
    ("did you mean, English", "en", [
        ("return help", ["Is it one of these?"], ["Return support (en)", "Return eligibility (en)", "None of these"]),
        ("press:Return eligibility (en)", ["answer return_eligibility in en"], ["✅ Check: help to go back"]),
    ]),
    ("did you mean, Dutch", "nl", [
        ("terug hulp", ["Gaat het over een van deze onderwerpen?"],
         ["Return support (nl)", "Return eligibility (nl)", "Return vulnerable (nl)", "Geen van deze"]),
        ("press:Geen van deze", ["Sorry, dat begrijp ik niet"], MENU_NL),
        ("wat is het weer", ["ik kan geen antwoord op je vraag vinden", "answer contact in nl"],
         ["Site nl", "📋 Onderwerpen"]),
    ]),
    ("two-stage fallback, English", "en", [
        ("what is the weather", ["Sorry, I don't understand", "Please try other words"], MENU_EN),
        ("qwerty", ["I can't find an answer to your question", "answer contact in en"], ["Site en", "📋 Topics"]),
        ("asdf", ["I can't find an answer to your question"], ["Site en"]),
        ("hello", ["answer greeting in en"], MENU_EN),
        ("qwerty", ["Sorry, I don't understand"], MENU_EN),
    ]),
    ("two-stage fallback, Dutch", "nl", [
        ("wat is het weer", ["Sorry, dat begrijp ik niet", "andere woorden"], MENU_NL),
        ("vaag", ["ik kan geen antwoord op je vraag vinden", "answer contact in nl"], ["Site nl"]),
    ]),
    ("an answer between two misses starts the count again", "en", [
        ("qwerty", ["Sorry, I don't understand"], MENU_EN),
        ("en question about_iom", ["answer about_iom in en"], ["Contact (en)"]),
        ("qwerty", ["Sorry, I don't understand"], MENU_EN),
    ]),
    ("commands, English", "en", [
        ("/help", ["Type your question in your own words", "/language", "/cancel"], MENU_EN),
        ("/menu", ["Choose a topic"], MENU_EN),
        ("/contact", ["answer contact in en"], ["Site en"]),
        ("/privacy", ["Privacy", "Please send no personal details"], []),
        ("/cancel", ["There is nothing to stop"], MENU_EN),
        ("/language", ["Choose your language", "Kies je taal"], ["English", "Nederlands"]),
        ("/start@iom_faq_bot", ["IOM Netherlands"], MENU_EN),
    ]),
    ("commands, Dutch", "nl", [
        ("/help", ["Typ je vraag in je eigen woorden", "/taal"], MENU_NL),
        ("/hulp", ["Typ je vraag in je eigen woorden"], MENU_NL),
        ("/contact", ["answer contact in nl"], ["Site nl"]),
        ("/privacy", ["Privacy", "Stuur geen persoonlijke gegevens"], []),
        ("/stop", ["Er is niets om te stoppen"], MENU_NL),
        ("/taal", ["Kies je taal", "Choose your language"], ["Nederlands", "English"]),
    ]),
    ("unknown commands", "en", [
        ("/foo", ["I don't know the command /foo", "/start, /menu, /help, /language, /contact, /privacy, /cancel"],
         MENU_EN),
        ("/<b>x", ["I don't know the command /<b>x"], MENU_EN),
        ("/" + "x" * 100, ["/" + "x" * 32 + "."], MENU_EN),
    ]),
    ("unknown command, Dutch", "nl", [
        ("/onzin", ["De opdracht /onzin ken ik niet", "/contact"], MENU_NL),
    ]),
    ("stale and unknown buttons", "en", [
        ("data:zz", ["This button no longer works"], MENU_EN),
        ("data:i:no_such_intent", ["This button no longer works"], MENU_EN),
        ("data:g:no_such_group", ["This button no longer works"], MENU_EN),
        ("data:g:smalltalk", ["This button no longer works"], MENU_EN),
        ("data:c:no_such_check", ["This button no longer works"], MENU_EN),
        ("data:l:fr", ["This button no longer works"], MENU_EN),
        ("data:i#999", ["This button no longer works"], MENU_EN),
        ("data:a:return:lives_nl:yes", ["This check has already ended", "start again"],
         ["✅ Check: help to go back", "📋 Topics"]),
        ("data:r", ["This button no longer works"], MENU_EN),
        ("data:", ["This button no longer works"], MENU_EN),
    ]),
    ("things that are not text", "nl", [
        ("nontext:voice", ["Ik kan alleen tekst lezen"], MENU_NL),
        ("nontext:sticker", ["Ik kan alleen tekst lezen"], MENU_NL),
        ("", ["Je bericht is leeg"], MENU_NL),
        ("   ", ["Je bericht is leeg"], MENU_NL),
    ]),
]


@pytest.mark.parametrize(("name", "hint", "turns"), CONVERSATIONS, ids=[c[0] for c in CONVERSATIONS])
def test_conversation(mini_engine: Engine, name: str, hint: str, turns: list[tuple[str, list[str], list[str]]]) -> None:
    chat = Chat(mini_engine, hint)
    for step, phrases, labels in turns:
        chat.send(step)
        for phrase in phrases:
            assert phrase in chat.text(), f"after {step!r}: {phrase!r} not in\n{chat.text()}"
        for label in labels:
            assert label in chat.labels(), f"after {step!r}: no button {label!r} in {chat.labels()}"
        if not labels:
            assert not [b for b in chat.buttons() if b.data], f"after {step!r}: unexpected {chat.labels()}"


@pytest.mark.parametrize(("hint", "step", "labels"), [
    ("en", "return help", ["Return support (en)", "Return eligibility (en)", "None of these"]),
    ("nl", "terug hulp", ["Return support (nl)", "Return eligibility (nl)", "Return vulnerable (nl)", "Geen van deze"]),
    ("en", "en question return_eligibility", ["✅ Check: help to go back", "Return support (en)",
                                               "Return vulnerable (en)", "👍", "👎"]),
])
def test_at_most_three_choices(mini_engine: Engine, hint: str, step: str, labels: list[str]) -> None:
    chat = Chat(mini_engine, hint)
    chat.send(step)
    assert [b.label for b in chat.buttons() if b.data] == labels


@pytest.mark.parametrize(("step", "intent", "decision"), [
    ("en question about_iom", "about_iom", "answer"),
    ("hello", "greeting", "answer"),
    ("return help", None, "clarify"),
    ("what is the weather", None, "none"),
    ("/start", None, "start"),
    ("/foo", None, "unknown_command"),
    ("data:zz", None, "stale"),
    ("nontext:photo", None, "non_text"),
])
def test_every_reply_has_a_trace(mini_engine: Engine, step: str, intent: str | None, decision: str) -> None:
    chat = Chat(mini_engine, "en")
    for reply in chat.send(step):
        assert reply.trace is not None
        assert reply.trace.lang == "en"
    trace = chat.replies[0].trace
    assert trace is not None
    assert (trace.intent, trace.decision) == (intent, decision)


def test_answer_trace_names_the_source_and_candidates(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "nl")
    chat.send("terug hulp")
    trace = chat.replies[0].trace
    assert trace is not None and trace.decision == "clarify"
    assert [name for name, _ in trace.candidates][:2] == ["return_support", "return_eligibility"]
    chat.send("press:Return support (nl)")
    trace = chat.replies[0].trace
    assert trace is not None
    assert (trace.intent, trace.decision, trace.source, trace.lang) == ("return_support", "answer", "stub", "nl")


def test_out_of_scope_never_gets_an_answer(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "en")
    chat.send("data:i:out_of_scope")
    assert "This button no longer works" in chat.text()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_commands_for_telegram(mini_engine: Engine, lang: str) -> None:
    commands = mini_engine.commands(lang)
    assert [name for name, _ in commands] == list(COMMANDS)
    assert set(COMMANDS) == REQUIRED_COMMANDS
    for name, description in commands:
        assert name.isascii() and name.islower() and 1 <= len(name) <= 32
        assert 3 <= len(description) <= 256


def test_commands_in_an_unknown_language_fall_back(mini_engine: Engine) -> None:
    assert mini_engine.commands("fr") == mini_engine.commands("en")


def test_commands_are_described_per_language(mini_engine: Engine) -> None:
    assert dict(mini_engine.commands("nl"))["language"] != dict(mini_engine.commands("en"))["language"]


def test_a_broken_matcher_still_gets_a_reply(mini_content: Content) -> None:
    class Broken:
        def detect_language(self, text: str, prior: str | None = None) -> tuple[str, bool]:
            raise RuntimeError("boom")

        def understand(self, text: str, prior: str | None = None) -> None:
            raise RuntimeError("boom")

    engine = Engine(mini_content, Broken())
    state, replies = engine.handle(None, TextIn("hello"), "en")
    assert replies and "Sorry, I don't understand" in replies[0].text
    state, replies = engine.handle(state, PressIn("m"), "en")
    assert "Choose a topic" in replies[0].text


def test_handle_survives_a_wrong_state_object(mini_engine: Engine) -> None:
    state, replies = mini_engine.handle("not a state", TextIn("hello"), "en")  # type: ignore[arg-type]
    assert "answer greeting in en" in replies[0].text
    assert state.lang == "en"


@pytest.mark.parametrize(("typed", "event"), [
    ("/start", CommandIn("start")),
    ("/Start@IOM_FAQ_bot deep link", CommandIn("start", "deep link")),
    ("  /taal  nl ", CommandIn("taal", "nl")),
    ("/", TextIn("/")),
    ("/ hello", TextIn("/ hello")),
    ("hello /start", TextIn("hello /start")),
    ("", TextIn("")),
])
def test_typed_commands(typed: str, event: object) -> None:
    assert from_text(typed) == event


def test_button_data_round_trips(shipped_content: Content) -> None:
    codec = Codec(shipped_content)
    for check in shipped_content.checks.values():
        assert codec.decode(codec.check(check.id)) == Press("c", (check.id,))
        for step in check.steps.values():
            for option in step.options:
                data = codec.answer(check.id, step.id, option.key)
                assert len(data.encode("utf-8")) <= 64
                assert codec.decode(data) == Press("a", (check.id, step.id, option.key))
    for intent in shipped_content.intents:
        assert codec.decode(codec.intent(intent)) == Press("i", (intent,))


def test_long_ids_still_fit_in_callback_data() -> None:
    long_id = "a_very_long_intent_id_" + "x" * 60
    files = stub_files()
    files["intents/long.yaml"] = (f"intents:\n  - id: {long_id}\n    group: about\n    examples:\n"
                                  "      nl: [lange vraag]\n      en: [long question]\n")
    for lang in ("nl", "en"):
        files[f"answers/{lang}/long.yaml"] = (f"answers:\n  - intent: {long_id}\n    title: Long {lang}\n"
                                              f"    source: stub\n    text: the long answer in {lang}\n")
    content, problems = parse_files(files)
    assert content is not None, problems
    codec = Codec(content)
    data = codec.intent(long_id)
    assert len(data.encode("utf-8")) <= 64
    assert codec.decode(data) == Press("i", (long_id,))
    chat = Chat(Engine(content, FakeNLU(fake_table())), "en")
    chat.run(["/menu", "press:About IOM", "press:Long en"])
    assert "the long answer in en" in chat.text()
