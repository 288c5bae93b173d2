"""Helpers shared by sub-commands: where the content is and how to load it for a person."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.content import Content, ContentError, Problem, load_content

if TYPE_CHECKING:
    from bot.live import LiveBot

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def default_content_dir() -> Path:
    """The content folder: $FAQBOT_CONTENT_DIR, else the current folder if it has intents/, else the repo."""
    env = os.environ.get("FAQBOT_CONTENT_DIR")
    if env:
        return Path(env)
    cwd = Path.cwd()
    if (cwd / "intents").is_dir():
        return cwd
    return Path(__file__).resolve().parents[2]


def add_content_arg(parser: argparse.ArgumentParser) -> None:
    """Add the --content option."""
    parser.add_argument("--content", type=Path, default=None, metavar="DIR",
                        help="folder holding intents/ and answers/ (default: this repository)")


def content_dir(args: argparse.Namespace) -> Path:
    """The content folder chosen on the command line."""
    return args.content if args.content is not None else default_content_dir()


def load_or_explain(args: argparse.Namespace) -> Content | None:
    """Load content; on problems print them for staff on stderr and return None."""
    try:
        return load_content(content_dir(args))
    except ContentError as exc:
        print(exc, file=sys.stderr)
        print("Run `faqbot check` for details.", file=sys.stderr)
        return None


def defaults(add_arguments: Callable[[argparse.ArgumentParser], None]) -> argparse.Namespace:
    """A sub-command's options with no flags given (what `faqbot start` runs)."""
    parser = argparse.ArgumentParser(add_help=False)
    add_arguments(parser)
    return parser.parse_args([])


def fail(command: str, message: str, code: int) -> int:
    """Print a one-line error for the person running ``faqbot COMMAND`` and return the exit code."""
    print(f"faqbot {command}: {message}", file=sys.stderr)
    return code


def load_live_or_report(command: str, root: Path) -> tuple[LiveBot | None, list[Problem]]:
    """The content as a live (reloading) bot; on errors every problem is printed as `faqbot check` does."""
    from bot.live import LiveBot  # imported late: `faqbot --help` stays fast

    live, problems = LiveBot.load(root)
    if live is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        errors = sum(p.severity == "error" for p in problems)
        print(f"\nfaqbot {command}: the content in {root} has {errors} error(s). Fix the lines above and run "
              "`faqbot check` again.", file=sys.stderr)
    return live, problems


def port_problem(port: int) -> str | None:
    """Why ``port`` cannot be listened on, or None."""
    return None if 0 <= port <= 65535 else f"--port must be between 0 and 65535, not {port}"


def setup_local_logging() -> None:
    """For the local web servers (sandbox, studio): warnings and content reloads on stderr."""
    logging.basicConfig(level=logging.WARNING, format=LOG_FORMAT)
    logging.getLogger("bot.live").setLevel(logging.INFO)
