"""The learned baseline (bench/baseline.py) on a small content set: answers, rejects, names the off-topic kind."""

from __future__ import annotations

import pytest

from bench.baseline import Baseline, training_data
from bot.content import Content, parse_files
from bot.nlu.evaluation import Labelled, evaluate
from tests.content_fixture import valid_files

OFF_TOPIC = """\
intents:
  - id: out_of_scope
    group: out_of_scope
    examples:
      nl: [weerbericht morgen, recept appeltaart, voetbaluitslagen, beste pizza in de buurt, treintijden utrecht]
      en: [weather tomorrow, apple pie recipe, football results, best pizza nearby, train times utrecht]
  - id: other_asylum
    group: out_of_scope
    examples:
      nl: [asiel aanvragen, asielprocedure bij de ind, verblijfsvergunning asiel, gehoor bij de ind, asielzoeker]
      en: [apply for asylum, asylum procedure at the ind, asylum residence permit, ind interview asylum,
           asylum seeker]
"""


@pytest.fixture(scope="module")
def content() -> Content:
    files = valid_files()
    files["intents/off_topic.yaml"] = OFF_TOPIC
    for lang in ("nl", "en"):
        files[f"answers/{lang}/kinds.yaml"] = "kinds:\n  other_asylum:\n    text: the IND handles asylum\n"
    loaded, problems = parse_files(files)
    assert loaded is not None, "\n".join(map(str, problems))
    return loaded


@pytest.fixture(scope="module")
def baseline(content: Content) -> Baseline:
    return Baseline(content)


@pytest.mark.parametrize(("text", "decision", "intent", "topic"), [
    ("how can I bring my wife to the netherlands", "answer", "family_reunification", None),
    ("Mijn kinderen willen bij mij in Nederland wonen", "answer", "family_reunification", None),
    ("what is the phone number of iom", "answer", "contact", None),
    ("how do I apply for asylum", "none", None, "other_asylum"),
    ("asielprocedure bij de IND", "none", None, "other_asylum"),
    ("weather tomorrow in utrecht", "none", None, None),  # off-topic, but no kind of its own
])
def test_predictions(baseline: Baseline, text: str, decision: str, intent: str | None, topic: str | None) -> None:
    prediction = baseline.predict(text)
    assert (prediction.decision, prediction.intent, prediction.topic) == (decision, intent, topic), prediction.detail
    assert prediction.lang is None  # the baseline does no language detection


def test_unsure_is_no_answer(baseline: Baseline) -> None:
    """A message like none of the examples spreads the probability: below 0.4, no answer."""
    prediction = baseline.predict("xq zv")
    assert prediction.decision == "none", prediction.detail
    assert float(prediction.detail.split()[-1]) < 0.4


def test_trained_on_every_example_and_keyword(content: Content) -> None:
    texts, labels = training_data(content)
    assert ("gezinshereniging", "family_reunification") in zip(texts, labels, strict=True)  # a keyword
    assert ("asylum seeker", "other_asylum") in zip(texts, labels, strict=True)
    expected = sum(len(p) for i in content.intents.values() for p in (*i.examples.values(), *i.keywords.values()))
    assert len(texts) == len(labels) == expected


def test_scored_like_the_matcher(baseline: Baseline) -> None:
    questions = [Labelled("bring my wife to the netherlands please", "en", ("family_reunification",)),
                 Labelled("hoe kan ik iom bellen", "nl", ("contact",)),
                 Labelled("asylum procedure", "en", (), "other_asylum")]
    report = evaluate(baseline.predict, questions)
    assert (report.accuracy("en"), report.accuracy("nl"), report.rejection, report.topic_accuracy) == (1, 1, 1, 1)
    assert report.lang_total == 0  # no language detected, so none counted
