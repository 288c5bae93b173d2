"""Live content: the engine over the last good content, reloaded when files change or on request.

Channels hold a `LiveBot` and ask it for the current engine on every update, so a reload never interrupts a
conversation: chat state lives in the store and refers to intents and check steps by id.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.content import Content, Problem, check_content
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
    """Names, sizes and modification times of every content file (cheap to compare)."""
    entries = []
    for pattern in ("intents/*.y*ml", "answers/*/*.y*ml"):
        for path in root.glob(pattern):
            try:
                stat = path.stat()
            except OSError:
                continue
            entries.append((path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns))
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


class LiveBot:
    """Holds the engine built from the last good content and replaces it when content changes."""

    def __init__(self, root: Path, content: Content) -> None:
        self.root = root
        self._stamp = snapshot(root)
        self.engine = Engine(content, Understander(content))
        self.last_problems: tuple[Problem, ...] = ()
        self._listeners: list[Callable[[ReloadResult], None]] = []

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
        """Call ``listener`` after every reload attempt."""
        self._listeners.append(listener)

    def reload(self, force: bool = True) -> ReloadResult:
        """Reload now (or, with force=False, only if files changed); invalid content keeps the old engine."""
        stamp = snapshot(self.root)
        if not force and stamp == self._stamp:
            return ReloadResult(True, False, ())
        self._stamp = stamp
        content, problems = check_content(self.root)
        if content is None:
            result = ReloadResult(False, True, tuple(problems))
            log.warning("%s:\n%s", result.summary(), "\n".join(str(p) for p in problems if p.severity == "error"))
        else:
            self.engine = Engine(content, Understander(content))
            result = ReloadResult(True, True, tuple(problems))
            log.info("%s from %s", result.summary(), self.root)
        self.last_problems = result.problems
        for listener in self._listeners:
            listener(result)
        return result

    async def watch(self, interval: float = 1.0) -> None:
        """Poll the content files and reload within ``interval`` seconds of a change (runs until cancelled)."""
        while True:
            await asyncio.sleep(interval)
            try:
                if snapshot(self.root) != self._stamp:
                    await asyncio.sleep(0.2)  # let an editor finish writing all files
                    self.reload(force=False)
            except Exception:  # never let the watcher die: the bot keeps serving
                log.exception("content watcher failed; trying again")

    def install_sighup(self, loop: asyncio.AbstractEventLoop) -> bool:
        """Reload on SIGHUP (Unix); returns False where signals are not available."""
        import signal

        try:
            loop.add_signal_handler(signal.SIGHUP, self.reload)
        except (NotImplementedError, AttributeError, RuntimeError, ValueError):
            return False
        return True
