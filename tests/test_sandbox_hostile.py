"""Hostile requests to the sandbox: other host names (DNS rebinding), other websites, bad text and big bodies.

Each is refused with the status and message in the table, and the sandbox keeps answering everyone else.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from bot.sandbox.hosts import HOST_REFUSED, ORIGIN_REFUSED, Hosts
from bot.sandbox.server import MAX_BODY
from bot.store import FILE_NAME
from tests.sandbox_fixture import (
    EN_QUESTION,
    Running,
    Stream,
    copy_content,
    is_bot_message,
    raw_http,
    start_sandbox,
    stop_sandbox,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")
NOT_UNICODE = "the body has text that is not valid Unicode (it cannot be encoded as UTF-8)"
TOO_LARGE = "the body is larger than 64 KiB"
HOST_403 = (403, HOST_REFUSED + "\n")
ORIGIN_403 = (403, ORIGIN_REFUSED + "\n")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def running(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Running]:
    """One sandbox for the module, on a copy of the shipped content."""
    folder = tmp_path_factory.mktemp("sandbox")
    sandbox = await start_sandbox(copy_content(folder / "content"), folder / FILE_NAME)
    async with httpx.AsyncClient(base_url=sandbox.url, trust_env=False, timeout=10) as client:
        yield Running(sandbox, client)
    await stop_sandbox(sandbox)


def port_of(running: Running) -> int:
    return int(running.client.base_url.port or 0)


SEND = '{"chat": 700, "text": "hello", "lang": "en"}'

#: (case, method, path, headers ({port} is the sandbox's), body, expected status, expected body: the exact
#: plain text of a 403, or the JSON ``error`` otherwise)
HOSTILE: list[tuple[str, str, str, dict[str, str], str | bytes | None, int, str]] = [
    # DNS rebinding: the attacker's name now points at 127.0.0.1, so Host and Origin both carry it
    ("rebinding: the page", "GET", "/", {"Host": "evil.example:{port}"}, None, *HOST_403),
    ("rebinding: a chat", "GET", "/api/chat?chat=1", {"Host": "evil.example:{port}"}, None, *HOST_403),
    ("rebinding: a command menu", "GET", "/api/commands?chat=1", {"Host": "evil.example"}, None, *HOST_403),
    ("rebinding: a script", "GET", "/static/app.js", {"Host": "evil.example:{port}"}, None, *HOST_403),
    ("rebinding: no such page", "GET", "/nope", {"Host": "evil.example:{port}"}, None, *HOST_403),
    ("rebinding: send", "POST", "/api/send",
     {"Host": "evil.example:{port}", "Origin": "http://evil.example:{port}"}, SEND, *HOST_403),
    ("rebinding: press", "POST", "/api/press",
     {"Host": "evil.example:{port}", "Origin": "http://evil.example:{port}"}, "{}", *HOST_403),
    ("rebinding: reload", "POST", "/api/reload",
     {"Host": "evil.example:{port}", "Origin": "http://evil.example:{port}"}, "{}", *HOST_403),
    ("a name ending in a dot", "GET", "/", {"Host": "localhost.:{port}"}, None, *HOST_403),
    ("a name around the address", "GET", "/", {"Host": "127.0.0.1.nip.io:{port}"}, None, *HOST_403),
    ("another address", "GET", "/", {"Host": "127.0.0.2:{port}"}, None, *HOST_403),
    # pages of other websites, at an allowed host name
    ("another site's page sends", "POST", "/api/send",
     {"Host": "127.0.0.1:{port}", "Origin": "http://evil.example"}, SEND, *ORIGIN_403),
    ("a sandboxed page (Origin null)", "POST", "/api/send", {"Host": "127.0.0.1:{port}", "Origin": "null"},
     SEND, *ORIGIN_403),
    ("the same host on another port", "POST", "/api/send",
     {"Host": "127.0.0.1:{port}", "Origin": "http://127.0.0.1:1"}, SEND, *ORIGIN_403),
    ("another allowed name", "POST", "/api/reload",
     {"Host": "127.0.0.1:{port}", "Origin": "http://localhost:{port}"}, "{}", *ORIGIN_403),
    ("https is another origin", "POST", "/api/press",
     {"Host": "127.0.0.1:{port}", "Origin": "https://127.0.0.1:{port}"}, "{}", *ORIGIN_403),
    # text that cannot be encoded as UTF-8 (it used to stop every later poll of the bot)
    ("a lone high surrogate", "POST", "/api/send", {}, '{"chat": 700, "text": "\\ud800"}', 400, NOT_UNICODE),
    ("a lone low surrogate", "POST", "/api/send", {}, '{"chat": 700, "text": "a\\udfffb"}', 400, NOT_UNICODE),
    ("a reversed pair", "POST", "/api/send", {}, '{"chat": 700, "text": "\\ude00\\ud83d"}', 400, NOT_UNICODE),
    ("a surrogate in a key", "POST", "/api/send", {}, '{"chat": 700, "text": "hi", "\\ud800": 1}', 400,
     NOT_UNICODE),
    ("a surrogate as raw bytes", "POST", "/api/send", {}, b'{"chat": 700, "text": "\xed\xa0\x80"}', 400,
     NOT_UNICODE),
    ("a surrogate in button data", "POST", "/api/press", {},
     '{"chat": 700, "message_id": 1, "data": "\\udbff"}', 400, NOT_UNICODE),
    # malformed JSON
    ("not UTF-8 at all", "POST", "/api/send", {}, b'{"chat": 700, "text": "\xff"}', 400,
     "the body is not valid JSON"),
    ("JSON nested too deep", "POST", "/api/send", {}, "[" * 50_000, 400, "the body is not valid JSON"),
    ("a truncated body", "POST", "/api/send", {}, '{"chat": 700, "text": "hi', 400, "the body is not valid JSON"),
    ("an infinite chat id", "POST", "/api/send", {}, '{"chat": 1e999, "text": "hi"}', 400,
     "chat must be a positive whole number"),
    ("a list as language", "POST", "/api/send", {}, '{"chat": 700, "text": "hi", "lang": ["nl"]}', 400,
     "lang must be one of: nl, en, other"),
    ("a surrogate in the query", "GET", "/api/chat?chat=%ED%A0%80", {}, None, 400, "Bad Request"),
    # big bodies
    ("one byte over the limit", "POST", "/api/send", {}, "x" * (MAX_BODY + 1), 413, TOO_LARGE),
    ("a megabyte", "POST", "/api/reload", {}, "{" + " " * 2**20 + "}", 413, TOO_LARGE),
]


@pytest.mark.parametrize(("method", "path", "headers", "body", "status", "expected"),
                         [row[1:] for row in HOSTILE], ids=[row[0] for row in HOSTILE])
async def test_hostile_requests_are_refused(running: Running, method: str, path: str, headers: dict[str, str],
                                            body: str | bytes | None, status: int, expected: str) -> None:
    port = port_of(running)
    sent = {name: value.format(port=port) for name, value in headers.items()}
    if body is not None:
        sent["Content-Type"] = "application/json"
    response = await running.client.request(method, path, headers=sent,
                                            content=body.encode() if isinstance(body, str) else body)
    assert response.status_code == status
    if status == 403:
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.text == expected
    else:
        assert response.json() == {"ok": False, "error": expected}


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}",
                                  "127.0.0.1", "localhost"])
async def test_the_sandbox_answers_at_its_own_names(running: Running, host: str) -> None:
    name = host.format(port=port_of(running))
    page = await running.client.get("/", headers={"Host": name})
    assert page.status_code == 200 and "<html" in page.text
    sent = await running.post("/api/reload", {}, headers={"Host": name, "Origin": f"http://{name}"})
    assert sent.status_code == 200 and sent.json()["ok"] is True


async def test_a_request_without_host_is_refused(running: Running) -> None:
    status, body = await raw_http(port_of(running), "GET / HTTP/1.0")
    assert (status, body.decode()) == HOST_403


@pytest.mark.parametrize(("host", "origin", "refused"), [
    ("evil.example:{port}", "http://evil.example:{port}", HOST_REFUSED),  # DNS rebinding
    ("evil.example:{port}", None, HOST_REFUSED),
    ("127.0.0.1:{port}", "http://evil.example", ORIGIN_REFUSED),
    ("127.0.0.1:{port}", "null", ORIGIN_REFUSED),
    ("127.0.0.1:{port}", "http://localhost:{port}", ORIGIN_REFUSED),
    ("127.0.0.1:{port}", "http://127.0.0.1:{port}", None),
    ("localhost:{port}", "http://localhost:{port}", None),
    ("127.0.0.1:{port}", None, None),  # not a browser
])
async def test_who_may_listen_to_a_chat(running: Running, host: str, origin: str | None,
                                        refused: str | None) -> None:
    port = port_of(running)
    headers = {"Host": host.format(port=port)}
    if origin is not None:
        headers["Origin"] = origin.format(port=port)
    request = HTTPRequest(f"ws://127.0.0.1:{port}/api/events?chat=701", headers=headers)
    if refused is None:
        socket = await websocket_connect(request)
        snapshot = json.loads(await socket.read_message() or "{}")
        socket.close()
        assert snapshot["type"] == "snapshot" and snapshot["chat_id"] == 701
        return
    with pytest.raises(HTTPClientError) as error:
        await websocket_connect(request)
    assert error.value.code == 403
    assert error.value.response is not None and error.value.response.body.decode() == refused + "\n"


async def test_big_bodies_are_refused_before_they_are_read(running: Running) -> None:
    port = port_of(running)
    head = f"POST /api/send HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json"
    status, body = await raw_http(port, head + "\r\nContent-Length: 1000000000")  # a gigabyte, never sent
    assert (status, json.loads(body)) == (413, {"ok": False, "error": TOO_LARGE})
    status, body = await raw_http(port, head + "\r\nTransfer-Encoding: chunked", b"x" * (MAX_BODY + 1),
                                  chunked=True)
    assert (status, json.loads(body)) == (413, {"ok": False, "error": TOO_LARGE})
    exactly = json.dumps({"chat": 702, "text": "x" * 4097, "pad": " " * MAX_BODY})[:MAX_BODY - 2] + '"}'
    response = await running.post("/api/send", exactly)  # the limit itself is allowed
    assert response.json() == {"ok": False, "error": "the message is longer than 4096 characters"}


async def test_after_refused_text_the_bot_keeps_answering(running: Running) -> None:
    emulator = running.emulator
    bad = await running.post("/api/send", '{"chat": 703, "text": "\\ud83d"}')
    assert bad.status_code == 400
    status, answer = await emulator.handle_request(emulator.token, "sendMessage", {"chat_id": 703, "text": "\ud800"})
    assert (status, answer["description"]) == (400, "Bad Request: strings must be encoded in UTF-8")
    async with Stream(running.client, 703) as stream:
        await running.send(703, "I want to go home \ud83d\ude00", "en")  # a real emoji, as a pair, is fine
        [user] = await stream.wait_for(lambda e: e["type"] == "message" and e["message"]["sender"] == "user")
        assert user["message"]["text"] == "I want to go home \U0001f600"
        await stream.wait_for(is_bot_message)
    async with Stream(running.client, 704) as other:  # and so does everyone else's tab
        await running.send(704, EN_QUESTION)
        await other.wait_for(is_bot_message)


async def test_refused_requests_never_put_their_text_in_the_log(running: Running,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "SECRET-7f3a"
    emulator = running.emulator
    await running.post("/api/send", '{"chat": 705, "text": "' + secret + '\\ud800"}')
    await running.post("/api/send", '{"chat": 705, "text": "' + secret)
    await running.post("/api/send", secret * 10_000)
    async with httpx.AsyncClient(trust_env=False) as client:  # the bot's side: the emulator's HTTP API
        await client.get(emulator.api_url + "/sendMessage", params={"chat_id": 705, "text": secret})
        await client.post(emulator.api_url + "/sendMessage", content=secret.encode(),
                          headers={"Content-Type": "multipart/form-data; boundary=x"})
    served = "\n".join(r.getMessage() for r in caplog.records  # the servers' lines, not the test clients'
                       if r.name.startswith(("tornado", "bot.sandbox", "bot.telegram_emulator")))
    assert "400 /bot<token>/sendMessage" in served
    assert secret not in served and emulator.token not in served


async def test_the_names_each_listen_address_answers_to() -> None:
    assert Hosts.listening_on("127.0.0.1") == Hosts(frozenset({"127.0.0.1", "localhost", "::1"}))
    named = Hosts.listening_on("Sandbox-PC.local")
    assert named.allows("sandbox-pc.local:8080") and not named.allows("192.168.1.5:8080")
    everywhere = Hosts.listening_on("0.0.0.0")  # for a phone on the same network: the computer's address
    assert everywhere.allows("192.168.1.5:8080") and everywhere.allows("[fe80::1]:8080")
    assert not everywhere.allows("evil.example:8080") and not everywhere.allows("sandbox-pc.local")
