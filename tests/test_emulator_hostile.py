"""Hostile requests to the Bot API emulator: text UTF-8 cannot encode, malformed bodies and big bodies.

Each is refused with Telegram's status and description, nothing of it is stored, and the next poll works.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.telegram_emulator import BotApiEmulator
from bot.telegram_emulator.errors import NOT_UTF8
from bot.telegram_emulator.server import MAX_BODY
from tests.sandbox_fixture import raw_http

TOKEN = "123456:TEST-TOKEN"
CHAT = 42
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
WRONG_TIMEOUT = "Bad Request: wrong parameter timeout specified"
TOO_LARGE = {"ok": False, "error_code": 413, "description": "Request Entity Too Large"}


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN) as emulator:
        emulator.send_message(CHAT, "hallo")  # the chat is known, so only the hostile part can be refused
        yield emulator


@pytest.fixture
async def http(emu: BotApiEmulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=emu.api_url + "/", trust_env=False, timeout=5) as client:
        yield client


#: (case, method, Content-Type, body, status, description; "..." at the end: the description starts so)
HOSTILE: list[tuple[str, str, str, bytes, int, str]] = [
    ("a lone surrogate in the text", "sendMessage", JSON, b'{"chat_id": 42, "text": "\\ud800"}', 400, NOT_UTF8),
    ("a lone low surrogate", "sendMessage", JSON, b'{"chat_id": 42, "text": "ok \\udc00"}', 400, NOT_UTF8),
    ("a surrogate as raw bytes", "sendMessage", JSON, b'{"chat_id": 42, "text": "\xed\xa0\x80"}', 400, NOT_UTF8),
    ("a surrogate in a parameter name", "sendMessage", JSON, b'{"chat_id": 42, "text": "hi", "\\ud800": 1}', 400,
     NOT_UTF8),
    ("a surrogate in a button", "sendMessage", JSON,
     b'{"chat_id": 42, "text": "hi", "reply_markup": {"inline_keyboard": [[{"text": "\\udbff", '
     b'"callback_data": "x"}]]}}', 400, NOT_UTF8),
    ("a surrogate in form-encoded JSON", "sendMessage", FORM,
     b"chat_id=42&text=hi&reply_markup=%7B%22inline_keyboard%22%3A%5B%5B%7B%22text%22%3A%22%5Cud800%22%2C"
     b"%22callback_data%22%3A%22x%22%7D%5D%5D%7D", 400, NOT_UTF8),
    ("a surrogate in an edit", "editMessageText", JSON, b'{"chat_id": 42, "message_id": 1, "text": "\\ud800"}',
     400, NOT_UTF8),
    ("a surrogate in a command", "setMyCommands", JSON,
     b'{"commands": [{"command": "start", "description": "\\ud800"}]}', 400, NOT_UTF8),
    ("a surrogate in a callback answer", "answerCallbackQuery", JSON,
     b'{"callback_query_id": "1", "text": "\\ud800"}', 400, NOT_UTF8),
    ("JSON nested too deep", "sendMessage", JSON, b"[" * 100_000, 400, "Bad Request: can't parse JSON request body..."),
    ("truncated JSON", "sendMessage", JSON, b'{"chat_id": 42, "text": "hi', 400,
     "Bad Request: can't parse JSON request body..."),
    ("not UTF-8", "sendMessage", JSON, b'{"chat_id": 42, "text": "\xff"}', 400,
     "Bad Request: can't parse JSON request body..."),
    ("a broken multipart body", "sendMessage", "multipart/form-data; boundary=xyz", b"--xyz\r\nno headers", 400,
     "Bad Request: can't parse request body"),
    ("multipart without a boundary", "sendMessage", "multipart/form-data", b"chat_id=42", 400,
     "Bad Request: can't parse request body"),
    ("JSON nested too deep in a form field", "sendMessage", FORM,
     b"chat_id=42&text=hi&reply_markup=" + b"%5B" * 100_000, 400,
     "Bad Request: can't parse reply_markup JSON object"),
    ("an object in allowed_updates", "getUpdates", JSON, b'{"timeout": 0, "allowed_updates": [{}]}', 400,
     "Bad Request: can't parse allowed_updates JSON array"),
    ("an object in a webhook's allowed_updates", "setWebhook", JSON,
     b'{"url": "http://127.0.0.1:9/", "allowed_updates": [["message"]]}', 400,
     "Bad Request: can't parse allowed_updates JSON array"),
    ("an object as command scope type", "getMyCommands", JSON, b'{"scope": {"type": {}}}', 400,
     "Bad Request: BOT_COMMAND_SCOPE_INVALID"),
    ("a timeout that is not a number", "getUpdates", FORM, b"timeout=nan", 400, WRONG_TIMEOUT),
    ("an endless timeout", "getUpdates", JSON, b'{"timeout": 1e999}', 400, WRONG_TIMEOUT),
    ("a negative endless timeout", "getUpdates", FORM, b"timeout=-inf", 400, WRONG_TIMEOUT),
]


@pytest.mark.parametrize(("method", "content_type", "body", "status", "description"),
                         [row[1:] for row in HOSTILE], ids=[row[0] for row in HOSTILE])
async def test_hostile_requests_are_refused_and_polling_goes_on(emu: BotApiEmulator, http: httpx.AsyncClient,
                                                                method: str, content_type: str, body: bytes,
                                                                status: int, description: str) -> None:
    response = await http.post(method, content=body, headers={"Content-Type": content_type})
    assert response.status_code == status
    answer = response.json()
    assert (answer["ok"], answer["error_code"]) == (False, status)
    if description.endswith("..."):
        assert answer["description"].startswith(description[:-3])
    else:
        assert answer["description"] == description
    assert emu.bot_messages() == [] and emu.commands == {}  # nothing of it was stored
    emu.send_message(CHAT, "still there?")
    poll = await http.post("getUpdates", json={"timeout": 0})
    assert poll.status_code == 200
    assert [u["message"]["text"] for u in poll.json()["result"]] == ["hallo", "still there?"]
    sent = await http.post("sendMessage", json={"chat_id": CHAT, "text": "yes \U0001f600"})
    assert sent.status_code == 200 and sent.json()["result"]["text"] == "yes \U0001f600"


@pytest.mark.parametrize(("action", "kwargs"), [
    ("send_message", {"chat_id": CHAT, "text": "\ud800"}),
    ("send_message", {"chat_id": 43, "text": "hi", "first_name": "\udfff"}),
    ("send_non_text", {"chat_id": CHAT, "kind": "photo", "caption": "\ud800"}),
    ("edit_user_message", {"chat_id": CHAT, "message_id": 1, "new_text": "\ud800"}),
    ("add_chat", {"chat_id": -100, "title": "\ud800"}),
    ("press_button", {"chat_id": CHAT, "message_id": 2, "callback_data": "\ud800", "check_button": False}),
])
async def test_the_python_api_refuses_text_utf8_cannot_encode(emu: BotApiEmulator, http: httpx.AsyncClient,
                                                             action: str, kwargs: dict[str, Any]) -> None:
    await http.post("sendMessage", json={"chat_id": CHAT, "text": "menu", "reply_markup": {
        "inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}})
    with pytest.raises(ValueError, match="cannot be encoded as UTF-8"):
        getattr(emu, action)(**kwargs)
    poll = await http.post("getUpdates", json={"timeout": 0})
    assert poll.status_code == 200 and len(poll.json()["result"]) == 1  # only the first "hallo"
    assert -100 not in emu.chat_ids and 43 not in emu.chat_ids


async def test_big_bodies_are_refused(emu: BotApiEmulator) -> None:
    head = f"POST /bot{TOKEN}/sendMessage HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
    status, body = await raw_http(emu.port, head + f"\r\nContent-Length: {MAX_BODY + 1}")  # refused before it comes
    assert (status, json.loads(body)) == (413, TOO_LARGE)
    status, body = await raw_http(emu.port, head + "\r\nTransfer-Encoding: chunked", b" " * (MAX_BODY + 1),
                                  chunked=True)
    assert (status, json.loads(body)) == (413, TOO_LARGE)
    status, body = await raw_http(emu.port, head + f"\r\nContent-Length: {MAX_BODY}",
                                  b'{"chat_id": 42, "text": "big"}'.ljust(MAX_BODY))  # the limit itself is fine
    assert status == 200 and json.loads(body)["result"]["text"] == "big"
