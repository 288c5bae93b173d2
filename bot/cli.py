"""The `faqbot` command line: one sub-command per module in bot.commands."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

#: Sub-command modules, in the order `faqbot --help` lists them. Each has `register(subparsers)`,
#: which adds its parser and sets `func`, a callable taking the parsed args and returning the exit code.
COMMANDS = ("start", "check", "ask", "classify", "eval", "chat", "run", "sandbox", "studio", "review", "stats")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every available sub-command."""
    parser = argparse.ArgumentParser(prog="faqbot", description="IOM Netherlands FAQ bot (Dutch/English).")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"bot.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"bot.commands.{name}":
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `faqbot` with ``argv``; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
