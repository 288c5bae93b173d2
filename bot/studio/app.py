"""The whole studio: live content (watched, reloaded after every save), the workspace and the web server."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from pathlib import Path

from tornado.httpserver import HTTPServer

from bot.live import LiveBot
from bot.sandbox import Bound, page_url
from bot.sandbox.hosts import Hosts
from bot.studio.access import Access
from bot.studio.history import History
from bot.studio.inbox import InboxSource
from bot.studio.server import MAX_BODY, Studio, make_app
from bot.studio.workspace import Workspace

DEFAULT_PORT = 8090


class StudioServer:
    """Starts and stops the studio; ``url`` is its address."""

    def __init__(self, live: LiveBot, data_dir: Path, *, password: str | None = None, host: str = "127.0.0.1",
                 inbox: InboxSource | None = None, watch: bool = True, watch_interval: float = 1.0) -> None:
        self.live = live
        self.host = host
        self.studio = Studio(live, Workspace(live, History(data_dir)), Access(Hosts.listening_on(host), password),
                             inbox)
        self.watch = watch
        self.watch_interval = watch_interval
        self.server: HTTPServer | None = None
        self._watcher: asyncio.Task[None] | None = None
        self.url = ""

    async def start(self, bound: Bound) -> None:
        """Serve on the bound sockets; sessions end when the studio stops (a new cookie key at every start)."""
        app = make_app(self.studio, secrets.token_bytes(32))
        self.server = HTTPServer(app, max_body_size=MAX_BODY + 1024)
        self.server.add_sockets(bound.sockets)
        self.url = page_url(self.host, bound.port)
        if self.watch:
            self._watcher = asyncio.create_task(self.live.watch(self.watch_interval))

    async def stop(self) -> None:
        """Stop serving and watching."""
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
        if self.server is not None:
            self.server.stop()
            await self.server.close_all_connections()
