"""Updates in: fetched by long polling (or posted to the webhook), kept in the inbox, handed to the handlers.

The order of events for one update:

1. it arrives (``getUpdates`` or a webhook POST) and is queued to be stored in the inbox;
2. handling starts at once, in memory: one chat in order, different chats side by side;
3. Telegram is told it arrived only once it is stored: by the ``offset`` of the next ``getUpdates``, or by
   the webhook's 200 answer;
4. after its replies were sent it is marked finished.

So a crash loses nothing: an update not stored yet is sent again by Telegram, a stored one is handled again
on start. A crash between sending and marking gives at most one duplicate reply. An update that
python-telegram-bot cannot read is skipped with one log line (its id and type, never its content) and never
holds up the others. When the inbox cannot be written (disk full, locked), replies still go out; polling
then holds back the confirmation (Telegram keeps the updates) for up to ``STUCK_S`` and says so in the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping
from concurrent.futures import Future
from typing import Any

from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from bot.channels.telegram.inbox import Inbox
from bot.channels.telegram.send import retry_seconds

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]

#: Edited messages are not asked for (and would be ignored): the bot answers what was sent.
ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY)
CONCURRENCY = 256  # updates handled side by side (waiting for a chat's turn or the rate limiter takes no slot)
BATCH = 100  # getUpdates limit (Telegram's maximum)
STORE_WAIT_S = 0.5  # how long confirming waits for the inbox before the next poll
REPOLL_PAUSE_S = 0.25  # pause before asking again when only updates not stored yet came back
STUCK_S = 30.0  # polling confirms updates it could not store after this long, so new ones keep coming
NETWORK_PAUSE_S = (1.0, 30.0)  # first and longest pause after a failed getUpdates
DRAIN_S = 10.0  # at stop, how long handling in progress may finish


def update_kind(update: Mapping[str, Any]) -> str:
    """The update's type, e.g. 'message' or 'callback_query' (for log lines: never the content)."""
    kinds = [key for key in update if key != "update_id"]
    return kinds[0] if len(kinds) == 1 else "unknown"


