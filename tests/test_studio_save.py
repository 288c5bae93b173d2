"""Saving in the studio: checked first (problems by field, nothing written), recorded in the history, undone."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.live import LiveBot
from bot.studio.history import History
from bot.studio.inbox import add_example
from bot.studio.workspace import Workspace
from tests.studio_fixture import FakeInbox, InboxGroup, copy_content

FAMILY = "answers/en/family.yaml"


@pytest.fixture()
def ws(tmp_path: Path) -> Iterator[Workspace]:
    root = copy_content(tmp_path / "content")
    live, problems = LiveBot.load(root)
    assert live is not None, problems
    yield Workspace(live, History(tmp_path / "data"))


def answer_edit(ws: Workspace, **changes: Any) -> dict[str, Any]:
    answer = ws.live.content.answer("family_reunification", "en")
    edit = {"kind": "answer", "intent": "family_reunification", "lang": "en", "title": answer.title,
            "text": answer.text, "source": answer.source,
            "buttons": [{"label": b.label, "url": b.url} for b in answer.links]}
    return {**edit, **changes}


def test_a_broken_answer_is_refused_with_the_problem_at_its_field(ws: Workspace) -> None:
    before = (ws.root / FAMILY).read_bytes()
    result = ws.save([answer_edit(ws, text="IOM helps <b>families.")], "ana", "answer")
    assert not result.saved
    assert result.error == "Not saved: 1 problem(s) to fix first. Nothing was written."
    assert [(p["field"], p["message"], p["fix"]) for p in result.problems] == [
        ("answer:family_reunification:en:text", "the answer text has invalid formatting: <b> is opened but never "
                                                 "closed", "add </b>")]
    assert (ws.root / FAMILY).read_bytes() == before
    assert ws.history.entries() == []


def test_an_example_of_another_topic_is_refused_at_that_example(ws: Workspace) -> None:
    intent = ws.live.content.intents["family_reunification"]
    taken = ws.live.content.intents["contact"].examples["en"][0]
    examples = {lang: list(items) for lang, items in intent.examples.items()}
    edit = {"kind": "intent", "id": intent.id, "examples": {**examples, "en": [*examples["en"], taken]},
            "keywords": {lang: list(k) for lang, k in intent.keywords.items()}, "related": list(intent.related)}
    result = ws.save([edit], "ana", "examples")
    assert not result.saved
    fields = [p["field"] for p in result.problems]
    assert fields == [f"intent:family_reunification:examples:en:{len(intent.examples['en'])}"]
    assert "is under both 'contact'" in result.problems[0]["message"]


def test_a_check_step_leading_nowhere_is_refused_at_that_step(ws: Workspace) -> None:
    outcomes = list(ws.live.content.checks["return"].outcomes)
    edit = {"kind": "check", "id": "return", "start": "lives_nl", "outcomes": outcomes,
            "steps": {"lives_nl": [{"answer": "yes", "next": "nowhere"}, {"answer": "no", "outcome": "not_in_nl"}],
                      "voluntary": [{"answer": "yes", "next": "origin"}, {"answer": "no", "outcome": "not_voluntary"}],
                      "origin": [{"answer": "yes", "next": "vulnerable"}, {"answer": "no", "outcome": "other_country"}],
                      "vulnerable": [{"answer": "yes", "outcome": "may_qualify_extra"},
                                     {"answer": "no", "outcome": "may_qualify"}]}}
    result = ws.save([edit], "ana", "check")
    assert not result.saved
    assert {p["field"] for p in result.problems} >= {"check:return:steps:lives_nl"}


def test_a_good_save_is_written_recorded_and_undone(ws: Workspace) -> None:
    original = (ws.root / FAMILY).read_bytes()
    answer = ws.live.content.answer("family_reunification", "en")
    result = ws.save([answer_edit(ws, text=answer.text + "\nAsk IOM about your <b>journey</b>.")], "ana", "family")
    assert result.saved and result.entry is not None
    text = (ws.root / FAMILY).read_text(encoding="utf-8")
    assert "      Ask IOM about your <b>journey</b>.\n" in text
    assert text.startswith("# Answers: family reunification")  # comments kept
    entry = ws.history.entries()[-1]
    assert (entry.who, entry.what, [f.path for f in entry.files]) == ("ana", "family", [FAMILY])
    assert "+      Ask IOM about your <b>journey</b>." in entry.diff()
    assert stat.S_IMODE(ws.history.path.stat().st_mode) == 0o600

    undone = ws.undo(entry.id, "ben")
    assert undone.saved and undone.entry is not None
    assert (ws.root / FAMILY).read_bytes() == original
    assert (undone.entry.undo_of, undone.entry.who) == (entry.id, "ben")
    assert ws.undo(entry.id, "ben").error == (f"{FAMILY} has changed since save {entry.id}; undo the later saves "
                                              "first (newest first).")


def test_a_save_without_changes_writes_nothing(ws: Workspace) -> None:
    result = ws.save([answer_edit(ws)], "ana", "nothing")
    assert (result.saved, result.error) == (False, "Nothing to save: no changes.")


GROUP = InboxGroup("g1", "nl", ("kan mijn oma met de zorgvlucht mee",), 3, "unanswered", None, "family_reunification",
                   "2025-01-01", "2025-01-03")


def test_an_inbox_question_added_as_example_is_saved_then_resolved(ws: Workspace) -> None:
    inbox = FakeInbox([GROUP])
    result = add_example(ws, inbox, "g1", "family_reunification", "nl", GROUP.texts[0], "ana")
    assert result.saved
    on_disk = (ws.root / "intents/family.yaml").read_text(encoding="utf-8")
    assert "        - kan mijn oma met de zorgvlucht mee\n" in on_disk
    assert inbox.resolved == [("g1", "added")]


def test_an_off_topic_question_goes_to_out_of_scope(ws: Workspace) -> None:
    inbox = FakeInbox([GROUP])
    assert add_example(ws, inbox, "g1", "out_of_scope", "nl", "waar koop ik een fiets", "ana").saved
    assert "waar koop ik een fiets" in (ws.root / "intents/out_of_scope.yaml").read_text(encoding="utf-8")
    assert inbox.resolved == [("g1", "off_topic")]


def test_an_inbox_question_that_would_break_the_content_is_not_resolved(ws: Workspace) -> None:
    inbox = FakeInbox([GROUP])
    taken = ws.live.content.intents["contact"].examples["nl"][0]
    result = add_example(ws, inbox, "g1", "family_reunification", "nl", taken, "ana")
    assert not result.saved and inbox.resolved == []


def test_an_inbox_question_that_is_already_an_example_is_resolved_without_a_save(ws: Workspace) -> None:
    inbox = FakeInbox([GROUP])
    known = ws.live.content.intents["family_reunification"].examples["nl"][0]
    assert add_example(ws, inbox, "g1", "family_reunification", "nl", known, "ana").saved
    assert inbox.resolved == [("g1", "added")] and ws.history.entries() == []
