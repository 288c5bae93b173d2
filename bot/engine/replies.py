"""What the engine hands back to a channel: texts in Telegram HTML, buttons and a trace."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.html import MAX_MESSAGE_LENGTH, escape, plain_text, validate, visible_length

MAX_DATA_BYTES = 64  # Telegram's limit for callback data


@dataclass(frozen=True)
class Button:
    """An inline button: it sends ``data`` back as a PressIn, or opens ``url``."""

    label: str
    data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Trace:
    """Why the bot said this: for the staff panel and the review log."""

    intent: str | None
    decision: str
    score: float
    lang: str
    source: str | None
    candidates: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Reply:
    """One message to send: Telegram HTML text (at most 4096 visible characters) and rows of buttons."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    trace: Trace | None = None


def button_ok(button: Button) -> bool:
    """True when Telegram accepts the button: a label and either short callback data or a link."""
    if not button.label.strip() or (button.data is None) == (button.url is None):
        return False
    return button.data is None or 0 < len(button.data.encode("utf-8")) <= MAX_DATA_BYTES


def finish(reply: Reply) -> Reply:
    """Make a reply safe to send: valid HTML within the length limit, only acceptable buttons."""
    text = reply.text if reply.text.strip() else "…"
    if validate(text) or visible_length(text) > MAX_MESSAGE_LENGTH:
        plain = plain_text(text) if not validate(text) else text
        text = escape(plain[: MAX_MESSAGE_LENGTH - 1] + ("…" if len(plain) >= MAX_MESSAGE_LENGTH else ""))
    rows = tuple(row for row in (tuple(b for b in r if button_ok(b)) for r in reply.buttons) if row)
    return replace(reply, text=text, buttons=rows)
