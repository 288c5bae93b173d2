"""The writer thread: queued writes land, a full or locked file delays them without losing them, and a write
the file refuses does not block the others."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.engine import ChatState
from bot.store import FILE_NAME, Store, write_state
from bot.writebehind import WriteBehind


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.connect(tmp_path / FILE_NAME) as opened:
        yield opened


def save(writer: WriteBehind, key: str, state: ChatState) -> None:
    writer.submit(("state", key), lambda db: write_state(db, key, state))


def test_the_newest_state_of_a_chat_wins(store: Store) -> None:
    writer = WriteBehind(store, "chat states")
    for misses in range(6):
        save(writer, "telegram:1", ChatState(lang="nl", misses=misses))
    save(writer, "telegram:2", ChatState(lang="en"))
    assert writer.close()
    assert store.load_state("telegram:1") == ChatState(lang="nl", misses=5)
    assert store.load_state("telegram:2") == ChatState(lang="en")


def test_a_full_file_keeps_the_writes_until_there_is_room(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    save_now = WriteBehind(store, "chat states")
    save(save_now, "telegram:0", ChatState(lang="nl"))
    assert save_now.flush(5)
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite answers SQLITE_FULL, as on a full disk
    big = "x" * 8000
    for n in range(1, 40):
        save_now.submit(("state", n), lambda db, n=n: db.execute(
            "INSERT INTO chat_state VALUES (?, ?, ?)", (f"telegram:{n}", big, "2026-01-01")))
    assert not save_now.flush(0.5)  # nothing can be written ...
    assert save_now.failing == "disk full" and save_now.faults["disk full"] >= 1
    assert len([r for r in caplog.records if "disk full" in r.getMessage()]) == 1  # ... said once, not per try
    store._db.execute("PRAGMA max_page_count = 1000000")  # room again
    assert save_now.close(10)
    assert save_now.failing is None
    with store.reading() as db:
        assert db.execute("SELECT COUNT(*) FROM chat_state").fetchone()[0] == 40


def test_a_lock_held_elsewhere_delays_and_loses_nothing(store: Store) -> None:
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    writer = WriteBehind(store, "chat states")
    save(writer, "telegram:7", ChatState(lang="en"))
    assert not writer.flush(0.3)
    assert store.load_state("telegram:7") == ChatState()  # reading is not held up by the lock
    other.execute("ROLLBACK")
    other.close()
    assert writer.close(15)
    assert store.load_state("telegram:7") == ChatState(lang="en")


def test_a_refused_write_does_not_block_the_others(store: Store) -> None:
    writer = WriteBehind(store, "chat states")
    bad = writer.submit(None, lambda db: db.execute("INSERT INTO no_such_table VALUES (1)"))
    save(writer, "telegram:8", ChatState(lang="nl"))
    assert writer.close()
    assert isinstance(bad.exception(), sqlite3.Error)
    assert store.load_state("telegram:8") == ChatState(lang="nl")


def test_the_write_ahead_log_is_emptied_when_idle(store: Store) -> None:
    writer = WriteBehind(store, "chat states")
    for n in range(20):
        save(writer, f"telegram:{n}", ChatState(lang="nl"))
    assert writer.flush(5)
    wal = store.path.with_name(FILE_NAME + "-wal")
    deadline = time.monotonic() + 10
    while wal.exists() and wal.stat().st_size > 0:  # recent writes in their order would be readable there
        assert time.monotonic() < deadline, "the write-ahead log was not emptied"
        time.sleep(0.1)
    writer.close()
    assert store.load_state("telegram:19") == ChatState(lang="nl")
