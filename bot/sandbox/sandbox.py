"""The whole sandbox: the bridge (emulator + bot + live content) behind the web server, on sockets bound first."""

from __future__ import annotations

import errno
import ipaddress
import socket
import time
from dataclasses import dataclass

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.content import Problem
from bot.live import LiveBot
from bot.sandbox.bridge import FORGET_AFTER_S, MAX_CHATS, Bridge
from bot.sandbox.hosts import Hosts
from bot.sandbox.server import MAX_BODY, make_app
from bot.staff.session import ReviewSessions
from bot.store import Store
from bot.telegram_emulator.retention import Clock

DEFAULT_PORT = 8080
PORTS_TO_TRY = 20  # with the default port: 8080, 8081, ... 8099


class PortTaken(Exception):
    """No port could be bound; the message says which and what to do."""


@dataclass(frozen=True)
class Bound:
    """Listening sockets and the port they got (the chosen port may differ from the wanted one)."""

    sockets: list[socket.socket]
    port: int


def bind(host: str, port: int, *, try_next: bool) -> Bound:
    """Bind ``host:port`` (0: any free port); with ``try_next`` a taken port moves on to the next ones."""
    last = port + (PORTS_TO_TRY - 1 if try_next and port else 0)
    for candidate in range(port, last + 1):
        try:
            sockets = bind_sockets(candidate, host)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise PortTaken(f"cannot listen on {host}:{candidate} ({exc.strerror})") from exc
            continue
        return Bound(sockets, sockets[0].getsockname()[1])
    if last == port:
        raise PortTaken(f"port {port} on {host} is in use; stop what uses it or choose another with --port N")
    raise PortTaken(f"ports {port} to {last} on {host} are all in use; choose a free one with --port N")


def is_loopback(host: str) -> bool:
    """True for 127.x.x.x, ::1 and localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def page_url(host: str, port: int) -> str:
    """The address to open in a browser."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else "::1" if host == "::" else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


class Sandbox:
    """Starts and stops everything; ``url`` is the page."""

    def __init__(self, live: LiveBot, store: Store, *, watch: bool = True, watch_interval: float = 1.0,
                 poll_timeout: float = 10.0, load_problems: tuple[Problem, ...] | list[Problem] = (),
                 forget_after: float | None = FORGET_AFTER_S, max_chats: int | None = MAX_CHATS,
                 clock: Clock = time.monotonic, staff: ReviewSessions | None = None) -> None:
        self.bridge = Bridge(live, store, watch=watch, watch_interval=watch_interval, poll_timeout=poll_timeout,
                             load_problems=load_problems, forget_after=forget_after, max_chats=max_chats,
                             clock=clock, staff=staff)
        self.server: HTTPServer | None = None
        self.url = ""

    async def start(self, bound: Bound, host: str = "127.0.0.1") -> None:
        """Start the bot, then serve the page on the bound sockets; ``host`` (``--host``) is a name the page
        may be opened at, besides 127.0.0.1, localhost and ::1."""
        await self.bridge.start()
        # Bodies over MAX_BODY with a Content-Length get 413 before they are read; chunked ones up to this size.
        self.server = HTTPServer(make_app(self.bridge, Hosts.listening_on(host)), max_body_size=16 * MAX_BODY)
        self.server.add_sockets(bound.sockets)
        self.url = page_url(host, bound.port)

    async def stop(self) -> None:
        """Stop accepting pages, end their event streams, stop the bot and the emulator."""
        if self.server is not None:
            self.server.stop()
        await self.bridge.stop()
        if self.server is not None:
            await self.server.close_all_connections()
