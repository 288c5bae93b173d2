"""The staff log: what is counted and kept after each message, retention, and that nothing identifies a person."""

from __future__ import annotations

import datetime as dtm
import inspect
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import CommandIn, Engine, Event, PressIn, Reply, TextIn, Trace
from bot.staff import MIGRATIONS, SettingError, StaffLog, mask, retention_days
from bot.staff.review_log import outcome
from bot.staff.schema import MAX_TEXT
from bot.store import Store
from tests.conftest import Chat

NOW = dtm.datetime(2024, 5, 1, 12, 0, tzinfo=dtm.UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dtm.datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> dtm.datetime:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.connect(tmp_path / "faqbot.sqlite3")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def staff_log(store: Store, clock: Clock) -> StaffLog:
    return StaffLog(store, 90, clock)


def rows(store: Store, table: str) -> list[tuple[object, ...]]:
    with store.transaction() as db:
        return [tuple(r) for r in db.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3")]


def reply(decision: str, intent: str | None = None, lang: str = "en",
          candidates: tuple[tuple[str, float], ...] = ()) -> Reply:
    return Reply("text", (), Trace(intent, decision, 0.5, lang, None, candidates))


CANDIDATES = (("return_support", 0.61), ("return_eligibility", 0.55), ("contact", 0.3), ("about_iom", 0.2))

# (typed text, replies, usage rows, review rows (decision, text, candidates, intent))
RECORDED = [
    ("can iom pay my ticket", [reply("answer", "return_support")],
     [("2024-05-01", "en", "return_support", "answer", "question", 1)], []),
    ("ticket help", [reply("clarify", None, "en", CANDIDATES)],
     [("2024-05-01", "en", "", "clarify", "question", 1)],
     [("clarify", "ticket help", [["return_support", 0.61], ["return_eligibility", 0.55], ["contact", 0.3]], None)]),
    ("wat is het weer", [reply("none", None, "nl", (("out_of_scope", 0.4),))],
     [("2024-05-01", "nl", "", "none", "question", 1)],
     [("none", "wat is het weer", [["out_of_scope", 0.4]], None)]),
    ("bel mij 06-12345678 of ahmed@mail.com", [reply("none")],
     [("2024-05-01", "en", "", "none", "question", 1)], [("none", "bel mij [phone] of [email]", [], None)]),
    (None, [reply("none")], [("2024-05-01", "en", "", "none", "press", 1)], []),  # "None of these": nothing to read
    ("   ", [reply("none")], [("2024-05-01", "en", "", "none", "other", 1)], []),
    (None, [reply("feedback_down", "return_support", "nl")],
     [("2024-05-01", "nl", "return_support", "feedback_down", "press", 1)],
     [("thumbs_down", None, [], "return_support")]),
    (None, [reply("feedback_up", "return_support")],
     [("2024-05-01", "en", "return_support", "feedback_up", "press", 1)], []),
    ("help ik word bedreigd", [reply("safety"), reply("safety", "return_vulnerable"), reply("answer", "contact")],
     [("2024-05-01", "en", "", "safety", "question", 1)], []),
    # a crisis message is counted with its kind and never kept as text, whatever follows it
    ("i want to die, what is this bot", [reply("crisis:self_harm"), reply("none")],
     [("2024-05-01", "en", "", "crisis:self_harm", "question", 1)], []),
    ("how do i apply for asylum", [reply("referral:other_asylum")],
     [("2024-05-01", "en", "", "referral:other_asylum", "question", 1)], []),
    ("what is iom", [reply("answer", "about_iom"), reply("language")],
     [("2024-05-01", "en", "about_iom", "answer", "question", 1)], []),
    (None, [reply("start"), reply("menu")], [("2024-05-01", "en", "", "start", "command", 1)], []),
    (None, [], [], []),
    # the event itself: its kind is exact, and only a typed text is ever kept (masked)
    (TextIn("bel mij 06-12345678"), [reply("none")], [("2024-05-01", "en", "", "none", "question", 1)],
     [("none", "bel mij [phone]", [], None)]),
    (CommandIn("start", "bel mij 06-12345678"), [reply("start")], [("2024-05-01", "en", "", "start", "command", 1)],
     []),
    (PressIn("n"), [reply("none")], [("2024-05-01", "en", "", "none", "press", 1)], []),
    (CommandIn("menu"), [reply("menu")], [("2024-05-01", "en", "", "menu", "command", 1)], []),
    (PressIn("m"), [reply("menu")], [("2024-05-01", "en", "", "menu", "press", 1)], []),
]


@pytest.mark.parametrize(("text", "replies", "usage", "review"), RECORDED, ids=[str(r[0]) for r in RECORDED])
def test_what_is_counted_and_kept(staff_log: StaffLog, store: Store, text: Event | str | None, replies: list[Reply],
                                  usage: list[tuple[object, ...]], review: list[tuple[object, ...]]) -> None:
    assert staff_log.record(text, replies)
    assert rows(store, "usage") == usage
    kept = [(d, t, json.loads(c), i) for _, _, _, d, t, c, i in rows(store, "review_log")]
    assert kept == review


def test_counts_add_up_per_day_language_intent_decision_and_kind(staff_log: StaffLog, store: Store,
                                                                  clock: Clock) -> None:
    for _ in range(3):
        staff_log.record("q", [reply("answer", "contact")])
    staff_log.record(None, [reply("answer", "contact")])  # the same answer after a topic button
    staff_log.record("q", [reply("none")])
    staff_log.record("q", [reply("none")])
    clock.now += dtm.timedelta(days=1)
    staff_log.record("q", [reply("answer", "contact")])
    assert rows(store, "usage") == [("2024-05-01", "en", "", "none", "question", 2),
                                    ("2024-05-01", "en", "contact", "answer", "press", 1),
                                    ("2024-05-01", "en", "contact", "answer", "question", 3),
                                    ("2024-05-02", "en", "contact", "answer", "question", 1)]


def test_long_questions_are_cut_and_spaces_tidied(staff_log: StaffLog, store: Store) -> None:
    staff_log.record("a  b\n\nc " + "x" * 1000, [reply("none")])
    text = rows(store, "review_log")[0][4]
    assert isinstance(text, str) and text.startswith("a b c x") and len(text) == MAX_TEXT


def test_outcome_of_no_replies_is_none() -> None:
    assert outcome([]) is None
    assert outcome([Reply("x")]) is None


# -- retention ---------------------------------------------------------------------------------------


def insert_old(store: Store, day: str) -> None:
    with store.transaction() as db:
        db.execute("INSERT INTO review_log (day, lang, decision, text, candidates, intent) "
                   "VALUES (?, 'nl', 'none', 'oude vraag', '[]', NULL)", (day,))
        db.execute("INSERT INTO usage (day, lang, intent, decision, count) VALUES (?, 'nl', '', 'none', 4)", (day,))


@pytest.mark.parametrize(("retention", "day", "kept"), [
    (90, "2024-05-01", True),  # today
    (90, "2024-02-02", True),  # 89 days ago: the 90th day
    (90, "2024-02-01", False),  # 90 days ago
    (90, "2023-01-01", False),
    (7, "2024-04-25", True),
    (7, "2024-04-24", False),
    (1, "2024-04-30", False),
])
def test_purge_deletes_rows_older_than_the_retention(store: Store, clock: Clock, retention: int, day: str,
                                                     kept: bool) -> None:
    staff_log = StaffLog(store, retention, clock)
    insert_old(store, day)
    assert staff_log.purge() == (0 if kept else 2)
    assert bool(rows(store, "review_log")) == kept
    assert bool(rows(store, "usage")) == kept


def test_record_purges_at_most_once_an_hour(staff_log: StaffLog, store: Store, clock: Clock) -> None:
    staff_log.record("q", [reply("answer", "contact")])  # first record: purges
    insert_old(store, "2020-01-01")
    clock.now += dtm.timedelta(minutes=59)
    staff_log.record("q", [reply("answer", "contact")])
    assert ("2020-01-01", "nl", "", "none", "", 4) in rows(store, "usage")
    clock.now += dtm.timedelta(minutes=1)
    staff_log.record("q", [reply("answer", "contact")])
    assert all(r[0] != "2020-01-01" for r in rows(store, "usage"))
    assert all(r[1] != "2020-01-01" for r in rows(store, "review_log"))


def test_reading_takes_the_last_days_only(staff_log: StaffLog, store: Store) -> None:
    insert_old(store, "2024-04-24")
    staff_log.record("vraag", [reply("none", lang="nl")])
    assert [i.day for i in staff_log.review_items(7)] == ["2024-05-01"]
    assert [i.day for i in staff_log.review_items(8)] == ["2024-04-24", "2024-05-01"]
    assert [u.day for u in staff_log.usage(1)] == ["2024-05-01"]


@pytest.mark.parametrize(("value", "days"), [(None, 90), ("", 90), ("30", 30), (" 7 ", 7), ("1", 1), ("3650", 3650)])
def test_retention_setting(value: str | None, days: int) -> None:
    assert retention_days({} if value is None else {"FAQBOT_RETENTION_DAYS": value}) == days


@pytest.mark.parametrize("value", ["0", "-5", "30d", "abc", "3651", "1.5"])
def test_a_bad_retention_setting_is_explained(value: str) -> None:
    with pytest.raises(SettingError) as raised:
        retention_days({"FAQBOT_RETENTION_DAYS": value})
    assert str(raised.value).startswith(f"FAQBOT_RETENTION_DAYS={value!r} is not a number of days from 1 to 3650")


# -- nothing that identifies a person ----------------------------------------------------------------


def test_the_api_takes_no_chat_ids_user_ids_or_names() -> None:
    # 'message' is the engine's event (a typed text, a command, a press: nothing about who sent it) or the text
    assert list(inspect.signature(StaffLog.record).parameters) == ["self", "message", "replies"]


def test_the_tables_have_no_column_for_people(store: Store, staff_log: StaffLog) -> None:
    with store.transaction() as db:
        columns = {table: [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
                   for table in ("review_log", "usage")}
    assert columns == {"review_log": ["id", "day", "lang", "decision", "text", "candidates", "intent"],
                       "usage": ["day", "lang", "intent", "decision", "kind", "count"]}


def test_a_whole_chat_leaves_no_chat_id_or_username_in_the_staff_log(mini_engine: Engine, store: Store,
                                                                     staff_log: StaffLog) -> None:
    chat = Chat(mini_engine, "en")
    key = "telegram:987654321"
    steps = ["/start", "my name is @ahmed_k, chat 987654321, phone +31 6 12345678", "en question return_support",
             "press:👎", "what is the weather", "return help", "press:None of these"]
    for step in steps:
        replies = chat.send(step)
        store.save_state(key, chat.state)
        staff_log.record(None if step.startswith(("press:", "/")) else step, replies)
    dumped = json.dumps(rows(store, "review_log") + rows(store, "usage"))
    for secret in ("987654321", "ahmed_k", "12345678", "telegram"):
        assert secret not in dumped
    assert "my name is [username], chat [number], phone [phone]" in dumped


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)
personal = st.sampled_from(["ahmed@gmail.com", "06-12345678", "+31 6 1234 5678", "V-nummer 1234567890",
                            "NL91ABNA0417164300", "@ahmed_k", "https://x.nl/me", "paspoort NXA12345",
                            "geboren 1-5-90", "jan [at] example [dot] com", "my name is Fatima",
                            "ik woon op de Kerkstraat 12", "06\u200b1234\u200b5678"])
# The name, street and obfuscated e-mail only count in their context: a random text may say "example" or "Fatima"
# on its own (hypothesis also tries words it finds in the code), and that is no personal data.
SECRETS = re.compile(r"\d(?:[\s.\-/()]*\d){5,}|[\w.+-]+@[\w-]+\.\w|@ahmed_k|NXA12345|1-5-90|\[at\] example|"
                     r"name is Fatima|Kerkstraat 12")


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(texts, personal), min_size=1, max_size=5), st.sampled_from(["none", "clarify"]))
def test_stored_texts_are_always_masked(staff_log: StaffLog, store: Store, parts: list[str], decision: str) -> None:
    with store.transaction() as db:
        db.execute("DELETE FROM review_log")
    text = " ".join(parts)
    staff_log.record(text, [reply(decision)])
    with store.transaction() as db:
        stored = db.execute("SELECT text FROM review_log").fetchone()
    if text.strip():
        assert stored[0] == " ".join(mask(text).split())[:MAX_TEXT]
        assert not SECRETS.search(stored[0])


def test_the_migration_can_also_be_passed_to_connect(tmp_path: Path) -> None:
    with Store.connect(tmp_path / "x.sqlite3", MIGRATIONS) as store:
        StaffLog(store)  # runs the same migration again: nothing happens
        assert rows(store, "usage") == []


def test_a_failing_write_never_reaches_the_chat(tmp_path: Path) -> None:
    store = Store.connect(tmp_path / "x.sqlite3")
    staff_log = StaffLog(store)
    store.close()
    assert staff_log.record("q", [reply("none")]) is False
