"""When the bot answers in a group: only when it is clearly addressed, so it never talks over people."""

from __future__ import annotations

from telegram import Chat, Message

from bot.channels.telegram.translate import is_command_for, mentions


def is_private(message: Message) -> bool:
    """True in a one-to-one chat with the bot."""
    return message.chat.type == Chat.PRIVATE


def replies_to_bot(message: Message, bot_id: int) -> bool:
    """True when the message is a reply to one of the bot's own messages."""
    original = message.reply_to_message
    return original is not None and original.from_user is not None and original.from_user.id == bot_id


def addressed(message: Message, bot_username: str, bot_id: int) -> bool:
    """Private chats: every message. Groups: commands for this bot, @mentions of it and replies to it."""
    if is_private(message):
        return True
    return is_command_for(message, bot_username) or mentions(message, bot_username) or replies_to_bot(message, bot_id)
