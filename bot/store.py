"""The bot's SQLite file: the engine's state per chat (and later other tables), readable only by the bot.

Only ``ChatState`` JSON is stored, keyed by a channel chat key such as ``telegram:12345``: no names,
usernames, phone numbers or message texts. The file lives in ``$FAQBOT_DATA_DIR`` (default ``./data``),
created with mode 0600 in a folder created with mode 0700. Writes are transactions in WAL mode, so a crash
never leaves half a write and several processes or threads may use the file at once.

Other modules add their tables with their own migrations: ``Store.connect(path, [Migration(...)])``. Each
migration has a unique name and runs once per file, recorded in ``schema_migrations``.
"""

from __future__ import annotations

import datetime as dtm
import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from bot.engine.state import ChatState

DATA_DIR_ENV = "FAQBOT_DATA_DIR"
DEFAULT_DATA_DIR = Path("data")
FILE_NAME = "faqbot.sqlite3"
BUSY_TIMEOUT_S = 10.0


class StoreError(Exception):
    """The data file cannot be opened or set up; the message says which file and what to do."""


@dataclass(frozen=True)
class Migration:
    """A schema change: runs once per file, in list order, inside one transaction."""

    name: str
    statements: tuple[str, ...]


#: The chat-state table. Add migrations for new tables here or pass them to ``Store.connect``; never edit
#: one that has shipped (files that already ran it will not run it again).
MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_chat_state", (
        "CREATE TABLE chat_state (chat_key TEXT PRIMARY KEY, state TEXT NOT NULL, updated_at TEXT NOT NULL)",
    )),
)


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """The data folder: ``$FAQBOT_DATA_DIR``, else ``./data``."""
    return Path(environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)


def default_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The store file in the data folder."""
    return data_dir(environ) / FILE_NAME


def _now() -> str:
    return dtm.datetime.now(dtm.UTC).replace(microsecond=0).isoformat()


def _private_file(path: Path) -> None:
    """Create the folder (0700) and the file (0600) before SQLite opens it; tighten an existing file."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
        os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


class Store:
    """One connection to the data file; safe to share between threads (calls are serialised)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.path = path
        self._db = connection
        self._lock = threading.RLock()

    @classmethod
    def connect(cls, path: Path | str | None = None, migrations: Sequence[Migration] = ()) -> Store:
        """Open (creating if needed) the data file and bring its schema up to date."""
        path = Path(path) if path is not None else default_path()
        try:
            _private_file(path)
            db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the data file ({exc.strerror or exc}) — "
                             f"check that the folder is writable, or set {DATA_DIR_ENV}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the data file ({exc})") from exc
        store = cls(db, path)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            store.migrate((*MIGRATIONS, *migrations))
        except sqlite3.DatabaseError as exc:
            db.close()
            raise StoreError(f"{path}: this is not a usable SQLite data file ({exc}) — move it away and start "
                             f"again; the bot creates a new one") from exc
        return store

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``): committed at the end, rolled back on an exception."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def migrate(self, migrations: Sequence[Migration]) -> list[str]:
        """Run the migrations this file has not had yet; returns their names."""
        names = [m.name for m in migrations]
        if len(set(names)) != len(names):
            raise ValueError(f"migration names must be unique: {names}")
        with self.transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        applied: list[str] = []
        for migration in migrations:
            with self.transaction() as db:
                if db.execute("SELECT 1 FROM schema_migrations WHERE name = ?", (migration.name,)).fetchone():
                    continue
                for statement in migration.statements:
                    db.execute(statement)
                db.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", (migration.name, _now()))
                applied.append(migration.name)
        return applied

    def load_state(self, chat_key: str) -> ChatState:
        """The chat's state; a fresh state when there is none or it cannot be read."""
        with self._lock:
            row = self._db.execute("SELECT state FROM chat_state WHERE chat_key = ?", (chat_key,)).fetchone()
        return ChatState.from_json(row[0] if row else None)

    def save_state(self, chat_key: str, state: ChatState) -> None:
        """Store the chat's state (replacing the previous one) in one transaction."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO chat_state (chat_key, state, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(chat_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                (chat_key, state.to_json(), _now()),
            )

    def forget_idle(self, before: str) -> int:
        """Delete the states of chats idle since before ``before`` (an ISO date); returns how many went."""
        with self.transaction() as db:
            return int(db.execute("DELETE FROM chat_state WHERE updated_at < ?", (before,)).rowcount)

    def forget(self, chat_key: str) -> bool:
        """Delete the chat's state; True when there was one."""
        with self.transaction() as db:
            return db.execute("DELETE FROM chat_state WHERE chat_key = ?", (chat_key,)).rowcount > 0

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
