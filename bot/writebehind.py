"""Writes to a data file from one thread of their own, so a slow, locked or full disk never holds up a chat.

Callers queue a job (a function of an open transaction) and get a ``Future`` that is done once the job is
committed. Jobs with the same key replace each other while they wait: only the newest chat state of a chat
is written, and "update 7 is done" replaces "store update 7". The thread writes whatever is waiting in one
transaction. When the disk is full, the file is locked by another program or the disk fails, the jobs stay
queued and are tried again with a growing pause; the fault is logged once when it starts and once when it
ends, and counted per kind (``faults``) for ``/stats``.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass, field

from bot.store import Store, fault_kind, is_passing

log = logging.getLogger(__name__)

Job = Callable[[sqlite3.Connection], None]
BATCH = 500  # jobs per transaction at most
FIRST_PAUSE_S = 0.05
CHECKPOINT_S = 2.0  # after this long without writes, the write-ahead log is emptied (see Store.checkpoint)
LONGEST_PAUSE_S = 2.0


@dataclass
class _Waiting:
    job: Job
    futures: list[Future[None]] = field(default_factory=list)


class WriteBehind:
    """One writer thread over a ``Store``; ``submit`` never blocks."""

    def __init__(self, store: Store, name: str) -> None:
        self.store = store
        self.name = name
        self.faults: Counter[str] = Counter()  # kind -> how many times a write hit it
        self._waiting: OrderedDict[Hashable, _Waiting] = OrderedDict()
        self._changed = threading.Condition()
        self._busy = False
        self._closing = False
        self._failing: str | None = None
        self._failing_since = 0.0
        self._dirty = False  # written since the write-ahead log was last emptied
        self._thread = threading.Thread(target=self._run, name=f"writer-{name}", daemon=True)
        self._thread.start()

    @property
    def waiting(self) -> int:
        """How many jobs are not written yet."""
        with self._changed:
            return len(self._waiting) + (1 if self._busy else 0)

    @property
    def failing(self) -> str | None:
        """The kind of fault writes are hitting now, or None when they work."""
        return self._failing

    def submit(self, key: Hashable | None, job: Job) -> Future[None]:
        """Queue ``job``; a waiting job with the same key is replaced (its future is done with this one)."""
        future: Future[None] = Future()
        with self._changed:
            if self._closing:
                future.set_exception(RuntimeError(f"the {self.name} writer is closed"))
                return future
            slot = key if key is not None else object()
            waiting = self._waiting.get(slot)
            if waiting is None:
                self._waiting[slot] = _Waiting(job, [future])
            else:
                waiting.job = job
                waiting.futures.append(future)
            self._changed.notify_all()
        return future

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything queued so far is written; False when that took longer than ``timeout``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            while self._waiting or self._busy:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def close(self, timeout: float = 5.0) -> bool:
        """Write what is waiting (for at most ``timeout``) and stop the thread; False when jobs were left."""
        flushed = self.flush(timeout)
        with self._changed:
            self._closing = True
            left = list(self._waiting.values())
            self._waiting.clear()
            self._changed.notify_all()
        for waiting in left:
            for future in waiting.futures:
                future.set_exception(RuntimeError(f"the {self.name} writer closed before this was written"))
        if left:
            log.error("%d %s write(s) could not be made before the bot stopped (%s)", len(left), self.name,
                      self._failing or "stopped")
        self._thread.join(timeout)
        return flushed and not left

    def _take(self) -> list[_Waiting] | None:
        with self._changed:
            while not self._waiting and not self._closing:
                if not self._changed.wait(CHECKPOINT_S if self._dirty else None):
                    return []  # idle for a while after writing: time to empty the write-ahead log
            if self._closing:
                return None
            batch: list[_Waiting] = []
            while self._waiting and len(batch) < BATCH:
                batch.append(self._waiting.popitem(last=False)[1])
            self._busy = True
            return batch

    def _put_back(self, batch: list[_Waiting]) -> None:
        """Queue a failed batch again, before anything newer with the same key (the newer job wins)."""
        with self._changed:
            newer = self._waiting
            self._waiting = OrderedDict((object(), waiting) for waiting in batch)
            self._waiting.update(newer)

    def _run(self) -> None:
        pause = FIRST_PAUSE_S
        while True:
            batch = self._take()
            if batch is None:
                return
            if not batch:
                self._dirty = not self.store.checkpoint()
                continue
            try:
                written = self._write(batch)
            finally:
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()
            if written:
                pause = FIRST_PAUSE_S
                self._dirty = True
                continue
            with self._changed:
                self._changed.wait_for(lambda: self._closing, pause)
            pause = min(LONGEST_PAUSE_S, pause * 2)

    def _write(self, batch: list[_Waiting]) -> bool:
        """Write the batch in one transaction; True when done (also when single jobs were refused)."""
        try:
            with self.store.transaction() as db:
                for waiting in batch:
                    waiting.job(db)
        except Exception as exc:
            if not is_passing(exc):  # a job the file refuses: the others are written one by one
                self._one_by_one(batch)
                return True
            self._fault(exc)
            self._put_back(batch)
            return False
        self._recovered(len(batch))
        for waiting in batch:
            for future in waiting.futures:
                future.set_result(None)
        return True

    def _one_by_one(self, batch: list[_Waiting]) -> None:
        """A job the file refuses (a bug, not a fault of the disk) must not block the others."""
        for waiting in batch:
            try:
                with self.store.transaction() as db:
                    waiting.job(db)
            except Exception as exc:
                if is_passing(exc):  # the disk failed in the middle: try again later
                    self._fault(exc)
                    self._put_back([waiting])
                    continue
                log.error("a %s write was refused and dropped: %s", self.name, type(exc).__name__)
                for future in waiting.futures:
                    future.set_exception(exc)
            else:
                for future in waiting.futures:
                    future.set_result(None)

    def _fault(self, exc: BaseException) -> None:
        kind = fault_kind(exc)
        self.faults[kind] += 1
        if self._failing != kind:
            log.error("cannot write the %s to %s (%s); replies still go out, and the writes are kept in "
                      "memory and tried again", self.name, self.store.path, kind)
            self._failing, self._failing_since = kind, time.monotonic()

    def _recovered(self, count: int) -> None:
        if self._failing is not None:
            log.warning("writing the %s works again after %.0f s (%s); %d waiting write(s) made", self.name,
                        time.monotonic() - self._failing_since, self._failing, count)
            self._failing = None
