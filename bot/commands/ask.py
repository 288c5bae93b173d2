"""`faqbot ask "question"`: print what the bot would reply to one message."""

from __future__ import annotations

import argparse
import json

from bot.commands.common import add_content_arg, load_or_explain
from bot.html import plain_text
from bot.nlu import Understander


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `ask` sub-command."""
    parser = subparsers.add_parser("ask", help="print what the bot would reply to one question")
    parser.add_argument("question")
    parser.add_argument("--lang", choices=None, default=None, help="language prior (nl or en)")
    parser.add_argument("--json", action="store_true", help="print the match as JSON")
    add_content_arg(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Understand the question and print the reply (or the JSON of the match)."""
    content = load_or_explain(args)
    if content is None:
        return 1
    result = Understander(content).understand(args.question, args.lang)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return 0
    lang = result.lang
    if result.decision == "answer" and result.intent is not None:
        print(plain_text(content.answer(result.intent, lang).text))
    elif result.decision == "clarify":
        titles = [content.answer(c.intent, lang).title for c in result.candidates]
        print(("Bedoel je: " if lang == "nl" else "Did you mean: ") + " / ".join(titles) + "?")
    else:
        print("(no answer: the question is out of scope)" if lang != "nl" else "(geen antwoord: buiten het onderwerp)")
    print(f"\n[{result.decision} {result.intent or '-'} score={result.score:.2f} lang={lang}]")
    return 0
