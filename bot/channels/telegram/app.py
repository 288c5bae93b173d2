"""The python-telegram-bot Application: building it, the command menus, and running it (long polling or webhook)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import logging
import signal
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    Defaults,
    MessageHandler,
    filters,
)

from bot.channels.telegram.conversation import TelegramChannel
from bot.channels.telegram.errors import ErrorHandler
from bot.channels.telegram.send import RetryPolicy, with_retries
from bot.channels.telegram.staff_hooks import StaffHooks
from bot.engine import Engine
from bot.live import EngineSource, as_source
from bot.store import Store

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]

DEFAULT_API_URL = "https://api.telegram.org/bot"
#: Edited messages are not asked for (and would be ignored): the bot answers what was sent.
ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY)
CONCURRENT_UPDATES = 16  # different chats side by side; one chat stays in order (TelegramChannel's lock)
RATE_LIMIT_RETRIES = 3  # AIORateLimiter's own retries on 429 before send.with_retries sees RetryAfter
STARTUP_RETRY = RetryPolicy(attempts=5, base_delay=1.0)


@dataclass(frozen=True)
class Webhook:
    """Webhook mode: Telegram POSTs updates to ``url``; the bot listens on ``listen:port`` at the URL's path."""

    url: str
    listen: str = "127.0.0.1"
    port: int = 8443
    secret_token: str | None = None

    @property
    def path(self) -> str:
        """The path the local server answers on (the path of the public URL)."""
        return urlsplit(self.url).path.strip("/")


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
        .rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .concurrent_updates(CONCURRENT_UPDATES)
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
    """post_init: the command menu in every language, and one without language_code in the default language."""

    def __init__(self, source: EngineSource, retry: RetryPolicy) -> None:
        self.source = source
        self.retry = retry

    @property
    def engine(self) -> Engine:
        """The engine serving now."""
        return self.source.engine

    def menus(self) -> list[tuple[str | None, list[BotCommand]]]:
        """(language_code or None for the default, commands) for every menu to set."""
        languages = self.engine.content.languages
        wanted: list[tuple[str | None, str]] = [(lang, lang) for lang in languages]
        wanted.append((None, languages[0]))  # the engine's default language, for every other app language
        return [(code, [BotCommand(c, d) for c, d in self.engine.commands(lang)]) for code, lang in wanted]

    async def __call__(self, app: App) -> None:
        for code, commands in self.menus():
            try:
                await with_retries(partial(app.bot.set_my_commands, commands, language_code=code), self.retry,
                                   "setMyCommands")
            except TelegramError as exc:  # the bot works without a menu: log and go on
                log.error("could not set the command menu for language %s: %s", code or "(default)", exc)


async def serve(app: App, webhook: Webhook | None = None, stop: asyncio.Event | None = None,
                poll_timeout: float = 10.0, ready: asyncio.Event | None = None) -> None:
    """Initialize (getMe: a bad token raises InvalidToken), set the menus, receive updates until ``stop``.

    ``ready`` is set once updates are being received.
    """
    updater = app.updater
    assert updater is not None
    stop = stop or asyncio.Event()
    await with_retries(app.initialize, STARTUP_RETRY, "getMe")
    try:
        if app.post_init is not None:
            await app.post_init(app)
        if webhook is None:
            await updater.start_polling(poll_interval=0.0, timeout=dtm.timedelta(seconds=poll_timeout),
                                        bootstrap_retries=3, allowed_updates=list(ALLOWED_UPDATES),
                                        drop_pending_updates=False)
            log.info("receiving updates by long polling")
        else:
            await updater.start_webhook(listen=webhook.listen, port=webhook.port, url_path=webhook.path,
                                        webhook_url=webhook.url, secret_token=webhook.secret_token,
                                        allowed_updates=list(ALLOWED_UPDATES), drop_pending_updates=False,
                                        bootstrap_retries=3)
            log.info("receiving updates by webhook on %s:%d/%s", webhook.listen, webhook.port, webhook.path)
        await app.start()
        log.info("the bot @%s is running", app.bot.username)
        if ready is not None:
            ready.set()
        await stop.wait()
    finally:
        if updater.running:
            await updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()


async def serve_until_signalled(app: App, webhook: Webhook | None = None) -> None:
    """``serve`` until SIGINT (Ctrl+C) or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows; Ctrl+C then ends with KeyboardInterrupt
            loop.add_signal_handler(sig, stop.set)
    await serve(app, webhook, stop)
