"""A second opinion from character n-grams: multinomial naive Bayes over the examples, trained at load.

Character n-grams (3-4 letters, within words) are robust to slips by nature, and a model trained over all
intents at once learns which pieces of words separate sibling intents ("iom nederland" vs "iom"), where the
word matcher only sees similarity. Naive Bayes is trained by counting, so it is built in a fraction of a second
at every content load, with no dependency beyond numpy.

Multinomial rather than complement naive Bayes: with the class prior (the share of examples) it recognises
off-topic messages, whose examples are many and varied, far better (on the development sets the right group was
first for 86-93 % of off-topic questions, against 80-87 %), and it ranked in-scope questions as well or better.

Features are as scikit-learn's TfidfVectorizer makes them (char n-grams plus words and word pairs, sublinear tf,
smoothed idf, each part l2-normalised); the weights are its MultinomialNB's. Stored sparsely: a class whose
examples never use a feature shares one value per feature, so only (feature, class) pairs seen in the examples
are kept, and 100k examples stay small.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from bot.nlu.normalise import fold
from bot.nlu.thresholds import NGRAM_ALPHA

_WORD_CACHE_LIMIT = 50_000
_DENSE_LIMIT = 4_000_000  # feature x intent cells (32 MB) up to which the weights are kept as a dense table


def char_ngrams(text: str) -> list[str]:
    """Character 2- to 4-grams of each space-padded word (a word shorter than n gives itself once)."""
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        for n in (3, 4):
            if len(padded) <= n:
                grams.append(padded)
                break
            grams += [padded[i:i + n] for i in range(len(padded) - n + 1)]
    return grams


def word_ngrams(text: str) -> list[str]:
    """Words of two or more characters and pairs of neighbouring words (of folded text: words are split by spaces)."""
    words = [w for w in text.split() if len(w) > 1]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def _feature_ids(docs: list[str], part: str, vocab: dict[str, int]) -> tuple[npt.NDArray[np.int64], list[int]]:
    """Every document's feature ids in one array, and how many each document has. Character n-grams are made
    once per distinct word: words repeat a lot across examples."""
    if part == "words":
        features = [word_ngrams(d) for d in docs]
        flat = [vocab.setdefault(g, len(vocab)) for f in features for g in f]
        return np.array(flat, dtype=np.int64), [len(f) for f in features]
    per_word: dict[str, npt.NDArray[np.int64]] = {}
    pieces: list[npt.NDArray[np.int64]] = []
    lengths = []
    for d in docs:
        n = 0
        for word in d.split():
            ids = per_word.get(word)
            if ids is None:
                ids = per_word[word] = np.array([vocab.setdefault(g, len(vocab)) for g in char_ngrams(word)],
                                                dtype=np.int64)
            pieces.append(ids)
            n += len(ids)
        lengths.append(n)
    return (np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)), lengths


def _counted(ids: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Distinct ids and how often each occurs (np.unique's result, with less overhead for short arrays)."""
    ordered = np.sort(ids)
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return ordered[starts], np.diff(np.append(starts, len(ordered)))


