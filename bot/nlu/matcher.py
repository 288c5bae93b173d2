"""Intent matching on rapidfuzz: weighted word overlap plus character similarity, scored in numpy.

Score of a message against one example (all in [0, 1]):
  word overlap  = QUERY_COVERAGE_SHARE * (weight of the message's words found in the example / weight of all the
                  message's words) + (1 - QUERY_COVERAGE_SHARE) * (weight of the example's words found / its weight)
  final         = TOKEN_SHARE * word overlap + (1 - TOKEN_SHARE) * rapidfuzz ratio of the sorted word strings
A word's weight is log(1 + intents / intents using it): "gezinshereniging" (one intent) weighs far more than
"help" (many). Misspelt words count as the closest known word (rapidfuzz ratio >= FUZZY_WORD_CUTOFF), times
their similarity; unknown words keep a weight, so "return this product to the store" is mostly unexplained.
An intent scores as its best example. The off-topic examples of `out_of_scope` compete like any intent.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from bot.content.model import Content
from bot.nlu.index import ExampleIndex, build_index
from bot.nlu.ngrams import NgramModel
from bot.nlu.normalise import Normaliser, fold
from bot.nlu.result import Analysis, Candidate
from bot.nlu.spelling import SpellingCorrector
from bot.nlu.thresholds import (
    COMPOUND_MIN_PART,
    COMPOUND_SIMILARITY,
    FUZZY_MIN_LENGTH,
    FUZZY_WORD_CUTOFF,
    INTENT_COVER_SHARE,
    NGRAM_SHARE,
    NGRAM_TEMPERATURE,
    QUERY_COVERAGE_SHARE,
    TOKEN_SHARE,
    UNKNOWN_WORD_WEIGHT,
)

MAX_QUERY_CHARS = 1000  # longer messages are cut: nobody asks an FAQ question in more
CHAR_COMPARE_LIMIT = 300  # examples (those sharing most words) compared character by character
TERM_CACHE_LIMIT = 50_000  # unknown words remembered with the known terms they stand for
RANKED_LIMIT = 8  # topics kept in an analysis (plus every off-topic kind)
STOPWORD_FREQUENCY = 50  # a stopword counts as this many uses: in real text they are the most frequent words


def _accumulate(rows: list[npt.NDArray[np.int32]], weights: list[float], size: int) -> npt.NDArray[np.float64]:
    """Sum of ``weights[k]`` over the positions ``rows[k]``, for every k, in one bincount."""
    if not rows:
        return np.zeros(size)
    lengths = [len(r) for r in rows]
    values = np.repeat(np.asarray(weights, dtype=np.float64), lengths)
    return np.bincount(np.concatenate(rows), values, minlength=size).astype(np.float64, copy=False)


def _log_sum(values: npt.NDArray[np.float64]) -> float:
    """log(sum(exp(values))), computed stably; very negative for no values."""
    if not len(values):
        return -30.0
    top = float(values.max())
    return top + math.log(float(np.exp(values - top).sum()))


@dataclass(frozen=True)
class Evidence:
    """How much of a message the known words explain, and how many of its words support each intent."""

    n_terms: int
    explained: float
    unknown: int
    support: npt.NDArray[np.float64]


def known_words(content: Content) -> list[str]:
    """Every folded word the content uses, once per use in an example (so frequent words win spelling ties)."""
    words: list[str] = []
    for intent in content.intents.values():
        for texts in (*intent.examples.values(), *intent.keywords.values()):
            for text in texts:
                words += fold(text).split()
    for answer in content.answers.values():
        words += set(fold(answer.title + " " + answer.text).split())
    for lang, pack in content.packs.items():
        for word in (*pack.stopwords, *pack.yes_words, *pack.no_words):
            words += fold(word).split() * STOPWORD_FREQUENCY
        for variant, main in content.synonyms.get(lang, {}).items():
            words += fold(variant).split() + fold(main).split()
    return words


def normaliser_for(content: Content) -> Normaliser:
    """One normaliser for all languages: every language's synonyms and stopwords."""
    synonyms: dict[str, str] = {}
    stopwords: set[str] = set()
    for lang in content.languages:
        synonyms.update(content.synonyms.get(lang, {}))
        pack = content.packs.get(lang)
        if pack is not None:
            stopwords |= pack.stopwords
    return Normaliser(synonyms, stopwords)


