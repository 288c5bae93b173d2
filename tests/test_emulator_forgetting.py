"""The emulator forgets idle chats and keeps at most ``max_chats``, so a long-running one stays small."""

from __future__ import annotations

from typing import Any

import pytest

from bot.telegram_emulator import BotApiEmulator
from bot.telegram_emulator.errors import CHAT_NOT_FOUND
from bot.telegram_emulator.retention import Retention
from tests.sandbox_fixture import FakeClock

TOKEN = "123456:TEST-TOKEN"
MENU = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}


async def bot_says(emu: BotApiEmulator, chat_id: int, text: str = "hi", **extra: Any) -> tuple[int, dict[str, Any]]:
    """The bot's ``sendMessage`` (without HTTP): status and answer."""
    return await emu.handle_request(TOKEN, "sendMessage", {"chat_id": chat_id, "text": text, **extra})


async def test_30000_new_chats_keep_only_the_newest_1000() -> None:
    emu = BotApiEmulator(TOKEN, retention=Retention(max_chats=1000))
    for chat_id in range(1, 30_001):
        emu.send_message(chat_id, "hallo")
        if chat_id % 10 == 0:  # the bot answers some of them, with a button
            assert (await bot_says(emu, chat_id, reply_markup=MENU))[0] == 200
    kept = list(range(29_001, 30_001))
    assert emu.chat_ids == kept
    assert sorted({u["message"]["chat"]["id"] for u in emu.pending_updates}) == kept
    assert len(emu.pending_updates) == 1000
    assert {m.chat_id for m in emu.bot_messages()} == set(range(29_010, 30_001, 10))
    status, answer = await bot_says(emu, 1)
    assert (status, answer["description"]) == (400, CHAT_NOT_FOUND)
    assert (await bot_says(emu, 30_000))[0] == 200


async def test_the_least_recently_active_chat_goes_first() -> None:
    emu = BotApiEmulator(TOKEN, retention=Retention(max_chats=3))
    for chat_id in (1, 2, 3):
        emu.send_message(chat_id, "hallo")
    assert (await bot_says(emu, 1))[0] == 200  # the bot writing to chat 1 counts as activity
    emu.send_message(4, "hallo")
    assert emu.chat_ids == [3, 1, 4]
    assert emu.bot_messages(1)[0].text == "hi"


async def test_idle_chats_are_forgotten() -> None:
    clock = FakeClock()
    emu = BotApiEmulator(TOKEN, retention=Retention(chat_idle_s=60), clock=clock)
    events: list[dict[str, Any]] = []
    emu.subscribe(events.append)
    first = emu.send_message(1, "hallo")["message"]["message_id"]
    await bot_says(emu, 1, reply_markup=MENU)
    query = emu.press_button(1, 2, "a")
    emu.send_message(2, "hallo")
    clock.now += 30
    emu.send_message(2, "nog iets")
    clock.now += 31  # chat 1: idle for 61 s, chat 2 for 31 s
    status, _ = await emu.handle_request(TOKEN, "getMe", {})  # any call forgets what is due
    assert status == 200
    assert emu.chat_ids == [2]
    assert {"type": "chat_forgotten", "chat_id": 1} in events
    assert emu.bot_messages(1) == [] and all(u.get("message", {}).get("chat", {}).get("id") != 1
                                             for u in emu.pending_updates)
    assert [u["update_id"] for u in emu.pending_updates if "callback_query" in u] == []
    status, answer = await emu.handle_request(TOKEN, "answerCallbackQuery", {"callback_query_id": query})
    assert status == 400  # the press was forgotten with its chat
    status, answer = await bot_says(emu, 1)
    assert (status, answer["description"]) == (400, CHAT_NOT_FOUND)
    again = emu.send_message(1, "ik ben terug")["message"]["message_id"]
    assert (first, again) == (1, 3)  # above the bot's message 2: ids are never used twice in a chat
    assert emu.chat_ids == [2, 1]


async def test_forgetting_a_chat_by_hand() -> None:
    emu = BotApiEmulator(TOKEN)
    emu.send_message(5, "hallo")
    assert emu.forget_chat(5) is True
    assert emu.forget_chat(5) is False
    assert emu.chat_ids == [] and emu.pending_updates == []
    assert (await bot_says(emu, 5))[1]["description"] == CHAT_NOT_FOUND


async def test_messages_per_chat_and_records_are_capped() -> None:
    emu = BotApiEmulator(TOKEN, retention=Retention(max_messages_per_chat=3, max_records=5))
    emu.send_message(7, "hallo")  # message 1
    for number in range(4):  # messages 2 to 5
        assert (await bot_says(emu, 7, f"bericht {number}", reply_markup=MENU))[0] == 200
    assert [m.text for m in emu.bot_messages(7)] == ["bericht 1", "bericht 2", "bericht 3"]
    with pytest.raises(LookupError):
        emu.press_button(7, 2, "a")  # "bericht 0" is forgotten
    for _ in range(2):
        await emu.handle_request(TOKEN, "getMe", {})
    assert [c.method for c in emu.calls] == ["sendMessage"] * 3 + ["getMe"] * 2
    assert emu.calls[0].params["text"] == "bericht 1"


@pytest.mark.parametrize("field", ["chat_idle_s", "max_chats", "max_messages_per_chat", "max_records"])
def test_limits_must_be_positive(field: str) -> None:
    with pytest.raises(ValueError, match=f"{field} must be positive or None"):
        Retention(**{field: 0})
