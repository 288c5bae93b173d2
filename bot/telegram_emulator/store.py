"""In-memory store of the chats and messages the emulator knows about."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .errors import CHAT_NOT_FOUND, bad_request
from .models import ChatType, SentMessage
from .payloads import chat_payload


@dataclass
class ChatRecord:
    """A chat the emulator has seen; message ids are allocated per chat, as in Telegram."""

    chat_id: int
    chat_type: ChatType
    title: str | None = None
    first_name: str | None = None
    last_message_id: int = 0

    def payload(self) -> dict[str, Any]:
        """The chat as a Telegram ``Chat`` object."""
        return chat_payload(self.chat_id, self.chat_type, title=self.title, first_name=self.first_name)

    @property
    def chat_instance(self) -> str:
        """The ``chat_instance`` of callback queries from this chat."""
        return str(abs(self.chat_id) * 7919 + 104729)


@dataclass
class StoredMessage:
    """A message in a chat, with its wire payload; bot messages also keep the raw text and markup."""

    chat_id: int
    message_id: int
    from_bot: bool
    payload: dict[str, Any]
    text: str | None = None
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    edited: bool = False
    reply_to_message_id: int | None = None
    rendered: tuple[str, list[dict[str, Any]]] = field(default_factory=lambda: ("", []))

    def sent(self) -> SentMessage:
        """The public, frozen view of a bot message."""
        return SentMessage(
            chat_id=self.chat_id,
            message_id=self.message_id,
            text=self.text or "",
            parse_mode=self.parse_mode,
            reply_markup=copy.deepcopy(self.reply_markup),
            edited=self.edited,
            reply_to_message_id=self.reply_to_message_id,
        )


class ChatStore:
    """Chats by id and their messages by message id, remembering the order bot messages were sent.

    A forgotten chat takes its messages with it. Message ids are never reused: a chat created after another
    was forgotten starts above every id the forgotten chats had used.
    """

    def __init__(self, max_messages_per_chat: int | None = None) -> None:
        self.chats: dict[int, ChatRecord] = {}
        self.max_messages_per_chat = max_messages_per_chat
        self._messages: dict[int, dict[int, StoredMessage]] = {}  # chat id -> message id -> message
        self._bot_order: dict[tuple[int, int], None] = {}  # (chat id, message id) of bot messages, in send order
        self._id_floor = 0

    def ensure_chat(self, chat_id: int, chat_type: ChatType | None = None, *, title: str | None = None,
                    first_name: str | None = None) -> ChatRecord:
        """Return the chat, registering it first; ``chat_type`` defaults from the sign of the id."""
        record = self.chats.get(chat_id)
        inferred: ChatType = chat_type or ("private" if chat_id > 0 else "group")
        if inferred == "private" and chat_id <= 0:
            raise ValueError(f"private chats have positive ids, got {chat_id}")
        if inferred != "private" and chat_id >= 0:
            raise ValueError(f"{inferred} chats have negative ids, got {chat_id}")
        if record is None:
            record = ChatRecord(chat_id, inferred, title=title, first_name=first_name,
                                last_message_id=self._id_floor)
            self.chats[chat_id] = record
        elif chat_type is not None and record.chat_type != chat_type:
            raise ValueError(f"chat {chat_id} is a {record.chat_type} chat, not {chat_type}")
        return record

    def resolve(self, chat_id: int | str) -> ChatRecord:
        """The chat for a Bot API ``chat_id``; 400 "chat not found" when unknown."""
        record = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if record is None:
            raise bad_request(CHAT_NOT_FOUND)
        return record

    def add(self, message: StoredMessage) -> None:
        """Store a message (its id must come from the chat's counter); beyond ``max_messages_per_chat`` the
        chat's oldest message is forgotten."""
        messages = self._messages.setdefault(message.chat_id, {})
        messages[message.message_id] = message
        if message.from_bot:
            self._bot_order[(message.chat_id, message.message_id)] = None
        if self.max_messages_per_chat is not None:
            while len(messages) > self.max_messages_per_chat:
                self.remove(message.chat_id, next(iter(messages)))

    def get(self, chat_id: int, message_id: int) -> StoredMessage | None:
        """A message, or ``None``."""
        return self._messages.get(chat_id, {}).get(message_id)

    def remove(self, chat_id: int, message_id: int) -> StoredMessage | None:
        """Delete a message; returns it, or ``None`` when it did not exist."""
        message = self._messages.get(chat_id, {}).pop(message_id, None)
        if message is not None and message.from_bot:
            del self._bot_order[(chat_id, message_id)]
        return message

    def bot_messages(self, chat_id: int | None = None) -> list[SentMessage]:
        """Bot messages in send order, optionally for one chat."""
        if chat_id is not None:  # a chat's own messages are in id order, which is their send order
            return [m.sent() for m in self._messages.get(chat_id, {}).values() if m.from_bot]
        return [self._messages[chat][message].sent() for chat, message in self._bot_order]

    def forget(self, chat_id: int) -> bool:
        """Forget a chat and its messages; ``False`` when it was not known."""
        record = self.chats.pop(chat_id, None)
        for message_id, message in self._messages.pop(chat_id, {}).items():
            if message.from_bot:
                del self._bot_order[(chat_id, message_id)]
        if record is None:
            return False
        self._id_floor = max(self._id_floor, record.last_message_id)
        return True

    def clear_messages(self) -> None:
        """Forget all messages; chats and their message id counters are kept."""
        self._messages.clear()
        self._bot_order.clear()