def update_id(update: object) -> int | None:
    """The id of a raw update, or None when it has none."""
    if isinstance(update, dict):
        value = update.get("update_id")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _stored(future: Future[None]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


class Intake:
    """Hands updates from the inbox to the Application; one chat in order, at most ``CONCURRENCY`` at once."""

    def __init__(self, app: App, inbox: Inbox, concurrency: int = CONCURRENCY) -> None:
        self.app = app
        self.inbox = inbox
        self.skipped = 0  # updates that could not be read
        self._slots = asyncio.Semaphore(concurrency)
        self._handling: dict[int, asyncio.Task[None]] = {}
        self._storing: dict[int, Future[None]] = {}
        self._last_of_chat: dict[int, asyncio.Task[None]] = {}

    # -- handing updates to the handlers ---------------------------------------------------------------

    def offer(self, raw: dict[str, Any]) -> Future[None] | None:
        """A new update (``update_id`` checked by the caller): store it and start handling it.

        Returns the future of storing it, or None for a redelivery of an update already finished.
        """
        uid = raw["update_id"]
        if self.inbox.is_finished(uid):
            return None
        if uid in self._storing:  # a redelivery of one in progress
            return self._storing[uid]
        future = self.inbox.keep(uid, raw)
        self._storing[uid] = future
        future.add_done_callback(lambda _: self._storing.pop(uid, None))
        self._start(uid, raw)
        return future

    def resume(self, unfinished: list[dict[str, Any]]) -> None:
        """Handle the updates stored before a stop or crash (they are already in the inbox)."""
        if unfinished:
            log.info("handling %d update(s) received before the last stop", len(unfinished))
        for raw in unfinished:
            uid = update_id(raw)
            if uid is not None and uid not in self._handling:
                self._start(uid, raw)

    def _start(self, uid: int, raw: dict[str, Any]) -> None:
        try:
            update = Update.de_json(raw, self.app.bot)
        except Exception as exc:  # python-telegram-bot cannot read it: never let it block the others
            update = None
            reason = type(exc).__name__
        else:
            reason = "empty"
        if update is None:
            self.skipped += 1
            log.error("skipped update %d (%s): it cannot be read (%s)", uid, update_kind(raw), reason)
            self.inbox.finish(uid)
            return
        chat = update.effective_chat.id if update.effective_chat else None
        task = asyncio.create_task(self._handle(uid, update, self._last_of_chat.get(chat) if chat else None),
                                   name=f"update-{uid}")
        self._handling[uid] = task
        if chat is not None:
            self._last_of_chat[chat] = task
        task.add_done_callback(lambda done: self._done(uid, chat, done))

    async def _handle(self, uid: int, update: Update, before: asyncio.Task[None] | None) -> None:
        if before is not None:  # the chat's previous update first
            await asyncio.wait([before])
        async with self._slots:
            try:
                await self.app.process_update(update)
            except Exception:  # the error handler has had it already; never stop the intake
                log.exception("update %d (%s) failed", uid, update_kind(update.to_dict()))
        self.inbox.finish(uid)

    def _done(self, uid: int, chat: int | None, task: asyncio.Task[None]) -> None:
        self._handling.pop(uid, None)
        if chat is not None and self._last_of_chat.get(chat) is task:
            del self._last_of_chat[chat]

    @property
    def in_progress(self) -> int:
        """Updates being handled now."""
        return len(self._handling)

    async def drain(self, timeout: float = DRAIN_S) -> None:
        """Let handling in progress finish (for at most ``timeout``); what is left is handled after a restart."""
        tasks = list(self._handling.values())
        if not tasks:
            return
        _, late = await asyncio.wait(tasks, timeout=timeout)
        for task in late:
            task.cancel()
        if late:
            log.warning("%d update(s) were not finished at stop; they are handled after the next start", len(late))
            await asyncio.wait(late)

    # -- long polling ----------------------------------------------------------------------------------

    async def poll(self, stop: asyncio.Event, timeout: float) -> None:
        """Fetch updates until ``stop``; confirm to Telegram only what is stored (``offset``)."""
        last = await asyncio.to_thread(self.inbox.last_id)
        offset = last + 1 if last is not None else None
        unstored: dict[int, Future[None]] = {}
        stuck_since: float | None = None
        pause = NETWORK_PAUSE_S[0]
        while not stop.is_set():
            try:
                batch = await self._fetch(offset, timeout, stop)
            except (NetworkError, RetryAfter) as exc:  # includes TimedOut; Conflict is handled below
                if isinstance(exc, Conflict):
                    log.error("Telegram refused getUpdates: %s (is another copy of the bot running?)", exc)
                else:
                    log.warning("getUpdates failed (%s); trying again in %.0f s", type(exc).__name__, pause)
                wait = retry_seconds(exc) if isinstance(exc, RetryAfter) else pause
                pause = min(NETWORK_PAUSE_S[1], pause * 2)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), wait)
                continue
            if batch is None:
                break
            pause = NETWORK_PAUSE_S[0]
            highest, fresh = self._take(batch, unstored)
            if unstored and self.inbox.writer.failing is None:  # while storing fails, waiting is no use
                await asyncio.wait([asyncio.wrap_future(f) for f in unstored.values()], timeout=STORE_WAIT_S)
                for uid in [uid for uid, future in unstored.items() if _stored(future)]:
                    del unstored[uid]
            if not unstored:
                stuck_since = None
                if highest is not None:
                    offset = max(offset or 0, highest + 1)
                continue
            now = time.monotonic()
            stuck_since = stuck_since or now
            if now - stuck_since >= STUCK_S or len(unstored) >= BATCH:
                log.error("%d update(s) could not be stored for %.0f s; confirming them to Telegram anyway so "
                          "new messages keep coming (they are being answered)", len(unstored), now - stuck_since)
                unstored.clear()
                stuck_since = None
                offset = max(offset or 0, (highest or 0) + 1)
                continue
            offset = min(unstored)  # confirm everything before the first update not stored yet
            if not fresh:  # only updates seen before came back: do not ask again at once
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), REPOLL_PAUSE_S)

    def _take(self, batch: list[Any], unstored: dict[int, Future[None]]) -> tuple[int | None, int]:
        """Offer a fetched batch; returns (highest id, how many were new)."""
        highest: int | None = None
        fresh = 0
        for raw in batch:
            uid = update_id(raw)
            if uid is None:
                log.error("getUpdates returned an item without an update id; it is skipped")
                continue
            highest = uid if highest is None else max(highest, uid)
            if uid in unstored or self.inbox.is_finished(uid) or uid in self._handling:
                continue
            fresh += 1
            future = self.offer(raw)
            if future is not None and not _stored(future):
                unstored[uid] = future
        return highest, fresh

    async def _fetch(self, offset: int | None, timeout: float, stop: asyncio.Event) -> list[Any] | None:
        """One getUpdates call as raw JSON (so one unreadable update cannot fail the batch); None at stop."""
        data: dict[str, Any] = {"timeout": timeout, "limit": BATCH, "allowed_updates": list(ALLOWED_UPDATES)}
        if offset is not None:
            data["offset"] = offset
        request = self.app.bot.request
        fetch = asyncio.ensure_future(self.app.bot._post("getUpdates", data,
                                                         read_timeout=(request.read_timeout or 5.0) + timeout))
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopped.cancel()
        if not fetch.done():
            fetch.cancel()
            with contextlib.suppress(asyncio.CancelledError, TelegramError):
                await fetch
            return None
        try:
            result = fetch.result()
        except InvalidToken:
            raise
        if not isinstance(result, list):
            log.error("getUpdates returned something that is not a list; ignored")
            return []
        return result
