"""`faqbot stats`: counts per decision, language, intent and day (no texts, nothing personal)."""

from __future__ import annotations

import argparse

from bot.commands.review import add_data_args, opened_log
from bot.staff.stats import Stats, format_stats


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `stats` sub-command."""
    parser = subparsers.add_parser("stats", help="how often the bot answered, per decision, language, intent, day")
    add_data_args(parser, 30)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the tables; exit 0 also when there is no data yet."""
    with opened_log(args) as staff_log:
        if isinstance(staff_log, int):
            return staff_log
        stats = Stats(staff_log.first_day(args.days), staff_log.today().isoformat(),
                      tuple(staff_log.usage(args.days)))
    print(format_stats(stats), end="")
    return 0
