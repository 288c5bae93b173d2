"""The terminal channel: a chat in the console over the same engine (`faqbot chat`).

Buttons are shown as numbered options (``[1] Yes``); typing the number presses the button. When input is
not a terminal, every line is one message and the replies to it are printed, so chats can be scripted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TextIO

from bot.engine import Button, ChatState, Engine, Event, PressIn, Reply, TextIn, from_text
from bot.html import plain_text

QUIT = ("/quit", "/exit")
_LINK = re.compile(r"<a\s+href\s*=\s*[\"']([^\"']*)[\"']\s*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_BOLD = re.compile(r"</?(?:b|strong)>", re.IGNORECASE)

#: Called after each handled message or press with what was typed (None for a press) and the replies: the
#: staff log (``bot.staff.session.ReviewSession.record``).
Observer = Callable[[str | None, Sequence[Reply]], object]


def html_to_text(text: str) -> str:
    """Telegram HTML as readable plain text: bold as *stars*, links as 'label (address)'."""
    def link(match: re.Match[str]) -> str:
        url, label = html.unescape(match.group(1)), plain_text(match.group(2))
        bare = url.removeprefix("https://").removeprefix("http://").rstrip("/")
        return url if label.strip().rstrip("/") in (url.rstrip("/"), bare) else f"{label} ({url})"

    return plain_text(_BOLD.sub("*", _LINK.sub(link, text)))


def render(replies: Iterable[Reply], show_trace: bool = False) -> tuple[str, list[Button]]:
    """The replies as text with numbered buttons, and the buttons in the order of their numbers."""
    lines: list[str] = []
    buttons: list[Button] = []
    for reply in replies:
        body = html_to_text(reply.text).splitlines() or [""]
        lines += [("bot> " if i == 0 else "     " if line else "") + line for i, line in enumerate(body)]
        for row in reply.buttons:
            shown = []
            for button in row:
                buttons.append(button)
                extra = f" -> {button.url}" if button.url else ""
                shown.append(f"[{len(buttons)}] {button.label}{extra}")
            lines.append("     " + "   ".join(shown))
        if show_trace and reply.trace is not None:
            t = reply.trace
            lines.append(f"     · intent={t.intent} decision={t.decision} score={t.score:.2f} lang={t.lang} "
                         f"source={t.source}")
        lines.append("")
    return "\n".join(lines) + "\n", buttons


class TerminalChat:
    """One chat: keeps the state and the buttons of the last replies, turns typed lines into events."""

    def __init__(self, engine: Engine, lang_hint: str | None = None, show_trace: bool = False,
                 observe: Observer | None = None) -> None:
        self.engine = engine
        self.lang_hint = lang_hint
        self.show_trace = show_trace
        self.observe = observe
        self.state: ChatState | None = None
        self.buttons: list[Button] = []

    def send(self, line: str) -> str:
        """Handle one typed line and return what the bot answers, as text."""
        typed = line.strip()
        if typed.isdigit() and 1 <= int(typed) <= len(self.buttons):
            button = self.buttons[int(typed) - 1]
            if button.url is not None:
                return f"bot> (opens {button.url})\n\n"
            event: Event = PressIn(button.data or "")
        else:
            event = from_text(line)
        self.state, replies = self.engine.handle(self.state, event, self.lang_hint)
        if self.observe is not None:
            self.observe(event.text if isinstance(event, TextIn) else None, replies)
        text, buttons = render(replies, self.show_trace)
        self.buttons = buttons
        return text


def run(engine: Engine, stdin: TextIO, stdout: TextIO, interactive: bool, lang_hint: str | None = None,
        show_trace: bool = False, observe: Observer | None = None) -> int:
    """Chat until /quit or the end of input; returns the exit code."""
    chat = TerminalChat(engine, lang_hint, show_trace, observe)
    if interactive:
        stdout.write("Type a message, a button's number, or /quit to stop.\n\n" + chat.send("/start"))
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        line = line.rstrip("\r\n")
        if line.strip().lower() in QUIT:
            break
        if not line.strip():
            continue
        if not interactive:
            stdout.write(f"> {line}\n")
        stdout.write(chat.send(line))
        stdout.flush()
    if interactive:
        stdout.write("\n")
    return 0
