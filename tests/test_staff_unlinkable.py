"""Review rows cannot be linked back to the chats that asked them, and old data files are brought up to date.

The attack found in testing: order the chats by when their state changed, order the review rows by id, and
pair them up. It linked every unanswered question to its Telegram chat.
"""

from __future__ import annotations

import datetime as dtm
import logging
import random
from pathlib import Path

import pytest

from bot.engine.state import ChatState
from bot.staff import StaffLog, review_log, schema
from bot.staff.schema import MIGRATIONS, REMASKED, remask
from bot.store import Migration, Store
from tests.test_staff_review_log import NOW, Clock, reply

QUESTIONS = [
    "can i get money for a business in ghana", "wat is het weer morgen", "hoe lang duurt een visum",
    "kan mijn oom ook mee", "where do i sign the papers", "ik wil mijn hond meenemen", "is er een bus naar ter apel",
    "can i study after i return", "wie betaalt de begrafenis", "how do i get my diploma recognised",
    "mag ik werken tijdens de aanvraag", "what about my debts", "ik ben mijn pas kwijt", "can my wife come later",
]
RUNS = 40  # days simulated, each in a new data file
CHATS = 6  # chats asking one unanswered question each per day


def write_a_day(store: Store, rng: random.Random) -> tuple[list[str], StaffLog]:
    """Chats write one after the other over a day; returns the questions in the order they were asked."""
    clock = Clock(NOW.replace(hour=6))
    staff_log = StaffLog(store, 90, clock)
    asked = rng.sample(QUESTIONS, CHATS)  # who asks what does not depend on when
    for n, question in enumerate(asked):
        clock.now += dtm.timedelta(minutes=rng.randint(1, 150))
        store.save_state(f"telegram:{1000 + n}", ChatState(lang="en", misses=1))
        staff_log.record(question, [reply("none")])
    assert clock.now.date() == NOW.date()
    return asked, staff_log


