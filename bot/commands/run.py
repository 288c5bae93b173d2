"""`faqbot run`: the Telegram bot, by long polling or (with --webhook-url) by webhook."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import secrets
import sys
from collections.abc import Coroutine, Mapping
from pathlib import Path
from typing import Any

from bot.commands import common
from bot.commands.common import add_content_arg, content_dir, defaults
from bot.content import Content, check_content
from bot.live import LiveBot

TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
API_URL_ENV = "FAQBOT_TELEGRAM_API_URL"
SECRET_ENV = "FAQBOT_WEBHOOK_SECRET"
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts as a webhook secret token


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `faqbot run` (also used by `faqbot start`)."""
    add_content_arg(parser)
    parser.add_argument("--webhook-url", metavar="URL", default=None,
                        help="receive updates by webhook at this public https URL (default: long polling)")
    parser.add_argument("--listen", metavar="ADDR", default="127.0.0.1",
                        help="webhook mode: address the bot's web server listens on (default: 127.0.0.1)")
    parser.add_argument("--port", metavar="N", type=int, default=8443,
                        help="webhook mode: port the bot's web server listens on (default: 8443)")
    parser.add_argument("--secret-token", metavar="S", default=None,
                        help=f"webhook mode: secret Telegram sends with every update (default: ${SECRET_ENV}, "
                             "else a random one)")
    parser.add_argument("--api-url", metavar="URL", default=None,
                        help=f"Bot API server, e.g. http://127.0.0.1:8081/bot for a self-hosted one "
                             f"(default: ${API_URL_ENV}, else https://api.telegram.org/bot)")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `run` sub-command."""
    parser = subparsers.add_parser(
        "run", help="run the Telegram bot (token in TELEGRAM_BOT_TOKEN)",
        description="Run the Telegram bot with the token in TELEGRAM_BOT_TOKEN. Without --webhook-url it asks "
                    "Telegram for updates (long polling); chat states are kept in $FAQBOT_DATA_DIR (default ./data).")
    add_arguments(parser)
    parser.set_defaults(func=run)


def default_args() -> argparse.Namespace:
    """The options of `faqbot run` without any flags."""
    return defaults(add_arguments)


def fail(message: str, code: int) -> int:
    """Print a one-line error for the person running the bot and return the exit code."""
    return common.fail("run", message, code)


def run(args: argparse.Namespace, environ: Mapping[str, str] = os.environ) -> int:
    """Check the token, the options and the content, then run the bot until Ctrl+C or SIGTERM."""
    token = environ.get(TOKEN_ENV, "").strip()
    if not token:
        return fail(f"{TOKEN_ENV} is not set. Get a token from @BotFather and run: {TOKEN_ENV}=<token> faqbot run", 2)
    secret = args.secret_token or environ.get(SECRET_ENV) or None
    if args.webhook_url is None and (args.secret_token or args.port != 8443 or args.listen != "127.0.0.1"):
        return fail("--listen, --port and --secret-token are for webhook mode; add --webhook-url URL", 2)
    if args.webhook_url is not None and not args.webhook_url.startswith(("https://", "http://")):
        return fail(f"--webhook-url must be a full address such as https://bot.example.org/telegram, "
                    f"not {args.webhook_url!r}", 2)
    if secret is not None and not _SECRET.match(secret):
        return fail("the webhook secret may only hold letters, digits, _ and - (1 to 256 characters)", 2)
    content = load_content_or_report(content_dir(args))
    if content is None:
        return 1
    return start_bot(args, token, secret, environ, LiveBot(content_dir(args), content))


def load_content_or_report(root: Path) -> Content | None:
    """The content, or None after printing every problem as `faqbot check` does."""
    content, problems = check_content(root)
    if content is not None:
        return content
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    print(f"\nfaqbot run: the content has {errors} error(s). Fix the lines above and run `faqbot check` again.",
          file=sys.stderr)
    return None


async def with_live_reload(live: LiveBot, serving: Coroutine[Any, Any, None]) -> None:
    """Run ``serving`` while watching the content files (and reloading on SIGHUP)."""
    live.install_sighup(asyncio.get_running_loop())
    watcher = asyncio.create_task(live.watch())
    try:
        await serving
    finally:
        watcher.cancel()


def start_bot(args: argparse.Namespace, token: str, secret: str | None, environ: Mapping[str, str],
              live: LiveBot) -> int:
    """Build the store and the Application over the live content, and serve (content reloads on change/SIGHUP)."""
    from telegram.error import TelegramError  # imported late: `faqbot --help` stays fast

    from bot.channels.telegram import Webhook, build_application, serve_until_signalled, setup_logging
    from bot.channels.telegram.app import DEFAULT_API_URL
    from bot.channels.telegram.errors import startup_problem
    from bot.channels.telegram.staff_hooks import StaffHooks
    from bot.staff import SettingError, StaffLog
    from bot.staff.admin import admin_ids
    from bot.store import Store, StoreError, default_path

    webhook = None
    if args.webhook_url is not None:
        secret = secret or secrets.token_urlsafe(32)
        webhook = Webhook(args.webhook_url, args.listen, args.port, secret)
    redactor = setup_logging([token, *([secret] if secret else [])])
    api_url = args.api_url or environ.get(API_URL_ENV) or None
    try:
        store = Store.connect(default_path(environ))
    except StoreError as exc:
        return fail(str(exc), 1)
    with store:
        try:
            staff = StaffHooks(StaffLog.from_env(store, environ), admin_ids(environ), live.reload)
        except SettingError as exc:
            return fail(str(exc), 2)
        app = build_application(live, store, token, api_url=api_url, staff=staff)
        try:
            asyncio.run(with_live_reload(live, serve_until_signalled(app, webhook)))
        except TelegramError as exc:
            problem = startup_problem(exc, api_url or DEFAULT_API_URL)
            if problem is None:
                raise
            return fail(redactor.redact(problem[0]), problem[1])
        except StoreError as exc:  # the update inbox next to the data file
            return fail(str(exc), 1)
        except OSError as exc:
            if webhook is None:
                raise
            return fail(redactor.redact(f"cannot start the webhook server on {args.listen}:{args.port} ({exc})"), 1)
        except Exception as exc:  # logged through the redaction filter: no token in the traceback
            logging.getLogger(__name__).critical("the bot stopped: %s", exc, exc_info=exc)
            return 1
    return 0
