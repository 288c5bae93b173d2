"""`faqbot check`: load all content and report every problem with file:line and a fix."""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from pathlib import Path

from bot.commands.common import add_content_arg, content_dir
from bot.content import check_content
from bot.content.facts import SOURCE_DIR, FactUse, fact_uses
from bot.content.files import read_content
from bot.content.loader import parse_partial

NO_SOURCE = (f"{SOURCE_DIR}: warning: there is no source document ({SOURCE_DIR}*.txt) in this content folder, "
             "so numbers, phone numbers and web addresses are not checked - put the source document about IOM there")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `check` sub-command."""
    parser = subparsers.add_parser("check", help="check the content files and report every problem")
    add_content_arg(parser)
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--facts", action="store_true",
                        help="also list every number, phone number and web address the bot says, and where it "
                             "comes from (for a reviewer)")
    parser.set_defaults(func=run)


def facts_report(uses: list[FactUse]) -> str:
    """Each fact once: its normal form, how it is written, where it comes from and every place it is used."""
    by_key: dict[tuple[str, str], list[FactUse]] = {}
    for use in uses:
        by_key.setdefault((use.fact.kind, use.fact.key), []).append(use)
    rank = {None: 0, "source document": 1}
    lines = [f"Facts the bot says ({len(by_key)} facts in {len(uses)} places), and where each comes from:"]
    def order(item: tuple[tuple[str, str], list[FactUse]]) -> tuple[int, str, bool, float, str]:
        (_, key), group = item
        numeric = re.fullmatch(r"\d+(?:\.\d+)?", key) is not None
        return rank.get(group[0].origin, 2), str(group[0].origin), not numeric, float(key) if numeric else 0, key

    for (kind, key), group in sorted(by_key.items(), key=order):
        written = ", ".join(f"'{raw}'" for raw in dict.fromkeys(u.fact.raw for u in group))
        lines.append(f"\n{kind} {key} (written {written}) - {group[0].origin or 'NOT SUPPORTED'}")
        places = ", ".join(dict.fromkeys(str(u.location) for u in group))
        lines += textwrap.wrap(places, 116, initial_indent="    ", subsequent_indent="    ")
    return "\n".join(lines)


def list_facts(root: Path) -> None:
    """Print the facts report for the content folder ``root``."""
    files = read_content(root)
    content, _ = parse_partial(files.texts, files.refused)
    print(facts_report(fact_uses(content, files.texts)) + "\n")


def run(args: argparse.Namespace) -> int:
    """Print every problem; exit 1 on errors (or on warnings with --strict), else 0."""
    root = content_dir(args)
    content, problems = check_content(root)
    if (root / "answers").is_dir():
        if args.facts:
            list_facts(root)
        if not any(root.glob(f"{SOURCE_DIR}*.txt")):
            print(NO_SOURCE)  # a notice, not counted by --strict: small test folders have no source document
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
