"""The Telegram channel: python-telegram-bot in, the conversation engine, Telegram HTML out (docs/telegram.md)."""

from bot.channels.telegram.app import Webhook, build_application, serve, serve_until_signalled
from bot.channels.telegram.logging_setup import RedactingFilter, install_redaction, setup_logging

__all__ = ["RedactingFilter", "Webhook", "build_application", "install_redaction", "serve", "serve_until_signalled",
           "setup_logging"]