class NgramModel:
    """P(intent | message) from character and word n-grams; built once per content load."""

    PARTS = ("chars", "words")

    def __init__(self, texts: Sequence[str], labels: Sequence[int], n_labels: int) -> None:
        self.n_labels = n_labels
        docs = [fold(t) for t in texts]
        self._vocab: list[dict[str, int]] = []
        self._idf: list[npt.NDArray[np.float64]] = []
        self._offsets: list[int] = []
        self._word_cache: dict[str, npt.NDArray[np.int64]] = {}
        all_ids, all_values, all_docs = [], [], []
        offset = 0
        for part in self.PARTS:
            vocab: dict[str, int] = {}
            flat, lengths = _feature_ids(docs, part, vocab)
            doc_of = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
            # tf per (document, feature) -> sublinear tf * smoothed idf, l2-normalised per document
            keys, counts = np.unique(doc_of * max(len(vocab), 1) + flat, return_counts=True)
            doc, feature = keys // max(len(vocab), 1), keys % max(len(vocab), 1)
            df = np.bincount(feature, minlength=len(vocab))
            idf = np.log((1 + len(docs)) / (1 + df)) + 1
            values = (1 + np.log(counts)) * idf[feature]
            norms = np.sqrt(np.bincount(doc, weights=values ** 2, minlength=len(docs)))
            values = values / np.where(norms > 0, norms, 1.0)[doc]
            self._vocab.append({g: offset + k for g, k in vocab.items()})
            self._idf.append(idf)
            self._offsets.append(offset)
            all_ids.append(feature + offset)
            all_values.append(values)
            all_docs.append(doc)
            offset += len(vocab)
        n_features = offset
        ids, values = np.concatenate(all_ids), np.concatenate(all_values)
        owners = np.asarray(labels, dtype=np.int64)[np.concatenate(all_docs)]
        # log P(class): the share of examples (what lets a large, varied class such as the off-topic one win a
        # message whose few known pieces say little).
        examples = np.bincount(np.asarray(labels, dtype=np.int64), minlength=n_labels).astype(np.float64)
        self._log_prior = np.log(np.maximum(examples, 1e-12) / max(examples.sum(), 1.0))
        # log P(feature | class) = log(mass_fc + a) - log(mass_c + a * features); a class that never saw the feature
        # gets log(a), shared by all such classes, so only the seen (feature, class) pairs carry a correction.
        log_alpha = np.log(NGRAM_ALPHA)
        self._dense: npt.NDArray[np.float64] | None = None
        if n_features * n_labels <= _DENSE_LIMIT:
            # Small content: a dense feature x intent table, summed in one bincount and read with one gather per
            # message (fastest).
            mass = np.bincount(ids * n_labels + owners, weights=values,
                               minlength=n_features * n_labels).reshape(n_features, n_labels)
            class_total = mass.sum(axis=0)
            self._dense = np.where(mass > 0, np.log(mass + NGRAM_ALPHA) - log_alpha, 0.0)
        else:
            # Large content keeps only the (feature, class) pairs seen, sorted by feature.
            keys, inverse = np.unique(ids * n_labels + owners, return_inverse=True)
            pair_mass = np.bincount(inverse, weights=values, minlength=len(keys))
            pair_feature, pair_class = keys // n_labels, keys % n_labels
            class_total = np.bincount(pair_class, weights=pair_mass, minlength=n_labels)
            self._pair_class = pair_class
            self._pair_correction = np.log(pair_mass + NGRAM_ALPHA) - log_alpha
            self._indptr = np.searchsorted(pair_feature, np.arange(n_features + 1))
        self._log_norm = np.log(class_total + NGRAM_ALPHA * max(n_features, 1))

    def _weighted(self, ids: npt.NDArray[np.int64], part: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """Distinct feature ids of one part with their l2-normalised sublinear tf-idf values."""
        if not len(ids):
            return ids, np.zeros(0)
        ids, tf = _counted(ids)
        values = (1 + np.log(tf)) * self._idf[part][ids - self._offsets[part]]
        return ids, values / np.linalg.norm(values)

    def _char_ids(self, folded: str) -> npt.NDArray[np.int64]:
        """Known character n-gram ids of a message, looked up once per distinct word (cached)."""
        vocab, cache = self._vocab[0], self._word_cache
        pieces = []
        for word in folded.split():
            ids = cache.get(word)
            if ids is None:
                if len(cache) >= _WORD_CACHE_LIMIT:
                    cache.clear()
                ids = cache[word] = np.array([vocab[g] for g in char_ngrams(word) if g in vocab], dtype=np.int64)
            pieces.append(ids)
        return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)

    def probabilities(self, text: str) -> npt.NDArray[np.float64]:
        """P(intent | text) for every intent number (the class shares when no n-gram is known)."""
        return np.exp(self.log_probabilities(text))

    def log_probabilities(self, text: str) -> npt.NDArray[np.float64]:
        """log P(intent | text) for every intent number."""
        folded = fold(text)
        words = self._vocab[1]
        chars, char_values = self._weighted(self._char_ids(folded), 0)
        pairs_ids = np.array([words[g] for g in word_ngrams(folded) if g in words], dtype=np.int64)
        word_ids, word_values = self._weighted(pairs_ids, 1)
        ids, values = np.concatenate([chars, word_ids]), np.concatenate([char_values, word_values])
        # jll_c = log P(c) + sum_f x_f * log P(f | c); the log(a) that every class without f shares cancels.
        jll = self._log_prior - values.sum() * self._log_norm
        if len(ids) and self._dense is not None:
            jll = jll + values @ self._dense[ids]
        elif len(ids):
            starts, ends = self._indptr[ids], self._indptr[ids + 1]
            lengths = ends - starts
            pairs = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
            jll = jll + np.bincount(self._pair_class[pairs], weights=np.repeat(values, lengths) *
                                    self._pair_correction[pairs], minlength=self.n_labels)
        jll = jll - jll.max()
        result: npt.NDArray[np.float64] = jll - np.log(np.exp(jll).sum())
        return result
