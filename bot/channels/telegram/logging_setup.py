"""Logging for the Telegram bot without secrets: the bot token never reaches a log line or a traceback.

httpx logs every request URL at INFO, and the URL holds the token (``.../bot<token>/sendMessage``), so the
httpx and httpcore loggers are set to WARNING. As a second line of defence a filter on every root handler
rewrites each record: the message with its arguments, the exception text and the stack, replacing the
token, any ``bot<digits>:<secret>`` and any other configured secret (the webhook secret) by ``[REDACTED]``.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

REDACTED = "[REDACTED]"
QUIET_LOGGERS = ("httpx", "httpcore")
#: python-telegram-bot logs whole API payloads (message texts, names) at DEBUG: never below INFO.
PAYLOAD_LOGGERS = ("telegram",)
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: A bot token in a URL path, and a bare token (numeric bot id, colon, 30 or more secret characters).
_IN_URL = re.compile(r"(?<=/bot)\d+:[A-Za-z0-9_-]+")
_BARE = re.compile(r"(?<![A-Za-z0-9])\d{3,}:[A-Za-z0-9_-]{30,}")


class RedactingFilter(logging.Filter):
    """Replaces secrets in every record passing through the handler it is attached to."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """``text`` with every secret and token-shaped string replaced."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return _BARE.sub(REDACTED, _IN_URL.sub(REDACTED, text))

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not hide the rest of the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install_redaction(secrets: Iterable[str], logger: logging.Logger | None = None) -> RedactingFilter:
    """Attach one RedactingFilter to every handler of ``logger`` (default: the root logger)."""
    target = logger or logging.getLogger()
    redactor = RedactingFilter(secrets)
    for handler in target.handlers:
        handler.addFilter(redactor)
    return redactor


def setup_logging(secrets: Iterable[str], level: int = logging.INFO) -> RedactingFilter:
    """Log to stderr at ``level`` with secrets redacted; httpx request lines (with the token) are silenced."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.INFO))
    logging.captureWarnings(True)
    return install_redaction(secrets, root)
