"""Language detection for short chat messages: the content's own words and character trigrams, and the caller's
prior."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from bot.nlu.normalise import fold
from bot.nlu.thresholds import (
    GUESSED_WORD_WEIGHT,
    LANG_CERTAIN_MARGIN,
    NO_HINT_LANGUAGE,
    NO_HINT_WEIGHT,
    PRIOR_WEIGHT,
    STOPWORD_BOOST,
    TRIGRAM_WEIGHT,
)

_CACHE_LIMIT = 50_000


def stopwords_of(stopwords: Mapping[str, Iterable[str]]) -> set[str]:
    """Every language's stopwords, folded."""
    return {fold(w) for words in stopwords.values() for w in words}


def _trigrams(word: str) -> list[str]:
    padded = f" {word} "
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


class LanguageDetector:
    """Decides between the configured languages; a short neutral message keeps the prior."""

    def __init__(self, languages: tuple[str, ...], texts: Mapping[str, Iterable[str]],
                 stopwords: Mapping[str, Iterable[str]]) -> None:
        self.languages = languages
        self._logp: dict[str, dict[str, float]] = {}
        counts: dict[str, Counter[str]] = {}
        folded = {lang: [fold(t).split() for t in texts.get(lang, ())] for lang in languages}
        text_words: dict[str, Counter[str]] = {}
        for lang in languages:
            counter: Counter[str] = Counter()
            for words in folded[lang]:
                counter.update(words)
            text_words[lang] = counter.copy()
            for word in stopwords.get(lang, ()):
                counter[fold(word)] += STOPWORD_BOOST
            counts[lang] = counter
        vocabulary = set().union(*counts.values()) if counts else set()
        for lang, counter in counts.items():
            total = sum(counter.values()) + len(vocabulary) + 1
            self._logp[lang] = {w: math.log((counter[w] + 1) / total) for w in vocabulary}
            self._logp[lang][""] = math.log(1 / total)  # unseen word
        self._trigrams = self._trigram_model(languages, text_words)
        self._word_trigrams: dict[str, tuple[tuple[float, ...], int]] = {}
        self._neutral = self._neutral_phrases(languages, folded, stopwords)

    @staticmethod
    def _neutral_phrases(languages: tuple[str, ...], folded: Mapping[str, list[list[str]]],
                         stopwords: Mapping[str, Iterable[str]]) -> re.Pattern[str] | None:
        """Names that the content uses in every language ("connecting diaspora for development", "den haag",
        "laissez passer"): they say nothing about the language around them, so detection skips them."""
        common = stopwords_of(stopwords)
        vocabularies = [{w for words in folded.get(lang, ()) for w in words} for lang in languages]
        shared = set.intersection(*vocabularies) if vocabularies else set()
        seen: list[set[str]] = []
        for lang in languages:
            phrases: set[str] = set()
            for words in folded.get(lang, ()):
                # Only words every language uses can make such a name; it ends with a word that is no stopword
                # in any language ("den haag", "hart van brabant").
                for i in range(len(words)):
                    for j in range(i + 1, min(i + 5, len(words))):
                        if words[j] not in shared:
                            break
                        if words[j] not in common and words[i] in shared:
                            phrases.add(" ".join(words[i:j + 1]))
            seen.append(phrases)
        if len(seen) < 2:
            return None
        names = sorted((p for p in set.intersection(*seen) if not p.replace(" ", "").isdigit()), key=len,
                       reverse=True)
        return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b") if names else None

    @staticmethod
    def _trigram_model(languages: tuple[str, ...], words: Mapping[str, Counter[str]]) -> dict[str, dict[str, float]]:
        """Character-trigram log-probabilities per language, from the content's own words (handles typos)."""
        counts: dict[str, Counter[str]] = {}
        for lang in languages:
            counter: Counter[str] = Counter()
            for word, n in words[lang].items():
                for gram in _trigrams(word):
                    counter[gram] += n
            counts[lang] = counter
        every = set().union(*counts.values()) if counts else set()
        model: dict[str, dict[str, float]] = {}
        for lang, counter in counts.items():
            total = sum(counter.values()) + len(every) + 1
            model[lang] = {g: math.log((counter[g] + 1) / total) for g in every}
            model[lang][""] = math.log(1 / total)
        return model

    def trigram_scores(self, words: list[str]) -> dict[str, float]:
        """Average trigram log-evidence per language, times the number of (folded) words: short texts say little."""
        sums = [0.0] * len(self.languages)
        known = 0
        for word in words:
            if word.isdigit():
                continue
            cached = self._word_trigrams.get(word)
            if cached is None:
                if len(self._word_trigrams) >= _CACHE_LIMIT:
                    self._word_trigrams.clear()
                cached = self._word_trigrams[word] = self._trigram_evidence(word)
            for k, value in enumerate(cached[0]):
                sums[k] += value
            known += cached[1]
        if not known:
            return {lang: 0.0 for lang in self.languages}
        return {lang: sums[k] / known * len(words) for k, lang in enumerate(self.languages)}

    def _trigram_evidence(self, word: str) -> tuple[tuple[float, ...], int]:
        """Per language the summed log-probability of the word's known trigrams, and how many are known."""
        grams = [g for g in _trigrams(word) if any(g in self._trigrams[lang] for lang in self.languages)]
        sums = tuple(sum(self._trigrams[lang].get(g, self._trigrams[lang][""]) for g in grams)
                     for lang in self.languages)
        return sums, len(grams)

    def scores(self, words: list[str], guessed: frozenset[str] = frozenset(),
               ties: Mapping[str, tuple[tuple[str, float], ...]] | None = None) -> dict[str, float]:
        """Log-evidence per language from the content's own vocabulary (words known in only one count most). A word
        in ``guessed`` is the spelling corrector's reading of a slip, not what was typed: it counts for less; one in
        ``ties`` could as well have been any of the words listed for it (with how often the content uses each), so their
        evidence is averaged, weighted by that."""
        result = {lang: 0.0 for lang in self.languages}
        for word in words:
            readings = (ties or {}).get(word, ((word, 1.0),))
            known = [(r, n) for r, n in readings if any(r in self._logp[lang] for lang in self.languages)]
            if not known:
                continue
            weight = (GUESSED_WORD_WEIGHT if word in guessed else 1.0) / sum(n for _, n in known)
            for lang in self.languages:
                table = self._logp[lang]
                result[lang] += sum(weight * n * table.get(r, table[""]) for r, n in known)
        return result

    def detect(self, text: str, prior: str | None = None, guessed: frozenset[str] = frozenset(),
               ties: Mapping[str, tuple[tuple[str, float], ...]] | None = None) -> tuple[str, bool]:
        """The language of ``text`` and whether it is clearly that language (else the prior is kept). ``guessed``: the
        words of ``text`` that the spelling corrector put in for slips ("goor" read as "door").

        The content's own vocabulary and character trigrams decide. (langdetect, asked on near ties before, never
        changed a result on the development sets or on the content's own examples, typo'd or not, and cost up to
        0.8 ms: it is no longer used.)
        """
        if len(self.languages) == 1:
            return self.languages[0], True
        fallback = prior if prior in self.languages else self.languages[0]
        folded = fold(text)
        if self._neutral is not None:
            rest = self._neutral.sub(" ", folded)
            folded = rest if rest.strip() else folded
        words = folded.split()
        evidence = self.scores(words, guessed, ties)
        for lang, value in self.trigram_scores(words).items():
            evidence[lang] += TRIGRAM_WEIGHT * value
        if prior in evidence:
            evidence[prior] += PRIOR_WEIGHT
        else:
            prior = None
            if NO_HINT_LANGUAGE in evidence:
                # No hint at all: people who write neither language natively more often write English.
                evidence[NO_HINT_LANGUAGE] += NO_HINT_WEIGHT
        best, margin = self._best(evidence, fallback)
        certain = margin >= LANG_CERTAIN_MARGIN
        if not certain and prior in self.languages:
            return prior, False  # a short or mixed message does not flip the user's language
        if margin < 1e-9:
            return fallback, False
        return best, certain

    @staticmethod
    def _best(evidence: dict[str, float], fallback: str) -> tuple[str, float]:
        ranked = sorted(evidence.items(), key=lambda kv: (-kv[1], kv[0] != fallback))
        return ranked[0][0], ranked[0][1] - ranked[1][1]
