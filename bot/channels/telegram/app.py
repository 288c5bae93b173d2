"""The python-telegram-bot Application: building it, the command menus, and running it (long polling or webhook).

Updates do not come in through python-telegram-bot's Updater, which confirms an update to Telegram as soon
as it is fetched: ``bot.channels.telegram.intake`` keeps each one in the inbox first (see there).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from functools import partial
from typing import Any

from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    Defaults,
    MessageHandler,
    filters,
)

from bot.channels.telegram.conversation import TelegramChannel
from bot.channels.telegram.errors import ErrorHandler
from bot.channels.telegram.inbox import Inbox
from bot.channels.telegram.intake import ALLOWED_UPDATES, Intake
from bot.channels.telegram.ratelimit import TelegramRateLimiter
from bot.channels.telegram.send import RetryPolicy, with_retries
from bot.channels.telegram.staff_hooks import StaffHooks
from bot.channels.telegram.webhook import Webhook, WebhookServer
from bot.engine import Engine
from bot.live import EngineSource, as_source
from bot.store import Store

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]

DEFAULT_API_URL = "https://api.telegram.org/bot"
STARTUP_RETRY = RetryPolicy(attempts=5, base_delay=1.0)
WEBHOOK_CONNECTIONS = 40  # Telegram's default and maximum of parallel webhook requests


def api_urls(api_url: str) -> tuple[str, str]:
    """PTB's ``base_url`` and ``base_file_url`` for a Bot API server address (``/bot`` is added when missing)."""
    base = api_url.rstrip("/")
    if "{token}" not in base and not base.endswith("/bot"):
        base += "/bot"
    files = base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base
    return base, files


def build_application(engine: Engine | EngineSource, store: Store, token: str, *, api_url: str | None = None,
                      retry: RetryPolicy | None = None, timeout: float | None = None,
                      staff: StaffHooks | None = None) -> App:
    """The Application with the bot's handlers, HTML by default, rate limiting and the command menus.

    The channel is kept in ``app.bot_data["channel"]`` so callers can add observers to it.
    """
    channel = TelegramChannel(engine, store, retry, staff)
    builder = (
        ApplicationBuilder()
        .token(token)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .rate_limiter(TelegramRateLimiter())
        .updater(None)  # updates come in through bot.channels.telegram.intake
        .post_init(CommandMenus(as_source(engine), channel.retry))
    )
    if api_url:
        base_url, file_url = api_urls(api_url)
        builder = builder.base_url(base_url).base_file_url(file_url)
    if timeout is not None:
        builder = builder.connect_timeout(timeout).read_timeout(timeout).write_timeout(timeout)
    app: App = builder.build()
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE, channel.on_message))
    app.add_handler(CallbackQueryHandler(channel.on_press))
    app.add_error_handler(ErrorHandler(channel))
    app.bot_data["channel"] = channel
    return app


class CommandMenus:
    """post_init: the command menu and the bot's descriptions in every language, and without language_code in
    the default language."""

    def __init__(self, source: EngineSource, retry: RetryPolicy) -> None:
        self.source = source
        self.retry = retry

    @property
    def engine(self) -> Engine:
        """The engine serving now."""
        return self.source.engine

    def menus(self) -> list[tuple[str | None, list[BotCommand]]]:
        """(language_code or None for the default, commands) for every menu to set; the engine's default
        language for every app language the content does not have."""
        return [(code, [BotCommand(c, d) for c, d in self.engine.commands(lang)]) for code, lang in self.languages()]

    async def __call__(self, app: App) -> None:
        for code, commands in self.menus():
            try:
                await with_retries(partial(app.bot.set_my_commands, commands, language_code=code), self.retry,
                                   "setMyCommands")
            except TelegramError as exc:  # the bot works without a menu: log and go on
                log.error("could not set the command menu for language %s: %s", code or "(default)", exc)
        for code, lang in self.languages():
            description, short = self.engine.descriptions(lang)
            try:
                await with_retries(partial(app.bot.set_my_description, description, language_code=code),
                                   self.retry, "setMyDescription")
                await with_retries(partial(app.bot.set_my_short_description, short, language_code=code),
                                   self.retry, "setMyShortDescription")
            except TelegramError as exc:  # the bot works without a description: log and go on
                log.error("could not set the description for language %s: %s", code or "(default)", exc)

    def languages(self) -> list[tuple[str | None, str]]:
        """(language_code or None for the default, content language) for every profile text to set."""
        languages = self.engine.content.languages
        return [*((lang, lang) for lang in languages), (None, languages[0])]


async def serve(app: App, webhook: Webhook | None = None, stop: asyncio.Event | None = None,
                poll_timeout: float = 10.0, ready: asyncio.Event | None = None) -> None:
    """Initialize (getMe: a bad token raises InvalidToken), set the menus, receive updates until ``stop``.

    Updates left unfinished by the last run are handled first. ``ready`` is set once updates are being
    received. At stop, handling in progress may finish and every queued write is made.
    """
    stop = stop or asyncio.Event()
    channel: TelegramChannel = app.bot_data["channel"]
    await with_retries(app.initialize, STARTUP_RETRY, "getMe")
    inbox = await asyncio.to_thread(Inbox.open, channel.store.path.parent)
    intake = Intake(app, inbox)
    channel.writers.append(inbox.writer)
    channel.skipped_updates = lambda: intake.skipped
    server: WebhookServer | None = None
    polling: asyncio.Task[None] | None = None
    try:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        intake.resume(await asyncio.to_thread(inbox.unfinished))
        if webhook is None:
            await with_retries(partial(app.bot.delete_webhook, drop_pending_updates=False), STARTUP_RETRY,
                               "deleteWebhook")
            polling = asyncio.create_task(intake.poll(stop, poll_timeout), name="telegram-polling")
            log.info("receiving updates by long polling")
        else:
            server = WebhookServer(intake, webhook)
            server.start()
            await with_retries(partial(app.bot.set_webhook, webhook.url, secret_token=webhook.secret_token,
                                       allowed_updates=list(ALLOWED_UPDATES), drop_pending_updates=False,
                                       max_connections=WEBHOOK_CONNECTIONS), STARTUP_RETRY, "setWebhook")
            log.info("receiving updates by webhook on %s:%d/%s", webhook.listen, webhook.port, webhook.path)
        log.info("the bot @%s is running", app.bot.username)
        if ready is not None:
            ready.set()
        await _until(stop, polling)
    finally:
        stop.set()
        if polling is not None:
            with contextlib.suppress(Exception):
                await polling
        if server is not None:
            await server.stop()
        await intake.drain()
        await asyncio.to_thread(channel.close)
        await asyncio.to_thread(inbox.close)
        if app.running:
            await app.stop()
        await app.shutdown()


async def _until(stop: asyncio.Event, polling: asyncio.Task[None] | None) -> None:
    """Wait for ``stop``; a polling loop that ends by itself (a rejected token) raises its error here."""
    if polling is None:
        await stop.wait()
        return
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({stopped, polling}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
    if polling.done() and not stop.is_set():
        polling.result()


async def serve_until_signalled(app: App, webhook: Webhook | None = None) -> None:
    """``serve`` until SIGINT (Ctrl+C) or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows; Ctrl+C then ends with KeyboardInterrupt
            loop.add_signal_handler(sig, stop.set)
    await serve(app, webhook, stop)
