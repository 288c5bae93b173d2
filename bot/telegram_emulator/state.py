"""Everything the emulator remembers, shared by the HTTP method handlers and the Python test API."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any

from .events import ChangeSignal, EventBus
from .faults import FaultInjector
from .models import ApiCall, CallbackAnswer, ChatAction, ChatType, Event
from .payloads import BotIdentity
from .retention import Clock, IdleChats, Retention
from .store import ChatRecord, ChatStore
from .updates import UpdateQueue
from .webhook import WebhookDeliverer

#: (scope key, language code) -> [(command, description), ...]
CommandTable = dict[tuple[str, str], list[tuple[str, str]]]
#: (kind: "description" or "short_description", language code, "" for the default) -> text
DescriptionTable = dict[tuple[str, str], str]


@dataclass
class PendingCallback:
    """A callback query the user triggered and the bot may answer once."""

    chat_id: int
    message_id: int
    data: str
    answered: bool = False


class EmulatorState:
    """Bot identity, chats and messages, update queue, recorded calls, faults and subscribers."""

    def __init__(self, identity: BotIdentity, *, webhook_retry_delay: float = 0.2,
                 retention: Retention | None = None, clock: Clock = time.monotonic) -> None:
        self.identity = identity
        self.retention = retention = retention or Retention()
        self.changed = ChangeSignal()
        self.events = EventBus()
        self.store = ChatStore(retention.max_messages_per_chat)
        self.activity = IdleChats(retention.chat_idle_s, retention.max_chats, clock)
        self.updates = UpdateQueue(self.changed)
        self.faults = FaultInjector()
        self.webhook = WebhookDeliverer(self.updates, retry_delay=webhook_retry_delay,
                                        max_records=retention.max_records)
        self.calls: deque[ApiCall] = deque(maxlen=retention.max_records)
        self.callback_queries: dict[str, PendingCallback] = {}
        self.answered_callbacks: deque[CallbackAnswer] = deque(maxlen=retention.max_records)
        self.chat_actions: deque[ChatAction] = deque(maxlen=retention.max_records)
        self.commands: CommandTable = {}
        self.descriptions: DescriptionTable = {}
        self.stopping = False
        self._next_callback_id = 1

    def new_callback_id(self) -> str:
        """A fresh callback query id (a numeric string, like Telegram's)."""
        value = f"{self.identity.bot_id}{self._next_callback_id:09d}"
        self._next_callback_id += 1
        return value

    # -- chats and forgetting them ------------------------------------------------------------------

    def user_chat(self, chat_id: int, chat_type: ChatType | None = None, *, title: str | None = None,
                  first_name: str | None = None) -> ChatRecord:
        """The chat a user acts in, registered first if new (forgetting idle chats to make room)."""
        if chat_id not in self.store.chats:
            self.sweep(room=1)
        record = self.store.ensure_chat(chat_id, chat_type, title=title, first_name=first_name)
        self.activity.touch(chat_id)
        return record

    def resolve(self, chat_id: int | str) -> ChatRecord:
        """The chat a Bot API call names (400 "chat not found" when unknown); counts as activity."""
        record = self.store.resolve(chat_id)
        self.activity.touch(record.chat_id)
        return record

    def sweep(self, room: int = 0) -> None:
        """Forget chats idle too long, and the least recently active beyond the cap (leaving ``room``)."""
        for chat_id in self.activity.due(room=room):
            self.forget_chat(chat_id)

    def forget_chat(self, chat_id: int) -> bool:
        """Forget a chat: its messages, pending updates and unanswered button presses."""
        self.activity.discard(chat_id)
        known = self.store.forget(chat_id)
        self.updates.drop_chat(chat_id)
        stale = [key for key, pending in self.callback_queries.items() if pending.chat_id == chat_id]
        for key in stale:
            del self.callback_queries[key]
        if known:
            self.emit("chat_forgotten", chat_id=chat_id)
        return known

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
        """Forget updates, messages, calls, callbacks, chat actions and faults (chats, commands, descriptions,
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
