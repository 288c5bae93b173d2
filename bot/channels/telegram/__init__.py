"""The Telegram channel: python-telegram-bot in, the conversation engine, Telegram HTML out (docs/telegram.md)."""

import os

# Opt in to python-telegram-bot's coming behaviour (time periods such as RetryAfter.retry_after as timedelta) so
# it does not warn on every flood-control answer; send.retry_seconds reads both forms.
os.environ.setdefault("PTB_TIMEDELTA", "1")


from bot.channels.telegram.app import build_application, serve, serve_until_signalled
from bot.channels.telegram.logging_setup import RedactingFilter, install_redaction, setup_logging
from bot.channels.telegram.webhook import Webhook

__all__ = ["RedactingFilter", "Webhook", "build_application", "install_redaction", "serve", "serve_until_signalled",
           "setup_logging"]
