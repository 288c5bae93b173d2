"""The learned baseline the matcher is compared with: TF-IDF (character and word n-grams) + logistic regression.

Trained on exactly what the matcher is given: every intent's examples and keywords in every language, the
intent id as the class (off-topic intents such as ``out_of_scope`` or ``other_asylum`` are classes too).
Its decision rule is fixed, not tuned on any question set: answer with the most probable class when its
probability is at least 0.4 and it is not off-topic; otherwise no answer. It never asks "did you mean" and
does no language detection.
"""

from __future__ import annotations

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.content import Content
from bot.nlu.evaluation import Prediction, Predictor

MIN_PROBABILITY = 0.4
SEED = 0


def training_data(content: Content) -> tuple[list[str], list[str]]:
    """Texts and their intent ids: every example and keyword of every intent, every language."""
    texts: list[str] = []
    labels: list[str] = []
    for intent in content.intents.values():
        for phrases in (*intent.examples.values(), *intent.keywords.values()):
            texts += phrases
            labels += [intent.id] * len(phrases)
    return texts, labels


class Baseline:
    """A TF-IDF + logistic regression classifier over the content's intents."""

    def __init__(self, content: Content) -> None:
        self.off_topic = frozenset(i.id for i in content.intents.values() if i.is_out_of_scope)
        self.pipeline = Pipeline([
            ("features", FeatureUnion([
                ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4))),
                ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2))),
            ])),
            ("classify", LogisticRegression(C=20, max_iter=2000, random_state=SEED)),
        ])
        texts, labels = training_data(content)
        self.pipeline.fit(texts, labels)

    def predict(self, text: str) -> Prediction:
        """Answer with the most probable intent, or no answer (with the off-topic kind when that won)."""
        probabilities = self.pipeline.predict_proba([text])[0]
        best = int(probabilities.argmax())
        label = str(self.pipeline.classes_[best])
        probability = float(probabilities[best])
        detail = f"{label} {probability:.2f}"
        if probability >= MIN_PROBABILITY and label not in self.off_topic:
            return Prediction(None, "answer", label, None, detail)
        topic = label if label in self.off_topic and label.startswith("other_") else None
        return Prediction(None, "none", None, topic, detail)


def baseline_predictor(content: Content) -> Predictor:
    """Train the baseline on ``content`` and return it as a predictor for ``evaluate``."""
    return Baseline(content).predict
