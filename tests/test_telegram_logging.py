"""The token never reaches a log line: messages, arguments, tracebacks and stacks are redacted."""

from __future__ import annotations

import logging

import pytest

from bot.channels.telegram.logging_setup import REDACTED, RedactingFilter, setup_logging

TOKEN = "7712345678:AAHk3vX_secret-Part-of-the-token-0123"


@pytest.mark.parametrize(("text", "expected"), [
    (f"POST https://api.telegram.org/bot{TOKEN}/sendMessage", f"POST https://api.telegram.org/bot{REDACTED}/sendMessage"),
    ("GET http://127.0.0.1:8081/bot42:short/getMe", f"GET http://127.0.0.1:8081/bot{REDACTED}/getMe"),
    (f"The token `{TOKEN}` was rejected by the server.", f"The token `{REDACTED}` was rejected by the server."),
    ("123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef1234 leaked", f"{REDACTED} leaked"),
    ("webhook secret s3cret-hook", f"webhook secret {REDACTED}"),
    ("at 12:30 chat 42: nothing secret", "at 12:30 chat 42: nothing secret"),
])
def test_redact(text: str, expected: str) -> None:
    assert RedactingFilter([TOKEN, "s3cret-hook"]).redact(text) == expected


def record(msg: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.LogRecord("telegram.ext", logging.ERROR, __file__, 1, msg, args, info, sinfo=f"stack {TOKEN}")


def test_the_filter_rewrites_message_arguments_traceback_and_stack() -> None:
    try:
        raise RuntimeError(f"request to /bot{TOKEN}/getMe failed")
    except RuntimeError as exc:
        rec = record("calling %s with %r", f"/bot{TOKEN}/getMe", {"token": TOKEN}, exc=exc)
    assert RedactingFilter([TOKEN]).filter(rec)
    text = logging.Formatter().format(rec)
    assert TOKEN not in text and REDACTED in text
    assert "RuntimeError" in text and "stack" in text


def test_setup_silences_httpx_and_filters_every_root_handler(caplog: pytest.LogCaptureFixture) -> None:
    root = logging.getLogger()
    redactor = setup_logging([TOKEN], logging.DEBUG)
    try:
        assert logging.getLogger("httpx").level == logging.WARNING
        assert logging.getLogger("httpcore").level == logging.WARNING
        assert all(redactor in handler.filters for handler in root.handlers)
        logging.getLogger("bot.test").warning("token is %s", TOKEN)
        assert TOKEN not in caplog.text and REDACTED in caplog.text
    finally:
        for handler in root.handlers:
            handler.removeFilter(redactor)
        logging.captureWarnings(False)
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).setLevel(logging.NOTSET)
