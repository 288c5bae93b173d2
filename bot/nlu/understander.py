"""Facade: detect the language of a message, then match it to an intent."""

from __future__ import annotations

from bot.content.model import Content
from bot.html import plain_text
from bot.nlu.decision import Decider
from bot.nlu.foreign import foreign_language
from bot.nlu.language import LanguageDetector
from bot.nlu.matcher import MAX_QUERY_CHARS, Matcher
from bot.nlu.result import Understanding


class Understander:
    """Language detection and intent matching over one content load (pure; safe to share)."""

    def __init__(self, content: Content) -> None:
        self.content = content
        texts = {
            lang: [t for i in content.intents.values() for t in (*i.examples.get(lang, ()), *i.keywords.get(lang, ()))]
            + [plain_text(a.text) for (_, a_lang), a in content.answers.items() if a_lang == lang]
            # staff synonyms are words of their language too, often its common misspellings ("gezinsherening")
            + [f"{variant} {main}" for variant, main in content.synonyms.get(lang, {}).items()]
            for lang in content.languages
        }
        stopwords = {lang: pack.stopwords for lang, pack in content.packs.items()}
        self.detector = LanguageDetector(content.languages, texts, stopwords)
        self.matcher = Matcher(content)
        self.decider = Decider(content)
        self.acknowledgements = frozenset(w.casefold() for pack in content.packs.values() for w in pack.yes_words
                                 if " " not in w and not w.isdigit() and len(w) > 1)
        self.own_words = frozenset(w for pack in content.packs.values()
                                   for w in (*pack.stopwords, *pack.yes_words, *pack.no_words))

    def detect_language(self, text: str, prior: str | None = None) -> tuple[str, bool]:
        """The language of ``text`` (its first MAX_QUERY_CHARS) and whether it is clearly that language."""
        # Misspelt words are read as the known words they stand for: "whzt" is English evidence, as "what" is,
        # though less than a word typed as such.
        readings = self.matcher.readings(text[:MAX_QUERY_CHARS])
        guessed = frozenset(part for typed, read in readings if typed != read for part in read.split())
        return self.detector.detect(" ".join(read for _, read in readings), prior, guessed)

    def _without_acknowledgement(self, text: str) -> str:
        """The message without a leading "ok" / "ja" when a question of three words or more follows: "ok what can
        you do then" asks what the bot can do; the "ok" (a thanks or goodbye word on its own) says nothing."""
        words = text.split()
        if len(words) >= 4 and words[0].strip(",.!").casefold() in self.acknowledgements:
            return " ".join(words[1:])
        return text

    def understand(self, text: str, prior: str | None = None) -> Understanding:
        """Language, decision and ranked candidates for one message.

        A message clearly in another language (bot.nlu.foreign) gets that language's code and no answer."""
        foreign = foreign_language(text[:MAX_QUERY_CHARS], self.own_words)
        if foreign is not None and foreign not in self.content.languages:
            return Understanding(text, foreign, "none", None, 0.0, (), True)
        lang, certain = self.detect_language(text, prior)
        verdict = self.decider.decide(self.matcher.analyse(self._without_acknowledgement(text)))
        return Understanding(text, lang, verdict.decision, verdict.intent, verdict.score, verdict.candidates, certain,
                             verdict.topic, verdict.confidence, verdict.also, verdict.topic_chance)
