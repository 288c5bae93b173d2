"""What a channel hands to the engine: one event per incoming message or button press."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextIn:
    """A typed message."""

    text: str


@dataclass(frozen=True)
class PressIn:
    """A press on an inline button; ``data`` is the button's callback data."""

    data: str


@dataclass(frozen=True)
class CommandIn:
    """A command such as /start: ``name`` without '/', lower case, no @botname."""

    name: str
    args: str = ""


@dataclass(frozen=True)
class NonTextIn:
    """Something that is not text: voice, photo, sticker, location, document, ..."""

    kind: str


Event = TextIn | PressIn | CommandIn | NonTextIn


def from_text(text: str) -> Event:
    """A typed line as an event: '/name@bot args' becomes a CommandIn, anything else a TextIn."""
    stripped = text.strip()
    if stripped.startswith("/") and len(stripped) > 1 and not stripped[1].isspace():
        head, _, args = stripped[1:].partition(" ")
        name = head.split("@", 1)[0].lower()
        if name:
            return CommandIn(name, args.strip())
    return TextIn(text)
