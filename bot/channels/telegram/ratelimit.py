"""Telegram's documented sending limits: about 30 messages a second overall, 20 a minute per group, and
about one a second per chat (short bursts allowed).

python-telegram-bot's ``AIORateLimiter`` does the first two; this adds the per-chat limit for private chats.
A request waiting for its chat's turn does not hold up other chats. A flood-control answer (429) to a
message for a private chat pauses that chat only (``AIORateLimiter`` would pause every chat); other 429s
pause everything, as Telegram asks. A gateway error (502/503/504) gives its place in the 30/s back: the
request never reached the Bot API.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter

from bot.channels.telegram.send import retry_seconds

log = logging.getLogger(__name__)
GATEWAY_ERRORS = ("bad gateway", "service unavailable", "gateway time")


def is_gateway_error(exc: NetworkError) -> bool:
    """A 502/503/504 from the network in front of the Bot API (not a time-out: that message may have gone out)."""
    return not isinstance(exc, BadRequest | TimedOut) and any(e in str(exc).lower() for e in GATEWAY_ERRORS)

JSONDict = dict[str, Any]
OVERALL_PER_SECOND = 30
GROUP_PER_MINUTE = 20
CHAT_BURST = 3  # messages a private chat may get at once; then one a second
RETRIES = 3  # retries on 429 inside the limiter, before bot.channels.telegram.send sees RetryAfter
KEEP_CHAT_LIMITERS = 1024  # idle per-chat limiters are dropped beyond this many


class TelegramRateLimiter(AIORateLimiter):
    """``AIORateLimiter`` at Telegram's limits, plus about one message a second per private chat."""

    def __init__(self) -> None:
        super().__init__(overall_max_rate=OVERALL_PER_SECOND, overall_time_period=1,
                         group_max_rate=GROUP_PER_MINUTE, group_time_period=60, max_retries=RETRIES)
        self._chats: dict[int, AsyncLimiter] = {}

    def _refund(self) -> None:
        """Give back the overall limiter's place of a request that never reached the Bot API.

        python-telegram-bot's limiter is aiolimiter's AsyncLimiter (``_base_limiter``), whose ``_level`` is the
        used capacity; both are pinned by pyproject.toml (python-telegram-bot < 23)."""
        limiter = getattr(self, "_base_limiter", None)
        level = getattr(limiter, "_level", None)
        if limiter is not None and isinstance(level, float | int):
            limiter._level = max(0.0, float(level) - 1.0)

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter:
        if len(self._chats) > KEEP_CHAT_LIMITERS:
            for key, limiter in list(self._chats.items()):
                if key != chat_id and limiter.has_capacity(CHAT_BURST):
                    del self._chats[key]
        if chat_id not in self._chats:
            self._chats[chat_id] = AsyncLimiter(CHAT_BURST, CHAT_BURST)
        return self._chats[chat_id]

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        chat_id = data.get("chat_id")
        if not (isinstance(chat_id, int) and chat_id > 0 and endpoint.startswith("send")):
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        for attempt in range(RETRIES + 1):
            async with self._chat_limiter(chat_id):
                try:
                    return await self._run_request(chat=True, group=False, allow_paid_broadcast=False,
                                                   callback=callback, args=args, kwargs=kwargs)
                except RetryAfter as exc:
                    if attempt == RETRIES:
                        raise
                    wait = retry_seconds(exc) + 0.1
                except NetworkError as exc:
                    if is_gateway_error(exc):
                        self._refund()  # a 502/503/504 never reached the Bot API: it used none of the 30/s
                    raise
            log.info("flood control for one chat: it waits %.1f s", wait)
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")
