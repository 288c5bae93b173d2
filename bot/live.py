"""Live content: the engine over the last good content, reloaded when files change or on request.

Channels hold a `LiveBot` and ask it for the current engine on every update, so a reload never interrupts a
conversation: chat state lives in the store and refers to intents and check steps by id.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.content import Content, Problem, check_content
from bot.content.files import content_paths
from bot.engine import Engine
from bot.nlu import Understander

log = logging.getLogger(__name__)

Snapshot = tuple[tuple[str, int, int], ...]


class EngineSource(Protocol):
    """Anything that hands out the engine to use now (a LiveBot, or a fixed engine in tests)."""

    @property
    def engine(self) -> Engine: ...


@dataclass(frozen=True)
class FixedEngine:
    """An engine that never changes (tests, one-off commands)."""

    engine: Engine


def as_source(engine: Engine | EngineSource) -> EngineSource:
    """Wrap a bare engine so channels can always ask ``source.engine``."""
    return FixedEngine(engine) if isinstance(engine, Engine) else engine


def snapshot(root: Path) -> Snapshot:
    """Names, sizes and modification times of every content file (cheap to compare; nothing is opened)."""
    entries = []
    for path in content_paths(root):
        try:
            stat = os.stat(root / path)
        except OSError:  # a broken link: its own entry still changes when it is added or removed
            try:
                stat = os.lstat(root / path)
            except OSError:
                continue
        entries.append((path, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(entries))


@dataclass(frozen=True)
class ReloadResult:
    """What a reload did: whether new content is serving, and the problems found (shown to staff)."""

    ok: bool
    changed: bool
    problems: tuple[Problem, ...]

    def summary(self) -> str:
        """One line for logs and for the admin who asked."""
        errors = [p for p in self.problems if p.severity == "error"]
        if self.ok:
            return "content reloaded" if self.changed else "content unchanged"
        return f"content NOT reloaded ({len(errors)} problem(s)); the last good content keeps serving"


@dataclass(frozen=True)
class _Loaded:
    """A finished load, made in a worker thread and put to use on the event loop."""

    number: int  # loads are numbered in the order they read the files; an older one never replaces a newer one
    changed: bool
    engine: Engine | None
    problems: tuple[Problem, ...]


class LiveBot:
    """Holds the engine built from the last good content and replaces it when content changes.

    Loading (reading, checking, indexing) is slow and runs in a worker thread for the watcher, SIGHUP and
    `reload_async`, so the event loop keeps serving every chat meanwhile; `reload` may be called from any thread
    (Telegram's /reload calls it in a worker thread). One load runs at a time.
    """

    def __init__(self, root: Path, content: Content) -> None:
        self.root = root
        self._stamp = snapshot(root)
        self.engine = Engine(content, Understander(content))
        self.last_problems: tuple[Problem, ...] = ()
        self._listeners: list[Callable[[ReloadResult], None]] = []
        self._loading = threading.Lock()  # held while a load reads and checks the files
        self._swapping = threading.Lock()  # held while a finished load is put to use
        self._loads = 0  # loads started
        self._serving = 0  # the number of the load now serving (0: the one given to __init__)
        self._background: set[asyncio.Task[ReloadResult]] = set()

    @classmethod
    def load(cls, root: Path) -> tuple[LiveBot | None, list[Problem]]:
        """Load content from ``root``; None with the problems when it is not valid."""
        content, problems = check_content(root)
        if content is None:
            return None, problems
        return cls(root, content), problems

    @property
    def content(self) -> Content:
        """The content now serving."""
        return self.engine.content

    def on_reload(self, listener: Callable[[ReloadResult], None]) -> None:
        """Call ``listener`` after every reload attempt (on the event loop for the watcher, SIGHUP and
        `reload_async`; on the caller's thread for `reload`)."""
        self._listeners.append(listener)

    def reload(self, force: bool = True) -> ReloadResult:
        """Reload now, blocking the caller (or, with force=False, only if files changed); invalid content keeps the
        old engine. Code on an event loop uses `reload_async`."""
        return self._use(self._load(force))

    async def reload_async(self, force: bool = True) -> ReloadResult:
        """`reload` with the slow part in a worker thread: the event loop keeps serving while content loads."""
        return self._use(await asyncio.to_thread(self._load, force))

    def _load(self, force: bool) -> _Loaded:
        """Read, check and index the content (slow; touches no state the channels read)."""
        with self._loading:
            stamp = snapshot(self.root)
            self._loads += 1
            if not force and stamp == self._stamp:
                return _Loaded(self._loads, False, None, ())
            self._stamp = stamp
            content, problems = check_content(self.root)
            engine = None if content is None else Engine(content, Understander(content))
            return _Loaded(self._loads, True, engine, tuple(problems))

    def _use(self, loaded: _Loaded) -> ReloadResult:
        """Serve a finished load if it is valid and newer than the content serving; tell the listeners."""
        if not loaded.changed:
            return ReloadResult(True, False, ())
        result = ReloadResult(loaded.engine is not None, True, loaded.problems)
        with self._swapping:
            if loaded.number < self._serving:  # a newer load finished first: it reflects the files better
                return result
            self._serving = loaded.number
            if loaded.engine is not None:
                self.engine = loaded.engine
            self.last_problems = result.problems
        if loaded.engine is None:
            errors = [str(p) for p in loaded.problems if p.severity == "error"]
            log.warning("%s:\n%s", result.summary(), "\n".join(errors))
        else:
            log.info("%s from %s", result.summary(), self.root)
        for listener in self._listeners:
            listener(result)
        return result

    async def watch(self, interval: float = 1.0) -> None:
        """Poll the content files and reload within ``interval`` seconds of a change (runs until cancelled)."""
        while True:
            await asyncio.sleep(interval)
            try:
                if await asyncio.to_thread(snapshot, self.root) != self._stamp:
                    await asyncio.sleep(0.2)  # let an editor finish writing all files
                    await self.reload_async(force=False)
            except Exception:  # never let the watcher die: the bot keeps serving
                log.exception("content watcher failed; trying again")

    def install_sighup(self, loop: asyncio.AbstractEventLoop) -> bool:
        """Reload on SIGHUP (Unix), in the background; returns False where signals are not available."""
        import signal

        try:
            loop.add_signal_handler(signal.SIGHUP, self._reload_in_background, loop)
        except (NotImplementedError, AttributeError, RuntimeError, ValueError):
            return False
        return True

    def _reload_in_background(self, loop: asyncio.AbstractEventLoop) -> None:
        task = loop.create_task(self.reload_async())
        self._background.add(task)  # keep a reference until it is done
        task.add_done_callback(self._background_done)

    def _background_done(self, task: asyncio.Task[ReloadResult]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("content reload on SIGHUP failed; the last good content keeps serving",
                      exc_info=task.exception())
