"""Answer, "did you mean" or nothing: decided on a calibrated probability, not on raw similarity scores.

The matcher's scores rank intents well but are not probabilities: 0.80 can be a sure answer for a long question
and a guess for a one-word one. A small logistic model turns what the matcher saw (best score, margin to the
runner-up, how far an off-topic kind is behind, how much of the message known words explain, how many words
support the best intent, length) into P(the best intent is the right answer). It is fitted by
`bench/calibrate.py` on development questions and checked on questions it was not fitted on; the weights and
the two probability bars live in `bot/nlu/decision_weights.py` (generated, with the figures of the fit).

- answer: P >= ANSWER_PROBABILITY; a runner-up of the same group that is nearly as good is offered as a
  follow-up button ("also"), not asked about;
- clarify: P is between the bars and the runner-up is genuinely close (within CLARIFY_MARGIN);
- none: otherwise, always when the best topic scores under ANSWER_MIN_SCORE, and always when an off-topic kind
  (``other_asylum`` ...) outranks every topic. The kind
  is reported as ``topic`` so the engine can refer the person to who handles it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import bot.nlu.decision_weights as fitted
from bot.content.model import OUT_OF_SCOPE, Content
from bot.nlu.result import Analysis, Candidate, Decision
from bot.nlu.thresholds import ALSO_MARGIN, ANSWER_MIN_SCORE, CLARIFY_MARGIN, TOPIC_MIN_SCORE

FEATURES = ("best", "margin", "off_gap", "explained", "unknown_share", "log_terms", "support_share",
            "single_support", "same_group", "best_x_terms", "chance", "chance_margin", "words", "off_chance")


@dataclass(frozen=True)
class Verdict:
    """The decision about one message."""

    decision: Decision
    intent: str | None
    score: float
    confidence: float
    candidates: tuple[Candidate, ...]
    topic: str | None = None
    also: str | None = None
    topic_chance: float = 0.0  # the n-gram model's probability of ``topic`` when it is that model's own first choice


def features(analysis: Analysis, groups: Mapping[str, str]) -> list[float]:
    """The decision model's inputs, in FEATURES order."""
    topics = [c for c in analysis.ranked if groups.get(c.intent, OUT_OF_SCOPE) != OUT_OF_SCOPE]
    off = max((c.score for c in analysis.ranked if groups.get(c.intent, OUT_OF_SCOPE) == OUT_OF_SCOPE), default=0.0)
    best = topics[0] if topics else Candidate("", 0.0)
    second = topics[1] if len(topics) > 1 else Candidate("", 0.0)
    n = max(analysis.n_terms, 1)
    support = analysis.support.get(best.intent, 0)
    log_terms = math.log1p(analysis.n_terms)
    return [
        best.score,
        best.score - second.score,
        best.score - off,
        analysis.explained,
        analysis.unknown / n,
        log_terms,
        support / n,
        1.0 if support <= 1 else 0.0,
        1.0 if second.intent and groups.get(second.intent) == groups.get(best.intent) else 0.0,
        best.score * log_terms,
        analysis.chances.get(best.intent, 0.0),
        analysis.chances.get(best.intent, 0.0) - analysis.chances.get(second.intent, 0.0),
        analysis.words.get(best.intent, 0.0),
        analysis.off_chance,
    ]


def off_topic_wins(analysis: Analysis, groups: Mapping[str, str]) -> bool:
    """True when an off-topic intent outranks every topic in the blend, or is the n-gram model's own first choice:
    the blend softens the n-gram model, whose sharp call on off-topic messages is worth keeping (on the tuning sets
    it stopped 93 % of off-topic questions instead of 89 %, and no more in-scope ones)."""
    off = [c.intent for c in analysis.ranked[:1]] + ([analysis.ngram_best] if analysis.ngram_best else [])
    return analysis.n_terms == 0 or any(groups.get(i, OUT_OF_SCOPE) == OUT_OF_SCOPE for i in off)


def choose(confidence: float, off_topic_wins: bool, close: bool, best: float,
           answer_bar: float = fitted.ANSWER_PROBABILITY, clarify_bar: float = fitted.CLARIFY_PROBABILITY) -> Decision:
    """The decision rule (bench/calibrate.py chooses the bars with this same rule). ``best``: the best topic's
    score; under ANSWER_MIN_SCORE the evidence is too thin for the model's probability to be trusted."""
    if off_topic_wins or best < ANSWER_MIN_SCORE:
        return "none"
    if confidence >= answer_bar:
        return "answer"
    return "clarify" if confidence >= clarify_bar and close else "none"


def probability(values: list[float]) -> float:
    """P(the best intent is the right answer) under the fitted model."""
    z = fitted.INTERCEPT + sum(w * (v - m) / s for w, v, m, s in
                               zip(fitted.WEIGHTS, values, fitted.MEANS, fitted.SCALES, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class Decider:
    """Turns the matcher's analysis into a verdict, for one content load."""

    def __init__(self, content: Content) -> None:
        self.groups = {i.id: i.group for i in content.intents.values()}

    def off_topic(self, intent: str) -> bool:
        """True for intents of the off-topic group."""
        return self.groups.get(intent, OUT_OF_SCOPE) == OUT_OF_SCOPE

    def decide(self, analysis: Analysis) -> Verdict:
        """Answer, clarify or none, with the top three topics as candidates."""
        topics = tuple(c for c in analysis.ranked if not self.off_topic(c.intent))[:3]
        if not topics or analysis.n_terms == 0:
            return Verdict("none", None, 0.0, 0.0, topics)
        best = topics[0]
        kind = self._kind(analysis, best)
        confidence = probability(features(analysis, self.groups))
        runner = topics[1] if len(topics) > 1 else None
        close = runner is not None and best.score - runner.score < CLARIFY_MARGIN
        decision = choose(confidence, off_topic_wins(analysis, self.groups), close, best.score)
        if decision == "answer":
            also = None
            if runner is not None and best.score - runner.score < ALSO_MARGIN and \
                    self.groups.get(runner.intent) == self.groups.get(best.intent):
                also = runner.intent
            return Verdict("answer", best.intent, best.score, confidence, topics, also=also)
        if decision == "clarify":
            return Verdict("clarify", best.intent, best.score, confidence, topics)
        chance = analysis.chances.get(kind, 0.0) if kind is not None and kind == analysis.ngram_best else 0.0
        return Verdict("none", None, best.score, confidence, topics, kind, topic_chance=chance)

    def _kind(self, analysis: Analysis, best: Candidate) -> str | None:
        """The near-domain off-topic kind the message is about: the n-gram model's own first choice when that is a
        kind, else a kind that outranks the general off-topic examples and ranks first or close behind the best
        topic in the blend."""
        if analysis.ngram_best not in ("", OUT_OF_SCOPE) and self.off_topic(analysis.ngram_best):
            return analysis.ngram_best
        kind = next((c for c in analysis.ranked if self.off_topic(c.intent)), None)
        if kind is None or kind.intent == OUT_OF_SCOPE or kind.score < TOPIC_MIN_SCORE or \
                kind.score < best.score - CLARIFY_MARGIN:
            return None
        return kind.intent
