"""A whole sandbox on a free port for tests, an HTTP client for it and the WebSocket of one chat."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from tornado.websocket import WebSocketClientConnection, websocket_connect

from bot.live import LiveBot
from bot.sandbox import Sandbox, bind
from bot.store import Store

REPO = Path(__file__).resolve().parents[1]
EN_QUESTION = "How can I bring my family to the Netherlands?"
Event = dict[str, Any]


def copy_content(target: Path) -> Path:
    for folder in ("intents", "answers"):
        shutil.copytree(REPO / folder, target / folder)
    return target


class Running:
    """A started sandbox and an HTTP client for it."""

    def __init__(self, sandbox: Sandbox, client: httpx.AsyncClient) -> None:
        self.sandbox, self.client = sandbox, client

    @property
    def emulator(self) -> Any:
        return self.sandbox.bridge.emulator

    async def post(self, path: str, body: Any, content_type: str = "application/json",
                   headers: dict[str, str] | None = None) -> httpx.Response:
        data = body if isinstance(body, str) else json.dumps(body)
        return await self.client.post(path, content=data, headers={"Content-Type": content_type, **(headers or {})})

    async def send(self, chat: int, text: str, lang: str = "en") -> int:
        response = await self.post("/api/send", {"chat": chat, "text": text, "lang": lang})
        assert response.status_code == 200, response.text
        return int(response.json()["message_id"])


async def start_sandbox(content: Path, store_path: Path, *, watch: bool = False, **options: Any) -> Sandbox:
    """A started sandbox over ``content`` (``options``: ``forget_after``, ``max_chats``, ``clock``)."""
    live, problems = LiveBot.load(content)
    assert live is not None, problems
    store = Store.connect(store_path)
    sandbox = Sandbox(live, store, watch=watch, watch_interval=0.05, poll_timeout=1, load_problems=problems,
                      **options)
    await sandbox.start(bind("127.0.0.1", 0, try_next=False))
    return sandbox


async def stop_sandbox(sandbox: Sandbox) -> None:
    await sandbox.stop()
    sandbox.bridge.store.close()


class Stream:
    """The WebSocket ``/api/events?chat=ID``, read in the background; events are kept in order."""

    def __init__(self, client: httpx.AsyncClient, chat: int) -> None:
        self.url = str(client.base_url).replace("http://", "ws://", 1).rstrip("/") + f"/api/events?chat={chat}"
        self.events: list[Event] = []
        self.changed = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.socket: WebSocketClientConnection | None = None
        self.ended = False

    async def __aenter__(self) -> Stream:
        self.socket = await websocket_connect(self.url)
        self.task = asyncio.create_task(self._read())
        await self.wait_for(lambda e: e["type"] == "snapshot")
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.task is not None and self.socket is not None
        self.socket.close()
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)

    async def _read(self) -> None:
        assert self.socket is not None
        while (message := await self.socket.read_message()) is not None:
            self.events.append(json.loads(message))
            self.changed.set()
        self.ended = True
        self.changed.set()

    def of_type(self, kind: str) -> list[Event]:
        return [e for e in self.events if e["type"] == kind]

    async def wait_for(self, predicate: Callable[[Event], bool], count: int = 1, timeout: float = 5.0) -> list[Event]:
        """The first ``count`` events matching ``predicate``, once they have arrived."""
        async def arrived() -> list[Event]:
            while True:
                found = [e for e in self.events if predicate(e)]
                if len(found) >= count:
                    return found[:count]
                assert not self.ended, f"the stream ended; events: {self.events}"
                self.changed.clear()
                await self.changed.wait()

        return await asyncio.wait_for(arrived(), timeout)


def is_bot_message(event: Event) -> bool:
    return event["type"] == "message" and event["message"]["sender"] == "bot"


class FakeClock:
    """A clock for idle times that moves only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def raw_http(port: int, head: str, body: bytes = b"", *, chunked: bool = False) -> tuple[int, bytes]:
    """Send one request exactly as written (``head``: request line and headers, without the blank line) and
    return the status and body of the answer; for what httpx will not send (no Host, chunked bodies...)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head.encode("latin-1") + b"\r\nConnection: close\r\n\r\n")
        if chunked:
            for start in range(0, len(body), 8192):
                piece = body[start:start + 8192]
                writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            writer.write(b"0\r\n\r\n")
        else:
            writer.write(body)
        with contextlib.suppress(ConnectionError):  # the server may answer and close before reading everything
            await writer.drain()
        answer = b""
        with contextlib.suppress(ConnectionError):
            while chunk := await asyncio.wait_for(reader.read(65536), 10):
                answer += chunk
    finally:
        writer.close()
    status_line, _, rest = answer.partition(b"\r\n")
    _, _, content = rest.partition(b"\r\n\r\n")
    return int(status_line.split()[1]), content
