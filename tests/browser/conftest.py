"""Browser-test fixtures: a whole sandbox in a background thread, and Debian's Chromium driven by Playwright.

Playwright's own browser download does not work here, so the tests launch /usr/bin/chromium (`make browser`
installs it). Without it the tests are skipped, unless the CI environment variable is set: then they fail.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.engine import Engine, TextIn
from bot.html import plain_text
from bot.live import LiveBot
from bot.sandbox import Sandbox, bind
from bot.store import FILE_NAME, Store
from tests.server_thread import ServerThread

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 10_000
T = TypeVar("T")


def copy_content(target: Path) -> Path:
    """A private copy of the shipped intents/ and answers/ (tests may break it on purpose)."""
    for folder in ("intents", "answers"):
        shutil.copytree(REPO / folder, target / folder)
    return target


class SandboxThread(ServerThread):
    """`faqbot sandbox` in-process: its own event loop in a thread, on a free loopback port."""

    name = "sandbox"
    start_timeout = 30.0

    def __init__(self, content: Path, *, watch: bool = False) -> None:
        self.content = content
        self.watch = watch
        self.sandbox: Sandbox | None = None
        super().__init__()

    def __enter__(self) -> SandboxThread:
        super().__enter__()
        return self

    async def serve(self, stop: asyncio.Event) -> None:
        live, problems = LiveBot.load(self.content)
        assert live is not None, "\n".join(map(str, problems))
        with tempfile.TemporaryDirectory() as tmp, Store.connect(Path(tmp) / FILE_NAME) as store:
            self.sandbox = Sandbox(live, store, watch=self.watch, watch_interval=0.2, poll_timeout=2,
                                   load_problems=problems)
            await self.sandbox.start(bind("127.0.0.1", 0, try_next=False))
            self.url = self.sandbox.url
            self.started()
            try:
                await stop.wait()
            finally:
                await self.sandbox.stop()

    def call(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` in the sandbox's thread (the emulator's methods must be called there)."""
        assert self._loop is not None
        result: Future[T] = Future()

        def run() -> None:
            try:
                result.set_result(fn())
            except BaseException as exc:
                result.set_exception(exc)

        self._loop.call_soon_threadsafe(run)
        return result.result(10)

    def run(self, coroutine: Any) -> Any:
        """Await ``coroutine`` in the sandbox's loop."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(10)

    @property
    def engine(self) -> Engine:
        """The engine serving now (to compute what the bot must say)."""
        assert self.sandbox is not None
        return self.sandbox.bridge.live.engine


def first_reply(engine: Engine, text: str, lang: str) -> str:
    """The first line the bot answers to ``text`` as a first message (what the page must show)."""
    _, replies = engine.handle(None, TextIn(text), lang)
    return plain_text(replies[0].text).splitlines()[0]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, with a fresh temporary profile (Playwright's launch makes one)."""
    if not CHROMIUM.exists():
        reason = f"Debian's Chromium is not installed at {CHROMIUM}: run `make browser` (as root) to install it"
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI is set, so the browser tests must run)")
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxThread]:
    """One sandbox for the module's tests, over a private copy of the content."""
    with SandboxThread(copy_content(tmp_path_factory.mktemp("content"))) as running:
        yield running


@pytest.fixture()
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser context (cookies, storage) per test, desktop-sized."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 860})
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture()
def artifacts() -> Path:
    """tests/artifacts/ (gitignored), for screenshots."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
