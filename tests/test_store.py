"""The SQLite chat-state store: private file modes, round trips, unreadable states, migrations and concurrency."""

from __future__ import annotations

import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.engine import ChatState
from bot.store import FILE_NAME, MIGRATIONS, Migration, Store, StoreError, data_dir, default_path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.connect(tmp_path / "data" / FILE_NAME) as opened:
        yield opened


def test_file_is_private_and_folder_too(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / FILE_NAME
    with Store.connect(path) as store:
        store.save_state("telegram:1", ChatState(lang="nl"))
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o700
        wal = path.with_name(FILE_NAME + "-wal")
        assert wal.exists() and mode(wal) == 0o600  # SQLite gives the WAL file the database file's mode


def test_existing_file_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    path.touch(mode=0o644)
    path.chmod(0o644)
    Store.connect(path).close()
    assert mode(path) == 0o600


STATES = [
    ChatState(),
    ChatState(lang="nl"),
    ChatState(lang="en", lang_locked=True, lang_asked=True, misses=2),
    ChatState(lang="nl", check="return", step="voluntary"),
]


@pytest.mark.parametrize("state", STATES)
def test_round_trip(store: Store, state: ChatState) -> None:
    store.save_state("telegram:42", state)
    assert store.load_state("telegram:42") == state


def test_unknown_chat_gets_a_fresh_state(store: Store) -> None:
    assert store.load_state("telegram:404") == ChatState()


def test_save_replaces_and_keys_stay_apart(store: Store) -> None:
    store.save_state("telegram:1", ChatState(lang="nl"))
    store.save_state("telegram:2", ChatState(lang="en"))
    store.save_state("telegram:1", ChatState(lang="en", misses=1))
    assert store.load_state("telegram:1") == ChatState(lang="en", misses=1)
    assert store.load_state("telegram:2") == ChatState(lang="en")
    assert store.forget("telegram:1") and not store.forget("telegram:1")
    assert store.load_state("telegram:1") == ChatState()


@pytest.mark.parametrize("stored", ["{not json", "[]", '{"v": 99, "lang": "nl"}', '{"v": 1, "lang": 5}', ""])
def test_unreadable_state_gives_a_fresh_one(store: Store, stored: str) -> None:
    with store.transaction() as db:
        db.execute("INSERT INTO chat_state VALUES ('telegram:7', ?, 'x')", (stored,))
    assert store.load_state("telegram:7") == ChatState()


def test_only_the_state_is_stored(store: Store) -> None:
    store.save_state("telegram:5", ChatState(lang="nl", misses=1))
    with sqlite3.connect(store.path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(chat_state)")]
        rows = db.execute("SELECT chat_key, state FROM chat_state").fetchall()
    assert columns == ["chat_key", "state", "updated_at"]
    assert rows == [("telegram:5", ChatState(lang="nl", misses=1).to_json())]


def test_a_failed_transaction_leaves_nothing(store: Store) -> None:
    store.save_state("telegram:1", ChatState(lang="nl"))
    with pytest.raises(RuntimeError), store.transaction() as db:
        db.execute("UPDATE chat_state SET state = 'broken'")
        raise RuntimeError("crash in the middle")
    assert store.load_state("telegram:1") == ChatState(lang="nl")


def test_other_modules_add_tables_with_their_own_migrations(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    review = Migration("0001_review_log", ("CREATE TABLE review_log (id INTEGER PRIMARY KEY, intent TEXT)",))
    Store.connect(path).close()
    with Store.connect(path, [review]) as store:
        with store.transaction() as db:
            db.execute("INSERT INTO review_log (intent) VALUES ('contact')")
        assert store.migrate([*MIGRATIONS, review]) == []  # each migration runs once per file
    with sqlite3.connect(path) as db:
        names = [row[0] for row in db.execute("SELECT name FROM schema_migrations ORDER BY name")]
    assert names == ["0001_chat_state", "0001_review_log", "0002_chat_state_day_only"]


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable SQLite data file"):
        Store.connect(path)


def test_data_dir_from_the_environment(tmp_path: Path) -> None:
    assert data_dir({}) == Path("data")
    assert default_path({"FAQBOT_DATA_DIR": str(tmp_path)}) == tmp_path / FILE_NAME


def test_concurrent_writes_from_threads_and_connections(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    shared = Store.connect(path)
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            own = Store.connect(path) if number % 2 else shared
            for i in range(25):
                own.save_state(f"telegram:{number}", ChatState(lang="nl", misses=i % 9))
                own.save_state("telegram:shared", ChatState(lang="en" if number % 2 else "nl"))
            if own is not shared:
                own.close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(shared.load_state(f"telegram:{n}") == ChatState(lang="nl", misses=24 % 9) for n in range(8))
    assert shared.load_state("telegram:shared").lang in ("nl", "en")
    shared.close()


def test_idle_chat_states_are_forgotten(tmp_path: Path) -> None:
    """Retention covers chat states too: a chat idle longer than the retention period starts afresh."""
    store = Store.connect(tmp_path / "s.sqlite3")
    store.save_state("telegram:1", ChatState(lang="nl"))
    store.save_state("telegram:2", ChatState(lang="en"))
    with store.transaction() as db:
        db.execute("UPDATE chat_state SET updated_at = '2020-01-01T00:00:00+00:00' WHERE chat_key = 'telegram:1'")
    assert store.forget_idle("2021-01-01") == 1
    assert store.load_state("telegram:1").lang is None
    assert store.load_state("telegram:2").lang == "en"
