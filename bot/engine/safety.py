"""Spotting messages about danger, trafficking, exploitation or a medical emergency.

Danger words come from every language's ``danger:`` list (people mix languages in a crisis). Text and
words are normalised (case, accents, punctuation). A word matches exactly, as the start of a longer word
(from 8 letters: 'zelfmoord' in 'zelfmoordgedachten'), or with a small typo (a letter missing, extra,
wrong or two swapped): one from 6 letters, two from 10. Short words only match exactly, so 'slaan' does
not fire on 'staan'."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz.distance import OSA

from bot.content.model import Content

MAX_SCAN = 2000  # characters of a message that are scanned


def words_of(text: str) -> list[str]:
    """Lower-case words without accents or punctuation."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", folded)


def _word_matches(word: str, wanted: str) -> bool:
    if word == wanted:
        return True
    if len(wanted) < 6:
        return False
    if len(wanted) >= 8 and word.startswith(wanted):
        return True
    allowed = 2 if len(wanted) >= 10 else 1
    return abs(len(word) - len(wanted)) <= allowed and OSA.distance(word, wanted) <= allowed


def find_danger(text: str, phrases: Iterable[str]) -> str | None:
    """The first danger phrase found in ``text`` (all of its words in a row), or None."""
    words = words_of(text[:MAX_SCAN])
    for phrase in phrases:
        wanted = words_of(phrase)
        if not wanted:
            continue
        for start in range(len(words) - len(wanted) + 1):
            if all(_word_matches(words[start + k], w) for k, w in enumerate(wanted)):
                return phrase
    return None


def danger_phrases(content: Content) -> tuple[str, ...]:
    """Every language's danger words and phrases, longest first."""
    phrases = {p for pack in content.packs.values() for p in pack.danger_words}
    return tuple(sorted(phrases, key=lambda p: (-len(p), p)))
