"""What the bot remembers per chat: small, JSON-serialisable, without names or message texts."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, replace
from typing import Any

STATE_VERSION = 1
MAX_MISSES = 9
_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_INTENT_ID = re.compile(r"^[a-z][a-z0-9_]{0,199}$")


@dataclass(frozen=True)
class ChatState:
    """The language, the misses in a row and where the chat is in a guided check."""

    lang: str | None = None  # the language the bot writes in; None before first contact
    lang_locked: bool = False  # chosen with /language: detection does not switch it
    lang_asked: bool = False  # the two-language welcome with the language choice was shown
    lang_hinted: bool = False  # told once how to switch while the language is locked
    misses: int = 0  # messages in a row the bot did not understand
    check: str | None = None  # id of the guided check in progress
    step: str | None = None  # the step of that check whose question awaits an answer
    topic: str | None = None  # the intent last answered (or of the check last started): context for follow-ups

    def to_json(self) -> str:
        """The state as compact JSON."""
        return json.dumps({"v": STATE_VERSION, **asdict(self)}, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes | None) -> ChatState:
        """The state from JSON; anything unreadable or from another version gives a fresh state."""
        try:
            data = json.loads(text) if text else None
        except (ValueError, TypeError):
            return cls()
        if not isinstance(data, dict) or data.get("v") != STATE_VERSION:
            return cls()
        return cls(
            lang=_ident(data.get("lang")),
            lang_locked=_flag(data.get("lang_locked")),
            lang_asked=_flag(data.get("lang_asked")),
            lang_hinted=_flag(data.get("lang_hinted")),
            misses=_count(data.get("misses")),
            check=_ident(data.get("check")),
            step=_ident(data.get("step")),
            topic=data["topic"] if isinstance(data.get("topic"), str) and _INTENT_ID.match(data["topic"]) else None,
        ).tidy()

    def tidy(self) -> ChatState:
        """The same state with impossible combinations removed (a step without a check, ...)."""
        state = self
        if state.check is None or state.step is None:
            state = replace(state, check=None, step=None)
        if state.lang is None:
            state = replace(state, lang_locked=False, lang_hinted=False)
        return replace(state, misses=min(max(state.misses, 0), MAX_MISSES))


def _ident(value: Any) -> str | None:
    return value if isinstance(value, str) and _ID.match(value) else None


def _flag(value: Any) -> bool:
    return value is True


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
