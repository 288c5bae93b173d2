"""What understanding a message yields: the language, the decision and ranked candidates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Decision = Literal["answer", "clarify", "none"]


@dataclass(frozen=True)
class Candidate:
    """An intent and how well the message matches it, in [0, 1]."""

    intent: str
    score: float


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

    def to_json(self) -> dict[str, object]:
        """The JSON shape used by `faqbot classify`."""
        return {
            "text": self.text,
            "lang": self.lang,
            "intent": self.intent,
            "decision": self.decision,
            "score": round(self.score, 4),
            "candidates": [{"intent": c.intent, "score": round(c.score, 4)} for c in self.candidates[:3]],
        }
