"""Telegram in, engine out and back: a Message or button press as an engine Event, a Reply as messages to send."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity

from bot.channels.telegram.split import split_html
from bot.engine import Button, CommandIn, Event, NonTextIn, PressIn, Reply, TextIn
from bot.engine.replies import MAX_DATA_BYTES

log = logging.getLogger(__name__)

#: Message contents the bot cannot read, in the order they are looked for (the first present one names the kind).
NON_TEXT_KINDS = ("voice", "audio", "video_note", "video", "animation", "photo", "sticker", "document", "location",
                  "venue", "contact", "poll", "dice", "game", "story", "invoice", "paid_media")
EMPTY_REPLY = "…"


@dataclass(frozen=True)
class Outgoing:
    """One Telegram message to send: HTML text and, on the last chunk of a reply, its inline keyboard."""

    text: str
    reply_markup: InlineKeyboardMarkup | None = None


def chat_key(chat_id: int) -> str:
    """The store key of a Telegram chat (the chat id only: no names)."""
    return f"telegram:{chat_id}"


def _entities(message: Message) -> list[tuple[MessageEntity, str]]:
    found = message.parse_entities() if message.text is not None else message.parse_caption_entities()
    return sorted(found.items(), key=lambda item: item[0].offset)


def command_target(message: Message) -> tuple[str, str, str] | None:
    """(command, target bot or '', arguments) when the message starts with a /command, else None."""
    entities = _entities(message)
    if message.text is None or not entities:
        return None
    entity, text = entities[0]
    if entity.type != MessageEntity.BOT_COMMAND or entity.offset != 0:
        return None
    name, _, target = text[1:].partition("@")
    return name.lower(), target, message.text[len(text):].strip()


def is_command_for(message: Message, bot_username: str) -> bool:
    """True for /command and /command@<this bot>; False for other text and for commands to other bots."""
    found = command_target(message)
    return found is not None and found[1].lower() in ("", bot_username.lower())


def mentions(message: Message, bot_username: str) -> bool:
    """True when the text or caption mentions @<this bot>."""
    wanted = "@" + bot_username.lower()
    return any(e.type == MessageEntity.MENTION and text.lower() == wanted for e, text in _entities(message))


def without_mentions(text: str, bot_username: str) -> str:
    """``text`` without @<this bot> (a group message addressed to the bot keeps only the question)."""
    lowered, wanted = text.lower(), "@" + bot_username.lower()
    out, i = [], 0
    while (at := lowered.find(wanted, i)) >= 0:
        end = at + len(wanted)
        if _word_char(text, end) or _word_char(text, at - 1):  # @bot_name_2 is someone else; x@bot.nl no mention
            out.append(text[i:end])
        else:
            out.append(text[i:at])
        i = end
    out.append(text[i:])
    return re.sub(r"[ \t]{2,}", " ", "".join(out)).strip()


def _word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] == "_")


def message_event(message: Message, bot_username: str) -> Event | None:
    """The engine event for a user's message; None for service messages and commands to other bots."""
    if message.text is not None:
        found = command_target(message)
        if found is not None:
            name, target, args = found
            if target and target.lower() != bot_username.lower():
                return None
            return CommandIn(name, args)
        return TextIn(without_mentions(message.text, bot_username))
    kind = non_text_kind(message)
    return NonTextIn(kind) if kind else None


def non_text_kind(message: Message) -> str | None:
    """The kind of content of a message without text (voice, photo...), None for service messages."""
    return next((kind for kind in NON_TEXT_KINDS if getattr(message, kind, None)), None)


def press_event(query: CallbackQuery) -> PressIn | None:
    """The engine event for a button press; None when the press carries no callback data."""
    return PressIn(query.data) if isinstance(query.data, str) and query.data else None


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """The inline keyboard for the engine's button rows (buttons Telegram would refuse are left out)."""
    out = [row for row in ([b for b in map(inline_button, r) if b is not None] for r in rows) if row]
    return InlineKeyboardMarkup(out) if out else None


def inline_button(button: Button) -> InlineKeyboardButton | None:
    """One inline button: a link, or callback data of at most 64 bytes; None (logged) otherwise."""
    if button.url:
        return InlineKeyboardButton(button.label, url=button.url)
    if button.data and len(button.data.encode("utf-8")) <= MAX_DATA_BYTES:
        return InlineKeyboardButton(button.label, callback_data=button.data)
    log.warning("left out button %r: callback data must be 1-%d bytes", button.label, MAX_DATA_BYTES)
    return None


def outgoing(reply: Reply) -> list[Outgoing]:
    """A reply as the messages to send: split when longer than Telegram allows, buttons on the last chunk."""
    chunks = split_html(reply.text) or [EMPTY_REPLY]
    markup = keyboard(reply.buttons)
    return [Outgoing(chunk, markup if i == len(chunks) - 1 else None) for i, chunk in enumerate(chunks)]
