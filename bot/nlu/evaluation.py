"""Measuring the matcher on a labelled question file (pure: parsing and arithmetic, no printing)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import yaml

from bot.nlu.result import Understanding
from bot.nlu.understander import Understander


@dataclass(frozen=True)
class Labelled:
    """A question with its expected intent (None = out of scope) and language (None = not definite)."""

    text: str
    lang: str | None
    intent: str | None


@dataclass
class Report:
    """Results of an evaluation run."""

    total: int = 0
    in_scope: Counter[str] = field(default_factory=Counter)           # per language
    in_scope_correct: Counter[str] = field(default_factory=Counter)   # top-1 right and not rejected
    answered_correct: Counter[str] = field(default_factory=Counter)   # right with decision "answer"
    out_of_scope: int = 0
    rejected: int = 0
    lang_total: int = 0
    lang_correct: int = 0
    per_intent: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[tuple[Labelled, Understanding]] = field(default_factory=list)

    def accuracy(self, lang: str) -> float:
        """In-scope top-1 accuracy in one language."""
        return self.in_scope_correct[lang] / self.in_scope[lang] if self.in_scope[lang] else 1.0

    @property
    def rejection(self) -> float:
        """Share of out-of-scope questions that got decision "none"."""
        return self.rejected / self.out_of_scope if self.out_of_scope else 1.0

    @property
    def language_accuracy(self) -> float:
        """Share of questions of definite language detected correctly (no prior)."""
        return self.lang_correct / self.lang_total if self.lang_total else 1.0


def parse_labelled(text: str) -> list[Labelled]:
    """Read a question file: ``questions: [{text, lang, intent}, ...]``."""
    data = yaml.safe_load(text)
    items = data.get("questions", []) if isinstance(data, dict) else []
    return [Labelled(str(q["text"]), q.get("lang"), q.get("intent")) for q in items if isinstance(q, dict)]


def evaluate(understander: Understander, questions: list[Labelled]) -> Report:
    """Run every question through the understander (no language prior) and count."""
    report = Report()
    for q in questions:
        report.total += 1
        result = understander.understand(q.text, None)
        ok = True
        if q.lang is not None:
            report.lang_total += 1
            if result.lang == q.lang:
                report.lang_correct += 1
            else:
                ok = False
        if q.intent is None:
            report.out_of_scope += 1
            if result.decision == "none":
                report.rejected += 1
            else:
                ok = False
        else:
            lang = q.lang or "any"
            report.in_scope[lang] += 1
            stats = report.per_intent[q.intent]
            stats[1] += 1
            if result.decision != "none" and result.intent == q.intent:
                report.in_scope_correct[lang] += 1
                stats[0] += 1
                if result.decision == "answer":
                    report.answered_correct[lang] += 1
            else:
                ok = False
        if not ok:
            report.misses.append((q, result))
    return report