class Matcher:
    """Ranks intents for a message; built once per content load."""

    def __init__(self, content: Content) -> None:
        self.normaliser = normaliser_for(content)
        self.speller = SpellingCorrector(known_words(content))
        triples = [
            (intent.id, lang, text)
            for intent in content.intents.values()
            for lang in content.languages
            for text in (*intent.examples.get(lang, ()), *intent.keywords.get(lang, ()))
        ]
        self.index: ExampleIndex = build_index(triples, self.normaliser)
        number = {intent: k for k, intent in enumerate(self.index.intents)}
        self.ngrams = NgramModel([t for _, _, t in triples], [number[i] for i, _, _ in triples], len(number))
        self._length_windows: dict[int, tuple[list[str], list[int]]] = {}
        self._unknown_terms: dict[str, list[tuple[int, float]]] = {}
        by_length = sorted((len(w), w, i) for i, w in enumerate(self.index.vocabulary) if not w.isdigit())
        self._word_lengths = [n for n, _, _ in by_length]
        self._words_by_length = [w for _, w, _ in by_length]
        self._ids_by_length = [i for _, _, i in by_length]
        intent_of = self.index.example_intent
        self._run_starts = np.flatnonzero(np.r_[True, intent_of[1:] != intent_of[:-1]]) if len(intent_of) else \
            np.zeros(0, dtype=np.int64)
        self._run_intent = intent_of[self._run_starts]
        self._off_topic = {k for k, name in enumerate(self.index.intents) if content.intents[name].is_out_of_scope}
        self._off_topic_rows = np.array(sorted(self._off_topic), dtype=np.int64)
        self._strings_by_row = np.empty(len(self.index.example_intent), dtype=object)
        for lang, strings in self.index.example_strings.items():
            self._strings_by_row[self.index.example_rows[lang]] = strings

    def _similar_length(self, length: int) -> tuple[list[str], list[int]]:
        """Known words (and their ids) long enough and short enough to reach FUZZY_WORD_CUTOFF with a word of
        ``length`` letters: ratio = 2 * common / (len a + len b) bounds len b. Cached per length."""
        cached = self._length_windows.get(length)
        if cached is None:
            low = FUZZY_WORD_CUTOFF * length / (200 - FUZZY_WORD_CUTOFF)
            high = (200 - FUZZY_WORD_CUTOFF) * length / FUZZY_WORD_CUTOFF
            start = bisect.bisect_left(self._word_lengths, math.ceil(low))
            end = bisect.bisect_right(self._word_lengths, math.floor(high))
            cached = self._length_windows[length] = (self._words_by_length[start:end], self._ids_by_length[start:end])
        return cached

    def _term_matches(self, term: str) -> list[tuple[int, float]]:
        """Known terms a message word stands for, with similarity: exact, misspelt, or part of a compound."""
        index = self.index
        tid = index.term_ids.get(term)
        if tid is not None:
            return [(tid, 1.0)]
        cached = self._unknown_terms.get(term)
        if cached is not None:
            return cached
        if len(self._unknown_terms) >= TERM_CACHE_LIMIT:
            self._unknown_terms.clear()
        self._unknown_terms[term] = result = self._near_terms(term)
        return result

    def _near_terms(self, term: str) -> list[tuple[int, float]]:
        """Known terms close to an unknown one: misspelt (rapidfuzz ratio) or part of a compound."""
        index = self.index
        found: dict[int, float] = {}
        if len(term) >= FUZZY_MIN_LENGTH and not term.isdigit():
            words, ids = self._similar_length(len(term))
            for _, score, pos in process.extract(term, words, scorer=fuzz.ratio,
                                                 score_cutoff=FUZZY_WORD_CUTOFF, limit=3):
                found[ids[pos]] = max(found.get(ids[pos], 0.0), score / 100)
        for k in range(COMPOUND_MIN_PART, len(term) - 2):
            for part in (term[:k], term[-k:]):
                pid = index.term_ids.get(part)
                if pid is not None:
                    found[pid] = max(found.get(pid, 0.0), COMPOUND_SIMILARITY)
        return sorted(found.items())

    def readings(self, text: str) -> list[tuple[str, str]]:
        """(word as typed, word as read) for every folded word: a misspelt word is read as the known word it
        stands for, any other as itself."""
        return [(w, self.speller.correct(w) or w) for w in fold(text).split()]

    def corrected(self, text: str) -> str:
        """The folded text with every misspelt word replaced by the known word it stands for."""
        return " ".join(read for _, read in self.readings(text))

    def terms(self, text: str) -> list[str]:
        """The matching terms of a message (cut at MAX_QUERY_CHARS)."""
        return self.normaliser.terms(text[:MAX_QUERY_CHARS], self.speller.correct)

    def scores(self, terms: list[str]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], Evidence]:
        """Score of the message's terms against every example, how much of them each intent's vocabulary
        explains, and the evidence behind it (for the decision)."""
        index = self.index
        n = len(index.example_intent)
        intent_cover = np.zeros(len(index.intents))
        support = np.zeros(len(index.intents))
        if not terms or n == 0:
            return np.zeros(n), intent_cover, Evidence(len(terms), 0.0, len(terms), support)
        # Postings are gathered per term and added up in one bincount each (fewer numpy calls than per term).
        # For a word read as exactly one known term, the message side and the example side add the same rows.
        single_ids: list[int] = []
        query_weights: list[float] = []
        example_weights: list[float] = []
        extra_rows: list[npt.NDArray[np.int32]] = []
        extra_weights: list[float] = []
        query_extra: list[tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]] = []
        total = explained = 0.0
        unknown = 0
        for term in dict.fromkeys(terms):
            matches = self._term_matches(term)
            if not matches:
                total += UNKNOWN_WORD_WEIGHT * index.median_idf
                unknown += 1
                continue
            weight = max(float(index.idf[tid]) * sim for tid, sim in matches)
            total += weight
            explained += weight
            if len(matches) == 1:
                tid, sim = matches[0]
                single_ids.append(tid)
                query_weights.append(weight * sim)
                example_weights.append(float(index.idf[tid]) * sim)
                continue
            # A misspelt word standing for several known words counts once per example: its best reading.
            best = np.zeros(n)
            best_intent = np.zeros(len(index.intents))
            for tid, sim in matches:
                owners = index.intent_postings[tid]
                best_intent[owners] = np.maximum(best_intent[owners], sim)
                rows = index.postings[tid]
                best[rows] = np.maximum(best[rows], sim)
                extra_rows.append(rows)
                extra_weights.append(float(index.idf[tid]) * sim)
            rows = np.unique(np.concatenate(extra_rows[-len(matches):]))
            query_extra.append((rows, weight * best[rows]))
            intent_cover += weight * best_intent
            support += best_intent > 0
        if not single_ids and not extra_rows:
            return np.zeros(n), intent_cover / total, Evidence(len(dict.fromkeys(terms)), 0.0, unknown, support)
        postings = [index.postings[t] for t in single_ids]
        acc_query = _accumulate(postings, query_weights, n)
        acc_example = _accumulate(postings, example_weights, n)
        if extra_rows:
            acc_example += _accumulate(extra_rows, extra_weights, n)
        for rows, values in query_extra:
            acc_query[rows] += values
        if single_ids:
            owners_all = [index.intent_postings[t] for t in single_ids]
            intent_cover += _accumulate(owners_all, query_weights, len(support))
            support += np.bincount(np.concatenate(owners_all), minlength=len(support))
        # Only examples sharing a word can score; the arithmetic runs on those alone.
        sharing = np.flatnonzero(acc_example > 0)
        overlap = QUERY_COVERAGE_SHARE * (acc_query[sharing] / total) + (1 - QUERY_COVERAGE_SHARE) * np.minimum(
            acc_example[sharing] / index.example_weight[sharing], 1.0
        )
        # Characters are compared only with the examples that share most words: for the others the character
        # share alone (at most 1 - TOKEN_SHARE) cannot lift them to the top, and skipping them keeps it fast.
        chars = np.zeros(len(sharing))
        compared = np.arange(len(sharing))
        if len(sharing) > CHAR_COMPARE_LIMIT:
            compared = np.argpartition(-overlap, CHAR_COMPARE_LIMIT)[:CHAR_COMPARE_LIMIT]
        similarity = process.cdist([" ".join(sorted(terms))], self._strings_by_row[sharing[compared]],
                                   scorer=fuzz.ratio, dtype=np.uint8, workers=1)
        chars[compared] = similarity[0] / 100.0
        scores = np.zeros(n)
        scores[sharing] = TOKEN_SHARE * overlap + (1 - TOKEN_SHARE) * chars
        evidence = Evidence(len(dict.fromkeys(terms)), explained / total if total else 0.0, unknown, support)
        return scores, intent_cover / total, evidence

    def opinions(self, text: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], Evidence]:
        """The two opinions on a message: per intent the word score (best example blended with how much of the
        message the intent's vocabulary explains) and the n-gram model's log-probability; and the evidence."""
        terms = self.terms(text)
        scores, intent_cover, evidence = self.scores(terms)
        per_intent = np.zeros(len(self.index.intents))
        if len(scores):
            # Examples of an intent stand together: the best of each run, then of each intent.
            np.maximum.at(per_intent, self._run_intent, np.maximum.reduceat(scores, self._run_starts))
        per_intent = np.minimum((1 - INTENT_COVER_SHARE) * per_intent + INTENT_COVER_SHARE * intent_cover, 1.0)
        # The n-gram model is a second opinion on the same examples (bot/nlu/ngrams.py).
        log_chances = self.ngrams.log_probabilities(self.corrected(text[:MAX_QUERY_CHARS])) if terms else \
            np.full(len(per_intent), -math.log(max(len(per_intent), 1)))
        return per_intent, log_chances, evidence

    def analyse(self, text: str) -> Analysis:
        """Every intent ranked (word score blended with the n-gram model's probability), with the evidence."""
        return self.combine(*self.opinions(text))

    def combine(self, per_intent: npt.NDArray[np.float64], log_chances: npt.NDArray[np.float64],
                evidence: Evidence) -> Analysis:
        """The ranking and the evidence the decision weighs, from the two opinions."""
        # The n-gram model's probabilities are sharp (naive Bayes multiplies its evidence); a temperature softens
        # them so that a clear word match can still outvote a near tie of the n-gram model.
        tempered = log_chances / NGRAM_TEMPERATURE
        chances = np.exp(tempered - tempered.max())
        chances /= chances.sum()
        blended = (per_intent + NGRAM_SHARE * chances) / (1 + NGRAM_SHARE)
        order = np.argsort(-blended, kind="stable").tolist()
        # The decision needs the best topics and every off-topic kind; the long tail of topics it never reads.
        shown = order[:RANKED_LIMIT] + [i for i in order[RANKED_LIMIT:] if i in self._off_topic]
        names, values = self.index.intents, blended.tolist()
        ranked = tuple(Candidate(names[i], values[i]) for i in shown)
        top = order[:RANKED_LIMIT]
        return Analysis(ranked, evidence.n_terms, evidence.explained, evidence.unknown,
                        {names[i]: int(evidence.support[i]) for i in top},
                        {names[i]: float(chances[i]) for i in top},
                        {names[i]: float(per_intent[i]) for i in top},
                        float(chances[self._off_topic_rows].sum()) if len(self._off_topic_rows) else 0.0,
                        {names[i]: float(log_chances[i]) for i in top},
                        _log_sum(log_chances[self._off_topic_rows]), names[int(np.argmax(log_chances))])

    def rank(self, text: str, limit: int = 10) -> list[Candidate]:
        """The ``limit`` best intents with their scores, best first."""
        return list(self.analyse(text).ranked[:limit])
