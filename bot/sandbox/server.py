"""The sandbox's web server (tornado): the page, its static files, a JSON API and a WebSocket of events per chat.

| Request | What it does |
|---|---|
| ``GET /`` | the chat page (``static/index.html``) |
| ``GET /static/<file>`` | ``app.css``, ``app.js``, ``telegram.js`` (the HTML renderer the studio shares) |
| ``/api/events?chat=ID`` | a WebSocket with the events of that chat only: first a ``snapshot``, then each change |
| ``GET /api/chat?chat=ID`` | the chat's snapshot as JSON |
| ``GET /api/commands?chat=ID&lang=L`` | the command menu the bot set for app language L (nl, en, other) |
| ``POST /api/send`` | ``{"chat", "text", "lang"}``: the user types a message |
| ``POST /api/press`` | ``{"chat", "message_id", "data", "lang"}``: the user presses an inline button |
| ``POST /api/reload`` | reload the content from disk; answers the content status with every problem |

Every request must name the sandbox in its ``Host`` header, and WebSockets and POSTs from a browser must come
from the sandbox's own page (``Origin``), else 403 (``hosts.py``: this stops DNS rebinding and other sites).
POST bodies must be JSON (``Content-Type: application/json``, at most 64 KiB, text that UTF-8 can encode),
which a web page of another site cannot send without the browser asking first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tornado.web
import tornado.websocket

from bot.sandbox.bridge import LANGUAGES, Bridge
from bot.sandbox.chatlog import Json
from bot.sandbox.hosts import Hosts, same_origin
from bot.telegram_emulator.params import utf8_encodable

STATIC = Path(__file__).resolve().parent / "static"
MAX_CHAT_ID = 2**52  # page chat ids are random positive integers, safe in JavaScript
PING_S = 20.0
MAX_BODY = 64 * 1024  # a 4096-character message, even with every character escaped, fits easily
TOO_LARGE = f"the body is larger than {MAX_BODY // 1024} KiB"
_HOST = re.compile(r"^[A-Za-z0-9.\[\]:-]+$")  # a Host header fit for the Content-Security-Policy
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' {ws}; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


class BadRequest(Exception):
    """A request the API refuses, with a message for the page."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def chat_id_of(value: Any) -> int:
    """A private chat id from the page: a positive integer."""
    try:
        chat_id = int(value)
    except (TypeError, ValueError, OverflowError):
        raise BadRequest("chat must be a positive whole number") from None
    if isinstance(value, bool) or not 0 < chat_id < MAX_CHAT_ID:
        raise BadRequest("chat must be a positive whole number")
    return chat_id


def why(exc: Exception) -> tuple[str, int]:
    """The message and status of a refused request (``LookupError`` messages without their quotes)."""
    message = str(exc.args[0]) if exc.args else str(exc)
    return message, exc.status if isinstance(exc, BadRequest) else 400


def lang_of(value: Any) -> str:
    """One of the page's app languages."""
    if not isinstance(value, str) or value not in LANGUAGES:
        raise BadRequest(f"lang must be one of: {', '.join(LANGUAGES)}")
    return str(value)


def forbid(handler: tornado.web.RequestHandler, hosts: Hosts, *, websocket: bool = False) -> bool:
    """Answer 403 (a plain sentence) to a request for another host name or from another website's page."""
    refusal = hosts.refusal(handler.request.method or "GET", handler.request.headers, websocket=websocket)
    if refusal is None:
        return False
    handler.set_status(403)
    handler.set_header("Content-Type", "text/plain; charset=utf-8")
    handler.set_header("X-Content-Type-Options", "nosniff")
    handler.finish(refusal + "\n")
    return True


