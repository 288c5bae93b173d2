"""Telegram's acceptance rules for message text, keyboards, commands and chat actions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.html import MAX_MESSAGE_LENGTH, validate, visible_length

from .entities import html_to_entities
from .errors import (
    BUTTON_DATA_INVALID,
    DESCRIPTION_TOO_LONG,
    SHORT_DESCRIPTION_TOO_LONG,
    TEXT_EMPTY,
    TEXT_TOO_LONG,
    bad_request,
)

MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_COMMANDS = 100
#: setMyDescription / setMyShortDescription: the parameter, its limit in characters and the error above it.
DESCRIPTION_KINDS = {
    "description": (512, DESCRIPTION_TOO_LONG),
    "short_description": (120, SHORT_DESCRIPTION_TOO_LONG),
}
CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
})
COMMAND_SCOPES = frozenset({
    "default", "all_private_chats", "all_group_chats", "all_chat_administrators", "chat",
    "chat_administrators", "chat_member",
})
PARSE_MODES = {"html": "HTML", "markdown": "Markdown", "markdownv2": "MarkdownV2"}
_INLINE_ACTIONS = (
    "callback_data", "url", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat", "callback_game", "pay", "web_app", "copy_text",
)
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")


@dataclass(frozen=True)
class RenderedText:
    """Message text as Telegram stores it: the plain text plus entities."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def normalize_parse_mode(parse_mode: str | None) -> str | None:
    """Canonical spelling of ``parse_mode`` (``None`` for none); 400 for unknown modes."""
    if not parse_mode:
        return None
    canonical = PARSE_MODES.get(parse_mode.lower())
    if canonical is None:
        raise bad_request("Bad Request: unsupported parse_mode")
    return canonical


def render_text(text: str | None, parse_mode: str | None,
                entities: list[dict[str, Any]] | None = None) -> RenderedText:
    """Apply the sendMessage/editMessageText text rules and return what Telegram would store.

    Raises :class:`BotApiError` for empty text, unparsable HTML and text over 4096 visible characters.
    """
    if not text:
        raise bad_request(TEXT_EMPTY)
    if parse_mode == "HTML":
        problems = validate(text)
        if problems:
            first = problems[0]
            raise bad_request(f"Bad Request: can't parse entities: {first.message} at offset {first.offset}")
        plain, found = html_to_entities(text)
        length = visible_length(text)
    else:
        plain, found, length = text, list(entities or []), len(text)
    if not plain.strip():
        raise bad_request(TEXT_EMPTY)
    if length > MAX_MESSAGE_LENGTH:
        raise bad_request(TEXT_TOO_LONG)
    return RenderedText(plain, found)


def check_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Validate a ``reply_markup`` object; returns it unchanged (``None`` when absent)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request("Bad Request: can't parse reply keyboard markup JSON object")
        for row in rows:
            for button in row:
                label = button.get("text") if isinstance(button, dict) else button
                if not isinstance(label, str) or not label:
                    raise bad_request("Bad Request: can't parse keyboard button: Text must be non-empty")
    elif not ({"remove_keyboard", "force_reply"} & markup.keys()):
        raise bad_request("Bad Request: can't parse reply keyboard markup JSON object")
    return markup


def _check_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("Bad Request: can't parse inline keyboard markup JSON object")
    for row in rows:
        for button in row:
            if not isinstance(button, dict):
                raise bad_request("Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be "
                                  "an Object")
            label = button.get("text")
            if not isinstance(label, str) or not label:
                raise bad_request("Bad Request: can't parse inline keyboard button: Text must be non-empty")
            actions = [key for key in _INLINE_ACTIONS if key in button]
            if not actions:
                raise bad_request("Bad Request: can't parse inline keyboard button: Text buttons are unallowed "
                                  "in the inline keyboard")
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
                    raise bad_request(BUTTON_DATA_INVALID)
            if "url" in button:
                url = button["url"]
                if not isinstance(url, str) or not url or any(ch.isspace() for ch in url):
                    raise bad_request("Bad Request: BUTTON_URL_INVALID")


def inline_markup(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """The part of ``markup`` Telegram echoes in a Message (only inline keyboards)."""
    if markup is not None and "inline_keyboard" in markup:
        return markup
    return None


def check_commands(commands: Any) -> list[tuple[str, str]]:
    """Validate a ``setMyCommands`` list and return it as (command, description) pairs."""
    if not isinstance(commands, list):
        raise bad_request("Bad Request: can't parse commands JSON array")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("Bad Request: BOT_COMMANDS_TOO_MUCH")
    pairs: list[tuple[str, str]] = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("Bad Request: can't parse BotCommand JSON object")
        command, description = item.get("command"), item.get("description")
        if not isinstance(command, str) or not _COMMAND.match(command):
            raise bad_request("Bad Request: BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description) <= 256:
            raise bad_request("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        pairs.append((command, description))
    return pairs


def check_language_code(code: str | None) -> str:
    """``""`` for all languages, or a two-letter ISO 639-1 code."""
    if not code:
        return ""
    if not _LANGUAGE.match(code):
        raise bad_request("Bad Request: LANGUAGE_CODE_INVALID")
    return code


def check_description(kind: str, text: str | None) -> str:
    """A ``description`` or ``short_description`` (absent: ``""``, which removes it); 400 when too long."""
    limit, error = DESCRIPTION_KINDS[kind]
    text = text or ""
    if len(text) > limit:
        raise bad_request(error)
    return text
