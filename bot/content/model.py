"""Frozen, typed content objects: what the core works with after loading."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Location:
    """Where something was written: a file relative to the content folder, and a line (1-based)."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


def no_lines() -> Mapping[str, Location]:
    """An empty ``lines`` table."""
    return MappingProxyType({})


def where(location: Location, lines: Mapping[str, Location], key: str) -> Location:
    """Where the part ``key`` of something was written (``lines``), else where it starts (``location``)."""
    return lines.get(key, location)


@dataclass(frozen=True)
class Intent:
    """Something people ask about, with example questions and keywords per language."""

    id: str
    group: str
    examples: Mapping[str, tuple[str, ...]]
    keywords: Mapping[str, tuple[str, ...]]
    related: tuple[str, ...]
    location: Location
    example_lines: Mapping[str, tuple[int, ...]] = field(default_factory=lambda: MappingProxyType({}))
    #: where its parts were written ("group", "related.contact", ...), so problems name their own line
    lines: Mapping[str, Location] = field(default_factory=no_lines, compare=False, repr=False)
    #: an off-topic kind that is never read as a follow-up of the last topic ("ik ben bang" after any answer)
    interrupts: bool = False

    @property
    def is_out_of_scope(self) -> bool:
        """True for intents of the off-topic group (``out_of_scope`` and kinds like ``other_asylum``): no answer."""
        return self.group == OUT_OF_SCOPE


OUT_OF_SCOPE = "out_of_scope"
SMALL_TALK_GROUP = "smalltalk"


@dataclass(frozen=True)
class LinkButton:
    """A button that opens a web page."""

    label: str
    url: str


@dataclass(frozen=True)
class Answer:
    """The bot's answer to an intent in one language."""

    intent: str
    lang: str
    title: str
    text: str
    source: str
    links: tuple[LinkButton, ...]
    location: Location
    gives: tuple[str, ...] = ()  # detail questions the text answers ("where"): asked as a follow-up, it comes again


@dataclass(frozen=True)
class LanguagePack:
    """Everything language-specific that is not an answer: words for matching and the bot's own texts."""

    code: str
    name: str
    stopwords: frozenset[str]
    yes_words: frozenset[str]
    no_words: frozenset[str]
    messages: Mapping[str, str]
    groups: Mapping[str, str]
    commands: Mapping[str, str]
    location: Location
    detail_words: tuple[str, ...] = ()  # phrases that ask a detail: "how long", "hoeveel" (follow-ups)
    dont_know_words: frozenset[str] = frozenset()  # "don't know" answers in the step-by-step checks
    switch_phrases: tuple[str, ...] = ()  # requests to write in this language: "english please"
    contrast_words: frozenset[str] = frozenset()  # "but", "maar": in a typed check answer, what follows decides
    followup_openers: tuple[str, ...] = ()  # "and", "en", "what about": a short message opening so leans on the last
    negation_words: frozenset[str] = frozenset()  # "not", "niet": right after a yes-word it makes a no ("zeker niet")
    back_references: frozenset[str] = frozenset()  # "they", "ze", "daar": a short message with one leans on the topic
    stop_words: frozenset[str] = frozenset()  # "stop", "annuleren": typed alone during a guided check, they stop it
    #: where its sections and keys were written ("messages", "messages.welcome", ...): they may be in other files
    lines: Mapping[str, Location] = field(default_factory=no_lines, compare=False, repr=False)

    def message(self, key: str, **values: str) -> str:
        """A bot text by key, with ``{placeholders}`` filled in."""
        text = self.messages[key]
        return text.format(**values) if values else text


@dataclass(frozen=True)
class CheckOption:
    """One choice in a guided-check step: leads to another step or to an outcome."""

    key: str
    next_step: str | None
    outcome: str | None
    location: Location


@dataclass(frozen=True)
class CheckStep:
    """One question in a guided check."""

    id: str
    options: tuple[CheckOption, ...]
    location: Location


