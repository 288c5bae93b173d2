"""Bot API error responses: the exception raised by method handlers and its wire payload."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

#: Descriptions the real Bot API uses; tests can compare against these constants.
UNAUTHORIZED = "Unauthorized"
NOT_FOUND = "Not Found"
CHAT_NOT_FOUND = "Bad Request: chat not found"
TEXT_EMPTY = "Bad Request: message text is empty"
TEXT_TOO_LONG = "Bad Request: message is too long"
BUTTON_DATA_INVALID = "Bad Request: BUTTON_DATA_INVALID"
MESSAGE_TO_EDIT_NOT_FOUND = "Bad Request: message to edit not found"
MESSAGE_CANT_BE_EDITED = "Bad Request: message can't be edited"
MESSAGE_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_ID_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)
DESCRIPTION_TOO_LONG = "Bad Request: description is too long"
SHORT_DESCRIPTION_TOO_LONG = "Bad Request: short description is too long"
NOT_UTF8 = "Bad Request: strings must be encoded in UTF-8"
TOO_LARGE = "Request Entity Too Large"
POLLING_CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"


class BotApiError(Exception):
    """A failed Bot API call: HTTP status, Telegram ``description`` and optional ``retry_after``."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram sends for this error."""
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(description: str) -> BotApiError:
    """A 400 error; ``description`` must already start with ``Bad Request:``."""
    return BotApiError(400, description)


def http_error(status: int, description: str | None = None, *, retry_after: int = 1) -> BotApiError:
    """An error for an arbitrary status with the description Telegram uses for it."""
    if status == 429:
        return BotApiError(429, description or f"Too Many Requests: retry after {retry_after}",
                           retry_after=retry_after)
    if description is None:
        try:
            description = HTTPStatus(status).phrase
        except ValueError:
            description = f"Error {status}"
        if status == 400:
            description = "Bad Request"
    return BotApiError(status, description)
