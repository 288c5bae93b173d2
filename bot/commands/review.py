"""`faqbot review`: the questions the bot did not answer, grouped, most asked first; `--export` writes YAML."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.commands.common import add_content_arg, content_dir
from bot.content import Content, ContentError, load_content
from bot.nlu import Understander
from bot.staff.export import export_yaml
from bot.staff.grouping import SUGGESTION_FLOOR, Group, Guess, group_questions, thumbs_down
from bot.staff.review_log import LOW_MARGIN, THUMBS_DOWN, ReviewItem, StaffLog, retention_days
from bot.staff.stats import UNANSWERED, table
from bot.store import DATA_DIR_ENV, FILE_NAME, Store, StoreError, default_path

EXAMPLE_WIDTH = 70


def positive(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return int(value)


def add_data_args(parser: argparse.ArgumentParser, days: int) -> None:
    """Add --days and --data-dir."""
    parser.add_argument("--days", type=positive, default=days, metavar="N",
                        help=f"look at the last N days, today included (default: {days})")
    parser.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                        help=f"folder of the bot's data file (default: ${DATA_DIR_ENV}, else ./data)")


@contextmanager
def opened_log(args: argparse.Namespace) -> Iterator[StaffLog | int]:
    """The staff log of the data file, purged of old rows; or an exit code after explaining what is wrong."""
    path = args.data_dir / FILE_NAME if args.data_dir is not None else default_path()
    if not path.exists():
        print(f"No data yet: {path} does not exist. The bot creates it when it runs; if it lives elsewhere, "
              f"use --data-dir or set {DATA_DIR_ENV}.")
        yield 0
        return
    try:
        retention = retention_days()
        store = Store.connect(path)
    except (ValueError, StoreError) as exc:
        print(exc, file=sys.stderr)
        yield 2
        return
    with store:
        staff_log = StaffLog(store, retention)
        gone = staff_log.purge()
        if gone:
            print(f"(removed {gone} entries older than {retention} days)", file=sys.stderr)
        yield staff_log


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `review` sub-command."""
    parser = subparsers.add_parser("review", help="the questions the bot did not answer, grouped, most asked first")
    add_data_args(parser, 30)
    parser.add_argument("--limit", type=positive, default=20, metavar="N", help="show the N largest groups")
    parser.add_argument("--export", type=Path, default=None, metavar="FILE.yaml",
                        help="also write the groups as YAML examples to paste into intents/*.yaml")
    add_content_arg(parser)
    parser.set_defaults(func=run)


def _content(args: argparse.Namespace) -> Content | None:
    try:
        return load_content(content_dir(args))
    except (ContentError, OSError) as exc:
        print(f"note: the content could not be loaded, so some closest intents are unknown ({exc})",
              file=sys.stderr)
        return None


def _guess(content: Content | None) -> Guess | None:
    """The matcher's best intent for a text, used when the log holds no candidates for a group."""
    if content is None:
        return None
    understander = Understander(content)

    def guess(text: str, lang: str) -> str | None:
        found = understander.understand(text, lang).candidates
        return found[0].intent if found and found[0].score >= SUGGESTION_FLOOR else None  # only a real candidate

    return guess


def render(groups: list[Group], period: str, limit: int) -> str:
    """The groups as a table, most asked first."""
    asked = sum(g.count for g in groups)
    lines = [f"Questions the bot did not answer, {period}: {asked} in {len(groups)} group(s)."]
    if groups:
        rows = [(n, g.count, g.lang, dict(g.decisions).get("none", 0),
                 dict(g.decisions).get("clarify", 0) + dict(g.decisions).get("clarify_not_taken", 0),
                 g.intent or "-", _cut(g.example)) for n, g in enumerate(groups[:limit], 1)]
        lines += ["", table(("#", "asked", "lang", "not understood", "did you mean", "closest intent", "example"),
                            rows)]
        if len(groups) > limit:
            lines.append(f"... and {len(groups) - limit} smaller group(s); use --limit to see more.")
    return "\n".join(lines)


def doubtful(items: list[ReviewItem], limit: int) -> str:
    """Answered questions that got 👎 or were a close call: per answer, language and why, the most asked first."""
    labels = {THUMBS_DOWN: "marked 👎", LOW_MARGIN: "close call"}
    rows = _most_asked([i for i in items if i.decision in labels],
                       lambda i, intent: (intent, i.lang, labels[i.decision]))
    if not rows:
        return ""
    return "Answered, but perhaps wrongly\n" + table(("answered with", "lang", "why", "times", "example"), rows[:limit])


def missing_details(items: list[ReviewItem], limit: int) -> str:
    """Follow-ups the topic's answer has no detail for ("how long does it take?"): per topic and language, the
    most asked first, so staff can see what to add to an answer."""
    rows = _most_asked([i for i in items if i.decision == "missing_detail"], lambda i, intent: (intent, i.lang))
    if not rows:
        return ""
    return "Details asked after an answer that the answer does not have\n" + \
        table(("after the answer", "lang", "times", "example"), rows[:limit])


def _most_asked(items: list[ReviewItem], key: Callable[[ReviewItem, str], tuple[str, ...]]
                ) -> list[tuple[str | int, ...]]:
    """Rows of (key..., times, most frequent text) for the items with a text and an intent, most asked first."""
    texts: dict[tuple[str, ...], list[str]] = {}
    for item in items:
        if item.text and item.intent:
            texts.setdefault(key(item, item.intent), []).append(item.text)
    order = sorted(texts, key=lambda k: (-len(texts[k]), k))
    return [(*k, len(texts[k]), _cut(_most_frequent(texts[k]))) for k in order]


def _most_frequent(texts: list[str]) -> str:
    """The text asked most often (ties: the last alphabetically, as before)."""
    return max(set(texts), key=lambda t: (texts.count(t), t))


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXAMPLE_WIDTH else text[: EXAMPLE_WIDTH - 1] + "…"


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to a file only its owner can read (it holds people's questions, even if masked)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)


def run(args: argparse.Namespace) -> int:
    """Print the groups (and write the export); exit 0 also when there is no data yet."""
    with opened_log(args) as staff_log:
        if isinstance(staff_log, int):
            return staff_log
        items = staff_log.review_items(args.days)
        period = f"{staff_log.first_day(args.days)} to {staff_log.today().isoformat()}"
    unanswered = [i for i in items if i.decision in UNANSWERED]
    needs_content = args.export is not None or any(not i.candidates for i in unanswered)
    content = _content(args) if needs_content and unanswered else None
    groups = group_questions(unanswered, _guess(content))
    thumbs = thumbs_down(items)
    print(render(groups, period, args.limit))
    if shown := doubtful(items, args.limit):
        print("\n" + shown)
    if details := missing_details(items, args.limit):
        print("\n" + details)
    if thumbs:
        print("\nAnswers marked 👎 (not helpful)")
        print(table(("intent", "lang", "times"), ((t.intent, t.lang, t.count) for t in thumbs)))
    if args.export is not None:
        files = {i.id: i.location.path for i in content.intents.values()} if content else {}
        write_private(args.export, export_yaml(groups[: args.limit], files, period, thumbs))
        print(f"\nWrote {min(len(groups), args.limit)} group(s) to {args.export}: check them, then paste them "
              f"into the intents files.")
    elif groups:
        print("\nTo add them as examples: faqbot review --export review.yaml")
    return 0
