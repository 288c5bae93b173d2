"""A local Telegram Bot API emulator for end-to-end tests and the staff sandbox (see docs/telegram-emulator.md)."""

from .emulator import DEFAULT_TOKEN, BotApiEmulator
from .errors import BotApiError
from .faults import Fault
from .models import (
    ApiCall,
    CallbackAnswer,
    ChatAction,
    ChatType,
    Event,
    EventCallback,
    NonTextKind,
    SentMessage,
    WebhookConfig,
)
from .retention import Retention
from .webhook import SECRET_HEADER

__all__ = [
    "DEFAULT_TOKEN",
    "SECRET_HEADER",
    "ApiCall",
    "BotApiEmulator",
    "BotApiError",
    "CallbackAnswer",
    "ChatAction",
    "ChatType",
    "Event",
    "EventCallback",
    "Fault",
    "NonTextKind",
    "Retention",
    "SentMessage",
    "WebhookConfig",
]
