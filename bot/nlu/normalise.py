"""Text normalisation shared by the index and the query: case, accents, punctuation, synonyms, stopwords."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9a-z]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")  # "heeeelp" -> "heelp"


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Case- and accent-folded text with punctuation turned into spaces; digits are kept."""
    # Accents come apart under NFKD and, like every other non-ASCII character, could never survive _NON_WORD:
    # dropping them in one encode is the same result, much faster. The curly apostrophe goes too.
    stripped = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode("ascii")
    stripped = stripped.replace("'", "")  # m'n -> mn, don't -> dont
    stripped = _REPEATS.sub(r"\1\1", _NON_WORD.sub(" ", stripped))
    return " ".join(stripped.split())


@lru_cache(maxsize=65_536)
def stem(token: str) -> str:
    """A deliberately light suffix stripper for Dutch and English plurals and verb forms."""
    if len(token) <= 4 or token.isdigit():
        return token
    for suffix, replacement, min_len in (
        ("ies", "y", 5), ("ing", "", 7), ("en", "", 6), ("es", "", 6), ("ed", "", 6), ("s", "", 5), ("e", "", 6),
    ):
        if token.endswith(suffix) and len(token) >= min_len:
            return token[: len(token) - len(suffix)] + replacement
    return token


class Normaliser:
    """Turns a message into matching terms: folded, synonyms mapped to their main word, stopwords dropped."""

    def __init__(self, synonyms: Mapping[str, str], stopwords: Iterable[str]) -> None:
        # Longest variants first so "go back home" wins over "go back".
        table = {fold(v): fold(k) for v, k in synonyms.items() if fold(v) and fold(k)}
        self._synonyms = table
        variants = sorted(table, key=len, reverse=True)
        self._pattern = (
            re.compile(r"\b(?:" + "|".join(re.escape(v) for v in variants) + r")\b") if variants else None
        )
        self.stopwords = frozenset(fold(w) for w in stopwords if fold(w))

    def canonical(self, text: str) -> str:
        """Folded text with synonyms replaced by their main word."""
        folded = fold(text)
        if self._pattern is None:
            return folded
        return self._pattern.sub(lambda m: self._synonyms[m.group(0)], folded)

    def terms(self, text: str, correct: Callable[[str], str | None] | None = None) -> list[str]:
        """Stemmed content words of ``text``; if every word is a stopword, all of them. With ``correct``, each
        word is first replaced by its spelling correction (when there is one)."""
        if correct is not None:
            text = " ".join(correct(w) or w for w in fold(text).split())
        words = self.canonical(text).split()
        content = [w for w in words if w not in self.stopwords]
        return [stem(w) for w in (content or words)]
