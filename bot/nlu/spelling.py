"""Spelling correction over the content's own words: a slip of a known word counts as that word.

SymSpell-style, with rapidfuzz as the engine: an unknown word is compared (optimal string alignment distance:
one substitution, insertion, deletion or swap of neighbours costs 1) with the known words of a length that can
reach it; the nearest wins, and among equally near words the most frequent one ("whzt" -> "what", "lnad" ->
"land", "foundef" -> "founded"). Known words are every word of the examples, keywords, answers, stopwords and
synonyms, so a correctly spelt word is never "corrected".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.nlu.thresholds import SPELLING_MAX_DISTANCE, SPELLING_MIN_LENGTH

_CACHE_LIMIT = 50_000
SWAP_ONLY_BELOW = 4  # a word this short is corrected only by swapping two letters ("hwo"): "hmm" is not "hem"
RARE_WORD = 2        # a known word used at most this often ...
COMMON_FACTOR = 20   # ... is read as a word one slip away that is used at least this many times more


def max_distance(length: int) -> int:
    """How many slips a word of ``length`` letters may have and still be corrected."""
    if length < SPELLING_MIN_LENGTH:
        return 0
    return next((d for floor, d in reversed(SPELLING_MAX_DISTANCE) if length >= floor), 0)


class SpellingCorrector:
    """Maps a word to itself when known, to its nearest known word when within reach, else to None."""

    def __init__(self, words: Iterable[str]) -> None:
        self.frequency: Counter[str] = Counter(w for w in words if w and not w.isdigit())
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in sorted(self.frequency, key=lambda w: (-self.frequency[w], w)):
            by_length[len(word)].append(word)
        self._by_length = dict(by_length)
        self._cache: dict[str, str | None] = {}
        self._ties: dict[str, tuple[str, ...]] = {}

    def __contains__(self, word: str) -> bool:
        return word in self.frequency

    def correct(self, word: str) -> str | None:
        """``word`` if known; else the nearest known word (ties: the most frequent); None when nothing is near.

        A known word seen only once or twice that is one slip from a word used far more often is read as that
        word: the examples themselves hold a few slips ("retrun"), and a message should not match those alone.
        """
        count = self.frequency.get(word, 0)
        if word.isdigit() or (count and (count > RARE_WORD or len(word) < 5)):
            return word
        cached = self._cache.get(word, "")
        if cached != "":
            return cached
        if count:
            result = self._nearest(word, exclude=word)
            result = result if result is not None and self.frequency[result] >= COMMON_FACTOR * count else word
        else:
            nearest = self._remember_ties(word)
            result = nearest[0] if nearest else None
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = result
        return result

    def equally_near(self, word: str) -> tuple[str, ...]:
        """Every known word as near to an unknown ``word`` as the one it is read as ("hwllo": hello and hallo), most
        frequent first; empty for a known word or one nothing is near."""
        if word in self.frequency or word.isdigit():
            return ()
        return self._remember_ties(word)

    def _remember_ties(self, word: str) -> tuple[str, ...]:
        """The nearest known words of an unknown word, most frequent first (one search serves ``correct`` and
        ``equally_near``)."""
        cached = self._ties.get(word)
        if cached is None:
            if len(self._ties) >= _CACHE_LIMIT:
                self._ties.clear()
            keys = self._candidates(word, None)
            cached = self._ties[word] = tuple(w for d, _, w in keys if d == keys[0][0]) if keys else ()
        return cached

    def _nearest(self, word: str, exclude: str | None = None) -> str | None:
        keys = self._candidates(word, exclude)
        return keys[0][2] if keys else None

    def _candidates(self, word: str, exclude: str | None) -> list[tuple[int, int, str]]:
        """(distance, -frequency, word) of the known words within reach, nearest and most frequent first."""
        limit = max_distance(len(word)) if exclude is None else 1
        if limit == 0:
            return []
        keys: list[tuple[int, int, str]] = []
        for length in range(len(word) - limit, len(word) + limit + 1):
            choices = self._by_length.get(length)
            if not choices:
                continue
            for candidate, distance, _ in process.extract(word, choices, scorer=OSA.distance, score_cutoff=limit,
                                                          limit=5):
                if candidate == exclude or (len(word) < SWAP_ONLY_BELOW and sorted(candidate) != sorted(word)):
                    continue
                keys.append((int(distance), -self.frequency[candidate], candidate))
        return sorted(keys)
