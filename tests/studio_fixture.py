"""A whole studio in a background thread on a free port, over a private copy of the content, and a fake inbox."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.live import LiveBot
from bot.sandbox import bind
from bot.studio.app import StudioServer
from tests.server_thread import ServerThread

REPO = Path(__file__).resolve().parents[1]


def copy_content(target: Path) -> Path:
    """A private copy of intents/, answers/ and the source document (tests change it)."""
    for folder in ("intents", "answers", "docs/sources"):
        shutil.copytree(REPO / folder, target / folder)
    return target


@dataclass(frozen=True)
class InboxGroup:
    """The shape of bot.staff.inbox.InboxGroup (the real inbox is written elsewhere)."""

    key: str
    lang: str
    texts: tuple[str, ...]
    count: int
    reason: str
    answered_with: str | None
    suggestion: str | None
    first_day: str
    last_day: str


class FakeInbox:
    """A review inbox holding fixed groups; resolving one removes it and remembers the action."""

    def __init__(self, groups: list[InboxGroup]) -> None:
        self._groups = list(groups)
        self.resolved: list[tuple[str, str]] = []

    def groups(self, days: int = 30) -> list[InboxGroup]:
        return [g for g in self._groups if g.key not in {k for k, _ in self.resolved}]

    def resolve(self, key: str, action: str) -> None:
        self.resolved.append((key, action))


class StudioThread(ServerThread):
    """`faqbot studio` in-process: its own event loop in a thread, on a free loopback port."""

    name = "studio"

    def __init__(self, content: Path, data: Path, *, password: str | None = None, inbox: FakeInbox | None = None,
                 host: str = "127.0.0.1") -> None:
        self.content, self.data, self.password, self.inbox, self.host = content, data, password, inbox, host
        self.server: StudioServer | None = None
        super().__init__()

    def __enter__(self) -> StudioThread:
        super().__enter__()
        return self

    async def serve(self, stop: asyncio.Event) -> None:
        live, problems = LiveBot.load(self.content)
        assert live is not None, "\n".join(map(str, problems))
        self.server = StudioServer(live, self.data, password=self.password, host=self.host, inbox=self.inbox,
                                   watch=False)
        await self.server.start(bind("127.0.0.1", 0, try_next=False))
        self.url = self.server.url
        self.started()
        try:
            await stop.wait()
        finally:
            await self.server.stop()


def temp_studio(**kwargs: object) -> tuple[StudioThread, tempfile.TemporaryDirectory[str]]:
    """A studio over a fresh copy of the content in a temporary folder (the caller enters and cleans up)."""
    tmp = tempfile.TemporaryDirectory()
    root = copy_content(Path(tmp.name) / "content")
    return StudioThread(root, Path(tmp.name) / "data", **kwargs), tmp  # type: ignore[arg-type]
