"""Measuring a matcher on a labelled question file (pure: parsing and arithmetic, no printing).

Scoring is strict, as a user experiences it: an in-scope question counts only when it is *answered* with an
acceptable intent (a "did you mean" is not an answer); an off-topic one only when it is *not* answered
(decision ``none``). The same report is made for any predictor (this matcher, the learned baseline in
bench/), so figures side by side are comparable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import yaml

from bot.nlu.result import Decision, Understanding
from bot.nlu.understander import Understander


@dataclass(frozen=True)
class Labelled:
    """A question with its acceptable intents (empty = off-topic), language (None = not definite) and, for a
    near-domain off-topic question, its kind (``other_asylum``, ...)."""

    text: str
    lang: str | None
    intents: tuple[str, ...]
    topic: str | None = None

    @property
    def intent(self) -> str | None:
        """The best acceptable intent, None for an off-topic question."""
        return self.intents[0] if self.intents else None


@dataclass(frozen=True)
class Prediction:
    """What a matcher made of a message."""

    lang: str | None
    decision: Decision
    intent: str | None
    topic: str | None = None
    detail: str = ""  # free text for listing misses (scores, candidates)


Predictor = Callable[[str], Prediction]


def _describe(result: Understanding) -> str:
    return ", ".join(f"{c.intent} {c.score:.2f}" for c in result.candidates)


def understander_predictor(understander: Understander) -> Predictor:
    """This project's matcher as a predictor (no language prior, as for a first message)."""

    def predict(text: str) -> Prediction:
        result = understander.understand(text, None)
        return Prediction(result.lang, result.decision, result.intent, result.topic, _describe(result))

    return predict


@dataclass
class Report:
    """Results of an evaluation run; every rate is per language where it says so."""

    total: int = 0
    in_scope: Counter[str] = field(default_factory=Counter)
    answered_right: Counter[str] = field(default_factory=Counter)    # strict: answered, acceptable intent
    clarified_right: Counter[str] = field(default_factory=Counter)   # "did you mean" with an acceptable intent first
    clarified: Counter[str] = field(default_factory=Counter)         # any "did you mean" on an in-scope question
    out_of_scope: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)
    near_domain: int = 0
    topic_right: int = 0
    lang_total: int = 0
    lang_correct: int = 0
    per_intent: dict[str, list[int]] = field(default_factory=dict)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)  # (expected, what came instead)
    misses: list[tuple[Labelled, Prediction]] = field(default_factory=list)

    def accuracy(self, lang: str) -> float:
        """Strict in-scope accuracy in one language: answered with an acceptable intent."""
        return self.answered_right[lang] / self.in_scope[lang] if self.in_scope[lang] else 1.0

    def lenient(self, lang: str) -> float:
        """In-scope accuracy counting a "did you mean" whose first option is acceptable."""
        good = self.answered_right[lang] + self.clarified_right[lang]
        return good / self.in_scope[lang] if self.in_scope[lang] else 1.0

    def clarify_rate(self, lang: str | None = None) -> float:
        """Share of in-scope questions answered with a "did you mean" (one language, or all)."""
        langs = [lang] if lang else list(self.in_scope)
        total = sum(self.in_scope[x] for x in langs)
        return sum(self.clarified[x] for x in langs) / total if total else 0.0

    def rejection_in(self, lang: str | None = None) -> float:
        """Share of off-topic questions not answered (one language, or all)."""
        langs = [lang] if lang else list(self.out_of_scope)
        total = sum(self.out_of_scope[x] for x in langs)
        return sum(self.rejected[x] for x in langs) / total if total else 1.0

    @property
    def rejection(self) -> float:
        """Share of off-topic questions that got decision "none"."""
        return self.rejection_in(None)

    @property
    def topic_accuracy(self) -> float:
        """Share of near-domain off-topic questions whose kind was recognised."""
        return self.topic_right / self.near_domain if self.near_domain else 1.0

    @property
    def language_accuracy(self) -> float:
        """Share of questions of definite language detected correctly (no prior)."""
        return self.lang_correct / self.lang_total if self.lang_total else 1.0

    @property
    def languages(self) -> list[str]:
        """The languages with in-scope questions, sorted."""
        return sorted(x for x in self.in_scope if x != "any")


def _listify(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return (str(value),)


def parse_labelled(text: str) -> list[Labelled]:
    """Read a question file: ``questions: [{text, lang, intent, topic}, ...]``; ``intent`` may be a list of
    acceptable intents (best first) or null for an off-topic question."""
    data = yaml.safe_load(text)
    items = data.get("questions", []) if isinstance(data, dict) else []
    return [Labelled(str(q["text"]), q.get("lang"), _listify(q.get("intent")), q.get("topic"))
            for q in items if isinstance(q, dict)]


def evaluate(predict: Predictor | Understander, questions: Iterable[Labelled]) -> Report:
    """Run every question through a predictor (an Understander is used without a language prior) and count."""
    if isinstance(predict, Understander):
        predict = understander_predictor(predict)
    report = Report()
    for q in questions:
        report.total += 1
        result = predict(q.text)
        ok = True
        lang = q.lang or "any"
        if q.lang is not None and result.lang is not None:
            report.lang_total += 1
            if result.lang == q.lang:
                report.lang_correct += 1
            else:
                ok = False
        if not q.intents:
            report.out_of_scope[lang] += 1
            if q.topic:
                report.near_domain += 1
                report.topic_right += result.topic == q.topic
            if result.decision == "none":
                report.rejected[lang] += 1
            else:
                ok = False
                report.confusions[("(off-topic)", str(result.intent))] += 1
        else:
            report.in_scope[lang] += 1
            stats = report.per_intent.setdefault(q.intents[0], [0, 0])
            stats[1] += 1
            acceptable = result.intent in q.intents
            if result.decision == "clarify":
                report.clarified[lang] += 1
                report.clarified_right[lang] += acceptable
            if result.decision == "answer" and acceptable:
                report.answered_right[lang] += 1
                stats[0] += 1
            else:
                ok = False
                got = "(none)" if result.decision == "none" else str(result.intent)
                if result.decision == "clarify" and acceptable:
                    got = "(did you mean, right first)"
                report.confusions[(q.intents[0], got)] += 1
        if not ok:
            report.misses.append((q, result))
    return report
