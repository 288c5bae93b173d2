"""The sandbox forgets chats nobody has open once they are idle, and keeps at most ``max_chats``, here and in
the emulator, so a sandbox left running (or flooded with new chat ids) does not grow without end."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import httpx
import pytest

from bot.live import LiveBot
from bot.sandbox import Bridge
from bot.store import FILE_NAME, Store
from tests.sandbox_fixture import (
    EN_QUESTION,
    REPO,
    FakeClock,
    Running,
    Stream,
    copy_content,
    is_bot_message,
    start_sandbox,
    stop_sandbox,
)


async def chat_once(running: Running, chat: int, text: str = "/start") -> list[int]:
    """A tab opens ``chat``, the user writes, the bot answers, the tab closes; the bot's message ids."""
    async with Stream(running.client, chat) as stream:
        await running.send(chat, text, "en")
        await stream.wait_for(lambda e: e["type"] == "trace")
        return [e["message"]["message_id"] for e in stream.events if is_bot_message(e)]


async def test_idle_and_surplus_chats_are_forgotten_but_open_tabs_kept(tmp_path: Path) -> None:
    clock = FakeClock()
    sandbox = await start_sandbox(copy_content(tmp_path / "content"), tmp_path / FILE_NAME, forget_after=60,
                                  max_chats=3, clock=clock)
    bridge, emulator = sandbox.bridge, sandbox.bridge.emulator
    try:
        async with httpx.AsyncClient(base_url=sandbox.url, trust_env=False, timeout=10) as client:
            running = Running(sandbox, client)
            async with Stream(client, 600) as open_tab:  # this tab stays open all along
                await running.send(600, "/start", "en")
                await open_tab.wait_for(is_bot_message)
                first_ids = {}
                for chat in (601, 602, 603, 604):
                    clock.now += 1
                    first_ids[chat] = await chat_once(running, chat)
                # at most 3 chats: the open tab's (although the least recently active) and the 2 newest
                assert sorted(bridge.chat_ids) == sorted(emulator.chat_ids) == [600, 603, 604]
                forgotten = (await client.get("/api/chat", params={"chat": 601})).json()
                assert forgotten["messages"] == [] and forgotten["traces"] == []
                kept = (await client.get("/api/chat", params={"chat": 604})).json()
                assert [m["sender"] for m in kept["messages"]] == ["user", "bot"]
                status, answer = await emulator.handle_request(emulator.token, "sendMessage",
                                                               {"chat_id": 601, "text": "hello?"})
                assert (status, answer["description"]) == (400, "Bad Request: chat not found")

                clock.now += 61  # everything idle for over a minute; the next activity forgets it
                await chat_once(running, 605)
                assert sorted(bridge.chat_ids) == sorted(emulator.chat_ids) == [600, 605]
                assert len(open_tab.of_type("snapshot")) == 1  # the open tab was never disturbed

                again = await chat_once(running, 604, EN_QUESTION)  # a tab coming back starts afresh
                assert min(again) > max(first_ids[604])  # with new message ids, never the old ones
                back = (await client.get("/api/chat", params={"chat": 604})).json()
                assert [m["text"] for m in back["messages"] if m["sender"] == "user"] == [EN_QUESTION]
                await running.send(600, "/start", "en")  # and the open tab still chats
                await open_tab.wait_for(is_bot_message, count=2)
    finally:
        await stop_sandbox(sandbox)


@pytest.fixture(scope="module")
def live() -> LiveBot:
    """The shipped content, loaded once."""
    loaded, problems = LiveBot.load(REPO)
    assert loaded is not None, problems
    return loaded


@pytest.fixture
def bridge(live: LiveBot, tmp_path: Path) -> Bridge:
    """A bridge that is not started: the page's actions reach the emulator, no bot answers."""
    return Bridge(live, Store.connect(tmp_path / FILE_NAME), max_chats=100)


def test_30000_new_chat_ids_keep_only_max_chats(bridge: Bridge) -> None:
    for chat in range(1, 30_001):
        bridge.send(chat, "hallo", "nl")
    kept = list(range(29_901, 30_001))
    assert bridge.chat_ids == kept and bridge.emulator.chat_ids == kept
    assert sorted(u["message"]["chat"]["id"] for u in bridge.emulator.pending_updates) == kept
    assert bridge.snapshot(1)["messages"] == []
    assert [m["text"] for m in bridge.snapshot(30_000)["messages"]] == ["hallo"]


def test_memory_stops_growing_at_max_chats(bridge: Bridge) -> None:
    def sandbox_memory() -> int:
        gc.collect()
        return tracemalloc.get_traced_memory()[0]

    tracemalloc.start()
    try:
        for chat in range(1, 501):
            bridge.send(chat, "hoe kan ik mijn familie naar Nederland halen?", "nl")
        at_500 = sandbox_memory()
        for chat in range(501, 2501):
            bridge.send(chat, "hoe kan ik mijn familie naar Nederland halen?", "nl")
        at_2500 = sandbox_memory()
    finally:
        tracemalloc.stop()
    assert at_2500 - at_500 < 256 * 1024  # 2000 more chats, kept, would take several megabytes
