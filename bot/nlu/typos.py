"""Typo'd copies of labelled questions, made by nlpaug (a tool nobody here wrote), for measuring only."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import replace

import numpy as np

from bot.nlu.evaluation import Labelled

INSTALL_HINT = "nlpaug is not installed: run `.venv/bin/pip install -e '.[dev]'`"


class TypoToolMissing(RuntimeError):
    """nlpaug (a dev dependency) cannot be imported."""


def _first(augmented: object, original: str) -> str:
    """nlpaug returns a list of texts (or, for some inputs, the text itself)."""
    if isinstance(augmented, list):
        return str(augmented[0]) if augmented else original
    return str(augmented) if augmented else original


def typo_variants(questions: Iterable[Labelled], seed: int = 0) -> list[Labelled]:
    """Two variants of every in-scope question, same labels: one neighbouring-key typo and one swap of two
    adjacent letters, each in up to 30% of the words. The same seed gives the same variants on every run."""
    try:
        import nlpaug.augmenter.char as nac
    except ImportError as exc:
        raise TypoToolMissing(INSTALL_HINT) from exc
    augmenters = (
        nac.KeyboardAug(aug_char_max=1, aug_word_p=0.3, include_special_char=False, include_numeric=False,
                        include_upper_case=False),
        nac.RandomCharAug(action="swap", aug_char_max=1, aug_word_p=0.3),
    )
    # nlpaug draws from the global `random` and numpy generators; seed them for this call and put back
    # whatever state they had, so the caller's randomness is not disturbed.
    py_state, np_state = random.getstate(), np.random.get_state()
    random.seed(seed)
    np.random.seed(seed)
    try:
        return [replace(q, text=_first(aug.augment(q.text), q.text))
                for q in questions if q.intents for aug in augmenters]
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)
