"""What happens when something fails: the global error handler, and the one-line errors at start-up."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, InvalidToken, NetworkError, TelegramError
from telegram.ext import ContextTypes

from bot.channels.telegram.conversation import TelegramChannel
from bot.channels.telegram.translate import Outgoing

log = logging.getLogger(__name__)


class ErrorHandler:
    """Logs the error (the redaction filter keeps the token out) and tells the user something went wrong."""

    def __init__(self, channel: TelegramChannel) -> None:
        self.channel = channel

    async def __call__(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        chat = update.effective_chat if isinstance(update, Update) else None
        uid = update.update_id if isinstance(update, Update) else None
        # the update id and the kind of error only: no chat id, no message text (the traceback has no locals)
        log.error("error while handling update %s: %s", uid, type(error).__name__, exc_info=error)
        if isinstance(update, Update) and update.callback_query is not None:
            await self.channel.answer_query(update.callback_query)
        if chat is None or isinstance(error, Forbidden):  # Forbidden: the user blocked the bot
            return
        try:
            await self.channel.send(context, chat.id, Outgoing(self.channel.error_text(chat.id)))
        except TelegramError as exc:
            log.warning("could not tell the chat about the error: %s", type(exc).__name__)


def startup_problem(exc: BaseException, api_url: str) -> tuple[str, int] | None:
    """A one-line explanation and exit code for an error while connecting to Telegram, else None."""
    if isinstance(exc, InvalidToken):
        return ("Telegram rejected the bot token in TELEGRAM_BOT_TOKEN. Copy the token again from @BotFather "
                "(/mybots, then API Token) and restart.", 2)
    if isinstance(exc, NetworkError):
        return (f"cannot reach the Telegram Bot API at {api_url} ({type(exc).__name__}). Check the internet "
                "connection, or --api-url / FAQBOT_TELEGRAM_API_URL.", 1)
    if isinstance(exc, TelegramError):
        return f"Telegram refused to start the bot: {exc}", 1
    return None
