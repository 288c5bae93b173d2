"""`faqbot check`: load all content and report every problem with file:line and a fix."""

from __future__ import annotations

import argparse
import sys

from bot.commands.common import add_content_arg, content_dir
from bot.content import check_content


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `check` sub-command."""
    parser = subparsers.add_parser("check", help="check the content files and report every problem")
    add_content_arg(parser)
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print every problem; exit 1 on errors (or on warnings with --strict), else 0."""
    root = content_dir(args)
    content, problems = check_content(root)
    for problem in problems:
        print(problem, file=sys.stdout)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if errors or (args.strict and warnings):
        print(f"\n{errors} error(s), {warnings} warning(s). Fix the lines above and run `faqbot check` again.")
        return 1
    assert content is not None
    n_examples = sum(len(v) for i in content.intents.values() for v in i.examples.values())
    print(f"Content OK: {len(content.intents)} intents, {n_examples} examples, {len(content.answers)} answers, "
          f"{len(content.checks)} guided checks in {', '.join(content.languages)}"
          + (f" ({warnings} warning(s))" if warnings else "") + ".")
    return 0
