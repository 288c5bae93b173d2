"""The matching index, built once at load: terms, their weights, postings and preprocessed examples."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.nlu.normalise import Normaliser
from bot.nlu.thresholds import RELIABLE_EXAMPLES


@dataclass(frozen=True)
class ExampleIndex:
    """Examples of every intent, as term postings (for word overlap) and as strings (for rapidfuzz)."""

    intents: tuple[str, ...]                      # intent ids, position = intent number
    example_intent: npt.NDArray[np.int32]         # intent number of each example
    example_lang: tuple[str, ...]                 # language of each example
    example_strings: dict[str, list[str]]         # per language: processed example strings (sorted terms)
    example_rows: dict[str, npt.NDArray[np.int32]]  # per language: example numbers of those strings
    vocabulary: tuple[str, ...]                   # every known term
    term_ids: dict[str, int]
    idf: npt.NDArray[np.float64]                  # weight of each term: rarer across intents = heavier
    postings: tuple[npt.NDArray[np.int32], ...]   # per term: the examples containing it
    intent_postings: tuple[npt.NDArray[np.int32], ...]  # per term: the intents using it
    example_weight: npt.NDArray[np.float64]       # per example: sum of its terms' weights
    median_idf: float


def build_index(examples: list[tuple[str, str, str]], normaliser: Normaliser) -> ExampleIndex:
    """Index ``(intent, lang, text)`` triples with the shared normaliser."""
    intents = tuple(sorted({i for i, _, _ in examples}))
    intent_no = {name: n for n, name in enumerate(intents)}
    term_ids: dict[str, int] = {}
    example_terms: list[list[int]] = []
    intents_with_term: dict[int, set[int]] = defaultdict(set)
    strings: dict[str, list[str]] = defaultdict(list)
    rows: dict[str, list[int]] = defaultdict(list)
    for row, (intent, lang, text) in enumerate(examples):
        terms = normaliser.terms(text)
        ids = sorted({term_ids.setdefault(t, len(term_ids)) for t in terms})
        example_terms.append(ids)
        for tid in ids:
            intents_with_term[tid].add(intent_no[intent])
        strings[lang].append(" ".join(sorted(terms)))
        rows[lang].append(row)
    n_intents = max(len(intents), 1)
    idf = np.zeros(len(term_ids), dtype=np.float64)
    flat_ids = np.fromiter((t for ids in example_terms for t in ids), dtype=np.int64)
    examples_with_term = np.bincount(flat_ids, minlength=len(term_ids)).astype(np.float64)
    for tid, owners in intents_with_term.items():
        # A word seen in only one or two examples is as likely chance as signal ("guys"), so it weighs less.
        reliability = min(1.0, examples_with_term[tid] / RELIABLE_EXAMPLES) ** 0.5
        idf[tid] = math.log(1 + n_intents / len(owners)) * reliability
    postings_lists: list[list[int]] = [[] for _ in term_ids]
    for row, ids in enumerate(example_terms):
        for tid in ids:
            postings_lists[tid].append(row)
    row_of = np.repeat(np.arange(len(example_terms)), [len(ids) for ids in example_terms])
    example_weight = np.bincount(row_of, weights=idf[flat_ids], minlength=len(example_terms)).astype(np.float64)
    example_weight[[not ids for ids in example_terms]] = 1.0  # an example without terms: nothing to divide by
    vocabulary = tuple(sorted(term_ids, key=term_ids.__getitem__))
    return ExampleIndex(
        intents=intents,
        example_intent=np.array([intent_no[i] for i, _, _ in examples], dtype=np.int32),
        example_lang=tuple(lang for _, lang, _ in examples),
        example_strings=dict(strings),
        example_rows={lang: np.array(r, dtype=np.int32) for lang, r in rows.items()},
        vocabulary=vocabulary,
        term_ids=term_ids,
        idf=idf,
        postings=tuple(np.array(p, dtype=np.int32) for p in postings_lists),
        intent_postings=tuple(np.array(sorted(intents_with_term[t]), dtype=np.int32) for t in range(len(term_ids))),
        example_weight=example_weight,
        median_idf=float(np.median(idf)) if len(idf) else 1.0,
    )
