"""`faqbot studio`: edit answers, example questions, guided checks and bot texts in the browser, try them, review."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.commands import common
from bot.commands.common import add_content_arg, content_dir, load_live_or_report, port_problem, setup_local_logging

if TYPE_CHECKING:  # imported late at run time: `faqbot --help` stays fast
    from bot.live import LiveBot
    from bot.sandbox import Bound
    from bot.studio.inbox import InboxSource

PASSWORD_ENV = "FAQBOT_STUDIO_PASSWORD"
NEEDS_PASSWORD = (f"--listen makes the studio reachable from other computers; set {PASSWORD_ENV} to the staff "
                  "password first")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `studio` sub-command."""
    parser = subparsers.add_parser(
        "studio", help="edit the content in the browser, try it and review questions (for staff)",
        description="A local web app for staff: topics, example questions, guided checks and bot texts as forms, "
                    "with Try it, checks before every save, a history with undo, and the review inbox.")
    add_content_arg(parser)
    parser.add_argument("--port", metavar="N", type=int, default=None,
                        help="port of the studio (default: 8090, or the next free port when 8090 is in use)")
    parser.add_argument("--listen", metavar="ADDR", default=None,
                        help=f"also answer at this address (e.g. 0.0.0.0 for every computer on the network); needs "
                             f"{PASSWORD_ENV}. Default: 127.0.0.1, only this computer")
    parser.add_argument("--no-watch", action="store_true", help="do not reload when content files change on disk")
    parser.set_defaults(func=run)


def fail(message: str, code: int) -> int:
    """A one-line error for the person starting the studio."""
    return common.fail("studio", message, code)


def open_inbox(data_dir: Path) -> tuple[InboxSource | None, Any]:
    """The review inbox over the data folder's store (the bot's staff log: every channel writes it)."""
    from bot.staff.inbox import ReviewInbox
    from bot.store import FILE_NAME, Store

    store = Store.connect(data_dir / FILE_NAME)
    return ReviewInbox(store), store


def run(args: argparse.Namespace) -> int:
    """Check the content, the access settings and the port, then serve the studio until Ctrl+C or SIGTERM."""
    from bot.sandbox import PortTaken, bind
    from bot.store import data_dir
    from bot.studio.app import DEFAULT_PORT

    password = os.environ.get(PASSWORD_ENV) or None
    host = args.listen or "127.0.0.1"
    if args.listen is not None and not password:
        return fail(NEEDS_PASSWORD, 2)
    port = DEFAULT_PORT if args.port is None else args.port
    if (problem := port_problem(port)) is not None:
        return fail(problem, 2)
    live, _ = load_live_or_report("studio", content_dir(args))
    if live is None:
        return 1
    try:
        bound = bind(host, port, try_next=args.port is None)
    except PortTaken as exc:
        return fail(str(exc), 2)
    setup_local_logging()
    inbox, store = open_inbox(data_dir())
    try:
        asyncio.run(serve(live, bound, host, password, inbox, not args.no_watch))
    finally:
        if store is not None:
            store.close()
    return 0


async def serve(live: LiveBot, bound: Bound, host: str, password: str | None, inbox: InboxSource | None,
                watch: bool) -> None:
    """Run the studio, print its address and wait for Ctrl+C or SIGTERM."""
    from bot.store import data_dir
    from bot.studio.app import StudioServer

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    server = StudioServer(live, data_dir(), password=password, host=host, inbox=inbox, watch=watch)
    await server.start(bound)
    print(f"Studio running: open {server.url} in your browser. Ctrl+C stops.", flush=True)
    try:
        await stop.wait()
    finally:
        await server.stop()
    print("Studio stopped.", flush=True)
