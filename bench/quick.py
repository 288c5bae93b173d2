"""Quick figures on the tuning sets while developing: the matcher as shipped, the decision model checked by
leaving each set out, language detection, and (optionally) the misses of one tuning set.

`python bench/quick.py [--typos] [--loso] [--baseline] [--misses NAME] [--lang-misses]`. Only tuning sets are
known here: the measure-only sets (fresh, fresh4, fresh5, fresh6, fresh8) are measured by bench/matching.py alone,
totals only, and their misses are never listed.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.calibrate import (  # noqa: E402
    SETS,
    choose,
    choose_bars,
    figures,
    fit_rows,
    load,
    probabilities,
    rows_for,
    with_slips,
)
from bot.content import load_content  # noqa: E402
from bot.nlu import Understander  # noqa: E402
from bot.nlu.evaluation import Labelled, Predictor, Report, evaluate  # noqa: E402

MEASURE_ONLY = ("fresh", "fresh4", "fresh5", "fresh6", "fresh8")


def summary(report: Report, language: bool = True) -> str:
    """Strict per language, clarify, rejection, language detection."""
    parts = [f"nl {report.accuracy('nl'):.1%}", f"en {report.accuracy('en'):.1%}",
             f"clar {report.clarify_rate():.1%}", f"rej {report.rejection:.1%}"]
    if language:
        parts.append(f"lang {report.language_accuracy:.1%} ({report.lang_total - report.lang_correct} wrong)")
    return ", ".join(parts)


def loso(understander: Understander, sets: dict[str, list[Labelled]]) -> None:
    """The decision model fitted as bench/calibrate.py does it (questions and typo'd copies) without each set in
    turn, measured on that set's questions as written; pooled over the sets."""
    rows = {name: rows_for(understander, qs) for name, qs in sorted(sets.items())}
    slips = {name: rows_for(understander, with_slips(qs, seed=k)) for k, (name, qs) in enumerate(sorted(sets.items()))}
    counts = {"answered_right": Counter[str](), "in_scope": Counter[str](), "clarified": 0, "off": 0, "rejected": 0}
    for name in sorted(rows):
        train = [r for other, rs in rows.items() if other != name for r in (*rs, *slips[other])]
        model = fit_rows(train)
        answer, clarify = choose_bars(train, probabilities(train, *model))
        p = probabilities(rows[name], *model)
        f = figures(rows[name], p, answer, clarify)
        print(f"  loso {name:8s}", ", ".join(f"{k} {v:.1%}" for k, v in f.items()), f"bars {answer}/{clarify}")
        for row, prob in zip(rows[name], p, strict=True):
            decision = choose(float(prob), row.off_topic_wins, row.close, row.best, answer, clarify)
            if row.in_scope:
                counts["in_scope"][row.lang] += 1
                counts["answered_right"][row.lang] += decision == "answer" and row.top_right
                counts["clarified"] += decision == "clarify"
            else:
                counts["off"] += 1
                counts["rejected"] += decision == "none"
    right, total = counts["answered_right"], counts["in_scope"]
    print("  loso POOLED   " + ", ".join(f"{lang} {right[lang] / total[lang]:.1%}" for lang in ("nl", "en")) +
          f", clar {counts['clarified'] / sum(total.values()):.1%}, rej {counts['rejected'] / counts['off']:.1%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--typos", action="store_true", help="also measure nlpaug typo'd copies")
    parser.add_argument("--loso", action="store_true", help="decision model left out per set (clean questions)")
    parser.add_argument("--baseline", action="store_true", help="also the TF-IDF+LR baseline")
    parser.add_argument("--misses", default="", help="list the misses of this tuning set")
    parser.add_argument("--lang-misses", action="store_true", help="list language detection misses")
    args = parser.parse_args()
    if args.misses in MEASURE_ONLY:
        parser.error(f"{args.misses} is measure-only: its misses are never listed")
    understander = Understander(load_content(ROOT))
    sets = load(SETS)
    predictors: list[tuple[str, Predictor | Understander]] = [("faqbot", understander)]
    if args.baseline:
        from bench.baseline import baseline_predictor
        predictors.append(("TF-IDF+LR", baseline_predictor(understander.content)))
    totals: dict[str, list[Labelled]] = {"ALL": [q for qs in sets.values() for q in qs]}
    for name, questions in {**sets, **totals}.items():
        for who, predict in predictors:
            report = evaluate(predict, questions)
            print(f"{name:8s} {who:9s} {summary(report, who == 'faqbot')}")
            if who == "faqbot" and name == args.misses:
                for q, got in report.misses:
                    print(f"    MISS [{q.lang}] {q.text!r} want {'/'.join(q.intents) or 'none'} got "
                          f"{got.decision} {got.intent} lang {got.lang} | {got.detail}")
            if who == "faqbot" and args.lang_misses:
                for q, got in report.misses:
                    if q.lang and got.lang != q.lang:
                        print(f"    LANG [{q.lang}->{got.lang}] {q.text!r}")
    if args.typos:
        from bot.nlu.typos import typo_variants
        for who, predict in predictors:
            report = evaluate(predict, typo_variants(totals["ALL"], seed=0))
            print(f"TYPOS    {who:9s} {summary(report, who == 'faqbot')}")
            if who == "faqbot" and args.lang_misses:
                for q, got in report.misses:
                    if q.lang and got.lang != q.lang:
                        print(f"    LANG [{q.lang}->{got.lang}] {q.text!r}")
    if args.loso:
        loso(understander, sets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
