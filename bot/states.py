"""Chat states for a running channel: newest in memory, read from the store off the event loop, written behind.

A reply never waits for the disk. ``load`` returns the state from memory when the chat was active recently,
else reads it in a worker thread (the read connection is not held up by writers). ``save`` keeps the new
state in memory and queues the write (``bot.writebehind``); until it is written, the memory copy is the one
used, so a locked or full disk costs nothing but durability, and a chat never sees an older state.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections import OrderedDict
from concurrent.futures import Future

from bot.engine.state import ChatState
from bot.store import Store, fault_kind, write_state
from bot.writebehind import WriteBehind

log = logging.getLogger(__name__)

KEEP_IN_MEMORY = 10_000  # recently used chats whose state is kept in memory (written ones may be dropped)
READ_WAIT_S = 1.5  # the longest a chat waits for its stored state before it goes on with a fresh one


class ChatStates:
    """The chat states of one channel over a ``Store``."""

    def __init__(self, store: Store, capacity: int = KEEP_IN_MEMORY) -> None:
        self.store = store
        self.writer = WriteBehind(store, "chat states")
        self.capacity = capacity
        self.read_faults = 0
        self._recent: OrderedDict[str, ChatState] = OrderedDict()
        self._unwritten: dict[str, Future[None]] = {}  # also changed by the writer thread: under _guard
        self._guard = threading.Lock()
        self._read_failing: str | None = None

    async def load(self, chat_key: str) -> ChatState:
        """The chat's newest state; a fresh one when it cannot be read in time (logged once per fault kind)."""
        state = self._recent.get(chat_key)
        if state is not None:
            self._recent.move_to_end(chat_key)
            return state
        try:
            state = await asyncio.wait_for(asyncio.to_thread(self.store.load_state, chat_key), READ_WAIT_S)
        except (TimeoutError, sqlite3.Error, OSError) as exc:
            self.read_faults += 1
            kind = "too slow" if isinstance(exc, TimeoutError) else fault_kind(exc)
            if kind != self._read_failing:
                log.error("cannot read chat states from %s (%s); chats go on with a fresh state", self.store.path,
                          kind)
                self._read_failing = kind
            return self._recent.get(chat_key) or ChatState()
        self._read_failing = None
        return self._recent.get(chat_key) or state  # a save while reading wins

    def peek(self, chat_key: str) -> ChatState | None:
        """The state in memory, without reading the store."""
        return self._recent.get(chat_key)

    def save(self, chat_key: str, state: ChatState) -> Future[None]:
        """Keep ``state`` as the chat's newest and queue it to be written."""
        self._recent[chat_key] = state
        self._recent.move_to_end(chat_key)
        future = self.writer.submit(("state", chat_key), lambda db: write_state(db, chat_key, state))
        with self._guard:
            self._unwritten[chat_key] = future
        future.add_done_callback(lambda done: self._written(chat_key, done))
        self._trim()
        return future

    def _written(self, chat_key: str, future: Future[None]) -> None:
        with self._guard:
            if self._unwritten.get(chat_key) is future:
                del self._unwritten[chat_key]

    def _trim(self) -> None:
        """Forget the oldest written states beyond the capacity (unwritten ones stay)."""
        excess = len(self._recent) - self.capacity
        if excess <= 0:
            return
        with self._guard:
            unwritten = set(self._unwritten)
        for chat_key in list(self._recent):
            if excess <= 0:
                break
            if chat_key not in unwritten:
                del self._recent[chat_key]
                excess -= 1

    @property
    def write_faults(self) -> dict[str, int]:
        """How often writing states hit each kind of fault."""
        return dict(self.writer.faults)

    def close(self, timeout: float = 5.0) -> bool:
        """Write what is waiting and stop the writer thread."""
        return self.writer.close(timeout)
