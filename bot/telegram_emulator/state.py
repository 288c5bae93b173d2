"""Everything the emulator remembers, shared by the HTTP method handlers and the Python test API."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .events import ChangeSignal, EventBus
from .faults import FaultInjector
from .models import ApiCall, CallbackAnswer, ChatAction, Event
from .payloads import BotIdentity
from .store import ChatStore
from .updates import UpdateQueue
from .webhook import WebhookDeliverer

#: (scope key, language code) -> [(command, description), ...]
CommandTable = dict[tuple[str, str], list[tuple[str, str]]]


@dataclass
class PendingCallback:
    """A callback query the user triggered and the bot may answer once."""

    chat_id: int
    message_id: int
    data: str
    answered: bool = False


class EmulatorState:
    """Bot identity, chats and messages, update queue, recorded calls, faults and subscribers."""

    def __init__(self, identity: BotIdentity, *, webhook_retry_delay: float = 0.2) -> None:
        self.identity = identity
        self.changed = ChangeSignal()
        self.events = EventBus()
        self.store = ChatStore()
        self.updates = UpdateQueue(self.changed)
        self.faults = FaultInjector()
        self.webhook = WebhookDeliverer(self.updates, retry_delay=webhook_retry_delay)
        self.calls: list[ApiCall] = []
        self.callback_queries: dict[str, PendingCallback] = {}
        self.answered_callbacks: list[CallbackAnswer] = []
        self.chat_actions: list[ChatAction] = []
        self.commands: CommandTable = {}
        self.stopping = False
        self._next_callback_id = 1

    def new_callback_id(self) -> str:
        """A fresh callback query id (a numeric string, like Telegram's)."""
        value = f"{self.identity.bot_id}{self._next_callback_id:09d}"
        self._next_callback_id += 1
        return value

    def emit(self, event_type: str, **fields: Any) -> None:
        """Publish a bot-side or user-side event and wake every waiter."""
        event: Event = {"type": event_type, **fields}
        self.events.publish(event)
        self.changed.notify()

    def record_answer(self, answer: CallbackAnswer) -> None:
        """Remember an ``answerCallbackQuery`` and announce it."""
        self.answered_callbacks.append(answer)
        self.emit("callback_answered", **asdict(answer))

    def record_chat_action(self, action: ChatAction) -> None:
        """Remember a ``sendChatAction`` and announce it."""
        self.chat_actions.append(action)
        self.emit("chat_action", chat_id=action.chat_id, action=action.action)

    def reset(self) -> None:
        """Forget updates, messages, calls, callbacks, chat actions and faults (chats, commands,
        webhook and id counters are kept)."""
        self.updates.clear()
        self.store.clear_messages()
        self.faults.clear()
        self.calls.clear()
        self.callback_queries.clear()
        self.answered_callbacks.clear()
        self.chat_actions.clear()
        self.webhook.delivered.clear()
        self.emit("reset")
