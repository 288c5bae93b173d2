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


REQUEST_MAX_WORDS = 7  # a longer message is a question that mentions a language, not a request to switch


def requested(text: str, content: Content) -> str | None:
    """The language a message asks the bot to write in ("english please", "in het Nederlands aub"), else None.

    A request is a message that is, or holds, one of the language's ``switch:`` phrases and is short."""
    words = words_of(text)
    if not words or len(words) > REQUEST_MAX_WORDS:
        return None
    said = f" {' '.join(words)} "
    best: tuple[int, str] | None = None
    for code, pack in content.packs.items():
        for phrase in pack.switch_phrases:
            wanted = " ".join(words_of(phrase))
            whole = said.strip() == wanted
            found = wanted and (whole or (" " in wanted and f" {wanted} " in said))
            if found and (best is None or len(wanted) > best[0]):
                best = (len(wanted), code)
    return best[1] if best else None