@dataclass(frozen=True)
class GuidedCheck:
    """The structure of a guided eligibility check (texts live per language in CheckTexts)."""

    id: str
    intent: str
    start: str
    steps: Mapping[str, CheckStep]
    outcomes: tuple[str, ...]
    location: Location
    #: where its parts were written ("intent", "start", ...), so problems name their own line
    lines: Mapping[str, Location] = field(default_factory=no_lines, compare=False, repr=False)


@dataclass(frozen=True)
class CheckTexts:
    """The texts of one guided check in one language."""

    check: str
    lang: str
    title: str
    intro: str
    questions: Mapping[str, str]
    options: Mapping[str, str]
    outcomes: Mapping[str, str]
    location: Location
    #: per step, per answer: typed phrases that mean that answer ("de IND zegt ik moet gaan" -> no)
    typed: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=lambda: MappingProxyType({}))
    #: where its parts were written ("questions.lives_nl", "typed.voluntary.no", ...), so problems name their own line
    lines: Mapping[str, Location] = field(default_factory=no_lines, compare=False, repr=False)


@dataclass(frozen=True)
class Referral:
    """A public body or emergency service the bot refers people to, in one language: the outside-facts register.

    These are the only facts that do not come from the source document about IOM (``source: outside``)."""

    id: str
    lang: str
    name: str
    what: str
    url: str | None
    phone: str | None
    location: Location


@dataclass(frozen=True)
class KindReply:
    """What the bot says, in one language, to a near-domain off-topic kind (``other_asylum`` ...): who handles it."""

    kind: str
    lang: str
    text: str
    refer: tuple[str, ...]
    location: Location


@dataclass(frozen=True)
class CrisisKind:
    """A kind of crisis (self-harm, violence, ...) in one language: the words that point to it and the reply."""

    id: str
    lang: str
    words: tuple[str, ...]
    text: str
    refer: tuple[str, ...]
    location: Location


CRISIS_KINDS = ("self_harm", "violence", "trafficking", "medical", "urgent")


@dataclass(frozen=True)
class OtherLanguage:
    """A language the bot does not speak: its name, and "I understand Dutch and English" in it."""

    code: str  # ISO 639-1, as bot.nlu.foreign reports it
    name: str  # in the language itself
    reply: str  # Telegram HTML
    location: Location


@dataclass(frozen=True)
class Content:
    """All content, loaded and checked; the one object the core is given."""

    languages: tuple[str, ...]
    intents: Mapping[str, Intent]
    answers: Mapping[tuple[str, str], Answer]
    synonyms: Mapping[str, Mapping[str, str]]
    packs: Mapping[str, LanguagePack]
    checks: Mapping[str, GuidedCheck]
    check_texts: Mapping[tuple[str, str], CheckTexts]
    referrals: Mapping[tuple[str, str], Referral] = field(default_factory=lambda: MappingProxyType({}))
    kind_replies: Mapping[tuple[str, str], KindReply] = field(default_factory=lambda: MappingProxyType({}))
    crisis: Mapping[str, tuple[CrisisKind, ...]] = field(default_factory=lambda: MappingProxyType({}))
    other_languages: Mapping[str, OtherLanguage] = field(default_factory=lambda: MappingProxyType({}))

    def answer(self, intent: str, lang: str) -> Answer:
        """The answer to ``intent`` in ``lang``."""
        return self.answers[(intent, lang)]

    def topical_intents(self) -> list[Intent]:
        """Intents that are real topics (not small talk, not out of scope)."""
        return [i for i in self.intents.values() if i.group not in (SMALL_TALK_GROUP, OUT_OF_SCOPE)]

    def check_for_intent(self, intent: str) -> GuidedCheck | None:
        """The guided check offered with an intent's answer, if any."""
        return next((c for c in self.checks.values() if c.intent == intent), None)
