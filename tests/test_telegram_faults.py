"""The fault suite: what an adversarial run did to the bot, and what the bot must do instead.

Each case runs the real channel against the Bot API emulator. The kill -9 cases run the real `faqbot run`
in a subprocess; the disk cases mount a tiny tmpfs (root only, else skipped).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.channels.telegram import Webhook
from bot.engine import ChatState, Engine, TextIn
from bot.engine.texts import Texts
from bot.html import plain_text
from bot.store import FILE_NAME, Store, StoreError
from bot.telegram_emulator import BotApiEmulator
from tests.test_telegram_e2e import TOKEN, Bot, Mirror, texts

REPO = Path(__file__).resolve().parents[1]
NAME, PHONE = "Amina Yusuf", "+31612345678"


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN, bot_username="iom_faq_bot", webhook_retry_delay=0.05) as emulator:
        yield emulator


@pytest.fixture
def free_port() -> int:
    import socket
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def poison(chat_id: int) -> dict[str, Any]:
    """A message python-telegram-bot cannot read (a poll without its required fields), with personal data."""
    return {"message": {"message_id": 1, "date": 0, "chat": {"id": chat_id, "type": "private"},
                        "from": {"id": chat_id, "is_bot": False, "first_name": NAME},
                        "contact": {"phone_number": PHONE, "first_name": NAME}, "poll": {"id": "p1"}}}


# -- a poison update ------------------------------------------------------------------------------------


async def test_an_unreadable_update_is_skipped_once_and_blocks_nobody(emu: BotApiEmulator, shipped_engine: Engine,
                                                                      tmp_path: Path,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)  # what `faqbot run` logs (setup_logging keeps python-telegram-bot at INFO)
    running = Bot(emu, shipped_engine, tmp_path / FILE_NAME)
    await running.start()
    try:
        bad = emu.push_update(poison(30))
        others = {chat: emu.send_message(chat, "Wie betaalt IOM?", language_code="nl") for chat in (31, 32, 33)}
        await asyncio.gather(*(running.processed(update) for update in others.values()))
        for chat in others:
            assert texts(emu.bot_messages(chat)) == Mirror(shipped_engine, "nl").expect(TextIn("Wie betaalt IOM?"))
        await emu.wait_for_updates_consumed()
        polls = len(emu.calls_to("getUpdates"))
        await asyncio.sleep(1.0)
        assert len(emu.calls_to("getUpdates")) - polls <= 3  # long polling, not re-polling the bad update
    finally:
        await running.stop()
    skipped = [r for r in caplog.records if "skipped update" in r.getMessage()]
    assert [r.getMessage().split(":")[0] for r in skipped] == [f"skipped update {bad['update_id']} (message)"]
    assert NAME not in caplog.text and PHONE not in caplog.text
    assert emu.bot_messages(30) == []

    again = Bot(emu, shipped_engine, tmp_path / FILE_NAME)  # after a restart: not handled again
    await again.start()
    try:
        assert texts(await again.say(34, "/start", language_code="en")) == Mirror(shipped_engine, "en").expect(
            TextIn("/start"))
    finally:
        await again.stop()
    assert len([r for r in caplog.records if "skipped update" in r.getMessage()]) == 1


# -- kill -9 in the middle of a burst -----------------------------------------------------------------------


def bot_environment(tmp_path: Path, emu: BotApiEmulator) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "FAQBOT_"))}
    env.update(FAQBOT_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO), TELEGRAM_BOT_TOKEN=emu.token,
               FAQBOT_TELEGRAM_API_URL=emu.base_url)
    return env


async def start_bot(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", *args, env=env, cwd=REPO,
                                                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)


async def until(predicate: Any, timeout: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_kill_9_in_a_burst_loses_nothing(emu: BotApiEmulator, shipped_engine: Engine, tmp_path: Path,
                                               free_port: int, mode: str) -> None:
    chats = range(1000, 1200)
    env = bot_environment(tmp_path, emu)
    args = [] if mode == "polling" else ["--webhook-url", f"http://127.0.0.1:{free_port}/hook",
                                         "--port", str(free_port)]
    expected = Mirror(shipped_engine, "nl").expect(TextIn("/start"))
    first = await start_bot(env, *args)
    try:
        await until(lambda: emu.commands, 30, "the bot to start")
        if mode == "webhook":
            await until(lambda: emu.webhook is not None, 10, "the webhook")
        for chat in chats:
            emu.send_message(chat, "/start", language_code="nl")
        await until(lambda: len(emu.calls_to("sendMessage")) >= 60, 30, "60 answers")
    finally:
        first.kill()  # SIGKILL: no clean-up at all
        await first.wait()
    answered_before = sum(1 for chat in chats if emu.bot_messages(chat))
    assert answered_before < len(chats), "the burst was over before the kill; the test proves nothing"

    second = await start_bot(env, *args)
    try:
        await until(lambda: all(len(emu.bot_messages(chat)) >= len(expected) for chat in chats), 60,
                    "every chat to be answered after the restart")
        await asyncio.sleep(0.5)  # room for late duplicates to show
    finally:
        second.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(second.communicate(), 30)
    counts = [len(emu.bot_messages(chat)) // len(expected) for chat in chats]
    assert min(counts) == 1  # nothing lost
    assert max(counts) <= 2  # a crash between sending and marking: at most one duplicate
    assert sum(c - 1 for c in counts) <= 16  # and only for the few in flight at the kill
    for chat in chats:
        assert texts(emu.bot_messages(chat))[: len(expected)] == expected
    assert second.returncode == 0, err.decode()[-2000:]


# -- the data file: locked, full, deleted ---------------------------------------------------------------------


@contextlib.contextmanager
def lock_held_by_another_process(path: Path) -> Iterator[None]:
    code = ("import sqlite3, sys\n"
            f"db = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
            "db.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); sys.stdin.read()\n")
    locker = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
        yield
    finally:
        assert locker.stdin is not None
        locker.stdin.close()
        locker.wait(10)


async def test_a_lock_held_by_another_process_freezes_no_chat(emu: BotApiEmulator, shipped_engine: Engine,
                                                              tmp_path: Path) -> None:
    running = Bot(emu, shipped_engine, tmp_path / FILE_NAME)
    await running.start()
    mirrors = {chat: Mirror(shipped_engine, "en") for chat in range(40, 45)}
    try:
        with lock_held_by_another_process(tmp_path / FILE_NAME):
            # every chat is answered while the other process still holds the lock (each wait is 5 s at most,
            # less than the 10 s a writer would wait for the lock)
            for text in ("/start", "Can IOM help me go back to my country?"):
                replies = await asyncio.gather(*(running.say(chat, text, language_code="en") for chat in mirrors))
                for (chat, mirror), got in zip(mirrors.items(), replies, strict=True):
                    assert texts(got) == mirror.expect(TextIn(text)), chat
    finally:
        await running.stop()
    with Store.connect(tmp_path / FILE_NAME) as store:  # written once the lock was gone
        assert all(store.load_state(f"telegram:{chat}") == m.state for chat, m in mirrors.items())


@contextlib.contextmanager
def tiny_disk(tmp_path: Path, size: str) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with contextlib.suppress(OSError), open(filler, "wb") as out:
        while True:
            out.write(b"\0" * 4096)
            out.flush()
    return filler


async def test_a_full_disk_still_gets_every_answer(emu: BotApiEmulator, shipped_engine: Engine, tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    with tiny_disk(tmp_path, "2m") as disk:
        running = Bot(emu, shipped_engine, disk / "data" / FILE_NAME)
        await running.start()
        question = "Can IOM help me go back to my country?"
        try:
            await running.say(50, "/start", language_code="en")
            filler = fill(disk)
            error = plain_text(Texts(shipped_engine.content, "en")("error"))
            for chat in range(51, 86):  # 35 users
                got = await running.say(chat, question, language_code="en")
                assert texts(got) == Mirror(shipped_engine, "en").expect(TextIn(question))
                assert all(m.plain_text != error for m in got)
            assert "disk full" in running.app.bot_data["channel"].health()  # the line /stats adds for admins
            filler.unlink()  # space again: what waited in memory is written
            await asyncio.to_thread(running.app.bot_data["channel"].states.writer.flush, 10)
        finally:
            await running.stop()
        faults = [r for r in caplog.records if r.levelno >= logging.ERROR and "disk full" in r.getMessage()]
        assert 1 <= len(faults) <= 3  # once per fault kind and writer, not once per message
        with Store.connect(disk / "data" / FILE_NAME) as store:
            assert store.load_state("telegram:85").lang == "en"


async def test_no_space_at_start_says_so(tmp_path: Path) -> None:
    with tiny_disk(tmp_path, "64k") as disk:
        fill(disk)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "FAQBOT_"))}
        env.update(FAQBOT_DATA_DIR=str(disk / "data"), PYTHONPATH=str(REPO), TELEGRAM_BOT_TOKEN="1:x")
        done = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "bot", "run"], env=env, cwd=REPO,
                                       capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "disk is full" in done.stderr or "No space left" in done.stderr, done.stderr
    assert "not a usable SQLite data file" not in done.stderr


@pytest.mark.parametrize(("code", "name", "says"), [
    (13, "SQLITE_FULL", "the disk is full"),
    (26, "SQLITE_NOTADB", "not a usable SQLite data file"),
    (5, "SQLITE_BUSY", "keeps the data file locked"),
    (8, "SQLITE_READONLY", "read-only"),
    (10, "SQLITE_IOERR", "disk I/O error"),
])
def test_each_storage_fault_has_its_own_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int,
                                                name: str, says: str) -> None:
    def failing(*_args: Any, **_kwargs: Any) -> sqlite3.Connection:
        exc = sqlite3.OperationalError(name.lower())
        exc.sqlite_errorcode, exc.sqlite_errorname = code, name
        raise exc

    monkeypatch.setattr("bot.store._connect", failing)
    with pytest.raises(StoreError, match=says):
        Store.connect(tmp_path / FILE_NAME)


async def test_a_deleted_data_folder_is_made_again(emu: BotApiEmulator, shipped_engine: Engine, tmp_path: Path,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "data"
    running = Bot(emu, shipped_engine, folder / FILE_NAME)
    await running.start()
    try:
        await running.say(60, "/start", language_code="nl")
        shutil.rmtree(folder)
        mirror = Mirror(shipped_engine, "en")
        mirror.expect(TextIn("/start"))
        question = "Can IOM help me go back to my country?"
        assert texts(await running.say(61, "/start", language_code="en")) == Mirror(shipped_engine, "en").expect(
            TextIn("/start"))
        assert texts(await running.say(61, question, language_code="en")) == mirror.expect(TextIn(question))
        await until(lambda: (folder / FILE_NAME).exists() and (folder / "inbox.sqlite3").exists(), 10,
                    "the data folder to come back")
    finally:
        await running.stop()
    assert any("deleted or replaced" in r.getMessage() for r in caplog.records)
    with Store.connect(folder / FILE_NAME) as store:
        assert store.load_state("telegram:61") == mirror.state
        assert store.load_state("telegram:61") != ChatState()


# -- the webhook's door ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "status"), [
    (b"{not json", 400),
    (b"\xff\xfe\x00garbage", 400),
    (b'{"message": {"text": "no update id"}}', 400),
    (b'["a", "list"]', 400),
    (b'{"update_id": "7"}', 400),
    (b'{"update_id": 7, "message": {"text": "' + b"x" * (2 * 1024 * 1024) + b'"}}', 413),
])
async def test_webhook_refuses_bad_bodies_without_logging_them(emu: BotApiEmulator, shipped_engine: Engine,
                                                               tmp_path: Path, free_port: int, body: bytes,
                                                               status: int, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    url = f"http://127.0.0.1:{free_port}/hook"
    running = Bot(emu, shipped_engine, tmp_path / FILE_NAME, webhook=Webhook(url, "127.0.0.1", free_port, "s3cret"))
    await running.start()
    try:
        async with httpx.AsyncClient(trust_env=False, timeout=10) as client:
            response = await client.post(url, content=body, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret",
                                                                      "Content-Type": "application/json"})
        assert response.status_code == status
        [reply] = await running.say(70, "/start", language_code="nl")  # the bot still works
        assert reply.plain_text
    finally:
        await running.stop()
    assert "garbage" not in caplog.text and "no update id" not in caplog.text and "xxxxxxxx" not in caplog.text
