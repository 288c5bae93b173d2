"""The evaluation sets stay independent of the training examples, and the matcher stays above its bar."""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from bot.content import load_content
from bot.nlu import Understander
from bot.nlu.evaluation import evaluate, parse_labelled
from bot.nlu.normalise import fold

ROOT = Path(__file__).resolve().parents[1]
# Every question set, tuning and measure-only; a set not in this checkout (a new one on its way) is skipped.
SETS = {"eval": ROOT / "tests/data/eval.yaml", "holdout": ROOT / "tests/data/holdout.yaml",
        "dev2": ROOT / "bench/data/dev2.yaml", "dev3": ROOT / "bench/data/dev3.yaml",
        "tune": ROOT / "bench/data/tune.yaml", "tune2": ROOT / "bench/data/tune2.yaml",
        "fresh": ROOT / "bench/data/fresh.yaml", "fresh2": ROOT / "bench/data/fresh2.yaml",
        "fresh3": ROOT / "bench/data/fresh3.yaml", "fresh4": ROOT / "bench/data/fresh4.yaml",
        "fresh5": ROOT / "bench/data/fresh5.yaml", "fresh6": ROOT / "bench/data/fresh6.yaml",
        "fresh7": ROOT / "bench/data/fresh7.yaml", "fresh8": ROOT / "bench/data/fresh8.yaml",
        "sensitive": ROOT / "bench/data/sensitive.yaml"}
MEASURE_ONLY = ("fresh", "fresh4", "fresh5", "fresh6", "fresh8")  # their questions are never shown, even in a failure
NEAR_COPY = 90  # rapidfuzz ratio (0-100) from which an example counts as a copy of a question


def questions(name: str) -> list[str]:
    return [q.text for q in parse_labelled(SETS[name].read_text(encoding="utf-8"))]


@pytest.mark.parametrize("name", sorted(SETS))
def test_no_intent_example_copies_an_evaluation_question(name: str) -> None:
    """No example of three or more words, in any intents file, is a (near) copy of a question of any set."""
    if not SETS[name].exists():
        pytest.skip(f"{SETS[name].relative_to(ROOT)} is not in this checkout")
    content = load_content(ROOT)
    examples = [fold(e) for i in content.intents.values() for v in i.examples.values() for e in v
                if len(fold(e).split()) >= 3]
    copies = []
    for text in questions(name):
        folded = fold(text)
        if len(folded.split()) < 3:
            continue
        hit = process.extractOne(folded, examples, scorer=fuzz.ratio, score_cutoff=NEAR_COPY)
        if hit is not None:
            copies.append(hit[0] if name in MEASURE_ONLY else (text, hit[0]))  # measure-only: example only
    assert copies == []


def test_development_set_stays_above_the_bar() -> None:
    """A regression guard on a development set, strict: answered with the right intent, "did you mean" rarely."""
    report = evaluate(Understander(load_content(ROOT)), parse_labelled((ROOT / "tests/data/eval.yaml").read_text()))
    assert report.accuracy("nl") >= 0.93
    assert report.accuracy("en") >= 0.93
    assert report.clarify_rate() <= 0.04
    assert report.rejection >= 0.92
    assert report.language_accuracy >= 0.98