class Handler(tornado.web.RequestHandler):
    """Shared: the bridge, the Host and Origin check, JSON out, errors as ``{"ok": false, "error": ...}``."""

    bridge: Bridge
    hosts: Hosts

    def initialize(self, bridge: Bridge, hosts: Hosts) -> None:
        self.bridge = bridge
        self.hosts = hosts

    def prepare(self) -> None:
        forbid(self, self.hosts)

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Cache-Control", "no-cache")

    def reply(self, data: Json, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(data))

    def refuse(self, message: str, status: int = 400) -> None:
        self.reply({"ok": False, "error": message}, status)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.reply({"ok": False, "error": self._reason}, status_code)


class NotFoundHandler(Handler):
    """Every other path: 404 (after the Host check, like every request)."""

    def prepare(self) -> None:
        if not forbid(self, self.hosts):
            raise tornado.web.HTTPError(404)


@tornado.web.stream_request_body
class PostHandler(Handler):
    """An action: a JSON object of at most :data:`MAX_BODY` bytes, read as it arrives (a larger one: 413)."""

    received: bytearray
    too_large = False

    def prepare(self) -> None:
        self.received = bytearray()
        if forbid(self, self.hosts):
            return
        length = self.request.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > MAX_BODY:
            self.refuse(TOO_LARGE, 413)

    def data_received(self, chunk: bytes) -> None:
        if len(self.received) + len(chunk) > MAX_BODY:
            self.too_large, self.received = True, bytearray()
        elif not self.too_large:
            self.received += chunk

    def body(self) -> dict[str, Any]:
        """The JSON object of the POST."""
        if self.too_large:
            raise BadRequest(TOO_LARGE, 413)
        if self.request.headers.get("Content-Type", "").split(";")[0].strip().lower() != "application/json":
            raise BadRequest("send JSON (Content-Type: application/json)")
        try:
            data = json.loads(bytes(self.received) or b"{}")
        except (ValueError, RecursionError):
            raise BadRequest("the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise BadRequest("the body must be a JSON object")
        if not utf8_encodable(data):
            raise BadRequest("the body has text that is not valid Unicode (it cannot be encoded as UTF-8)")
        return data


class PageHandler(Handler):
    """The chat page."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        host = self.request.host if _HOST.match(self.request.host) else ""
        self.set_header("Content-Security-Policy", CSP.format(ws=f"ws://{host}" if host else ""))
        self.finish((STATIC / "index.html").read_bytes())


class StaticHandler(tornado.web.StaticFileHandler):
    """The page's CSS and JavaScript, always revalidated (staff may edit them while the sandbox runs)."""

    hosts: Hosts

    def initialize(self, path: str, hosts: Hosts) -> None:  # type: ignore[override]
        super().initialize(path)
        self.hosts = hosts

    def prepare(self) -> None:
        forbid(self, self.hosts)

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Content-Type-Options", "nosniff")


class ChatHandler(Handler):
    """``GET /api/chat?chat=ID``: the chat's snapshot."""

    def get(self) -> None:
        try:
            chat_id = chat_id_of(self.get_query_argument("chat", None))
        except BadRequest as exc:
            return self.refuse(*why(exc))
        self.reply(self.bridge.snapshot(chat_id))


class CommandsHandler(Handler):
    """``GET /api/commands?chat=ID&lang=L``: the command menu for that app language."""

    def get(self) -> None:
        try:
            chat_id = chat_id_of(self.get_query_argument("chat", None))
            lang = lang_of(self.get_query_argument("lang", "nl"))
        except BadRequest as exc:
            return self.refuse(*why(exc))
        commands = self.bridge.commands(chat_id, lang)
        self.reply({"ok": True, "commands": [{"command": c, "description": d} for c, d in commands]})


class SendHandler(PostHandler):
    """``POST /api/send``: the user types a message."""

    def post(self) -> None:
        try:
            data = self.body()
            chat_id, lang = chat_id_of(data.get("chat")), lang_of(data.get("lang", "nl"))
            text = data.get("text")
            if not isinstance(text, str):
                raise BadRequest("text must be a string")
            message_id = self.bridge.send(chat_id, text, lang)
        except (BadRequest, ValueError) as exc:
            return self.refuse(*why(exc))
        self.reply({"ok": True, "message_id": message_id})


class PressHandler(PostHandler):
    """``POST /api/press``: the user presses an inline button of a bot message."""

    def post(self) -> None:
        try:
            data = self.body()
            chat_id, lang = chat_id_of(data.get("chat")), lang_of(data.get("lang", "nl"))
            message_id, button = data.get("message_id"), data.get("data")
            if not isinstance(message_id, int) or isinstance(message_id, bool) or not isinstance(button, str):
                raise BadRequest("message_id must be a number and data a string")
            query_id = self.bridge.press(chat_id, message_id, button, lang)
        except (BadRequest, LookupError, ValueError) as exc:
            return self.refuse(*why(exc))
        self.reply({"ok": True, "query_id": query_id})


class ReloadHandler(PostHandler):
    """``POST /api/reload``: reload the content now."""

    async def post(self) -> None:
        try:
            self.body()
        except BadRequest as exc:
            return self.refuse(*why(exc))
        self.reply({"ok": True, "content": await self.bridge.reload()})


class EventsSocket(tornado.websocket.WebSocketHandler):
    """``/api/events?chat=ID`` (WebSocket): one chat's events as JSON, a snapshot first (so reconnecting redraws).

    A WebSocket rather than server-sent events: browsers allow only 6 HTTP/1.1 connections per server, so with
    event streams a 7th tab could not load (and POSTs from the others would wait).
    """

    bridge: Bridge
    hosts: Hosts
    chat_id: int
    disconnect: Callable[[], None] | None = None

    def initialize(self, bridge: Bridge, hosts: Hosts) -> None:
        self.bridge = bridge
        self.hosts = hosts

    def check_origin(self, origin: str) -> bool:
        return same_origin(origin, self.request.headers.get("Host", ""))

    async def get(self, *args: Any, **kwargs: Any) -> None:
        if forbid(self, self.hosts, websocket=True):
            return
        try:
            self.chat_id = chat_id_of(self.get_query_argument("chat", None))
        except BadRequest as exc:
            self.set_status(400)
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(json.dumps({"ok": False, "error": str(exc)}))
            return
        await super().get(*args, **kwargs)

    def open(self, *args: str, **kwargs: str) -> None:
        snapshot, self.disconnect = self.bridge.connect(self.chat_id, self.push)
        self.push(snapshot)

    def push(self, event: Json | None) -> None:
        """Send one event; ``None`` (the sandbox stops) closes the socket."""
        try:
            if event is None:
                self.close(1001, "the sandbox stopped")
            else:
                self.write_message(json.dumps(event))
        except tornado.websocket.WebSocketClosedError:
            self.on_close()

    def on_message(self, message: str | bytes) -> None:
        """The page only listens; actions are POSTs."""

    def on_close(self) -> None:
        if self.disconnect is not None:
            self.disconnect()
            self.disconnect = None


def make_app(bridge: Bridge, hosts: Hosts | None = None) -> tornado.web.Application:
    """The tornado application over a started bridge, answering to ``hosts`` (by default: loopback only)."""
    args = {"bridge": bridge, "hosts": hosts or Hosts.listening_on("127.0.0.1")}
    return tornado.web.Application([
        (r"/", PageHandler, args),
        (r"/static/(.*)", StaticHandler, {"path": str(STATIC), "hosts": args["hosts"]}),
        (r"/api/events", EventsSocket, args),
        (r"/api/chat", ChatHandler, args),
        (r"/api/commands", CommandsHandler, args),
        (r"/api/send", SendHandler, args),
        (r"/api/press", PressHandler, args),
        (r"/api/reload", ReloadHandler, args),
    ], websocket_ping_interval=PING_S, default_handler_class=NotFoundHandler, default_handler_args=args)
