"""Calls to Telegram that must not get lost: retried on flood control, time-outs and network or 5xx errors.

Flood control (429, ``RetryAfter``) waits as long as Telegram asks; other transient errors back off
exponentially. Errors that a retry cannot fix (400 Bad Request, 403 Forbidden, a rejected token) are raised at
once. Trade-off: after ``TimedOut`` Telegram may have delivered the message anyway, and the retry sends it a
second time. A message shown twice is better than an answer that never arrives.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry: ``attempts`` tries in all, waits doubling from ``base_delay``."""

    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 30.0

    def backoff(self, attempt: int) -> float:
        """The wait after failed try number ``attempt`` (1-based)."""
        return float(min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


def retry_seconds(exc: RetryAfter) -> float:
    """How long Telegram asks to wait, in seconds (PTB gives an int or a timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


def transient(exc: BaseException) -> bool:
    """True for errors a later try may not have: flood control, time-outs, network and 5xx errors."""
    return isinstance(exc, RetryAfter | TimedOut) or (isinstance(exc, NetworkError) and not isinstance(exc, BadRequest))


async def with_retries(call: Callable[[], Awaitable[T]], policy: RetryPolicy, what: str) -> T:
    """Await ``call()`` until it succeeds, retrying transient errors; the last error is raised."""
    attempt = 1
    while True:
        try:
            return await call()
        except (RetryAfter, NetworkError) as exc:
            if not transient(exc) or attempt >= policy.attempts:
                raise
            delay = retry_seconds(exc) + 0.1 if isinstance(exc, RetryAfter) else policy.backoff(attempt)
            log.warning("%s failed (%s: %s); try %d of %d in %.1f s", what, type(exc).__name__, exc,
                        attempt + 1, policy.attempts, delay)
            await asyncio.sleep(delay)
            attempt += 1
