"""The durable update inbox: every update from Telegram is on disk before Telegram is told it arrived.

A file of its own in the data folder (``inbox.sqlite3``), so a lock on the chat-state file never holds up
new updates. A row holds an update's JSON until its replies were sent; then the JSON is deleted and only
the update id stays (to recognise an update Telegram sends again), for ``KEEP_DONE`` ids. On start the
updates that were stored but not finished are handled first. Writes go through a ``WriteBehind`` thread.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections import OrderedDict
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from bot.store import Migration, Store, today
from bot.writebehind import WriteBehind

log = logging.getLogger(__name__)

FILE_NAME = "inbox.sqlite3"
KEEP_DONE = 10_000  # ids of finished updates remembered (on disk and in memory) to skip redeliveries

MIGRATIONS: tuple[Migration, ...] = (
    Migration("inbox_0001", (
        # payload NULL: finished. received: the day only.
        "CREATE TABLE inbox (update_id INTEGER PRIMARY KEY, payload TEXT, received TEXT NOT NULL)",
    )),
)


def _store(db: sqlite3.Connection, update_id: int, payload: str) -> None:
    db.execute("INSERT OR IGNORE INTO inbox (update_id, payload, received) VALUES (?, ?, ?)",
               (update_id, payload, today()))


def _finish(db: sqlite3.Connection, update_id: int) -> None:
    db.execute("INSERT INTO inbox (update_id, payload, received) VALUES (?, NULL, ?) "
               "ON CONFLICT(update_id) DO UPDATE SET payload = NULL", (update_id, today()))
    if update_id % 1000 == 0:  # now and then: forget old finished ids
        db.execute("DELETE FROM inbox WHERE payload IS NULL AND update_id < ?", (update_id - KEEP_DONE,))


class Inbox:
    """The inbox file and its writer."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.writer = WriteBehind(store, "update inbox")
        self._finished: OrderedDict[int, None] = OrderedDict()

    @classmethod
    def open(cls, folder: Path) -> Inbox:
        """Open (creating) the inbox in the data folder; raises ``StoreError`` with a clear message."""
        return cls(Store.connect(folder / FILE_NAME, MIGRATIONS, chat_states=False))

    def unfinished(self) -> list[dict[str, Any]]:
        """The updates stored but not finished, oldest first (unreadable rows are dropped with a log line)."""
        with self.store.reading() as db:
            rows = db.execute("SELECT update_id, payload FROM inbox WHERE payload IS NOT NULL "
                              "ORDER BY update_id").fetchall()
            for (update_id,) in db.execute("SELECT update_id FROM inbox WHERE payload IS NULL "
                                           "ORDER BY update_id DESC LIMIT ?", (KEEP_DONE,)).fetchall()[::-1]:
                self._remember(update_id)
        updates = []
        for update_id, payload in rows:
            try:
                update = json.loads(payload)
            except ValueError:
                update = None
            if isinstance(update, dict):
                updates.append(update)
            else:
                log.error("update %s in the inbox cannot be read; it is skipped", update_id)
                self.finish(update_id)
        return updates

    def last_id(self) -> int | None:
        """The highest update id ever stored (Telegram may be told that everything up to it arrived)."""
        with self.store.reading() as db:
            row = db.execute("SELECT MAX(update_id) FROM inbox").fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def is_finished(self, update_id: int) -> bool:
        """True for an update handled before (a redelivery)."""
        return update_id in self._finished

    def keep(self, update_id: int, update: dict[str, Any]) -> Future[None]:
        """Store an update; the future is done once it is on disk."""
        payload = json.dumps(update, separators=(",", ":"))  # ASCII: even a lone surrogate is stored
        return self.writer.submit(update_id, lambda db: _store(db, update_id, payload))

    def finish(self, update_id: int) -> Future[None]:
        """Mark an update handled: its JSON is deleted, the id kept."""
        self._remember(update_id)
        return self.writer.submit(update_id, lambda db: _finish(db, update_id))

    def _remember(self, update_id: int) -> None:
        self._finished[update_id] = None
        while len(self._finished) > KEEP_DONE:
            self._finished.popitem(last=False)

    def close(self, timeout: float = 5.0) -> bool:
        """Write what is waiting, stop the writer and close the file."""
        written = self.writer.close(timeout)
        self.store.close()
        return written
