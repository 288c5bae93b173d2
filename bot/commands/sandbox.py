"""`faqbot sandbox`: the real Telegram adapter against a local Bot API emulator, with a chat page in the browser."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from bot.commands import common
from bot.commands.common import (
    add_content_arg,
    content_dir,
    defaults,
    load_live_or_report,
    port_problem,
    setup_local_logging,
)

if TYPE_CHECKING:  # imported late at run time: `faqbot --help` stays fast
    from bot.content import Problem
    from bot.live import LiveBot
    from bot.sandbox import Bound



def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `faqbot sandbox`."""
    add_content_arg(parser)
    parser.add_argument("--port", metavar="N", type=int, default=None,
                        help="port of the web page (default: 8080, or the next free port when 8080 is in use)")
    parser.add_argument("--host", metavar="ADDR", default="127.0.0.1",
                        help="address of the web page (default: 127.0.0.1, only this computer can open it)")
    parser.add_argument("--no-watch", action="store_true",
                        help="do not reload the content when its files change (the Reload button still works)")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `sandbox` sub-command."""
    parser = subparsers.add_parser(
        "sandbox", help="chat with the bot in a local web page that looks like Telegram (no token needed)",
        description="Run the bot as on Telegram, against a local Telegram emulator, and chat with it in the "
                    "browser. A staff panel shows why the bot said what it said. Nothing leaves this computer; "
                    "chats are forgotten when the sandbox stops, and questions the bot did not answer well are "
                    "kept (masked) in the data folder for `faqbot review`.")
    add_arguments(parser)
    parser.set_defaults(func=run)


def default_args() -> argparse.Namespace:
    """The options of `faqbot sandbox` without any flags (what `make run` uses without a token)."""
    return defaults(add_arguments)


def fail(message: str, code: int) -> int:
    """A one-line error for the person starting the sandbox."""
    return common.fail("sandbox", message, code)


def run(args: argparse.Namespace) -> int:
    """Check the content and the port, then run the sandbox until Ctrl+C or SIGTERM."""
    from bot.sandbox import DEFAULT_PORT, PortTaken, bind, is_loopback

    port = DEFAULT_PORT if args.port is None else args.port
    if (problem := port_problem(port)) is not None:
        return fail(problem, 2)
    live, problems = load_live_or_report("sandbox", content_dir(args))
    if live is None:
        return 1
    try:
        bound = bind(args.host, port, try_next=args.port is None)
    except PortTaken as exc:
        return fail(str(exc), 2)
    if bound.port != port and port != 0:
        print(f"Port {port} is in use; the sandbox uses port {bound.port} instead.")
    if not is_loopback(args.host):
        print(f"faqbot sandbox: warning: the page has no login; anyone who can reach {args.host} can use it.",
              file=sys.stderr)
    setup_local_logging()
    with tempfile.TemporaryDirectory(prefix="faqbot-sandbox-") as tmp:
        asyncio.run(serve(live, problems, bound, args, Path(tmp)))
    return 0


async def serve(live: LiveBot, problems: list[Problem], bound: Bound, args: argparse.Namespace, tmp: Path) -> None:
    """Start the sandbox with a throwaway store in ``tmp``, print the address and wait for Ctrl+C or SIGTERM."""
    from bot.sandbox import Sandbox
    from bot.store import FILE_NAME, Store

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows: Ctrl+C ends with KeyboardInterrupt
            loop.add_signal_handler(sig, stop.set)
    from bot.staff.session import ReviewSessions, data_folder_log

    # Chats are forgotten when the sandbox stops; what staff should review is kept in the data folder.
    with Store.connect(tmp / FILE_NAME) as store, data_folder_log(None, "faqbot sandbox") as staff_log:
        staff = ReviewSessions(staff_log) if staff_log is not None else None
        sandbox = Sandbox(live, store, watch=not args.no_watch, load_problems=problems, staff=staff)
        await sandbox.start(bound, args.host)
        print(f"Sandbox running: open {sandbox.url} in your browser. Ctrl+C stops.", flush=True)
        try:
            await stop.wait()
        finally:
            await sandbox.stop()
    print("Sandbox stopped.", flush=True)
