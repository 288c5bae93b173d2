"""👍 / 👎 under answers: where they appear, what a press says, and what the staff log keeps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.content import Content, parse_files
from bot.engine import Engine, PressIn
from bot.engine.buttons import Codec, Press
from bot.engine.replies import MAX_DATA_BYTES
from bot.staff import StaffLog
from bot.staff.feedback import feedback_in, ratings
from bot.staff.review_log import UsageRow
from bot.store import Store
from tests.conftest import Chat, FakeNLU, Said, fake_table, stub_files

THUMBS = ["👍", "👎"]

# (language hint, what the user does first, whether 👍 / 👎 are shown)
WHERE = [
    ("en", ["en question return_support"], True),
    ("nl", ["nl vraag family_reunification"], True),
    ("en", ["en question contact"], True),
    ("en", ["hello"], False),  # small talk
    ("en", ["thanks"], False),
    ("en", ["a person please"], False),
    ("en", ["what is the weather"], False),  # fallback
    ("en", ["what is the weather", "qwerty"], False),  # fallback to a person
    ("en", ["return help"], False),  # did you mean
    ("en", ["/contact"], False),  # a command
    ("en", ["/start"], False),
    ("en", ["press:About IOM", "press:About iom (en)"], False),  # chosen from the menu
    ("en", ["return help", "press:Return support (en)"], False),  # chosen from did you mean
    ("en", ["en question return_support", "press:👍"], False),  # the thanks
]


@pytest.mark.parametrize(("hint", "steps", "shown"), WHERE, ids=[" / ".join(w[1]) for w in WHERE])
def test_thumbs_are_shown_under_answers_to_questions_only(mini_engine: Engine, hint: str, steps: list[str],
                                                          shown: bool) -> None:
    chat = Chat(mini_engine, hint)
    chat.run(["/start", *steps])
    assert all(label in chat.labels() for label in THUMBS) == shown
    assert any(label in chat.labels() for label in THUMBS) == shown


def test_thumbs_are_one_row_after_the_other_buttons(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "en")
    [answer] = chat.send("en question return_eligibility")
    assert [b.label for b in answer.buttons[-1]] == THUMBS
    assert [b.data for b in answer.buttons[-1]] == ["f:+:return_eligibility", "f:-:return_eligibility"]


def test_in_a_check_the_thumbs_come_before_continue_and_stop(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "en")
    chat.run(["en question return_eligibility", "press:✅ Check: help to go back", "en question contact"])
    rows = [[b.label for b in row] for row in chat.replies[-1].buttons]
    assert rows[-2:] == [THUMBS, ["↩️ Continue the check", "✖️ Stop"]]


# (hint, button, what the user reads, trace decision)
PRESSES = [
    ("en", "👍", "Thank you for letting me know! 😊", "feedback_up"),
    ("en", "👎", "Thank you for letting me know. Type /contact to see how to reach IOM.", "feedback_down"),
    ("nl", "👍", "Dank je wel dat je het laat weten! 😊", "feedback_up"),
    ("nl", "👎", "Dank je wel dat je het laat weten. Via /contact lees je hoe je IOM bereikt.", "feedback_down"),
]


@pytest.mark.parametrize(("hint", "button", "text", "decision"), PRESSES)
def test_a_press_is_thanked_and_nothing_more_is_asked(mini_engine: Engine, hint: str, button: str, text: str,
                                                      decision: str) -> None:
    chat = Chat(mini_engine, hint)
    chat.send("en question return_support" if hint == "en" else "nl vraag return_support")
    before = chat.state
    [thanks] = chat.send(f"press:{button}")
    assert chat.text() == text
    assert thanks.buttons == ()
    assert thanks.trace is not None
    assert (thanks.trace.intent, thanks.trace.decision, thanks.trace.lang) == ("return_support", decision, hint)
    assert chat.state == before  # nothing remembered about the press


@pytest.mark.parametrize(("data", "text"), [
    ("f:-:return_support", "Thank you for letting me know. Type /contact"),
    ("f:+:no_longer_there", "Thank you for letting me know! 😊"),  # content changed since: thanked, not counted
    ("f:?:return_support", "This button no longer works"),
    ("f:+", "This button no longer works"),
    ("f#+:999", "This button no longer works"),
    ("f#+:x", "This button no longer works"),
])
def test_old_duplicate_and_broken_presses_are_harmless(mini_engine: Engine, data: str, text: str) -> None:
    chat = Chat(mini_engine, "en")
    chat.send("en question return_support")
    for _ in range(2):  # pressing twice is fine
        chat.send(f"data:{data}")
        assert text in chat.text()
    trace = chat.replies[0].trace
    assert trace is not None
    assert trace.decision in ("feedback_down", "stale")


def test_long_intent_ids_use_positions() -> None:
    files = stub_files()
    long_id = "a" * 62
    files["intents/stub.yaml"] += (f"  - id: {long_id}\n    group: about\n    examples:\n      en: [long one]\n"
                                   f"      nl: [lange]\n")
    for lang in ("en", "nl"):
        files[f"answers/{lang}/stub.yaml"] += f"  - intent: {long_id}\n    title: L\n    source: stub\n    text: x\n"
    content, problems = parse_files(files)
    assert content is not None, [str(p) for p in problems if p.severity == "error"]
    codec = Codec(content)
    data = codec.feedback(long_id, up=False)
    assert data.startswith("f#-:") and len(data.encode()) <= MAX_DATA_BYTES
    assert codec.decode(data) == Press("f", ("-", long_id))
    engine = Engine(content, FakeNLU({**fake_table(), "long one": Said("en", intent=long_id)}))
    chat = Chat(engine, "en")
    chat.send("long one")
    state, [thanks] = engine.handle(chat.state, PressIn(data))
    assert thanks.trace is not None and (thanks.trace.intent, thanks.trace.decision) == (long_id, "feedback_down")


def test_thumbs_down_gives_a_review_row_with_the_intent_only(mini_engine: Engine, tmp_path: Path) -> None:
    store = Store.connect(tmp_path / "faqbot.sqlite3")
    staff_log = StaffLog(store)
    chat = Chat(mini_engine, "nl")
    staff_log.record("nl vraag return_support", chat.send("nl vraag return_support"))
    replies = chat.send("press:👎")
    assert feedback_in(replies) == ("return_support", "down")
    staff_log.record(None, replies)
    [item] = staff_log.review_items(1)
    assert (item.decision, item.text, item.intent, item.lang, item.candidates) == (
        "thumbs_down", None, "return_support", "nl", ())
    usage = {(u.intent, u.decision): u.count for u in staff_log.usage(1)}
    assert usage == {("return_support", "answer"): 1, ("return_support", "feedback_down"): 1}
    with store.transaction() as db:
        assert "nl vraag" not in json.dumps(db.execute("SELECT * FROM review_log").fetchall())


def test_feedback_in_other_replies_is_none(mini_engine: Engine) -> None:
    chat = Chat(mini_engine, "en")
    assert feedback_in(chat.send("en question return_support")) is None


def test_ratings_per_intent() -> None:
    rows = [UsageRow("2024-05-01", "nl", "contact", "feedback_up", 3),
            UsageRow("2024-05-02", "en", "contact", "feedback_down", 1),
            UsageRow("2024-05-02", "en", "contact", "feedback_up", 1),
            UsageRow("2024-05-02", "en", "about_iom", "answer", 9),
            UsageRow("2024-05-02", "en", None, "feedback_down", 9)]
    assert ratings(rows) == {"contact": (4, 1)}


def test_shipped_content_has_the_thanks_in_every_language(shipped_content: Content) -> None:
    for pack in shipped_content.packs.values():
        assert pack.messages["feedback_up"] and pack.messages["feedback_down"]
        assert "?" not in pack.messages["feedback_down"]
