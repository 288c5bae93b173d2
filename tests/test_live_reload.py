"""Live reload: edits are picked up, broken edits are reported and the last good content keeps serving."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.engine import TextIn
from bot.live import LiveBot

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
    results = []
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
