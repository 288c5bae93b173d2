"""`faqbot chat`: talk to the bot in the terminal (scriptable: one message per line on stdin).

What the bot could not answer well is kept for `faqbot review` in the data folder, exactly as on Telegram.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from bot.channels import terminal
from bot.commands.common import add_content_arg, fail, load_or_explain
from bot.engine import Engine
from bot.nlu import Understander
from bot.staff.session import ReviewSession, data_folder_log
from bot.store import DATA_DIR_ENV


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `chat` sub-command."""
    parser = subparsers.add_parser(
        "chat", help="chat with the bot in the terminal (piped input: one message per line)",
        description="Chat with the bot in the terminal. Buttons show as [1] Label: type the number to press "
                    "one. Type /quit to stop. With piped input every line is one message; with --json every reply is "
                    "printed as one JSON line. Questions the bot did not answer well are kept (masked) for "
                    "`faqbot review`, as on Telegram.")
    add_content_arg(parser)
    parser.add_argument("--lang", metavar="LANG", default=None,
                        help="the chat app's language (nl or en), used at first contact like Telegram's; "
                             "without it the bot asks")
    parser.add_argument("--trace", action="store_true", help="show intent, decision, score and source per reply")
    parser.add_argument("--json", action="store_true",
                        help="one JSON line per reply (text, html, buttons, lang, trace with topic, check and step); "
                             "a line [n] presses the n-th button of the last reply; no prompts")
    parser.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                        help=f"folder of the bot's data file for `faqbot review` (default: ${DATA_DIR_ENV}, "
                             "else ./data)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load the content and chat; content problems go to stderr with exit code 1."""
    content = load_or_explain(args)
    if content is None:
        return 1
    if args.lang is not None and args.lang not in content.languages:
        return fail("chat", f"unknown language '{args.lang}'; use one of: {', '.join(content.languages)}", 2)
    json_lines = (sys.stdin, sys.stdout) if args.json else ()  # JSON is UTF-8; a console keeps its own encoding
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8" if stream in json_lines else None, errors="replace")
    engine = Engine(content, Understander(content))
    with data_folder_log(args.data_dir, "faqbot chat") as staff_log:
        observe = ReviewSession(staff_log).record if staff_log is not None else None
        if args.json:
            return terminal.run_json(engine, sys.stdin, sys.stdout, args.lang, observe)
        return terminal.run(engine, sys.stdin, sys.stdout, sys.stdin.isatty(), args.lang, args.trace, observe)
