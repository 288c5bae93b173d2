"""Staff features through the real Telegram channel: the masked review log, admin-only /stats and /reload."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Update
from telegram.ext import TypeHandler

from bot.channels.telegram import build_application
from bot.channels.telegram.staff_hooks import StaffHooks
from bot.live import LiveBot
from bot.staff import StaffLog
from bot.store import FILE_NAME, Store
from bot.telegram_emulator import BotApiEmulator
from tests.test_telegram_e2e import DONE_GROUP, FAST, TOKEN, Bot

ROOT = Path(__file__).resolve().parents[1]
ADMIN = 4242
USER = 5151


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN, bot_username="iom_faq_bot") as emulator:
        yield emulator


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    for folder in ("intents", "answers"):
        shutil.copytree(ROOT / folder, tmp_path / "content" / folder)
    return tmp_path / "content"


@pytest.fixture
async def staff_bot(emu: BotApiEmulator, content_copy: Path, tmp_path: Path) -> AsyncIterator[tuple[Bot, LiveBot]]:
    live, _ = LiveBot.load(content_copy)
    assert live is not None
    store = Store.connect(tmp_path / FILE_NAME)
    bot = Bot(emu, live.engine, tmp_path / FILE_NAME, store=store)
    # The application on the live content with the staff hooks, as `faqbot run` builds it.
    staff = StaffHooks(StaffLog(store), frozenset({ADMIN}), live.reload)
    bot.app = build_application(live, store, emu.token, api_url=emu.base_url, retry=FAST, staff=staff)
    bot.app.add_handler(TypeHandler(Update, bot._mark), group=DONE_GROUP)
    await bot.start()
    yield bot, live
    await bot.stop()


async def test_unanswered_question_is_kept_masked_without_ids(staff_bot: tuple[Bot, LiveBot], tmp_path: Path) -> None:
    bot, _ = staff_bot
    await bot.say(USER, "mijn nummer is 06-12345678 en mail piet@example.com, wat is de beste pizza?")
    bot.app.bot_data["channel"].staff.flush(5)  # the staff log is written in a thread of its own
    items = StaffLog(bot.store).review_items(1)
    assert len(items) == 1
    assert items[0].decision == "none"
    assert items[0].text is not None and "12345678" not in items[0].text and "piet@" not in items[0].text
    dump = "\n".join(bot.store.path.read_bytes().decode("latin-1").split("\x00"))
    assert str(USER) not in dump.replace(f"telegram:{USER}", "")  # the only id is the chat-state key


async def test_admin_commands_only_for_admins(staff_bot: tuple[Bot, LiveBot]) -> None:
    bot, _ = staff_bot
    await bot.say(USER, "wat is gezinshereniging")
    stats = await bot.say(ADMIN, "/stats", user_id=ADMIN)
    assert len(stats) == 1 and "Last 7 days" in stats[0].text
    refused = await bot.say(USER, "/stats", user_id=USER)
    assert "Last 7 days" not in refused[0].text and "/stats" in refused[0].text  # an unknown command for them


async def test_stats_count_commands_and_presses_apart_from_questions(staff_bot: tuple[Bot, LiveBot]) -> None:
    bot, _ = staff_bot
    [welcome] = await bot.say(USER, "/start", language_code="nl")
    await bot.press(USER, welcome, "g:family", language_code="nl")  # a topic button
    await bot.say(USER, "wat is de beste pizza?", language_code="nl")  # not understood
    [answer, *_] = await bot.say(USER, "wat is gezinshereniging", language_code="nl")
    assert "gezin" in answer.text.lower()
    bot.app.bot_data["channel"].staff.flush(5)
    [stats] = await bot.say(ADMIN, "/stats", user_id=ADMIN)
    assert "Questions: 2 · ✅ answered: 1 (50%)\n" in stats.text
    assert "❓ did you mean: 0 · ❌ not understood: 1\n" in stats.text
    assert "Commands: 1 · button presses: 1\n" in stats.text


async def test_admin_reload_reports_problems_and_keeps_serving(staff_bot: tuple[Bot, LiveBot],
                                                               content_copy: Path) -> None:
    bot, live = staff_bot
    engine = live.engine
    path = content_copy / "answers/nl/family.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("</b>", "", 1), encoding="utf-8")
    reply = await bot.say(ADMIN, "/reload", user_id=ADMIN)
    assert "NOT reloaded" in reply[0].text and "answers/nl/family.yaml:" in reply[0].text
    assert live.engine is engine
    answer = await bot.say(USER, "gezinshereniging")
    assert answer and "gezin" in answer[0].text.lower()
