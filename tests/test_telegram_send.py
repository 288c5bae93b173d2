"""Retries of Telegram calls: flood control waits as asked, transient errors back off, the rest fail at once."""

from __future__ import annotations

import asyncio
import datetime as dtm

import pytest
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.channels.telegram.send import RetryPolicy, retry_seconds, transient, with_retries

FAST = RetryPolicy(attempts=4, base_delay=0.001, max_delay=0.002)


class Flaky:
    """A call that raises the given errors first, then returns 'sent'."""

    def __init__(self, *errors: TelegramError) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "sent"


@pytest.mark.parametrize(("errors", "calls"), [
    ((), 1),
    ((NetworkError("Bad Gateway"),), 2),
    ((TimedOut(), NetworkError("Internal Server Error")), 3),
    ((RetryAfter(0),), 2),
])
async def test_transient_errors_are_retried(errors: tuple[TelegramError, ...], calls: int) -> None:
    call = Flaky(*errors)
    assert await with_retries(call, FAST, "sendMessage") == "sent"
    assert call.calls == calls


@pytest.mark.parametrize("error", [BadRequest("Bad Request: chat not found"), Forbidden("bot was blocked"),
                                   InvalidToken(), TelegramError("other")])
async def test_permanent_errors_are_raised_at_once(error: TelegramError) -> None:
    call = Flaky(error)
    with pytest.raises(type(error)):
        await with_retries(call, FAST, "sendMessage")
    assert call.calls == 1


async def test_the_number_of_tries_is_bounded() -> None:
    call = Flaky(*[NetworkError("Bad Gateway")] * 10)
    with pytest.raises(NetworkError):
        await with_retries(call, FAST, "sendMessage")
    assert call.calls == FAST.attempts


async def test_flood_control_waits_as_long_as_telegram_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    call = Flaky(RetryAfter(7), NetworkError("Bad Gateway"), NetworkError("Bad Gateway"))
    await with_retries(call, RetryPolicy(attempts=5, base_delay=1.0, max_delay=3.0), "sendMessage")
    assert waits == [pytest.approx(7.1), 2.0, 3.0]  # backoff doubles per try, up to max_delay


def test_helpers() -> None:
    assert retry_seconds(RetryAfter(dtm.timedelta(seconds=3))) == 3.0
    assert [transient(e) for e in (TimedOut(), BadRequest("x"), RetryAfter(1), Forbidden("x"))] == [
        True, False, True, False]
    assert [RetryPolicy(base_delay=1, max_delay=5).backoff(n) for n in (1, 2, 3, 4)] == [1, 2, 4, 5]
