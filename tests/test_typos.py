"""Typo'd variants of labelled questions: deterministic, really typo'd, same labels, in-scope only."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.nlu.evaluation import Labelled
from bot.nlu.typos import INSTALL_HINT, TypoToolMissing, typo_variants

ROOT = Path(__file__).resolve().parents[1]

QUESTIONS = [
    # (text, language, acceptable intents, near-domain kind)
    Labelled("how do I bring my wife and children to the netherlands", "en", ("family_reunification",)),
    Labelled("ik wil graag terug naar mijn land van herkomst", "nl", ("return_eligibility", "return_support")),
    Labelled("what is the phone number of the office in the hague", "en", ("contact",)),
    Labelled("welke documenten heb ik nodig voor de reis", None, ("return_support",)),
    Labelled("kan ik asiel aanvragen in nederland", "nl", (), "other_asylum"),
    Labelled("what is the weather like tomorrow", "en", ()),
]
IN_SCOPE = [q for q in QUESTIONS if q.intents]

SCRIPT = """
import json
from bot.nlu.evaluation import Labelled
from bot.nlu.typos import typo_variants
questions = [Labelled(t, l, tuple(i), None) for t, l, i in json.loads({data!r})]
print(json.dumps([q.text for q in typo_variants(questions, seed=0)]))
"""


def test_two_variants_per_in_scope_question_with_the_same_labels() -> None:
    variants = typo_variants(QUESTIONS, seed=0)
    expected = [(q.lang, q.intents, q.topic) for q in IN_SCOPE for _ in range(2)]
    assert [(v.lang, v.intents, v.topic) for v in variants] == expected


def test_variants_are_typos_of_the_original() -> None:
    variants = typo_variants(QUESTIONS, seed=0)
    originals = [q.text for q in IN_SCOPE for _ in range(2)]
    for original, variant in zip(originals, variants, strict=True):
        assert variant.text != original
        words, typo_words = original.split(), variant.text.split()
        assert len(typo_words) == len(words)
        changed = [(w, t) for w, t in zip(words, typo_words, strict=True) if w != t]
        assert changed and len(changed) <= len(words) * 0.3 + 1, (original, variant.text)
        assert all(len(w) == len(t) for w, t in changed), (original, variant.text)  # substitutions and swaps


def test_same_seed_same_variants() -> None:
    assert typo_variants(QUESTIONS, seed=0) == typo_variants(QUESTIONS, seed=0)
    assert typo_variants(QUESTIONS, seed=1) == typo_variants(QUESTIONS, seed=1)
    assert typo_variants(QUESTIONS, seed=0) != typo_variants(QUESTIONS, seed=1)


@pytest.mark.parametrize("hash_seed", ["1", "2"])
def test_same_variants_in_a_fresh_process(hash_seed: str) -> None:
    """Another run (another string hash seed) makes exactly the same variants."""
    data = json.dumps([(q.text, q.lang, list(q.intents)) for q in QUESTIONS])
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    out = subprocess.run([sys.executable, "-c", SCRIPT.format(data=data)], capture_output=True, text=True,
                         cwd=ROOT, env=env, check=True)
    assert json.loads(out.stdout) == [v.text for v in typo_variants(QUESTIONS, seed=0)]


def test_the_callers_random_state_is_left_alone() -> None:
    random.seed(42)
    np.random.seed(42)
    expected = (random.random(), np.random.random())
    random.seed(42)
    np.random.seed(42)
    typo_variants(QUESTIONS, seed=0)
    assert (random.random(), np.random.random()) == expected


def test_very_short_questions_are_kept() -> None:
    variants = typo_variants([Labelled("hoi", "nl", ("greeting",))], seed=0)
    assert [(v.text, v.intents) for v in variants] == [("hoi", ("greeting",))] * 2


def test_no_off_topic_variants() -> None:
    assert typo_variants([q for q in QUESTIONS if not q.intents], seed=0) == []


def test_missing_nlpaug_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "nlpaug.augmenter.char", None)  # makes the import fail
    with pytest.raises(TypoToolMissing) as raised:
        typo_variants(QUESTIONS)
    assert str(raised.value) == "nlpaug is not installed: run `.venv/bin/pip install -e '.[dev]'`"
    assert str(raised.value) == INSTALL_HINT