def test_review_rows_cannot_be_paired_with_the_chats_that_asked_them(tmp_path: Path) -> None:
    # The attacker gets more than any timestamp could give: the exact order in which the chats wrote. Pairing it
    # with the rows by key, as stored, or as `faqbot review` reads them is right for 1 row in 6 on average, as
    # for any random order (about 40 of 240 here); with increasing ids it was right for all 240.
    rng = random.Random(5)
    right = {"by key": 0, "as stored": 0, "as read": 0}
    for run in range(RUNS):
        with Store.connect(tmp_path / f"day{run}.sqlite3") as store:
            asked, staff_log = write_a_day(store, rng)
            with store.transaction() as db:
                orders = {"by key": [t for (t,) in db.execute("SELECT text FROM review_log ORDER BY id")],
                          "as stored": [t for (t,) in db.execute("SELECT text FROM review_log")]}
                days = {d for (d,) in db.execute("SELECT day FROM review_log")}
            orders["as read"] = [item.text for item in staff_log.review_items(1)]
        assert days == {NOW.date().isoformat()}  # one day for all: no time to compare with the chats
        for name, order in orders.items():
            assert sorted(order) == sorted(asked)
            right[name] += sum(row == question for row, question in zip(order, asked, strict=True))
    assert all(count < RUNS * CHATS // 3 for count in right.values()), right


def test_keys_are_random_and_say_nothing_about_time(tmp_path: Path) -> None:
    with Store.connect(tmp_path / "x.sqlite3") as store:
        write_a_day(store, random.Random(1))
        with store.transaction() as db:
            keys = [k for (k,) in db.execute("SELECT id FROM review_log ORDER BY rowid")]
    assert len(set(keys)) == CHATS
    assert max(keys) > 2**40  # not 1, 2, 3, ... (the chance of a random key below 2**40 is 1 in 8 million)


def test_rows_are_read_by_day_and_content_not_by_arrival(tmp_path: Path) -> None:
    clock = Clock()
    with Store.connect(tmp_path / "x.sqlite3") as store:
        staff_log = StaffLog(store, 90, clock)
        for text in ("zzz last", "mmm middle", "aaa first"):
            staff_log.record(text, [reply("none")])
        clock.now += dtm.timedelta(days=1)
        staff_log.record("bbb next day", [reply("none")])
        assert [i.text for i in staff_log.review_items(2)] == ["aaa first", "mmm middle", "zzz last", "bbb next day"]


# -- data files written by an earlier version -------------------------------------------------------------

OLD_TEXTS = ["paspoort NXA12345", "geboren 1-5-90", "mail jan [at] example [dot] com", "bel 06\u200b1234\u200b5678",
             "ik heet Fatima", "ik woon op de Kerkstraat 12", *QUESTIONS]
LEAKS = [b"NXA12345", b"1-5-90", b"example", "06\u200b1234".encode(), b"Fatima", b"Kerkstraat"]


def old_file(path: Path) -> Store:
    """A data file as the first version left it: increasing ids and texts masked by the old rules only."""
    store = Store.connect(path)
    store.migrate(MIGRATIONS[:1])
    with store.transaction() as db:
        for text in OLD_TEXTS:
            db.execute("INSERT INTO review_log (day, lang, decision, text, candidates, intent) "
                       "VALUES ('2024-05-01', 'nl', 'none', ?, '[]', NULL)", (text,))
        db.execute("INSERT INTO usage (day, lang, intent, decision, count) VALUES ('2024-05-01', 'nl', '', 'none', 20)")
    return store


def test_an_old_file_gets_random_keys_and_keeps_its_rows(tmp_path: Path) -> None:
    with old_file(tmp_path / "old.sqlite3") as store:
        StaffLog(store, 90, Clock())
        with store.transaction() as db:
            rows = db.execute("SELECT id, day, text FROM review_log ORDER BY id").fetchall()
            usage = db.execute("SELECT * FROM usage").fetchall()
    assert [key for key, _, _ in rows] != list(range(1, len(OLD_TEXTS) + 1))
    assert [text for _, _, text in rows] != [schema.masked_text(t) for t in OLD_TEXTS]  # 1 in 20! by chance
    assert sorted(text for _, _, text in rows) == sorted(schema.masked_text(t) for t in OLD_TEXTS)
    assert {day for _, day, _ in rows} == {"2024-05-01"}
    assert usage == [("2024-05-01", "nl", "", "none", "", 20)]  # kind "": counted before kinds were kept


def test_old_texts_are_masked_again_and_leave_no_trace_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with old_file(path) as store:
        StaffLog(store, 90, Clock())
        texts = [item.text for item in StaffLog(store, 90, Clock()).review_items(1)]
    assert {"paspoort [document]", "geboren [date]", "mail [email]", "bel [phone]", "ik heet [name]",
            "ik woon op de [address]"} <= set(texts)
    files = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert [leak for leak in LEAKS if leak in files] == []


def test_stored_texts_are_masked_again_once_per_masking_version(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.connect(tmp_path / "x.sqlite3") as store:
        StaffLog(store)
        assert remask(store) == 0  # done when the log was opened
        with store.transaction() as db:
            db.execute("INSERT INTO review_log (id, day, lang, decision, text) "
                       "VALUES (7, '2024-05-01', 'en', 'none', 'passport NXA12345')")
        assert remask(store) == 0  # the rules did not change: the texts are not read again
        monkeypatch.setattr(schema, "REMASKED", Migration(f"{REMASKED.name}_next", ()))
        assert remask(store) == 1
        with store.transaction() as db:
            assert db.execute("SELECT text FROM review_log").fetchall() == [("passport [document]",)]


def test_deleted_rows_leave_no_text_in_the_file(tmp_path: Path) -> None:
    clock = Clock()
    with Store.connect(tmp_path / "x.sqlite3") as store:
        staff_log = StaffLog(store, 7, clock)
        staff_log.record("what about my uncle in tamale", [reply("none")])
        clock.now += dtm.timedelta(days=8)
        assert staff_log.purge() >= 1
    assert b"tamale" not in b"".join(p.read_bytes() for p in tmp_path.iterdir())


def test_the_shipped_migration_is_never_edited() -> None:
    assert MIGRATIONS[0] == Migration("staff_0001_review_log_and_usage", (
        "CREATE TABLE review_log (id INTEGER PRIMARY KEY, day TEXT NOT NULL, lang TEXT NOT NULL, "
        "decision TEXT NOT NULL, text TEXT, candidates TEXT NOT NULL DEFAULT '[]', intent TEXT)",
        "CREATE INDEX review_log_day ON review_log (day)",
        "CREATE TABLE usage (day TEXT NOT NULL, lang TEXT NOT NULL, intent TEXT NOT NULL DEFAULT '', "
        "decision TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (day, lang, intent, decision))",
    ))


def test_a_failing_write_never_puts_the_question_in_the_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    def broken(text: str) -> str:
        raise ValueError(f"cannot mask {text!r}")

    with Store.connect(tmp_path / "x.sqlite3") as store:
        staff_log = StaffLog(store)
        monkeypatch.setattr(review_log, "masked_text", broken)
        with caplog.at_level(logging.WARNING):
            assert staff_log.record("my name is Fatima", [reply("none")]) is False
    assert caplog.messages == ["could not write the staff log: ValueError"]
