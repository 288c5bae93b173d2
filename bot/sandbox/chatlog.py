"""What one sandbox chat shows: its messages (user and bot, after edits) and the staff traces of the bot's replies.

Everything here is a JSON-ready dict, because it goes straight to the web page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.engine import CommandIn, Event, NonTextIn, PressIn, Reply, TextIn

MAX_MESSAGES = 500  # per chat; older messages are dropped from the page's history (the chat goes on)
MAX_TRACES = 500

Json = dict[str, Any]


def buttons_of(reply_markup: Json | None) -> list[list[Json]]:
    """The inline keyboard as rows of ``{"text", "callback_data"}`` or ``{"text", "url"}``."""
    rows = (reply_markup or {}).get("inline_keyboard") or []
    keep = ("text", "callback_data", "url")
    return [[{k: b[k] for k in keep if k in b} for b in row] for row in rows]


def bot_entry(message: Json, wire: Json | None = None) -> Json:
    """A bot message (``SentMessage.to_dict()`` and the wire ``Message`` for its date) as the page shows it."""
    return {
        "message_id": message["message_id"],
        "date": (wire or {}).get("date"),
        "sender": "bot",
        "text": message["text"],
        "html": (message.get("parse_mode") or "").upper() == "HTML",
        "buttons": buttons_of(message.get("reply_markup")),
        "edited": bool(message.get("edited")),
    }


def user_entry(message: Json) -> Json:
    """A user message (a wire ``Message`` from an update) as the page shows it."""
    text = message.get("text")
    if text is None:
        kinds = [k for k in ("voice", "photo", "sticker", "location", "document", "video", "audio", "contact")
                 if k in message]
        text = f"[{kinds[0] if kinds else 'message'}]"
    return {"message_id": message["message_id"], "date": message.get("date"), "sender": "user", "text": text,
            "html": False, "buttons": [], "edited": False}


def describe(event: Event, label: str | None = None) -> str:
    """What the user did, in a few words, for the staff panel."""
    if isinstance(event, TextIn):
        return f"text: {event.text}"
    if isinstance(event, CommandIn):
        return f"command: /{event.name}" + (f" {event.args}" if event.args else "")
    if isinstance(event, PressIn):
        return f"button: {label}" if label else f"button data: {event.data}"
    if isinstance(event, NonTextIn):
        return f"non-text: {event.kind}"
    return type(event).__name__  # pragma: no cover - Event is a closed union


def trace_record(reply: Reply, message_ids: tuple[int, ...], said: str) -> Json | None:
    """The staff view of one reply (None when the engine gave no trace)."""
    trace = reply.trace
    if trace is None:
        return None
    return {
        "message_ids": list(message_ids),
        "input": said,
        "intent": trace.intent,
        "decision": trace.decision,
        "score": round(trace.score, 3),
        "lang": trace.lang,
        "source": trace.source,
        "candidates": [[name, round(score, 3)] for name, score in trace.candidates],
    }


@dataclass
class ChatLog:
    """The messages of one chat in order (by Telegram message id) and the traces of the bot's replies."""

    chat_id: int
    messages: dict[int, Json] = field(default_factory=dict)
    traces: list[Json] = field(default_factory=list)

    def put(self, entry: Json) -> None:
        """Add a message or replace it (an edit)."""
        self.messages[entry["message_id"]] = entry
        while len(self.messages) > MAX_MESSAGES:
            del self.messages[next(iter(self.messages))]

    def delete(self, message_id: int) -> None:
        """Forget a deleted message."""
        self.messages.pop(message_id, None)

    def add_trace(self, record: Json) -> None:
        """Remember the trace of one reply."""
        self.traces.append(record)
        del self.traces[:-MAX_TRACES]

    def button_label(self, data: str) -> str | None:
        """The label of the most recent button sending ``data`` (to name a press in the panel)."""
        for entry in reversed(self.messages.values()):
            for row in entry["buttons"]:
                for button in row:
                    if button.get("callback_data") == data:
                        return str(button["text"])
        return None

    def snapshot(self) -> Json:
        """Everything the page needs to draw this chat from scratch."""
        return {"type": "snapshot", "chat_id": self.chat_id, "messages": list(self.messages.values()),
                "traces": list(self.traces)}
