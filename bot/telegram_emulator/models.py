"""Public, immutable records of what the bot did against the emulator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Literal, NamedTuple

from bot.html import plain_text

#: Chat types the emulator can simulate.
ChatType = Literal["private", "group", "supergroup"]
#: Kinds of non-text user messages :meth:`BotApiEmulator.send_non_text` can produce.
NonTextKind = Literal["voice", "photo", "sticker", "location", "document", "video", "audio", "contact"]
#: An event pushed to subscribers (always JSON-serialisable).
Event = dict[str, Any]
#: A subscriber; it may return an awaitable, which the emulator schedules as a task.
EventCallback = Callable[[Event], object]


class ApiCall(NamedTuple):
    """One Bot API request as received: canonical method name and normalized parameters."""

    method: str
    params: dict[str, Any]


@dataclass(frozen=True)
class SentMessage:
    """A message the bot sent, reflecting its current state (after any edits)."""

    chat_id: int
    message_id: int
    text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    edited: bool = False
    reply_to_message_id: int | None = None

    @property
    def plain_text(self) -> str:
        """The text as the user sees it (HTML tags removed and entities decoded)."""
        return plain_text(self.text) if (self.parse_mode or "").upper() == "HTML" else self.text

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        """Rows of inline keyboard buttons (empty when the message has no inline keyboard)."""
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard") or []
        return [list(row) for row in rows]

    @property
    def callback_data(self) -> list[str]:
        """The ``callback_data`` of every inline button, row by row."""
        return [b["callback_data"] for row in self.buttons for b in row if "callback_data" in b]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict, including ``plain_text``."""
        data = asdict(self)
        data["plain_text"] = self.plain_text
        return data


@dataclass(frozen=True)
class CallbackAnswer:
    """An ``answerCallbackQuery`` call for a button the user pressed."""

    callback_query_id: str
    chat_id: int
    message_id: int
    data: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int


@dataclass(frozen=True)
class ChatAction:
    """A ``sendChatAction`` call (typing indicator and friends)."""

    chat_id: int
    action: str


@dataclass(frozen=True)
class WebhookConfig:
    """The webhook the bot registered with ``setWebhook``."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: tuple[str, ...] | None = None
