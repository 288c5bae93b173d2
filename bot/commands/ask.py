"""`faqbot ask "question"`: print what the bot would reply to one message (as a first message)."""

from __future__ import annotations

import argparse
import json

from bot.channels.terminal import render
from bot.commands.common import add_content_arg, load_or_explain
from bot.engine import Engine, TextIn
from bot.nlu import Understander


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `ask` sub-command."""
    parser = subparsers.add_parser("ask", help="print what the bot would reply to one question")
    parser.add_argument("question")
    parser.add_argument("--lang", default=None, help="language of the user (nl or en); default: detected")
    parser.add_argument("--json", action="store_true", help="print what was understood as JSON")
    add_content_arg(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Understand the question and print the reply, or the JSON of the match."""
    content = load_or_explain(args)
    if content is None:
        return 1
    nlu = Understander(content)
    if args.json:
        print(json.dumps(nlu.understand(args.question, args.lang).to_json(), ensure_ascii=False, indent=2))
        return 0
    lang = args.lang or nlu.detect_language(args.question, None)[0]
    _, replies = Engine(content, nlu).handle(None, TextIn(args.question), lang)
    text, _ = render(replies, show_trace=True)
    print(text.rstrip())
    return 0
