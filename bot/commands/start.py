"""`faqbot start` (what `make run` does): Telegram with a token, otherwise a local chat."""

from __future__ import annotations

import argparse
import os

from bot.commands import run as telegram
from bot.commands import sandbox


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `start` sub-command."""
    parser = subparsers.add_parser("start", help="start the bot: Telegram if TELEGRAM_BOT_TOKEN is set, else local")
    parser.set_defaults(func=run, content=None, strict=False)


def run(args: argparse.Namespace) -> int:
    """Choose the channel from the environment."""
    if os.environ.get("TELEGRAM_BOT_TOKEN"):
        return telegram.run(telegram.default_args())
    print("TELEGRAM_BOT_TOKEN is not set: starting the local sandbox (a web chat that looks like Telegram).")
    return sandbox.run(sandbox.default_args())
