"""Facade: detect the language of a message, then match it to an intent."""

from __future__ import annotations

from dataclasses import replace

from bot.content.model import Content
from bot.html import plain_text
from bot.nlu.decision import Decider
from bot.nlu.foreign import foreign_language
from bot.nlu.language import LanguageDetector
from bot.nlu.matcher import MAX_QUERY_CHARS, Matcher
from bot.nlu.normalise import fold
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
        # words that only react or lean on what was said: yes and no, "not", "and ...", "they", "how long"
        self.reaction_words = frozenset(
            fold(word) for pack in content.packs.values()
            for word in (*pack.yes_words, *pack.no_words, *pack.negation_words, *pack.followup_openers,
                         *pack.back_references, *pack.detail_words)
            if " " not in word.strip())  # single words only: "what" of "what time" asks about anything
        self.stopwords = frozenset(w for pack in content.packs.values() for w in pack.stopwords)
        # words that name no subject: stopwords, reactions and the words of detail questions ("hoe lang duurt het")
        self.no_subject = self.stopwords | self.reaction_words | frozenset(
            w for pack in content.packs.values() for phrase in pack.detail_words for w in fold(phrase).split())
        self.set_aside = frozenset(fold(w) for pack in content.packs.values() for w in pack.stop_words)

    def detect_language(self, text: str, prior: str | None = None) -> tuple[str, bool]:
        """The language of ``text`` (its first MAX_QUERY_CHARS) and whether it is clearly that language."""
        # Misspelt words are read as the known words they stand for: "whzt" is English evidence, as "what" is,
        # though less than a word typed as such.
        readings = self.matcher.readings(text[:MAX_QUERY_CHARS])
        guessed = frozenset(part for typed, read in readings if typed != read for part in read.split())
        # a slip as near to a word of the other language ("hwllo": hello or hallo) says less about either
        speller = self.matcher.speller
        ties = {read: tuple((w, float(speller.frequency[w])) for w in near) for typed, read in readings
                if typed != read for near in [speller.equally_near(typed)] if len(near) > 1}
        return self.detector.detect(" ".join(read for _, read in readings), prior, guessed, ties)

    def _only_reacts(self, words: set[str]) -> bool:
        """Only yes or no, "not", "and then", "why" and small words ("yes please", "en dan?", "why not"): no question
        on its own; a chat's context or a check step may still read it. ("what can you do", small words only,
        asks what the bot does.) ``words``: the message's folded words."""
        if words and all(w.isdigit() for w in words):
            return True  # "3": a number alone asks nothing (in a check step it picks an answer)
        if len(words) == 1 and words <= self.stopwords:
            return True  # "ik", "the": one small word asks nothing
        return bool(words & self.reaction_words) and not words - self.reaction_words - self.stopwords

    def _without_acknowledgement(self, text: str) -> str:
        """The message without a leading "ok" / "ja" when a question of three words or more follows: "ok what can
        you do then" asks what the bot can do; the "ok" (a thanks or goodbye word on its own) says nothing."""
        words = text.split()
        if len(words) >= 4 and words[0].strip(",.!").casefold() in self.acknowledgements:
            words = words[1:]
        # "ok laat maar. wat is iom": a first sentence that only sets the last one aside ('stop:' words) says nothing
        first, mark, rest = " ".join(words).partition(".")
        if mark and len(rest.split()) >= 3 and self._sets_aside(fold(first)):
            return rest.strip()
        return " ".join(words)

    def _sets_aside(self, folded: str) -> bool:
        """True for "laat maar", "never mind", "ok stop": 'stop:' words, with an acknowledgement at most."""
        words = folded.split()
        if words and words[0] in self.acknowledgements:
            words = words[1:]
        return bool(words) and " ".join(words) in self.set_aside

    def understand(self, text: str, prior: str | None = None) -> Understanding:
        """Language, decision and ranked candidates for one message.

        A message clearly in another language (bot.nlu.foreign) gets that language's code and no answer."""
        foreign = foreign_language(text[:MAX_QUERY_CHARS], self.own_words)
        if foreign is not None and foreign not in self.content.languages:
            return Understanding(text, foreign, "none", None, 0.0, (), True)
        lang, certain = self.detect_language(text, prior)
        words = set(fold(text[:MAX_QUERY_CHARS]).split())
        if self._only_reacts(words):
            return Understanding(text, lang, "none", None, 0.0, (), certain)
        verdict = self.decider.decide(self.matcher.analyse(self._without_acknowledgement(text)))
        if verdict.topic is not None and not words - self.no_subject:
            # "sorry", "hoe lang duurt het?": a referral needs a subject
            verdict = replace(verdict, topic=None, topic_chance=0.0)
        return Understanding(text, lang, verdict.decision, verdict.intent, verdict.score, verdict.candidates, certain,
                             verdict.topic, verdict.confidence, verdict.also, verdict.topic_chance)
