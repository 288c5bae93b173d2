"""The webhook server: Telegram POSTs each update; the bot answers 200 once the update is stored.

Checks, in order: the path, the secret token (403), the body size (413), UTF-8 and JSON (400), an update id
(400). Nothing of a body is ever written to a log line. When the inbox cannot be written (disk full) the
update is still handled and acknowledged, so one storage fault does not stop every chat; the inbox's log
line says so.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import tornado.httpserver
import tornado.web

from bot.channels.telegram.intake import Intake, update_id

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # bytes; a Telegram update is a few KB
STORE_WAIT_S = 2.0  # the longest the 200 waits for the inbox (when it works; not at all while it fails)


@dataclass(frozen=True)
class Webhook:
    """Webhook mode: Telegram POSTs updates to ``url``; the bot listens on ``listen:port`` at the URL's path."""

    url: str
    listen: str = "127.0.0.1"
    port: int = 8443
    secret_token: str | None = None

    @property
    def path(self) -> str:
        """The path the local server answers on (the path of the public URL)."""
        return urlsplit(self.url).path.strip("/")


@tornado.web.stream_request_body
class UpdateHandler(tornado.web.RequestHandler):
    """POST one update (the body is read in chunks, so a huge one is refused without being kept)."""

    def initialize(self, intake: Intake, secret: str | None) -> None:
        self.intake = intake
        self.secret = secret
        self._chunks: list[bytes] = []
        self._size = 0

    def prepare(self) -> None:
        declared = self.request.headers.get("Content-Length", "0")
        if declared.isdigit() and int(declared) > MAX_BODY:
            self._refuse(413, "body too large")

    def data_received(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size <= MAX_BODY:
            self._chunks.append(chunk)

    def _refuse(self, status: int, reason: str) -> None:
        self.set_status(status)
        self.finish({"ok": False, "description": reason})

    async def post(self) -> None:
        if self.secret is not None:
            given = self.request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), self.secret.encode()):
                log.warning("webhook: a request without the right secret token was refused")
                return self._refuse(403, "wrong secret token")
        if self._size > MAX_BODY:
            return self._refuse(413, "body too large")
        body = b"".join(self._chunks)
        update = _parse(body)
        if update is None:
            log.warning("webhook: a body that is not an update (%d bytes) was refused", len(body))
            return self._refuse(400, "not a JSON update")
        stored = self.intake.offer(update)
        if stored is not None and self.intake.inbox.writer.failing is None:
            try:
                await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(stored)), STORE_WAIT_S)
            except Exception:  # not stored in time (or storing failed): handled anyway
                log.warning("webhook: update %s acknowledged before it was stored", update["update_id"])
        self.set_status(200)
        self.finish({"ok": True})


def _parse(body: bytes) -> dict[str, Any] | None:
    try:
        update = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return update if update_id(update) is not None else None


def _quiet(handler: tornado.web.RequestHandler) -> None:
    """Access log: status, method and path only, at debug level (never the body)."""
    log.debug("webhook %d %s", handler.get_status(), handler.request.method)


class WebhookServer:
    """The local HTTP server behind the public webhook URL."""

    def __init__(self, intake: Intake, webhook: Webhook) -> None:
        self.webhook = webhook
        route = rf"/{re.escape(webhook.path)}/?" if webhook.path else r"/"
        app = tornado.web.Application([(route, UpdateHandler, {"intake": intake, "secret": webhook.secret_token})],
                                      log_function=_quiet)
        self._server = tornado.httpserver.HTTPServer(app, max_body_size=64 * MAX_BODY)  # the handler refuses > MAX_BODY

    def start(self) -> None:
        """Listen (raises OSError when the address is taken)."""
        self._server.listen(self.webhook.port, self.webhook.listen)

    async def stop(self) -> None:
        """Stop accepting and close open connections."""
        self._server.stop()
        await self._server.close_all_connections()
