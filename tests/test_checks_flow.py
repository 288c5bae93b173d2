"""Guided checks: every path of every shipped check, typed answers, questions in between, stop and resume."""

from __future__ import annotations

import pytest

from bot.content import Content
from bot.engine import Engine
from bot.engine.checks import check_texts, option_label, paths
from bot.engine.texts import Texts
from bot.html import plain_text
from tests.conftest import Chat

CHECK_INTENTS = {"return": "return_eligibility", "family": "family_reunification", "cd4d": "diaspora_cd4d",
                 "ed4d": "diaspora_ed4d", "match": "labour_mobility"}
LANGS = ("nl", "en")


def all_paths(content: Content) -> list[tuple[str, str, tuple[tuple[str, str], ...], str]]:
    return [(lang, check.id, taken, outcome)
            for check in content.checks.values() for lang in LANGS for taken, outcome in paths(check)]


def test_the_five_checks_are_shipped(shipped_content: Content) -> None:
    assert {c.id: c.intent for c in shipped_content.checks.values()} == CHECK_INTENTS
    for check in shipped_content.checks.values():
        lengths = [len(taken) for taken, _ in paths(check)]
        assert max(lengths) <= 5, check.id
        assert {o for _, o in paths(check)} == set(check.outcomes), f"{check.id}: an outcome is never reached"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "check_path" in metafunc.fixturenames:
        from bot.content import load_content
        from tests.conftest import REPO

        found = all_paths(load_content(REPO))
        metafunc.parametrize("check_path", found,
                             ids=[f"{lang}-{cid}-{'-'.join(k for _, k in taken)}" for lang, cid, taken, _ in found])


def test_every_path(shipped_engine: Engine,
                    check_path: tuple[str, str, tuple[tuple[str, str], ...], str]) -> None:
    """Walk one path by pressing the buttons a user sees; it ends in the outcome's text."""
    lang, check_id, taken, outcome = check_path
    content = shipped_engine.content
    check = content.checks[check_id]
    ctexts = check_texts(content, check, lang)
    assert ctexts is not None
    texts = Texts(content, lang)
    chat = Chat(shipped_engine, lang)
    chat.send("/start")
    chat.send(f"data:c:{check_id}")
    assert ctexts.title in chat.text()
    for step_id, key in taken:
        assert plain_text(ctexts.questions[step_id]) in chat.text()
        assert chat.state.step == step_id
        chat.send(f"press:{option_label(texts, ctexts, key)}")
    assert plain_text(ctexts.outcomes[outcome]) in chat.text()
    assert chat.state.check is None
    assert texts("menu_button") in chat.labels()
    assert any(b.url and "iom-nederland.nl" in b.url for b in chat.buttons())


NO_PROMISES = ["you qualify", "you are eligible", "you will get", "you will receive", "guaranteed",
               "je komt in aanmerking", "je krijgt zeker", "je krijgt hulp", "gegarandeerd"]


@pytest.mark.parametrize("lang", LANGS)
def test_outcomes_promise_nothing_and_say_how_to_reach_iom(shipped_content: Content, lang: str) -> None:
    for check in shipped_content.checks.values():
        ctexts = check_texts(shipped_content, check, lang)
        assert ctexts is not None
        for outcome, text in ctexts.outcomes.items():
            assert 'href="https://www.iom-nederland.nl/"' in text, f"{check.id}/{outcome}"
            for phrase in NO_PROMISES:
                assert phrase not in plain_text(text).lower(), f"{check.id}/{outcome}: {phrase!r}"


def test_answers_offer_their_check(shipped_engine: Engine) -> None:
    for lang in LANGS:
        texts = Texts(shipped_engine.content, lang)
        for check in shipped_engine.content.checks.values():
            chat = Chat(shipped_engine, lang)
            chat.send(f"data:i:{check.intent}")
            ctexts = check_texts(shipped_engine.content, check, lang)
            assert ctexts is not None
            chat.send(f"press:{texts('check_button', title=ctexts.title)}")
            assert ctexts.title in chat.text()
            assert chat.state.check == check.id


# (check, typed answers in order, phrase of the question or outcome that follows)
TYPED = [
    ("return", ["ja"], "Kies je er zelf voor om terug te gaan?"),
    ("return", ["JA!"], "Kies je er zelf voor om terug te gaan?"),
    ("return", ["yes"], "Kies je er zelf voor om terug te gaan?"),
    ("return", ["1"], "Kies je er zelf voor om terug te gaan?"),
    ("return", ["klopt"], "Kies je er zelf voor om terug te gaan?"),
    ("return", ["ja, ik woon hier"], "Kies je er zelf voor om terug te gaan?"),
    ("return", ["nee"], "migranten in Nederland die vrijwillig terug willen"),
    ("return", ["nee hoor"], "migranten in Nederland die vrijwillig terug willen"),
    ("return", ["2"], "migranten in Nederland die vrijwillig terug willen"),
    ("return", ["ja", "ja", "ja", "nee"], "Misschien kan IOM je helpen met je terugkeer"),
    ("return", ["ja", "ja", "ja", "ja"], "extra begeleiding en hulp"),
    ("cd4d", ["ja", "3"], "Ben je een professional"),
    ("cd4d", ["ja", "Somalië"], "Ben je een professional"),
    ("cd4d", ["ja", "somalia"], "Ben je een professional"),
    ("cd4d", ["ja", "ik kom uit irak"], "Ben je een professional"),
    ("cd4d", ["ja", "een ander land"], "CD4D2 werkt met vier landen"),
    ("cd4d", ["ja", "5"], "CD4D2 werkt met vier landen"),
    ("match", ["ik heb een bedrijf", "ja", "ja"], "Misschien kan je bedrijf meedoen"),
    ("match", ["Ik zoek werk", "nee"], "MATCH is voor opgeleide werknemers uit"),
    ("family", ["ja", "weet ik niet"], "Wie in aanmerking komt en hoe je een aanvraag doet"),
    ("ed4d", ["ja", "Ethiopië", "ja"], "Misschien kun je meedoen aan ED4D"),
]


