"""Facade: detect the language of a message, then match it to an intent."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.content.model import Content
from bot.nlu.result import Candidate, Understanding


class Understander:
    """TEMPORARY simple implementation; the real matcher replaces it (same interface)."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.choices: dict[str, list[tuple[str, str]]] = {}
        for intent in content.intents.values():
            for lang, exs in intent.examples.items():
                self.choices.setdefault(lang, []).extend((e.lower(), intent.id) for e in exs)

    def detect_language(self, text: str, prior: str | None = None) -> tuple[str, bool]:
        """The language of ``text`` and whether it is clearly that language."""
        return (prior or self.content.languages[0]), False

    def understand(self, text: str, prior: str | None = None) -> Understanding:
        """Language, decision and ranked candidates for one message."""
        lang, _ = self.detect_language(text, prior)
        pairs = self.choices.get(lang, [])
        hit = process.extractOne(text.lower(), [p[0] for p in pairs], scorer=fuzz.WRatio)
        if hit is None or pairs[hit[2]][1] == "out_of_scope" or hit[1] < 80:
            return Understanding(text, lang, "none", None, 0.0, ())
        intent = pairs[hit[2]][1]
        return Understanding(text, lang, "answer", intent, hit[1] / 100, (Candidate(intent, hit[1] / 100),))
