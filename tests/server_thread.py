"""A local server (the sandbox, the studio) run in-process for tests: its own event loop in a thread."""

from __future__ import annotations

import asyncio
import threading


class ServerThread:
    """Start with ``with``: ``__enter__`` returns once ``serve`` has set ``self.url``; ``__exit__`` stops it."""

    name = "server"
    start_timeout = 60.0

    def __init__(self) -> None:
        self.url = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    async def serve(self, stop: asyncio.Event) -> None:
        """Start the server, set ``self.url`` and call ``self.started()``, then serve until ``stop``."""
        raise NotImplementedError

    def started(self) -> None:
        """Tell the test thread the server is up."""
        self._ready.set()

    def __enter__(self) -> ServerThread:
        self._thread.start()
        if not self._ready.wait(self.start_timeout):
            raise RuntimeError(f"the {self.name} did not start within {self.start_timeout:.0f} s")
        if self._error is not None:
            raise self._error
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported to the test thread
            self._error = exc
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        await self.serve(self._stop)
