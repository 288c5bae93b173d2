"""Spotting messages about a crisis, per kind: self-harm, violence, trafficking, a medical emergency, "urgent".

Crisis words come from every language's ``crisis:`` kinds (people mix languages in a crisis); the kinds are tried
in the order the content lists them, so the most serious comes first. Text and
words are normalised (case, accents, punctuation). A word matches exactly, as the start of a longer word
(from 8 letters: 'zelfmoord' in 'zelfmoordgedachten'), or with a small typo (a letter missing, extra,
wrong or two swapped): one from 6 letters, two from 10 (but not two wrong letters: 'opgeslagen' is not
'opgesloten'). Short words only match exactly, so 'slaan' does not fire on 'staan'."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from rapidfuzz.distance import OSA, Levenshtein

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
    if abs(len(word) - len(wanted)) > allowed:
        return False
    distance = OSA.distance(word, wanted)
    if distance <= 1:
        return True
    # two slips, but not two wrong letters: "opgeslagen" (stored) is another word, not a typo of "opgesloten"
    return distance <= allowed and sum(op.tag == "replace" for op in Levenshtein.editops(word, wanted)) < 2


def _phrase_starts(words: list[str], phrase: str) -> Iterator[tuple[int, int]]:
    """Where ``phrase`` stands in ``words`` (all of its words in a row): (start, number of words) of each place."""
    wanted = words_of(phrase)
    for start in range(len(words) - len(wanted) + 1) if wanted else ():
        if all(_word_matches(words[start + k], w) for k, w in enumerate(wanted)):
            yield start, len(wanted)


def find_danger(text: str, phrases: Iterable[str]) -> str | None:
    """The first danger phrase found in ``text`` (all of its words in a row), or None."""
    words = words_of(text[:MAX_SCAN])
    return next((phrase for phrase in phrases if next(_phrase_starts(words, phrase), None) is not None), None)


def crisis_phrases(content: Content) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per crisis kind, in the content's order of priority, every language's words and phrases, longest first."""
    order: list[str] = []
    phrases: dict[str, set[str]] = {}
    for lang in content.languages:
        for kind in content.crisis.get(lang, ()):
            if kind.id not in phrases:
                order.append(kind.id)
            phrases.setdefault(kind.id, set()).update(kind.words)
    return tuple((kind, tuple(sorted(phrases[kind], key=lambda p: (-len(p), p)))) for kind in order)


def find_crisis(text: str, kinds: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    """The first crisis kind whose words appear in ``text``, or None."""
    return next((kind for kind, phrases in kinds if find_danger(text, phrases) is not None), None)


def without_crisis_words(text: str, kinds: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """The message's words with every crisis phrase taken out: what is left may still ask a question."""
    words = words_of(text[:MAX_SCAN])
    keep = [True] * len(words)
    for _, phrases in kinds:
        for phrase in phrases:
            for start, size in _phrase_starts(words, phrase):
                keep[start:start + size] = [False] * size
    return " ".join(w for w, k in zip(words, keep, strict=True) if k)


NEGATIONS = frozenset({"not", "no", "dont", "don't", "never", "niet", "geen", "nooit", "nie"})
#: Words of a wish to go back ("i want to go home", "kan ik terug"): after a crisis, a return answer only follows
#: a message that asks for it in so many words.
RETURN_WORDS = frozenset({"back", "home", "return", "terug", "huis", "terugkeer", "teruggaan", "terugkeren"})


def asks_to_return(text: str) -> bool:
    """True when the message speaks of going back and says no "not": "can IOM help me go home?"."""
    words = set(words_of(text[:MAX_SCAN]))
    return bool(words & RETURN_WORDS) and not words & NEGATIONS
