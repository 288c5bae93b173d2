"""The character n-gram model: the same probabilities as scikit-learn's TF-IDF + MultinomialNB, built by counting."""

from __future__ import annotations

import numpy as np
import pytest

from bot.nlu.ngrams import NgramModel, char_ngrams, word_ngrams
from bot.nlu.normalise import fold
from bot.nlu.thresholds import NGRAM_ALPHA

TEXTS = ["ik wil terug naar mijn land", "hulp bij terugkeer naar huis", "i want to go back home",
         "gezinshereniging reis voor mijn vrouw", "family reunification ticket for my wife",
         "wat is iom", "what is the international organization for migration", "iom nederland kantoor",
         "waar is het kantoor van iom", "how can i call you"]
LABELS = [0, 0, 0, 1, 1, 2, 2, 3, 3, 3]


def test_char_ngrams_are_padded_pieces_of_words() -> None:
    assert char_ngrams("iom") == [" io", "iom", "om ", " iom", "iom "]
    assert char_ngrams("a") == [" a "]
    assert word_ngrams("ik wil terug") == ["ik", "wil", "terug", "ik wil", "wil terug"]


@pytest.mark.parametrize("text", ["ik wil trug naar huis", "family ticket", "iom", "qqq", "kantoor iom adres"])
def test_probabilities_equal_scikit_learns(text: str) -> None:
    """The numpy model is scikit-learn's pipeline computed sparsely (scikit-learn is a dev dependency)."""
    pipeline = pytest.importorskip("sklearn.pipeline")
    text_module = pytest.importorskip("sklearn.feature_extraction.text")
    naive_bayes = pytest.importorskip("sklearn.naive_bayes")
    reference = pipeline.make_pipeline(
        pipeline.make_union(text_module.TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True),
                            text_module.TfidfVectorizer(analyzer=word_ngrams, sublinear_tf=True)),
        naive_bayes.MultinomialNB(alpha=NGRAM_ALPHA))
    reference.fit([fold(t) for t in TEXTS], LABELS)
    ours = NgramModel(TEXTS, LABELS, 4).probabilities(text)
    assert np.allclose(ours, reference.predict_proba([fold(text)])[0], atol=1e-9)


def test_a_slip_still_points_to_the_right_intent() -> None:
    model = NgramModel(TEXTS, LABELS, 4)
    assert int(np.argmax(model.probabilities("gezinsherenigng"))) == 1
    assert int(np.argmax(model.probabilities("kantor iom"))) == 3


def test_unknown_text_gives_a_distribution() -> None:
    p = NgramModel(TEXTS, LABELS, 4).probabilities("")
    assert p.shape == (4,) and abs(p.sum() - 1) < 1e-9


def test_large_content_form_gives_the_same_probabilities(monkeypatch: pytest.MonkeyPatch) -> None:
    """Content too large for the dense table keeps only the pairs seen; the answers must not change."""
    dense = NgramModel(TEXTS, LABELS, 4)
    monkeypatch.setattr("bot.nlu.ngrams._DENSE_LIMIT", 0)
    sparse = NgramModel(TEXTS, LABELS, 4)
    assert sparse._dense is None and dense._dense is not None
    for text in ("ik wil trug naar huis", "family ticket", "kantoor iom adres", ""):
        assert np.allclose(sparse.probabilities(text), dense.probabilities(text), atol=1e-12)
