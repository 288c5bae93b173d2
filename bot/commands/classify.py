"""`faqbot classify`: JSON lines in ({"text": ...}), one JSON line out per input, in order."""

from __future__ import annotations

import argparse
import json
import sys

from bot.commands.common import add_content_arg, load_or_explain
from bot.nlu import Understander


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `classify` sub-command."""
    parser = subparsers.add_parser("classify", help="classify JSON lines from stdin (one result line per input)")
    parser.add_argument("--lang", default=None, help="language prior for every line (a line's own 'lang' wins)")
    add_content_arg(parser)
    parser.set_defaults(func=run)


def classify_line(understander: Understander, line: str, default_prior: str | None) -> dict[str, object]:
    """Classify one input line; a bad line yields an object with an 'error' and decision none."""
    try:
        item = json.loads(line)
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ValueError('each line must be a JSON object with a "text" string')
    except ValueError as exc:
        return {"text": None, "lang": default_prior, "intent": None, "decision": "none", "score": 0.0,
                "confidence": 0.0, "topic": None, "candidates": [], "error": str(exc)}
    prior = item.get("lang") if isinstance(item.get("lang"), str) else default_prior
    return understander.understand(item["text"], prior).to_json()


def run(args: argparse.Namespace) -> int:
    """Read stdin to the end, writing one result per non-empty line."""
    content = load_or_explain(args)
    if content is None:
        return 1
    understander = Understander(content)
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        out.write(json.dumps(classify_line(understander, line, args.lang), ensure_ascii=False) + "\n")
    out.flush()
    return 0
