"""`faqbot eval [FILE]`: how well the bot answers a labelled question file, as written and with typos."""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from bot.commands.common import add_content_arg, load_or_explain
from bot.content import Content
from bot.engine import Engine
from bot.engine.dialogues import evaluate_dialogues, parse_dialogues
from bot.nlu import Understander
from bot.nlu.evaluation import Labelled, Report, evaluate, parse_labelled
from bot.nlu.typos import TypoToolMissing, typo_variants

DEFAULT_FILE = Path("tests/data/eval.yaml")
DEFAULT_DIALOGUES = Path("tests/data/dialogues.yaml")
TOP_CONFUSIONS = 15

DESCRIPTION = """\
Run every question of a labelled file through the bot, each as a first
message (language not known yet), and report how often it got it right.
Scoring is strict: an in-scope question counts only when the bot answers it
with a right intent; an off-topic question only when the bot does not answer."""

EPILOG = """\
what the figures mean:
  in-scope accuracy   answered directly with a right intent (strict)
  lenient             also counting a "did you mean" whose first option is right
  clarify rate        in-scope questions that got "did you mean" instead
  off-topic rejected  off-topic questions the bot did not answer
  near-domain kind    off-topic questions close to our work (asylum, housing,
                      ...) whose kind was recognised
  language detection  messages whose language was detected correctly
  confusions          right intent -> what the bot gave instead, most frequent
  typos               every in-scope question twice more, with typos made by a
                      tool (nlpaug; needs the dev tools installed)

Thresholds are shares between 0 and 1 (0.9 = 90%). When one is not met the
exit code is 1, so an automatic check can stop a release. Example:
  faqbot eval tests/data/eval.yaml --min-accuracy 0.9 --quiet"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `eval` sub-command."""
    parser = subparsers.add_parser("eval", help="measure how well the bot answers a labelled question file",
                                   description=DESCRIPTION, epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE,
                        help=f"the questions with their right intents, YAML (default: {DEFAULT_FILE})")
    add_content_arg(parser)
    limits = parser.add_argument_group("thresholds (exit code 1 when not met)")
    limits.add_argument("--min-accuracy", type=float, default=0.0, metavar="SHARE",
                        help="lowest in-scope accuracy allowed, in every language")
    limits.add_argument("--min-rejection", type=float, default=0.0, metavar="SHARE",
                        help="lowest share of off-topic questions left unanswered")
    limits.add_argument("--min-language", type=float, default=0.0, metavar="SHARE",
                        help="lowest share of messages whose language is detected correctly")
    limits.add_argument("--min-typo-accuracy", type=float, default=0.0, metavar="SHARE",
                        help="lowest in-scope accuracy with typos, in every language")
    limits.add_argument("--max-clarify", type=float, default=1.0, metavar="SHARE",
                        help='highest share of in-scope questions answered with "did you mean", in every language')
    limits.add_argument("--min-followups", type=float, default=0.0, metavar="SHARE",
                        help="with --dialogues: lowest share of follow-ups answered within the right topic")
    parser.add_argument("--dialogues", nargs="?", type=Path, const=DEFAULT_DIALOGUES, default=None, metavar="FILE",
                        help=f"score multi-turn dialogues instead (default file: {DEFAULT_DIALOGUES}): does the bot "
                             "answer follow-ups within the topic of the conversation?")
    parser.add_argument("--no-typos", action="store_true", help="skip the figures with typos (faster)")
    parser.add_argument("--quiet", action="store_true", help="do not list every question the bot got wrong")
    parser.set_defaults(func=run)


def share(good: int, total: int) -> str:
    """``87.5% (7/8)``, or a dash when there is nothing to count."""
    return f"{good / total:.1%} ({good}/{total})" if total else "- (no such questions in the file)"


def print_report(report: Report) -> None:
    """Print the figures and the most frequent confusions."""
    print(f"questions: {report.total} ({sum(report.in_scope.values())} in scope, "
          f"{sum(report.out_of_scope.values())} off-topic)")
    for lang in sorted(report.in_scope):
        good, n = report.answered_right[lang], report.in_scope[lang]
        print(f"in-scope accuracy [{lang}]: {share(good, n)} answered with a right intent (strict)")
        print(f"  lenient [{lang}]: {share(good + report.clarified_right[lang], n)} incl. \"did you mean\" "
              "with the right first option")
        print(f"  clarify rate [{lang}]: {share(report.clarified[lang], n)} got \"did you mean\"")
    for lang in sorted(report.out_of_scope):
        print(f"off-topic rejected [{lang}]: {share(report.rejected[lang], report.out_of_scope[lang])}")
    print(f"near-domain kind recognised: {share(report.topic_right, report.near_domain)}")
    print(f"language detection: {share(report.lang_correct, report.lang_total)}")
    print("per-intent recall:")
    for intent, (good, total) in sorted(report.per_intent.items()):
        print(f"  {intent:22} {good}/{total}")
    if report.confusions:
        print(f"most frequent confusions (expected -> got, top {TOP_CONFUSIONS}):")
        for (expected, got), count in report.confusions.most_common(TOP_CONFUSIONS):
            print(f"  {expected} -> {got}: {count}")


