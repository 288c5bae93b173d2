"""Decoding Bot API request parameters (query, form, multipart, JSON) into typed values."""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tornado.httputil import HTTPFile, HTTPInputError, parse_body_arguments

from .errors import BotApiError, bad_request

#: Parameters whose value is a JSON object or array (form clients send them JSON-encoded as strings).
JSON_PARAMS = frozenset({
    "reply_markup", "reply_parameters", "link_preview_options", "entities", "caption_entities",
    "commands", "scope", "allowed_updates", "message_ids",
})
#: Parameters that are integers on the wire.
INT_PARAMS = frozenset({
    "message_id", "reply_to_message_id", "offset", "limit", "max_connections", "cache_time",
    "message_thread_id", "user_id",
})
#: Parameters that are numbers which may be fractional (timeouts are ints in Telegram, floats here).
FLOAT_PARAMS = frozenset({"timeout"})
#: Boolean parameters.
BOOL_PARAMS = frozenset({
    "disable_notification", "protect_content", "show_alert", "drop_pending_updates",
    "disable_web_page_preview", "allow_sending_without_reply",
})
_INT_RE = re.compile(r"^-?\d+$")
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off", ""})


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request (the emulator records it but does not store the bytes)."""

    filename: str
    content_type: str
    size: int


def utf8_encodable(value: Any) -> bool:
    """Whether every string in ``value`` (and in the dicts, lists and tuples in it, keys too) can be encoded as
    UTF-8: Python strings may hold lone surrogates (JSON ``"\\ud800"``), which no UTF-8 encoder accepts."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return True


def decode_request(query: Mapping[str, list[bytes]], content_type: str, body: bytes) -> dict[str, Any]:
    """Merge query arguments and the request body into one parameter dict (later values win).

    A body that cannot be parsed is a 400; the error never quotes the body.
    """
    params: dict[str, Any] = {key: values[-1].decode("utf-8", "replace") for key, values in query.items() if values}
    if not body:
        return params
    if content_type.split(";")[0].strip().lower() == "application/json":
        try:
            decoded = json.loads(body)
        except (ValueError, RecursionError) as exc:  # the message names a position, never the text
            raise bad_request(f"Bad Request: can't parse JSON request body: {exc}") from None
        if not isinstance(decoded, dict):
            raise bad_request("Bad Request: JSON request body must be an object")
        params.update(decoded)
        return params
    arguments: dict[str, list[bytes]] = {}
    files: dict[str, list[HTTPFile]] = {}
    try:
        parse_body_arguments(content_type, body, arguments, files)
    except HTTPInputError:
        raise bad_request("Bad Request: can't parse request body") from None
    for key, values in arguments.items():
        if values:
            params[key] = values[-1].decode("utf-8", "replace")
    for key, uploads in files.items():
        if uploads:
            upload = uploads[-1]
            params[key] = UploadedFile(upload.filename, upload.content_type, len(upload.body))
    return params


def normalize(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Best-effort typed copy of ``raw``: JSON strings decoded, numbers and booleans converted.

    Values that cannot be converted are kept as they are; the typed accessors of :class:`Params`
    report them as errors when a method actually needs them.
    """
    out: dict[str, Any] = {}
    for key, value in raw.items():
        out[key] = _convert(key, value)
    return out


def _convert(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if key in JSON_PARAMS:
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            return value
    if (key in INT_PARAMS or key == "chat_id") and _INT_RE.match(value):
        return int(value)
    if key in FLOAT_PARAMS:
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    if key in BOOL_PARAMS and value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    return value


class Params:
    """Typed, validating access to the (normalized) parameters of one Bot API call."""

    def __init__(self, values: Mapping[str, Any], *, normalized: bool = False) -> None:
        self._values = dict(values) if normalized else normalize(values)

    @property
    def values(self) -> dict[str, Any]:
        """A copy of all normalized parameters."""
        return dict(self._values)

    def has(self, name: str) -> bool:
        """Whether the parameter was sent (and is not null)."""
        return self._values.get(name) is not None

    def _missing(self, name: str) -> BotApiError:
        return bad_request(f"Bad Request: {name} is empty")

    def get_str(self, name: str, default: str | None = None) -> str | None:
        """A string parameter; numbers are converted like Telegram does."""
        value = self._values.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float | str):
            return str(value)
        raise bad_request(f"Bad Request: parameter {name} must be a string")

    def require_str(self, name: str) -> str:
        """A string parameter that must be present."""
        value = self.get_str(name)
        if value is None:
            raise self._missing(name)
        return value

    def get_int(self, name: str, default: int | None = None) -> int | None:
        """An integer parameter."""
        value = self._values.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and _INT_RE.match(value.strip()):
            return int(value.strip())
        raise bad_request(f"Bad Request: wrong parameter {name} specified")

    def require_int(self, name: str) -> int:
        """An integer parameter that must be present."""
        value = self.get_int(name)
        if value is None:
            raise self._missing(name)
        return value

    def get_float(self, name: str, default: float) -> float:
        """A numeric parameter (fractions allowed)."""
        value = self._values.get(name)
        if value is None:
            return default
        number = math.nan
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        elif isinstance(value, str):
            with contextlib.suppress(ValueError):
                number = float(value)
        if math.isfinite(number):  # also refuses "nan" and "inf", which would upset the event loop's timers
            return number
        raise bad_request(f"Bad Request: wrong parameter {name} specified")

    def get_bool(self, name: str, default: bool = False) -> bool:
        """A boolean parameter (``true``/``false``/``1``/``0`` or JSON booleans)."""
        value = self._values.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value != 0
        if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        raise bad_request(f"Bad Request: wrong parameter {name} specified")

    def get_json(self, name: str) -> Any:
        """A JSON-typed parameter (object or array), decoded; ``None`` when absent."""
        value = self._values.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except (ValueError, RecursionError):
                raise bad_request(f"Bad Request: can't parse {name} JSON object") from None
        return value

    def get_object(self, name: str) -> dict[str, Any] | None:
        """A JSON object parameter."""
        value = self.get_json(name)
        if value is None or isinstance(value, dict):
            return value
        raise bad_request(f"Bad Request: can't parse {name} JSON object")

    def get_list(self, name: str) -> list[Any] | None:
        """A JSON array parameter."""
        value = self.get_json(name)
        if value is None or isinstance(value, list):
            return value
        raise bad_request(f"Bad Request: can't parse {name} JSON array")

    def get_str_list(self, name: str) -> list[str] | None:
        """A JSON array of strings (such as ``allowed_updates``)."""
        values = self.get_list(name)
        if values is not None and not all(isinstance(value, str) for value in values):
            raise bad_request(f"Bad Request: can't parse {name} JSON array")
        return values

    def get_chat_id(self, name: str = "chat_id") -> int | str:
        """A chat identifier: an integer id or an ``@username`` string."""
        value = self._values.get(name)
        if value is None or value == "":
            raise self._missing(name)
        if isinstance(value, bool):
            raise bad_request("Bad Request: chat not found")
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            return int(value) if _INT_RE.match(value) else value
        raise bad_request("Bad Request: chat not found")
