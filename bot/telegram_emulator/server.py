"""The tornado HTTP server exposing ``/bot<token>/<method>`` on loopback."""

from __future__ import annotations

import json
import logging
import re
import socket
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, Protocol

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler, stream_request_body

from .errors import NOT_FOUND, TOO_LARGE, BotApiError
from .params import decode_request

log = logging.getLogger(__name__)
#: The largest request body accepted (413 above it). The emulator keeps no file contents; 10 MiB is Telegram's
#: limit for photos.
MAX_BODY = 10 * 1024 * 1024
_TOKEN_PATH = re.compile(r"^/bot[^/]*")


class RequestSink(Protocol):
    """Anything that can answer a Bot API call (the emulator)."""

    async def handle_request(self, token: str, method: str,
                             params: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        """Return ``(HTTP status, JSON body)`` for one call."""
        ...


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class _JsonHandler(RequestHandler):
    """Shared JSON response writing."""

    def reply(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status, reason=_reason(status))
        self.set_header("Content-Type", "application/json")
        try:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:  # never stored (such requests are refused), but one must never block a poll
            data = json.dumps(body).encode("ascii")
        self.finish(data)


@stream_request_body
class BotApiHandler(_JsonHandler):
    """``GET``/``POST /bot<token>/<method>`` in any of the Bot API's request encodings.

    The body is read as it arrives, so one larger than :data:`MAX_BODY` is refused (413) without being kept.
    """

    def initialize(self, sink: RequestSink) -> None:
        self.sink = sink
        self.client_gone = False
        self.received = bytearray()
        self.too_large = False

    def prepare(self) -> None:
        length = self.request.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > MAX_BODY:
            self.reply(413, BotApiError(413, TOO_LARGE).payload())

    def data_received(self, chunk: bytes) -> None:
        if len(self.received) + len(chunk) > MAX_BODY:
            self.too_large, self.received = True, bytearray()
        elif not self.too_large:
            self.received += chunk

    def on_connection_close(self) -> None:
        self.client_gone = True

    async def get(self, token: str, method: str) -> None:
        if self.too_large:
            self.reply(413, BotApiError(413, TOO_LARGE).payload())
            return
        try:
            params = decode_request(self.request.query_arguments,
                                    self.request.headers.get("Content-Type", ""), bytes(self.received))
        except BotApiError as exc:
            self.reply(exc.status, exc.payload())
            return
        status, body = await self.sink.handle_request(token, method, params)
        if self.client_gone:
            return  # the client gave up (e.g. a long poll it cancelled)
        self.reply(status, body)

    async def post(self, token: str, method: str) -> None:
        await self.get(token, method)


class NotFoundHandler(_JsonHandler):
    """Every other path: Telegram's JSON 404."""

    def prepare(self) -> None:
        self.reply(404, BotApiError(404, NOT_FOUND).payload())


def _log_request(handler: RequestHandler) -> None:
    """One debug line per request: status, path without the token or the query (parameters are never logged)."""
    path = _TOKEN_PATH.sub("/bot<token>", handler.request.path)
    log.debug("%d %s %.1fms", handler.get_status(), path, 1000 * handler.request.request_time())


class ApiServer:
    """Owns the listening sockets and the tornado server."""

    def __init__(self, sink: RequestSink) -> None:
        self._app = Application(
            [
                (r"/bot([^/]*)/([^/]*)/?", BotApiHandler, {"sink": sink}),
                (r".*", NotFoundHandler),
            ],
            log_function=_log_request,
        )
        self._server: HTTPServer | None = None
        self.port: int | None = None

    async def start(self, host: str, port: int) -> int:
        """Listen on ``host:port`` (``0`` picks a free port); returns the port."""
        if self._server is not None:
            raise RuntimeError("server already started")
        sockets: list[socket.socket] = bind_sockets(port, address=host)
        # Bodies with a Content-Length over MAX_BODY get 413 before they are read; chunked ones 413 up to here.
        server = HTTPServer(self._app, idle_connection_timeout=60, max_body_size=4 * MAX_BODY)
        server.add_sockets(sockets)
        self._server = server
        self.port = int(sockets[0].getsockname()[1])
        return self.port

    async def stop(self) -> None:
        """Stop listening and close every connection."""
        server, self._server = self._server, None
        if server is None:
            return
        server.stop()
        await server.close_all_connections()
