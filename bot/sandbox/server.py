"""The sandbox's web server (tornado): the page, its static files, a JSON API and a WebSocket of events per chat.

| Request | What it does |
|---|---|
| ``GET /`` | the chat page (``static/index.html``) |
| ``GET /static/<file>`` | ``app.css``, ``app.js`` |
| ``/api/events?chat=ID`` | a WebSocket with the events of that chat only: first a ``snapshot``, then each change |
| ``GET /api/chat?chat=ID`` | the chat's snapshot as JSON |
| ``GET /api/commands?chat=ID&lang=L`` | the command menu the bot set for app language L (nl, en, other) |
| ``POST /api/send`` | ``{"chat", "text", "lang"}``: the user types a message |
| ``POST /api/press`` | ``{"chat", "message_id", "data", "lang"}``: the user presses an inline button |
| ``POST /api/reload`` | reload the content from disk; answers the content status with every problem |

POST bodies must be JSON (``Content-Type: application/json``), which a web page of another site cannot send
without the browser asking first, and tornado refuses WebSockets opened by pages of another origin, so other
sites cannot drive or watch the sandbox.
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

STATIC = Path(__file__).resolve().parent / "static"
MAX_CHAT_ID = 2**52  # page chat ids are random positive integers, safe in JavaScript
PING_S = 20.0
_HOST = re.compile(r"^[A-Za-z0-9.\[\]:-]+$")  # a Host header fit for the Content-Security-Policy
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' {ws}; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


class BadRequest(Exception):
    """A request the API refuses, with a message for the page."""


def chat_id_of(value: Any) -> int:
    """A private chat id from the page: a positive integer."""
    try:
        chat_id = int(value)
    except (TypeError, ValueError):
        raise BadRequest("chat must be a positive whole number") from None
    if isinstance(value, bool) or not 0 < chat_id < MAX_CHAT_ID:
        raise BadRequest("chat must be a positive whole number")
    return chat_id


def lang_of(value: Any) -> str:
    """One of the page's app languages."""
    if value not in LANGUAGES:
        raise BadRequest(f"lang must be one of: {', '.join(LANGUAGES)}")
    return str(value)


class Handler(tornado.web.RequestHandler):
    """Shared: the bridge, JSON in and out, errors as ``{"ok": false, "error": ...}``."""

    bridge: Bridge

    def initialize(self, bridge: Bridge) -> None:
        self.bridge = bridge

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Cache-Control", "no-cache")

    def body(self) -> dict[str, Any]:
        """The JSON object of a POST."""
        if self.request.headers.get("Content-Type", "").split(";")[0].strip().lower() != "application/json":
            raise BadRequest("send JSON (Content-Type: application/json)")
        try:
            data = json.loads(self.request.body or b"{}")
        except ValueError:
            raise BadRequest("the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise BadRequest("the body must be a JSON object")
        return data

    def reply(self, data: Json, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(data))

    def refuse(self, message: str, status: int = 400) -> None:
        self.reply({"ok": False, "error": message}, status)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.reply({"ok": False, "error": self._reason}, status_code)


class PageHandler(Handler):
    """The chat page."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        host = self.request.host if _HOST.match(self.request.host) else ""
        self.set_header("Content-Security-Policy", CSP.format(ws=f"ws://{host}" if host else ""))
        self.finish((STATIC / "index.html").read_bytes())


class StaticHandler(tornado.web.StaticFileHandler):
    """The page's CSS and JavaScript, always revalidated (staff may edit them while the sandbox runs)."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Content-Type-Options", "nosniff")


class ChatHandler(Handler):
    """``GET /api/chat?chat=ID``: the chat's snapshot."""

    def get(self) -> None:
        try:
            chat_id = chat_id_of(self.get_query_argument("chat", None))
        except BadRequest as exc:
            return self.refuse(str(exc))
        self.reply(self.bridge.snapshot(chat_id))


class CommandsHandler(Handler):
    """``GET /api/commands?chat=ID&lang=L``: the command menu for that app language."""

    def get(self) -> None:
        try:
            chat_id = chat_id_of(self.get_query_argument("chat", None))
            lang = lang_of(self.get_query_argument("lang", "nl"))
        except BadRequest as exc:
            return self.refuse(str(exc))
        commands = self.bridge.commands(chat_id, lang)
        self.reply({"ok": True, "commands": [{"command": c, "description": d} for c, d in commands]})


class SendHandler(Handler):
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
            return self.refuse(str(exc))
        self.reply({"ok": True, "message_id": message_id})


class PressHandler(Handler):
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
            return self.refuse(str(exc.args[0]) if exc.args else str(exc))
        self.reply({"ok": True, "query_id": query_id})


class ReloadHandler(Handler):
    """``POST /api/reload``: reload the content now."""

    async def post(self) -> None:
        try:
            self.body()
        except BadRequest as exc:
            return self.refuse(str(exc))
        self.reply({"ok": True, "content": await self.bridge.reload()})


class EventsSocket(tornado.websocket.WebSocketHandler):
    """``/api/events?chat=ID`` (WebSocket): one chat's events as JSON, a snapshot first (so reconnecting redraws).

    A WebSocket rather than server-sent events: browsers allow only 6 HTTP/1.1 connections per server, so with
    event streams a 7th tab could not load (and POSTs from the others would wait).
    """

    bridge: Bridge
    chat_id: int
    disconnect: Callable[[], None] | None = None

    def initialize(self, bridge: Bridge) -> None:
        self.bridge = bridge

    async def get(self, *args: Any, **kwargs: Any) -> None:
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


def make_app(bridge: Bridge) -> tornado.web.Application:
    """The tornado application over a started bridge."""
    args = {"bridge": bridge}
    return tornado.web.Application([
        (r"/", PageHandler, args),
        (r"/static/(.*)", StaticHandler, {"path": str(STATIC)}),
        (r"/api/events", EventsSocket, args),
        (r"/api/chat", ChatHandler, args),
        (r"/api/commands", CommandsHandler, args),
        (r"/api/send", SendHandler, args),
        (r"/api/press", PressHandler, args),
        (r"/api/reload", ReloadHandler, args),
    ], websocket_ping_interval=PING_S)
