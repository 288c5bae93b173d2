"""Change notification for async waiters and the subscriber bus for bot-side events."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from .models import Event, EventCallback

log = logging.getLogger(__name__)


class ChangeSignal:
    """Wakes every coroutine waiting for "something changed"; safe across event loops."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify(self) -> None:
        """Wake all current waiters (call from the event loop's thread)."""
        waiters, self._waiters = self._waiters, set()
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def wait(self, timeout: float | None) -> bool:
        """Wait for the next :meth:`notify`; ``False`` when ``timeout`` seconds pass first."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            return False
        finally:
            self._waiters.discard(waiter)
        return True

    async def wait_until(self, predicate: Callable[[], bool], timeout: float | None) -> bool:
        """Wait until ``predicate()`` is true (checked after every change); ``False`` on timeout."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while not predicate():
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return False
            await self.wait(remaining)
        return True


class EventBus:
    """Calls subscribers with every event; a failing subscriber is logged and never breaks the emulator."""

    def __init__(self) -> None:
        self._subscribers: list[EventCallback] = []
        self._tasks: set[asyncio.Future[Any]] = set()

    def subscribe(self, callback: EventCallback) -> Callable[[], None]:
        """Register ``callback``; returns a function that unsubscribes it."""
        self._subscribers.append(callback)
        return lambda: self.unsubscribe(callback)

    def unsubscribe(self, callback: EventCallback) -> None:
        """Remove ``callback`` (no error when it is not subscribed)."""
        if callback in self._subscribers:
            self._subscribers.remove(callback)

    def publish(self, event: Event) -> None:
        """Deliver ``event`` to every subscriber; awaitable results are scheduled as tasks."""
        for callback in list(self._subscribers):
            try:
                result = callback(event)
            except Exception:
                log.exception("telegram emulator subscriber %r failed", callback)
                continue
            if inspect.isawaitable(result):
                self._schedule(result)

    def _schedule(self, awaitable: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(awaitable)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("telegram emulator subscriber task failed", exc_info=task.exception())
