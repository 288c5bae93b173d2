"""The bot's SQLite files: the engine's state per chat (and other tables), readable only by the bot.

Only ``ChatState`` JSON is stored, keyed by a channel chat key such as ``telegram:12345``: no names,
usernames, phone numbers or message texts. The file lives in ``$FAQBOT_DATA_DIR`` (default ``./data``),
created with mode 0600 in a folder created with mode 0700. Writes are transactions in WAL mode, so a crash
never leaves half a write and several processes or threads may use the file at once. A chat state keeps
only the day it was last changed, so it cannot be lined up with anything else kept for staff.

Reads use a connection of their own: in WAL mode a reader is not held up by a writer, also not by another
process that holds the write lock. When the data file or its folder is deleted while the bot runs, the next
write notices it, logs it and creates them again (``Store.ensure_present``).

Other modules add their tables with their own migrations: ``Store.connect(path, [Migration(...)])``. Each
migration has a unique name and runs once per file, recorded in ``schema_migrations``.
"""

from __future__ import annotations

import datetime as dtm
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from bot.engine.state import ChatState

log = logging.getLogger(__name__)

DATA_DIR_ENV = "FAQBOT_DATA_DIR"
DEFAULT_DATA_DIR = Path("data")
FILE_NAME = "faqbot.sqlite3"
BUSY_TIMEOUT_S = 10.0  # a writer waits this long for another writer's lock
READ_TIMEOUT_S = 1.0  # a reader waits at most this long (only an exclusive lock by another process blocks it)


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
    Migration("0002_chat_state_day_only", (
        "UPDATE chat_state SET updated_at = substr(updated_at, 1, 10)",
    )),
)

#: What went wrong with a data file, by SQLite's primary result code (``sqlite3.Error.sqlite_errorcode``).
FAULT_KINDS = {5: "locked", 6: "locked", 8: "read-only", 10: "disk I/O error", 11: "damaged", 13: "disk full",
               14: "cannot open", 26: "not a database"}


#: Faults of the disk or of other programs: a write that hit one is tried again later.
PASSING_FAULTS = frozenset({"locked", "read-only", "disk I/O error", "disk full", "cannot open"})


def is_passing(exc: BaseException) -> bool:
    """True for a fault that may pass (a lock, a full disk), False for a write the file refuses for good."""
    return isinstance(exc, OSError) or (isinstance(exc, sqlite3.Error) and fault_kind(exc) in PASSING_FAULTS)


def fault_kind(exc: BaseException) -> str:
    """A short name for a storage fault: 'disk full', 'locked', 'disk I/O error', 'not a database', ..."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in FAULT_KINDS:
        return FAULT_KINDS[code & 0xFF]
    if isinstance(exc, OSError):
        return "disk full" if exc.errno == 28 else (exc.strerror or "file system error").lower()
    text = str(exc).lower()
    for needle, kind in (("full", "disk full"), ("locked", "locked"), ("i/o", "disk I/O error"),
                         ("not a database", "not a database"), ("readonly", "read-only")):
        if needle in text:
            return kind
    return type(exc).__name__


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """The data folder: ``$FAQBOT_DATA_DIR``, else ``./data``."""
    return Path(environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)


def default_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The store file in the data folder."""
    return data_dir(environ) / FILE_NAME


def today() -> str:
    """Today's date (UTC) in ISO form: the only time kept with a chat state."""
    return dtm.datetime.now(dtm.UTC).date().isoformat()


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


def _open_problem(path: Path, exc: BaseException) -> str:
    """One accurate line for a data file that cannot be opened or set up."""
    kind = fault_kind(exc)
    if kind == "disk full":
        return (f"{path}: the disk is full, so the data file cannot be created or updated — free some space "
                f"on that disk or set {DATA_DIR_ENV} to a folder on another disk")
    if kind in ("not a database", "damaged"):
        return (f"{path}: this is not a usable SQLite data file ({exc}) — move it away and start again; the "
                f"bot creates a new one")
    if kind == "read-only" or isinstance(exc, PermissionError):
        return f"{path}: the data file or its folder is read-only — make it writable or set {DATA_DIR_ENV}"
    if kind == "locked":
        return (f"{path}: another program keeps the data file locked — stop it (or another copy of the bot) "
                f"and start again")
    return f"{path}: cannot use the data file ({kind}: {exc}) — check the disk and the folder, or set {DATA_DIR_ENV}"


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)


