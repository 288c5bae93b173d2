"""The terminal channel: a chat in the console over the same engine (`faqbot chat`).

Buttons are shown as numbered options (``[1] Yes``); typing the number presses the button. When input is
not a terminal, every line is one message and the replies to it are printed, so chats can be scripted.
With ``--json`` (``JsonChat``, ``run_json``) every reply is one JSON line, for dialogue tables run from the shell.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from bot.engine import Button, ChatState, Engine, Event, PressIn, Reply, from_text
from bot.html import plain_text

QUIT = ("/quit", "/exit")
_PRESS = re.compile(r"^\[\s*(\d+)\s*\]$")  # "[2]" presses the second callback button of the last reply
_LINK = re.compile(r"<a\s+href\s*=\s*[\"']([^\"']*)[\"']\s*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_BOLD = re.compile(r"</?(?:b|strong)>", re.IGNORECASE)

#: Called after each handled message or press with what was typed (None for a press) and the replies: the
#: staff log (``bot.staff.session.ReviewSession.record``).
Observer = Callable[[Event, Sequence[Reply]], object]  # the staff log (bot.staff.session.ReviewSession.record)


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
            self.observe(event, replies)
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


def button_json(button: Button) -> dict[str, str]:
    """A button as JSON: its label and its callback data or its link."""
    if button.url is not None:
        return {"label": button.label, "url": button.url}
    return {"label": button.label, "data": button.data or ""}


def reply_json(reply: Reply, state: ChatState, line: int) -> dict[str, Any]:
    """One reply as `faqbot chat --json` prints it; topic, check and step are the chat's state after the reply."""
    trace = reply.trace
    return {
        "line": line,
        "text": plain_text(reply.text),
        "html": reply.text,
        "buttons": [[button_json(b) for b in row] for row in reply.buttons],
        "lang": trace.lang if trace is not None else state.lang,
        "trace": {
            "decision": trace.decision if trace is not None else None,
            "intent": trace.intent if trace is not None else None,
            "score": round(trace.score, 4) if trace is not None else None,
            "topic": state.topic,
            "check": state.check,
            "step": state.step,
        },
    }


class JsonChat:
    """One chat for `faqbot chat --json`: a line is a message, ``[n]`` presses a button of the last reply."""

    def __init__(self, engine: Engine, lang_hint: str | None = None, observe: Observer | None = None) -> None:
        self.engine = engine
        self.lang_hint = lang_hint
        self.observe = observe
        self.state: ChatState | None = None
        self.pressable: list[Button] = []  # the callback buttons of the last reply, rows left to right

    def send(self, text: str, line: int = 0) -> list[dict[str, Any]]:
        """One JSON object per reply to ``text`` (input line ``line``), or one ``{"error": ...}`` for a bad [n]."""
        press = _PRESS.match(text.strip())
        if press is None:
            event: Event = from_text(text)
        elif (wrong := self._bad_press(int(press.group(1)))) is not None:
            return [{"line": line, "error": f"{text.strip()}: {wrong}"}]
        else:
            event = PressIn(self.pressable[int(press.group(1)) - 1].data or "")
        self.state, replies = self.engine.handle(self.state, event, self.lang_hint)
        if self.observe is not None:
            self.observe(event, replies)
        if replies:
            self.pressable = [b for row in replies[-1].buttons for b in row if b.data is not None]
        return [reply_json(reply, self.state, line) for reply in replies]

    def _bad_press(self, number: int) -> str | None:
        """Why button ``number`` cannot be pressed, or None when it can."""
        if not self.pressable:
            return "the last reply has no buttons to press"
        if not 1 <= number <= len(self.pressable):
            return f"the last reply has {len(self.pressable)} button(s): use [1] to [{len(self.pressable)}]"
        return None


def run_json(engine: Engine, stdin: TextIO, stdout: TextIO, lang_hint: str | None = None,
             observe: Observer | None = None) -> int:
    """`faqbot chat --json`: one message per line in, one JSON line per reply out, until /quit or the end."""
    chat = JsonChat(engine, lang_hint, observe)
    for number, raw in enumerate(iter(stdin.readline, ""), 1):  # readline: a program can talk through a pipe
        text = raw.rstrip("\r\n")
        if text.strip().lower() in QUIT:
            break
        if not text.strip():
            continue
        for item in chat.send(text, number):
            stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0
