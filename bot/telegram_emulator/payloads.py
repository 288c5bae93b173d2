"""Builders for the JSON objects Telegram sends: users, chats and non-text message contents."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from .models import ChatType, NonTextKind

NON_TEXT_KINDS: tuple[NonTextKind, ...] = (
    "voice", "photo", "sticker", "location", "document", "video", "audio", "contact",
)
_CAPTIONED = frozenset({"photo", "document", "video", "audio", "voice"})


@dataclass(frozen=True)
class BotIdentity:
    """Who the emulated bot is: token, numeric id (the token prefix), username and display name."""

    token: str
    username: str
    first_name: str

    @property
    def bot_id(self) -> int:
        """The numeric bot id, taken from the part of the token before the colon."""
        prefix = self.token.split(":", 1)[0]
        return int(prefix) if prefix.isdigit() else 1

    def user(self) -> dict[str, Any]:
        """The bot as a Telegram ``User`` (the ``from`` of bot messages)."""
        return {"id": self.bot_id, "is_bot": True, "first_name": self.first_name, "username": self.username}

    def get_me(self) -> dict[str, Any]:
        """The ``getMe`` result."""
        return {
            **self.user(),
            "can_join_groups": True,
            "can_read_all_group_messages": True,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }


def user_payload(user_id: int, *, language_code: str | None, first_name: str | None = None) -> dict[str, Any]:
    """A human Telegram ``User``."""
    user: dict[str, Any] = {
        "id": user_id,
        "is_bot": False,
        "first_name": first_name or f"User {user_id}",
        "username": f"user{user_id}",
    }
    if language_code:
        user["language_code"] = language_code
    return user


def chat_payload(chat_id: int, chat_type: ChatType, *, title: str | None = None,
                 first_name: str | None = None) -> dict[str, Any]:
    """A Telegram ``Chat``: private chats carry the user's name, groups a title."""
    if chat_type == "private":
        return {"id": chat_id, "type": "private", "first_name": first_name or f"User {chat_id}",
                "username": f"user{chat_id}"}
    return {"id": chat_id, "type": chat_type, "title": title or f"Group {chat_id}"}


def default_user_id(chat_id: int) -> int:
    """The sender used when none is given: the chat id for private chats, ``abs(chat_id)`` for groups."""
    return abs(chat_id)


def _file(kind: str, seed: int) -> dict[str, str]:
    digest = hashlib.sha1(f"{kind}:{seed}".encode()).hexdigest()
    return {"file_id": f"EMU{kind.upper()}{digest[:24]}", "file_unique_id": f"U{digest[24:36]}"}


def non_text_content(kind: NonTextKind, seed: int, caption: str | None = None) -> dict[str, Any]:
    """The message fields for a non-text message of ``kind`` (a realistic, PTB-parsable payload)."""
    content: dict[str, Any]
    if kind == "voice":
        content = {"voice": {**_file(kind, seed), "duration": 3, "mime_type": "audio/ogg", "file_size": 9817}}
    elif kind == "photo":
        content = {"photo": [
            {**_file("photo-s", seed), "width": 90, "height": 67, "file_size": 1411},
            {**_file("photo-m", seed), "width": 320, "height": 240, "file_size": 17022},
            {**_file("photo-x", seed), "width": 1280, "height": 960, "file_size": 150342},
        ]}
    elif kind == "sticker":
        content = {"sticker": {
            **_file(kind, seed), "type": "regular", "width": 512, "height": 512, "is_animated": False,
            "is_video": False, "emoji": "\U0001f44d", "set_name": "EmulatorStickers", "file_size": 23145,
        }}
    elif kind == "location":
        content = {"location": {"latitude": 52.370216, "longitude": 4.895168}}
    elif kind == "document":
        content = {"document": {**_file(kind, seed), "file_name": "document.pdf", "mime_type": "application/pdf",
                                "file_size": 48213}}
    elif kind == "video":
        content = {"video": {**_file(kind, seed), "width": 640, "height": 360, "duration": 5,
                             "mime_type": "video/mp4", "file_size": 512000}}
    elif kind == "audio":
        content = {"audio": {**_file(kind, seed), "duration": 180, "performer": "Emulator", "title": "Song",
                             "mime_type": "audio/mpeg", "file_size": 2880000}}
    elif kind == "contact":
        content = {"contact": {"phone_number": "+31201234567", "first_name": "Contact", "user_id": seed}}
    else:
        raise ValueError(f"unknown non-text kind {kind!r}; use one of {', '.join(NON_TEXT_KINDS)}")
    if caption and kind in _CAPTIONED:
        content["caption"] = caption
    return content
