"""`faqbot eval [FILE]`: accuracy per language, out-of-scope rejection, language detection and every miss."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.commands.common import add_content_arg, load_or_explain
from bot.nlu import Understander
from bot.nlu.evaluation import Report, evaluate, parse_labelled

DEFAULT_FILE = Path("tests/data/eval.yaml")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `eval` sub-command."""
    parser = subparsers.add_parser("eval", help="measure matching on a labelled question file")
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE, help="questions (YAML)")
    add_content_arg(parser)
    parser.add_argument("--min-accuracy", type=float, default=0.0, help="fail below this in-scope accuracy")
    parser.add_argument("--min-rejection", type=float, default=0.0, help="fail below this out-of-scope rejection")
    parser.add_argument("--min-language", type=float, default=0.0, help="fail below this language accuracy")
    parser.add_argument("--quiet", action="store_true", help="do not list the misses")
    parser.set_defaults(func=run)


def print_report(report: Report, quiet: bool = False) -> None:
    """Print the figures and, unless quiet, every miss."""
    print(f"questions: {report.total}")
    for lang in sorted(report.in_scope):
        n = report.in_scope[lang]
        print(f"in-scope accuracy [{lang}]: {report.accuracy(lang):.1%} ({report.in_scope_correct[lang]}/{n}; "
              f"answered directly {report.answered_correct[lang]}/{n})")
    print(f"out-of-scope rejection: {report.rejection:.1%} ({report.rejected}/{report.out_of_scope})")
    print(f"language detection: {report.language_accuracy:.1%} ({report.lang_correct}/{report.lang_total})")
    print("per-intent recall:")
    for intent, (good, total) in sorted(report.per_intent.items()):
        print(f"  {intent:22} {good}/{total}")
    if not quiet and report.misses:
        print("misses:")
        for q, r in report.misses:
            cands = ", ".join(f"{c.intent} {c.score:.2f}" for c in r.candidates)
            print(f"  [{q.lang or '-'}->{r.lang}] {q.text!r}: expected {q.intent}, got {r.decision} {r.intent} "
                  f"({cands})")


def run(args: argparse.Namespace) -> int:
    """Evaluate and compare against the thresholds given as flags."""
    content = load_or_explain(args)
    if content is None:
        return 1
    try:
        questions = parse_labelled(args.file.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"{args.file}: cannot read the questions ({exc})")
        return 1
    report = evaluate(Understander(content), questions)
    print_report(report, args.quiet)
    failed = [lang for lang in report.in_scope if report.accuracy(lang) < args.min_accuracy]
    if failed or report.rejection < args.min_rejection or report.language_accuracy < args.min_language:
        print("below threshold")
        return 1
    return 0
