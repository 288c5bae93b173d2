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
    """Chats by id and messages by (chat id, message id), remembering the order bot messages were sent."""

    def __init__(self) -> None:
        self.chats: dict[int, ChatRecord] = {}
        self._messages: dict[tuple[int, int], StoredMessage] = {}
        self._bot_order: list[tuple[int, int]] = []

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
            record = ChatRecord(chat_id, inferred, title=title, first_name=first_name)
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
        """Store a message (its id must come from the chat's counter)."""
        key = (message.chat_id, message.message_id)
        self._messages[key] = message
        if message.from_bot:
            self._bot_order.append(key)

    def get(self, chat_id: int, message_id: int) -> StoredMessage | None:
        """A message, or ``None``."""
        return self._messages.get((chat_id, message_id))

    def remove(self, chat_id: int, message_id: int) -> StoredMessage | None:
        """Delete a message; returns it, or ``None`` when it did not exist."""
        message = self._messages.pop((chat_id, message_id), None)
        if message is not None and message.from_bot:
            self._bot_order.remove((chat_id, message_id))
        return message

    def bot_messages(self, chat_id: int | None = None) -> list[SentMessage]:
        """Bot messages in send order, optionally for one chat."""
        return [self._messages[key].sent() for key in self._bot_order if chat_id is None or key[0] == chat_id]

    def clear_messages(self) -> None:
        """Forget all messages; chats and their message id counters are kept."""
        self._messages.clear()
        self._bot_order.clear()