@pytest.mark.parametrize(("check", "answers", "phrase"), TYPED)
def test_typed_answers(mini_engine: Engine, check: str, answers: list[str], phrase: str) -> None:
    chat = Chat(mini_engine, "nl")
    chat.send(f"data:c:{check}")
    for answer in answers:
        chat.send(answer)
    assert phrase in chat.text()


@pytest.mark.parametrize(("typed", "step"), [
    ("yes", "voluntary"), ("Yes please", "voluntary"), ("no", None), ("1", "voluntary"), ("nope", None),
])
def test_typed_answers_in_english(mini_engine: Engine, typed: str, step: str | None) -> None:
    chat = Chat(mini_engine, "en")
    chat.send("data:c:return")
    chat.send(typed)
    assert chat.state.step == step


def test_a_number_that_is_no_answer_is_not_taken(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "en")
    chat.run(["data:c:return", "7"])
    assert "I don't understand your answer" in chat.text()
    assert "Are you in the Netherlands now?" in chat.text()
    assert chat.state.step == "lives_nl"
    assert chat.state.misses == 0


def test_a_question_in_the_middle_is_answered_and_the_check_can_resume(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "en")
    chat.run(["/start", "data:c:return", "press:Yes"])
    assert "Is it your own choice to go back?" in chat.text()
    chat.send("en question about_iom")
    assert "answer about_iom in en" in chat.text()
    assert {"↩️ Continue the check", "✖️ Stop"} <= set(chat.labels())
    assert chat.state.step == "voluntary"
    chat.send("press:↩️ Continue the check")
    assert "Is it your own choice to go back?" in chat.text()
    chat.send("press:Yes")
    assert "country of origin" in chat.text()


def test_old_buttons_still_answer_the_open_question(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "en")
    chat.run(["data:c:return", "press:Yes", "en question contact"])
    chat.send("data:a:return:voluntary:yes")  # the button under the question, pressed after the answer
    assert "country of origin" in chat.text()
    chat.send("data:a:return:lives_nl:no")  # a button of an earlier question
    assert "That button belongs to an earlier question" in chat.text()
    assert "country of origin" in chat.text()
    assert chat.state.step == "origin"


def test_other_topics_keep_the_check_open(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "nl")
    chat.run(["data:c:family", "/menu"])
    assert "↩️ Verder met de check" in chat.labels()
    chat.send("press:Over IOM")
    assert "↩️ Verder met de check" in chat.labels()
    chat.send("nontext:photo")
    assert "↩️ Verder met de check" in chat.labels()
    chat.send("press:↩️ Verder met de check")
    assert "Woont een van de gezinsleden al in Nederland?" in chat.text()


@pytest.mark.parametrize("leave", ["/cancel", "/stop", "press:✖️ Stop"])
def test_leaving_a_check(mini_engine: Engine, leave: str) -> None:
    chat = Chat(mini_engine, "en")
    chat.run(["data:c:match", "press:I have a company", leave])
    assert "OK, I stopped the check" in chat.text()
    assert "About IOM" in chat.labels()
    assert chat.state.check is None
    chat.send("data:a:match:company_nl:yes")
    assert "This check has already ended" in chat.text()
    chat.send("press:✅ Check: MATCH (work)")
    assert "Who are you?" in chat.text()


def test_starting_another_check_replaces_the_open_one(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "en")
    chat.run(["data:c:return", "press:Yes", "data:c:ed4d"])
    assert chat.state.check == "ed4d"
    assert "Do you live in the Netherlands?" in chat.text()


def test_start_link_opens_a_check(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "nl")
    replies = chat.send("/start family")
    assert "Hoi! Ik ben de chatbot" in plain_text(replies[0].text)
    assert "Woont een van de gezinsleden al in Nederland?" in plain_text(replies[1].text)


def test_the_open_question_is_not_answered_again_by_the_answer_button(mini_engine: Engine) -> None:
    """While a check is open, an answer does not offer that same check again."""
    chat = Chat(mini_engine, "en")
    chat.run(["data:c:return", "en question return_eligibility"])
    assert "✅ Check: help to go back" not in chat.labels()
    assert "↩️ Continue the check" in chat.labels()
