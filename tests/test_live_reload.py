"""Live reload: edits are picked up, broken edits are reported and the last good content keeps serving."""

from __future__ import annotations

import asyncio
import shutil
import threading
from pathlib import Path

import pytest

from bot.content import Content, Problem, check_content
from bot.engine import TextIn
from bot.live import LiveBot, ReloadResult

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def content_copy(tmp_path: Path) -> Path:
    for folder in ("intents", "answers"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def ask(live: LiveBot, text: str) -> str:
    _, replies = live.engine.handle(None, TextIn(text), "en")
    return "\n".join(r.text for r in replies)


def edit_answer(root: Path, old: str, new: str) -> None:
    path = root / "answers/en/about.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_valid_edit_is_served_after_reload(content_copy: Path) -> None:
    live, _ = LiveBot.load(content_copy)
    assert live is not None
    before = ask(live, "what is the website of iom netherlands")
    edit_answer(content_copy, "iom-nederland.nl/", "iom-nederland.nl/?edited=1")
    result = live.reload()
    assert result.ok and result.changed
    assert "edited=1" in ask(live, "what is the website of iom netherlands") != before


def test_broken_edit_keeps_last_good_content(content_copy: Path) -> None:
    live, _ = LiveBot.load(content_copy)
    assert live is not None
    engine = live.engine
    path = content_copy / "answers/en/about.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("</b>", "", 1), encoding="utf-8")
    result = live.reload()
    assert not result.ok
    assert live.engine is engine  # still serving the old content
    assert any(str(p).startswith("answers/en/about.yaml:") and "never closed" in str(p) for p in result.problems)
    assert "NOT reloaded" in result.summary()
    assert ask(live, "hello")  # conversations go on


def test_unchanged_files_are_not_reloaded(content_copy: Path) -> None:
    live, _ = LiveBot.load(content_copy)
    assert live is not None
    engine = live.engine
    assert live.reload(force=False).changed is False
    assert live.engine is engine


async def test_watcher_picks_up_a_change_within_seconds(content_copy: Path) -> None:
    live, _ = LiveBot.load(content_copy)
    assert live is not None
    results: list[ReloadResult] = []
    live.on_reload(results.append)
    task = asyncio.create_task(live.watch(interval=0.05))
    try:
        edit_answer(content_copy, "iom-nederland.nl/", "iom-nederland.nl/?watched=1")
        for _ in range(100):
            if results:
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
    assert results and results[0].ok
    assert "watched=1" in ask(live, "what is the website of iom netherlands")


WEBSITE = "what is the website of iom netherlands"


async def test_chats_are_answered_while_content_loads(content_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reload (however slow: here held until the test lets it go) never stops the bot answering meanwhile."""
    live, _ = LiveBot.load(content_copy)
    assert live is not None
    before = ask(live, WEBSITE)
    edit_answer(content_copy, "iom-nederland.nl/", "iom-nederland.nl/?slow=1")
    loading, release = threading.Event(), threading.Event()

    def slow_check(root: Path) -> tuple[Content | None, list[Problem]]:
        loading.set()
        release.wait(timeout=10)  # only a safety net: the test releases it
        return check_content(root)

    monkeypatch.setattr("bot.live.check_content", slow_check)
    reload = asyncio.create_task(live.reload_async())
    try:
        assert await asyncio.to_thread(loading.wait, 10)
        # the load is now held in its worker thread, and this coroutine runs on the same event loop
        heartbeat = await asyncio.gather(*(asyncio.sleep(0, n) for n in range(3)))
        assert heartbeat == [0, 1, 2] and not reload.done()
        assert ask(live, WEBSITE) == before  # chats are answered with the last good content
    finally:
        release.set()
    result = await reload
    assert result.ok and "slow=1" in ask(live, WEBSITE)


async def test_an_older_load_never_replaces_a_newer_one(content_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A load that read the files before an edit, but finished last, leaves the newer content serving."""
    live, _ = LiveBot.load(content_copy)
    assert live is not None
    edit_answer(content_copy, "iom-nederland.nl/", "iom-nederland.nl/?v=1")
    read, release = threading.Event(), threading.Event()

    def first_load_finishes_late(root: Path) -> tuple[Content | None, list[Problem]]:
        loaded = check_content(root)
        if not read.is_set():
            read.set()
            release.wait(timeout=10)
        return loaded

    monkeypatch.setattr("bot.live.check_content", first_load_finishes_late)
    older = asyncio.create_task(live.reload_async())
    assert await asyncio.to_thread(read.wait, 10)
    edit_answer(content_copy, "?v=1", "?v=2")
    release.set()
    assert live.reload().ok  # waits for the older load to finish, then loads v=2 (here, on this thread)
    assert (await older).ok
    assert "v=2" in ask(live, WEBSITE)
