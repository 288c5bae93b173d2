"""Group similar unanswered questions, so staff see each question once with how often it was asked.

Texts are folded (case, accents, punctuation: ``bot.nlu.normalise.fold``) and compared with rapidfuzz's
``token_sort_ratio`` (word order does not matter, small typos cost little). Clustering is greedy: the most
asked question that is not in a group yet starts a group and takes every other free question scoring at
least ``threshold`` (85 of 100) against it. Scores are computed in blocks with ``process.cdist``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from bot.nlu.normalise import fold
from bot.staff.review_log import THUMBS_DOWN, ReviewItem

THRESHOLD = 85
#: A matcher's candidate below this score is no real candidate: it is never offered as the topic a question
#: belongs to (on the development questions the best candidate of an unanswered question scoring below it was
#: right for 2 in 204; above it, for 6 in 30).
SUGGESTION_FLOOR = 0.3
BLOCK = 256  # rows of the score matrix computed at a time (memory: BLOCK x distinct questions bytes)

#: Finds the closest intent of a text in a language when the stored candidates do not tell (or None).
Guess = Callable[[str, str], str | None]


@dataclass(frozen=True)
class Group:
    """Similar questions in one language: how often, an example, all variants, and the closest intent."""

    lang: str
    count: int
    example: str
    texts: tuple[str, ...]  # distinct masked texts, most asked first
    decisions: tuple[tuple[str, int], ...]  # ('none', 3), ('clarify', 1)
    intent: str | None


@dataclass(frozen=True)
class ThumbsDown:
    """An answer that got 👎, in one language, and how often."""

    intent: str
    lang: str
    count: int


def cluster(keys: Sequence[str], threshold: int = THRESHOLD) -> list[list[int]]:
    """Greedy clusters of ``keys`` (already in seed order): lists of indexes, each starting with its seed."""
    n = len(keys)
    free = np.ones(n, dtype=bool)
    clusters: list[list[int]] = []
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        scores = process.cdist(keys[start:stop], keys, scorer=fuzz.token_sort_ratio, dtype=np.uint8,
                               score_cutoff=threshold, workers=-1)
        for row, seed in enumerate(range(start, stop)):
            if not free[seed]:
                continue
            members = np.flatnonzero((scores[row] >= threshold) & free)
            members = members[members != seed]
            free[seed] = False
            free[members] = False
            clusters.append([seed, *members.tolist()])
    return clusters


def group_questions(items: Iterable[ReviewItem], guess: Guess | None = None,
                    threshold: int = THRESHOLD) -> list[Group]:
    """Unanswered questions grouped per language, most asked first (👎 rows, which have no text, are left out)."""
    by_lang: dict[str, list[ReviewItem]] = defaultdict(list)
    for item in items:
        if item.text and item.decision != THUMBS_DOWN:
            by_lang[item.lang].append(item)
    groups: list[Group] = []
    for lang, rows in by_lang.items():
        groups += _groups(lang, rows, guess, threshold)
    return sorted(groups, key=lambda g: (-g.count, g.lang, g.example))


def _groups(lang: str, rows: list[ReviewItem], guess: Guess | None, threshold: int) -> list[Group]:
    # Identical folded texts are one entry first: the matrix only holds distinct questions.
    same: dict[str, list[ReviewItem]] = defaultdict(list)
    for item in rows:
        same[fold(item.text or "")].append(item)
    keys = sorted(same, key=lambda k: (-len(same[k]), k))
    groups = []
    for members in cluster(keys, threshold):
        items = [item for i in members for item in same[keys[i]]]
        counts = Counter(item.text or "" for item in items)
        texts = tuple(sorted(counts, key=lambda t: (-counts[t], t)))
        decisions = Counter(item.decision for item in items)
        intent = closest_intent(items)
        if intent is None and guess is not None:
            intent = guess(texts[0], lang)
        groups.append(Group(lang, len(items), texts[0], texts, tuple(sorted(decisions.items())), intent))
    return groups


def closest_intent(items: Iterable[ReviewItem]) -> str | None:
    """The intent the matcher found closest over all items (scores added up), or None without a real candidate."""
    return real_candidates(item.candidates for item in items)


def real_candidates(candidates: Iterable[Iterable[tuple[str, float]]], exclude: str | None = None) -> str | None:
    """The best real candidate (scoring at least SUGGESTION_FLOOR) over several questions' candidates, scores
    added up; None when the matcher had none (``exclude``: the intent that was answered)."""
    totals: dict[str, float] = defaultdict(float)
    for found in candidates:
        for name, score in found:
            if score >= SUGGESTION_FLOOR and name != exclude:
                totals[name] += score
    if not totals:
        return None
    return min(totals, key=lambda name: (-totals[name], name))


def thumbs_down(items: Iterable[ReviewItem]) -> list[ThumbsDown]:
    """Answers that got 👎, most first."""
    counts = Counter((item.intent, item.lang) for item in items if item.decision == THUMBS_DOWN and item.intent)
    return [ThumbsDown(intent or "", lang, n)
            for (intent, lang), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0] or "", kv[0][1]))]
