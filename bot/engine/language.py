"""Which language the bot writes in: first contact, detection and the user's explicit choice."""

from __future__ import annotations

from dataclasses import replace

from bot.content.model import Content
from bot.engine.safety import words_of
from bot.engine.state import ChatState


def from_hint(hint: str | None, languages: tuple[str, ...]) -> str | None:
    """A configured language from Telegram's language_code ('en-GB' -> 'en'), else None."""
    if not hint:
        return None
    base = hint.strip().replace("_", "-").split("-", 1)[0].lower()
    return base if base in languages else None


def after_message(state: ChatState, detected: str, certain: bool, languages: tuple[str, ...]) -> ChatState:
    """The state after a message in ``detected``: switch only when it is clear and not locked."""
    if detected not in languages or detected == state.lang:
        return state
    if state.lang is None or (certain and not state.lang_locked):
        return replace(state, lang=detected, lang_hinted=False)
    return state


def should_hint(state: ChatState, detected: str, certain: bool, languages: tuple[str, ...]) -> bool:
    """True when a locked chat gets a message clearly in another language (told only once)."""
    return (state.lang_locked and certain and detected in languages and detected != state.lang
            and not state.lang_hinted)


def chosen(state: ChatState, lang: str) -> ChatState:
    """The state after an explicit choice: it wins over detection until the user chooses again."""
    return replace(state, lang=lang, lang_locked=True, lang_asked=True, lang_hinted=False)


REQUEST_MAX_WORDS = 12  # a longer message is a question that mentions a language, not a request to switch
SHORT_REQUEST_WORDS = 5  # "kan het in het Engels?": this short, a weak request word is enough
#: Words that make a message naming a language a request to write in it (Dutch and English).
STRONG_REQUEST = frozenset({
    "please", "pls", "plz", "aub", "graag", "alstublieft", "alsjeblieft", "speak", "talk", "praten", "spreek",
    "spreken", "answer", "antwoord", "antwoorden", "reply", "write", "schrijf", "schrijven", "switch", "change",
    "liever", "prefer", "rather", "understand", "begrijp", "verstaan", "use", "gebruik", "only", "alleen",
})
WEAK_REQUEST = frozenset(["in", "can", "could", "kan", "kun", "kunt", "je", "you", "u", "het"])
#: A message starting with one of these asks about something ("how to write a cv in dutch"), it is no request.
QUESTION_STARTS = frozenset({"how", "hoe", "what", "wat", "where", "waar", "why", "waarom", "when", "wanneer",
                             "which", "welke", "who", "wie", "is", "are", "do", "does", "moet", "must", "need"})
NEGATIONS = frozenset(["not", "dont", "don", "no", "geen", "niet", "never", "nooit", "cant"])


def requested(text: str, content: Content) -> str | None:
    """The language a message asks the bot to write in, else None.

    The message is short and names one language (``switch:`` in its language.yaml: "english", "nederlands")
    with a request word ("english please", "spreek je nederlands", "kan het in het Engels?"), or is just the
    name. "I don't understand Dutch" asks for the other language when there are two; of two languages named,
    the last one is meant."""
    words = words_of(text)
    if not words or len(words) > REQUEST_MAX_WORDS or words[0] in QUESTION_STARTS:
        return None
    named = {code: at for code, pack in content.packs.items()
             for name in pack.switch_phrases if (at := _at(words, words_of(name))) >= 0}
    if not named:
        return None
    code = max(named, key=lambda c: named[c])  # "my dutch is not good, english please": the last one named
    if len(named) > 1:  # the one asked for ("engels graag"), not the one denied ("not dutch"); else the last
        def score(c: str) -> int:
            at = named[c]
            near = words[max(0, at - 2):at + 3]
            return any(w in STRONG_REQUEST for w in near) - any(w in NEGATIONS for w in words[max(0, at - 2):at])
        return max(named, key=lambda c: (score(c), named[c]))
    rest = [w for w in words if not any(w in words_of(n) for n in content.packs[code].switch_phrases)]
    strong = any(w in STRONG_REQUEST for w in rest)
    weak = len(words) <= SHORT_REQUEST_WORDS and all(w in WEAK_REQUEST | STRONG_REQUEST for w in rest)
    if not (strong or weak or not rest):
        return None
    if any(w in NEGATIONS for w in rest):
        others = [c for c in content.languages if c != code]
        return others[0] if len(others) == 1 else None
    return code


def _at(words: list[str], phrase: list[str]) -> int:
    """Where ``phrase`` starts in ``words`` (the last time), or -1."""
    found = [i for i in range(len(words) - len(phrase) + 1) if phrase and words[i:i + len(phrase)] == phrase]
    return found[-1] if found else -1
