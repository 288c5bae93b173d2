"""The rate limiter: Telegram's 30 messages a second overall, about one a second per private chat, and a
gateway error (the request never reached the Bot API) gives its place back."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram.error import NetworkError, RetryAfter

from bot.channels.telegram.ratelimit import OVERALL_PER_SECOND, TelegramRateLimiter


async def test_a_gateway_error_gives_its_place_back() -> None:
    limiter = TelegramRateLimiter()
    await limiter.initialize()

    async def fails(*_: Any, **__: Any) -> dict[str, Any]:
        raise NetworkError("Bad Gateway")

    for _ in range(OVERALL_PER_SECOND * 2):  # far more than a second's worth: none of them counts
        with pytest.raises(NetworkError):
            await asyncio.wait_for(limiter.process_request(fails, (), {}, "sendMessage", {"chat_id": 5}, None), 1)
    assert limiter._base_limiter is not None and limiter._base_limiter.has_capacity(OVERALL_PER_SECOND)
    await limiter.shutdown()


async def test_flood_control_for_one_chat_does_not_stop_another() -> None:
    limiter = TelegramRateLimiter()
    await limiter.initialize()
    calls: list[int] = []

    async def send(chat: int) -> dict[str, Any]:
        calls.append(chat)
        if chat == 1 and calls.count(1) == 1:
            raise RetryAfter(2)
        return {"ok": True}

    slow = asyncio.create_task(limiter.process_request(lambda: send(1), (), {}, "sendMessage", {"chat_id": 1}, None))
    await asyncio.sleep(0.05)
    await asyncio.wait_for(limiter.process_request(lambda: send(2), (), {}, "sendMessage", {"chat_id": 2}, None), 1)
    assert calls == [1, 2] and not slow.done()  # chat 2 went out while chat 1 waits its 2 s
    assert await slow == {"ok": True}
    await limiter.shutdown()