class Store:
    """Connections to one data file; safe to share between threads (writes are serialised)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.path = path
        self._db = connection
        self._lock = threading.RLock()
        self._read_lock = threading.Lock()
        self._reader: sqlite3.Connection | None = None
        self._migrations: list[Migration] = []
        self._identity = self._file_identity()
        self.recreated = 0  # how often the file was found deleted and made again

    @classmethod
    def connect(cls, path: Path | str | None = None, migrations: Sequence[Migration] = (), *,
                chat_states: bool = True) -> Store:
        """Open (creating if needed) the data file and bring its schema up to date.

        ``chat_states=False`` leaves out the chat-state table (for a file of other tables, such as the inbox).
        """
        path = Path(path) if path is not None else default_path()
        db = cls._open(path)
        store = cls(db, path)
        try:
            store.migrate((*(MIGRATIONS if chat_states else ()), *migrations))
        except sqlite3.Error as exc:
            db.close()
            raise StoreError(_open_problem(path, exc)) from exc
        return store

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        try:
            _private_file(path)
            db = _connect(path, BUSY_TIMEOUT_S)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the data file ({exc.strerror or exc}) — "
                             f"check that the folder is writable and the disk not full, or set {DATA_DIR_ENV}"
                             ) from exc
        except sqlite3.Error as exc:
            raise StoreError(_open_problem(path, exc)) from exc
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA secure_delete=ON")  # deleted rows leave no readable trace in free pages
        except sqlite3.Error as exc:
            db.close()
            raise StoreError(_open_problem(path, exc)) from exc
        return db

    def _file_identity(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return st.st_dev, st.st_ino

    def ensure_present(self) -> bool:
        """Create the file (and folder) again when it was deleted or replaced; True when that happened.

        Checked before every write (a stat of the file). Call with the write lock held.
        """
        identity = self._file_identity()
        if identity is not None and identity == self._identity:
            return False
        log.warning("the data file %s was deleted or replaced while the bot ran; creating it again", self.path)
        try:
            db = self._open(self.path)
        except StoreError as exc:
            log.error("%s", exc)
            return False
        for old in (self._db, self._reader):
            if old is not None:
                old.close()
        self._db, self._reader = db, None
        self._identity = self._file_identity()
        self.recreated += 1
        done, self._migrations = self._migrations, []
        self.migrate(done)
        return True

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``): committed at the end, rolled back on an exception."""
        with self._lock:
            self.ensure_present()
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The read connection: not held up by writes (WAL), waits at most ``READ_TIMEOUT_S`` for a lock."""
        with self._read_lock:
            if self._reader is None:
                self._reader = _connect(self.path, READ_TIMEOUT_S)
            yield self._reader

    def migrate(self, migrations: Sequence[Migration]) -> list[str]:
        """Run the migrations this file has not had yet; returns their names."""
        names = [m.name for m in migrations]
        if len(set(names)) != len(names):
            raise ValueError(f"migration names must be unique: {names}")
        with self._lock:
            with self.transaction() as db:
                db.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                           "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            applied: list[str] = []
            for migration in migrations:
                with self.transaction() as db:
                    if not db.execute("SELECT 1 FROM schema_migrations WHERE name = ?", (migration.name,)).fetchone():
                        for statement in migration.statements:
                            db.execute(statement)
                        db.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                                   (migration.name, _now()))
                        applied.append(migration.name)
                if migration.name not in {m.name for m in self._migrations}:
                    self._migrations.append(migration)
        return applied

    def checkpoint(self) -> bool:
        """Fold the write-ahead log into the file and empty it (best effort: False when readers hold it).

        The log keeps recent writes in the order they were made, which could line up a chat's state with a
        question in the staff log; an emptied log keeps nothing."""
        with self._lock:
            try:
                busy = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except sqlite3.Error:
                return False
        return bool(busy) and busy[0] == 0

    def load_state(self, chat_key: str) -> ChatState:
        """The chat's state; a fresh state when there is none or it cannot be read."""
        with self.reading() as db:
            row = db.execute("SELECT state FROM chat_state WHERE chat_key = ?", (chat_key,)).fetchone()
        return ChatState.from_json(row[0] if row else None)

    def save_state(self, chat_key: str, state: ChatState) -> None:
        """Store the chat's state (replacing the previous one) in one transaction."""
        with self.transaction() as db:
            write_state(db, chat_key, state)

    def forget_idle(self, before: str) -> int:
        """Delete the states of chats idle since before ``before`` (an ISO date); returns how many went."""
        with self.transaction() as db:
            return int(db.execute("DELETE FROM chat_state WHERE updated_at < ?", (before,)).rowcount)

    def forget(self, chat_key: str) -> bool:
        """Delete the chat's state; True when there was one."""
        with self.transaction() as db:
            return db.execute("DELETE FROM chat_state WHERE chat_key = ?", (chat_key,)).rowcount > 0

    def close(self) -> None:
        """Close the connections."""
        with self._lock, self._read_lock:
            self._db.close()
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def write_state(db: sqlite3.Connection, chat_key: str, state: ChatState) -> None:
    """Upsert one chat state inside an open transaction (the day only, no time)."""
    db.execute(
        "INSERT INTO chat_state (chat_key, state, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(chat_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        (chat_key, state.to_json(), today()),
    )
