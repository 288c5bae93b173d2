"""What understanding a message yields: the language, the decision and ranked candidates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Decision = Literal["answer", "clarify", "none"]


@dataclass(frozen=True)
class Candidate:
    """An intent and how well the message matches it, in [0, 1]."""

    intent: str
    score: float


@dataclass(frozen=True)
class Analysis:
    """What the matcher saw: every intent ranked, and the evidence the decision model weighs."""

    ranked: tuple[Candidate, ...]   # every intent, off-topic ones included, best first
    n_terms: int                    # distinct content words in the message
    explained: float                # share of the message's word weight that known words explain (0-1)
    unknown: int                    # words that are neither known nor a slip of a known word
    support: Mapping[str, int]      # per top intent: how many of the message's words it knows
    chances: Mapping[str, float]    # per top intent: the character n-gram model's probability
    words: Mapping[str, float]      # per top intent: the word matcher's score alone
    off_chance: float = 0.0         # the n-gram model's probability that the message is off-topic (any kind)
    log_chances: Mapping[str, float] = field(default_factory=dict)  # per top intent: the n-gram log-probability
    log_off_chance: float = -30.0   # the n-gram log-probability that the message is off-topic (any kind)
    ngram_best: str = ""            # the n-gram model's own first intent (before the blend softens it)


@dataclass(frozen=True)
class Understanding:
    """The language of a message and the matcher's decision about it."""

    text: str
    lang: str
    decision: Decision
    intent: str | None
    score: float
    candidates: tuple[Candidate, ...]
    lang_certain: bool = False  # True when the text is clearly in ``lang`` (not just the prior kept)
    topic: str | None = None    # the off-topic kind ("other_asylum", ...) when the message is near-domain off-topic
    confidence: float = 0.0     # the decision model's probability that the best intent is the right answer
    also: str | None = None     # a close runner-up worth offering as a follow-up button
    topic_chance: float = 0.0   # the n-gram model's probability of ``topic`` (0 when only the blend found the kind)

    def to_json(self) -> dict[str, object]:
        """The JSON shape used by `faqbot classify`."""
        return {
            "text": self.text,
            "lang": self.lang,
            "intent": self.intent,
            "decision": self.decision,
            "score": round(self.score, 4),
            "confidence": round(self.confidence, 4),
            "topic": self.topic,
            "candidates": [{"intent": c.intent, "score": round(c.score, 4)} for c in self.candidates[:3]],
        }