def print_misses(report: Report) -> None:
    """Print every question the bot got wrong, with what it made of it."""
    if report.misses:
        print("misses:")
    for q, r in report.misses:
        print(f"  [{q.lang or '-'}->{r.lang}] {q.text!r}: expected {q.intent}, got {r.decision} {r.intent} "
              f"({r.detail})")


def print_typo_report(report: Report) -> None:
    """Print strict accuracy per language and language detection on the typo'd questions."""
    print(f"with typos (nlpaug, seed 0): {report.total} variants of the in-scope questions")
    for lang in sorted(report.in_scope):
        print(f"  typo accuracy [{lang}]: {share(report.answered_right[lang], report.in_scope[lang])} "
              "answered with a right intent (strict)")
    print(f"  typo language detection: {share(report.lang_correct, report.lang_total)}")


def below_thresholds(args: argparse.Namespace, report: Report, typos: Report | None) -> list[str]:
    """What is below (or above) the thresholds given as flags, in words."""
    problems = [f"in-scope accuracy [{lang}] below {args.min_accuracy:.0%}"
                for lang in sorted(report.in_scope) if report.accuracy(lang) < args.min_accuracy]
    problems += [f"clarify rate [{lang}] above {args.max_clarify:.0%}"
                 for lang in sorted(report.in_scope) if report.clarify_rate(lang) > args.max_clarify]
    if report.rejection < args.min_rejection:
        problems.append(f"off-topic rejected below {args.min_rejection:.0%}")
    if report.language_accuracy < args.min_language:
        problems.append(f"language detection below {args.min_language:.0%}")
    if args.min_typo_accuracy > 0 and typos is None:
        problems.append("--min-typo-accuracy was given but the typo figures were not measured")
    elif typos is not None:
        problems += [f"typo accuracy [{lang}] below {args.min_typo_accuracy:.0%}"
                     for lang in sorted(typos.in_scope) if typos.accuracy(lang) < args.min_typo_accuracy]
    return problems


def typo_report(understander: Understander, questions: list[Labelled]) -> Report | None:
    """The matcher on typo'd in-scope questions; None (after saying why) when nlpaug is not installed."""
    try:
        variants = typo_variants(questions, seed=0)
    except TypoToolMissing:
        print("typo figures skipped: they need the dev tools; run `.venv/bin/pip install -e '.[dev]'`")
        return None
    return evaluate(understander, variants)


def run_dialogues(args: argparse.Namespace, content: Content) -> int:
    """Score the dialogues of ``args.dialogues`` turn by turn."""
    try:
        dialogues = parse_dialogues(args.dialogues.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, ValueError, KeyError, TypeError, AttributeError) as exc:
        print(f"{args.dialogues}: cannot read the dialogues ({exc})")
        return 1
    report = evaluate_dialogues(Engine(content, Understander(content)), dialogues)
    print(f"dialogues: {len(dialogues)}, turns: {sum(report.turns.values())}, "
          f"follow-ups: {sum(report.followups.values())}")
    for lang in sorted(report.turns):
        print(f"follow-ups within the right topic [{lang}]: "
              f"{share(report.followups_in_topic[lang], report.followups[lang])}")
        print(f"  follow-ups exactly right [{lang}]: {share(report.followups_right[lang], report.followups[lang])}")
        print(f"  all turns right [{lang}]: {share(report.right[lang], report.turns[lang])}")
    if not args.quiet and report.misses:
        print("misses:")
        for dialogue, n, got in report.misses:
            turn = dialogue.turns[n]
            wanted = f"missing_in {turn.missing_in}" if turn.missing_in else (list(turn.intents) or "off-topic")
            print(f"  [{dialogue.lang} turn {n + 1}{' follow-up' if turn.followup else ''}] {turn.say!r}: "
                  f"expected {wanted}, got {got}")
    low = [lang for lang in sorted(report.followups)
           if report.share(report.followups_in_topic, report.followups, lang) < args.min_followups]
    if low:
        print(f"below threshold: follow-ups within the topic [{', '.join(low)}] below {args.min_followups:.0%}")
        return 1
    return 0


def run(args: argparse.Namespace) -> int:
    """Evaluate and compare against the thresholds given as flags."""
    content = load_or_explain(args)
    if content is None:
        return 1
    if args.dialogues is not None:
        return run_dialogues(args, content)
    try:
        questions = parse_labelled(args.file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, ValueError, KeyError, TypeError, AttributeError) as exc:
        print(f"{args.file}: cannot read the questions ({exc})")
        return 1
    understander = Understander(content)
    report = evaluate(understander, questions)
    print_report(report)
    typos = None if args.no_typos else typo_report(understander, questions)
    if typos is not None:
        print_typo_report(typos)
    if not args.quiet:
        print_misses(report)
    problems = below_thresholds(args, report, typos)
    if problems:
        print("below threshold: " + "; ".join(problems))
        return 1
    return 0
