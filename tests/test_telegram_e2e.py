"""End to end: the real Application (bot.channels.telegram) against the Bot API emulator over loopback.

Every test starts the emulator on a free port and the bot with ``serve`` (the code `faqbot run` uses), on
the shipped content and the real matcher. What the bot must send is computed by running the same chat on
the engine directly (``Mirror``), so the tests check that the channel delivers exactly the engine's replies.
The bot marks each update it has finished (a handler in a later group), so tests wait, never sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import Update
from telegram.error import InvalidToken
from telegram.ext import ContextTypes, TypeHandler

from bot.channels.telegram import RedactingFilter, Webhook, build_application, serve
from bot.channels.telegram.logging_setup import REDACTED
from bot.channels.telegram.send import RetryPolicy
from bot.channels.telegram.translate import outgoing
from bot.engine import ChatState, CommandIn, Engine, Event, PressIn, Reply, TextIn
from bot.engine.texts import Texts
from bot.html import plain_text, validate
from bot.store import FILE_NAME, Store
from bot.telegram_emulator import BotApiEmulator, SentMessage

TOKEN = "123456:TEST-TOKEN"
WRONG_TOKEN = "123456:WRONG-TOKEN"
FAST = RetryPolicy(attempts=5, base_delay=0.02, max_delay=0.1)
DONE_GROUP = 99


class Mirror:
    """The same chat run on the engine directly: the texts the bot must send, in order."""

    def __init__(self, engine: Engine, hint: str | None) -> None:
        self.engine, self.hint = engine, hint
        self.state: ChatState | None = None
        self.replies: list[Reply] = []

    def expect(self, event: Event) -> list[str]:
        self.state, self.replies = self.engine.handle(self.state, event, self.hint)
        return [message.text for reply in self.replies for message in outgoing(reply)]


class Bot:
    """The bot under test: ``build_application`` + ``serve`` on a store file, against the emulator."""

    def __init__(self, emu: BotApiEmulator, engine: Engine, store_path: Path, *, webhook: Webhook | None = None,
                 store: Store | None = None, timeout: float | None = None) -> None:
        self.emu, self.engine, self.webhook = emu, engine, webhook
        self.store = store or Store.connect(store_path)
        self.app = build_application(engine, self.store, emu.token, api_url=emu.base_url, retry=FAST, timeout=timeout)
        self.app.add_handler(TypeHandler(Update, self._mark), group=DONE_GROUP)
        self.done: set[int] = set()
        self.changed = asyncio.Condition()
        self.stop_event = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def _mark(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        async with self.changed:
            self.done.add(update.update_id)
            self.changed.notify_all()

    async def start(self) -> None:
        ready = asyncio.Event()
        self.task = asyncio.create_task(serve(self.app, self.webhook, self.stop_event, poll_timeout=1, ready=ready))
        waiter = asyncio.ensure_future(ready.wait())
        done, _ = await asyncio.wait({self.task, waiter}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
        if waiter not in done:
            waiter.cancel()
            if self.task in done:
                self.task.result()  # raises what stopped the bot
            pytest.fail("the bot did not start within 5 s")

    async def stop(self) -> None:
        self.stop_event.set()
        if self.task is not None:
            await self.task
        self.store.close()

    async def processed(self, update: dict[str, Any], timeout: float = 5.0) -> None:
        """Wait until the bot has finished handling ``update`` (all its replies are sent)."""
        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(lambda: update["update_id"] in self.done), timeout)

    async def _new(self, chat_id: int, push: Callable[[], dict[str, Any]]) -> list[SentMessage]:
        before = len(self.emu.bot_messages(chat_id))
        await self.processed(push())
        return self.emu.bot_messages(chat_id)[before:]

    async def say(self, chat_id: int, text: str, **kwargs: Any) -> list[SentMessage]:
        """The user sends ``text``; returns what the bot sent back."""
        return await self._new(chat_id, lambda: self.emu.send_message(chat_id, text, **kwargs))

    async def send_non_text(self, chat_id: int, kind: Any, **kwargs: Any) -> list[SentMessage]:
        return await self._new(chat_id, lambda: self.emu.send_non_text(chat_id, kind, **kwargs))

    async def press(self, chat_id: int, message: SentMessage, data: str, **kwargs: Any) -> list[SentMessage]:
        """The user presses a button of ``message``; the press must be answered, and the replies are returned."""
        query_ids: list[str] = []

        def push() -> dict[str, Any]:
            query_ids.append(self.emu.press_button(chat_id, message.message_id, data, **kwargs))
            return next(u for u in self.emu.pending_updates if u.get("callback_query", {}).get("id") == query_ids[0])

        sent = await self._new(chat_id, push)
        assert [a.callback_query_id for a in self.emu.answered_callbacks].count(query_ids[0]) == 1
        return sent


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN, bot_username="iom_faq_bot", webhook_retry_delay=0.05) as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator, shipped_engine: Engine, tmp_path: Path) -> AsyncIterator[Bot]:
    running = Bot(emu, shipped_engine, tmp_path / FILE_NAME)
    await running.start()
    yield running
    await running.stop()


def texts(messages: list[SentMessage]) -> list[str]:
    return [m.text for m in messages]


def button(message: SentMessage, predicate: Callable[[str], bool]) -> str:
    found = [data for data in message.callback_data if predicate(data)]
    assert found, f"no matching button in {message.callback_data}"
    return found[0]


async def polled(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait for a condition the emulator has no waiter for (a call that is still being answered)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached"
        await asyncio.sleep(0.005)


# -- conversations ----------------------------------------------------------------------------------


async def test_dutch_and_english_users_in_parallel(bot: Bot, emu: BotApiEmulator, shipped_engine: Engine) -> None:
    questions = {101: ("nl", "Kan IOM mij helpen terug te gaan naar mijn land?"),
                 102: ("en", "Can IOM help me go back to my country?")}
    updates = {chat: emu.send_message(chat, text, language_code=lang) for chat, (lang, text) in questions.items()}
    await asyncio.gather(*(bot.processed(update) for update in updates.values()))
    for chat, (lang, text) in questions.items():
        mirror = Mirror(shipped_engine, lang)
        assert texts(emu.bot_messages(chat)) == mirror.expect(TextIn(text))
        assert {r.trace.lang for r in mirror.replies if r.trace} == {lang}
        assert mirror.replies[0].trace is not None and mirror.replies[0].trace.decision == "answer"
    # a reply computed in milliseconds spends no request on 'typing…' (it would halve the messages per second)
    assert not emu.calls_to("sendChatAction")


async def test_start_menu_press_and_answer(bot: Bot, shipped_engine: Engine) -> None:
    mirror = Mirror(shipped_engine, "en")
    [welcome] = await bot.say(7, "/start", language_code="en")
    assert [welcome.text] == mirror.expect(CommandIn("start"))
    group = button(welcome, lambda d: d == "g:return")
    [topics] = await bot.press(7, welcome, group, language_code="en")
    assert [topics.text] == mirror.expect(PressIn(group))
    topic = button(topics, lambda d: d.startswith("i:return_eligibility"))
    answer = await bot.press(7, topics, topic, language_code="en")
    assert texts(answer) == mirror.expect(PressIn(topic))
    assert plain_text(shipped_engine.content.answer("return_eligibility", "en").text)[:60] in answer[0].plain_text


async def test_guided_check_completed_with_presses(bot: Bot, shipped_engine: Engine) -> None:
    mirror = Mirror(shipped_engine, "en")
    question = "Can IOM help me go back to my country?"
    [answer] = await bot.say(8, question, language_code="en")
    assert [answer.text] == mirror.expect(TextIn(question))
    data = button(answer, lambda d: d.startswith("c:return"))
    [last] = await bot.press(8, answer, data, language_code="en")
    assert [last.text] == mirror.expect(PressIn(data))
    for choice in ("yes", "yes", "yes", "no"):  # lives in NL, voluntary, to the country of origin, not vulnerable
        data = button(last, lambda d, c=choice: d.startswith("a:return:") and d.endswith(":" + c))
        asked = last
        [last] = await bot.press(8, last, data, language_code="en")
        assert [last.text] == mirror.expect(PressIn(data))
        # the answered question keeps no buttons: only the question now open can be answered
        assert bot.emu.bot_message(8, asked.message_id).callback_data == []
    expected = shipped_engine.content.check_texts[("return", "en")].outcomes["may_qualify"]
    assert plain_text(expected)[:50] in last.plain_text
    assert bot.app.bot_data["channel"].states.peek("telegram:8").check is None  # the check has ended
    # a button tapped on a screen that was not refreshed yet still gets a kind reply
    [stale] = await bot.press(8, asked, data, language_code="en", check_button=False)
    en = Texts(shipped_engine.content, "en")
    assert stale.plain_text == plain_text(en("stale_check_ended"))


async def test_human_contact_after_two_misses(bot: Bot, shipped_engine: Engine) -> None:
    en = Texts(shipped_engine.content, "en")
    [first] = await bot.say(9, "xqzt blorf", language_code="en")
    assert first.plain_text == plain_text(en("fallback"))
    [second] = await bot.say(9, "vlamp blorp", language_code="en")
    assert second.plain_text.startswith(plain_text(en("fallback_human")))
    assert any("url" in b for row in second.buttons for b in row)


async def test_non_text_messages_get_the_only_text_reply(bot: Bot, shipped_engine: Engine) -> None:
    for lang, chat in (("nl", 11), ("en", 12)):
        expected = plain_text(Texts(shipped_engine.content, lang)("non_text"))
        for kind in ("voice", "photo", "sticker", "location", "document", "video", "audio", "contact"):
            [reply] = await bot.send_non_text(chat, kind, language_code=lang)
            assert reply.plain_text == expected, kind


async def test_group_messages(bot: Bot, emu: BotApiEmulator) -> None:
    group = -500
    assert await bot.say(group, "hello everyone", chat_type="group") == []
    assert await bot.say(group, "/help@some_other_bot", chat_type="group") == []
    assert await bot.say(group, "ask @someone_else", chat_type="group") == []
    [help_reply] = await bot.say(group, "/help@iom_faq_bot", chat_type="group", language_code="en")
    assert help_reply.reply_to_message_id is not None  # in groups the bot quotes who it answers
    assert await bot.say(group, "/menu", chat_type="group")
    assert await bot.say(group, "@iom_faq_bot how do I go back to my country?", chat_type="group")
    assert await bot.say(group, "and for my family?", chat_type="group", reply_to_bot_message_id=help_reply.message_id)
    assert await bot.send_non_text(group, "sticker", chat_type="group") == []


async def test_edited_messages_are_ignored(bot: Bot, emu: BotApiEmulator) -> None:
    update = emu.send_message(13, "hallo", language_code="nl")
    await bot.processed(update)
    before = len(emu.bot_messages(13))
    emu.edit_user_message(13, update["message"]["message_id"], "iets anders")
    assert len(await bot.say(13, "/menu")) == 1  # only the reply to /menu, none to the edit
    assert len(emu.bot_messages(13)) == before + 1


HTML_CHARACTERS: list[tuple[str, Event]] = [
    ("<b>help</b> & 1 < 2 > 0", TextIn("<b>help</b> & 1 < 2 > 0")),
    ("&amp; <a href='x'>", TextIn("&amp; <a href='x'>")),
    ("/x<y>&z", CommandIn("x", "<y>&z")),  # Telegram's command entity is '/x'; the rest are arguments
    ("/language <b>&", CommandIn("language", "<b>&")),
]


async def test_user_text_with_html_characters(bot: Bot, shipped_engine: Engine) -> None:
    mirror = Mirror(shipped_engine, "en")
    for text, event in HTML_CHARACTERS:
        sent = await bot.say(14, text, language_code="en")
        assert sent, text  # the emulator refuses invalid HTML with 400: a reply proves it was valid
        assert texts(sent) == mirror.expect(event)
        assert all(validate(m.text) == [] for m in sent)


async def test_long_replies_are_split(emu: BotApiEmulator, shipped_engine: Engine, tmp_path: Path) -> None:
    paragraph = "<b>Paragraph</b> " + "words and more words " * 90

    class LongEngine(Engine):
        def handle(self, state: ChatState | None, event: Event, lang_hint: str | None = None
                   ) -> tuple[ChatState, list[Reply]]:
            new_state, replies = super().handle(state, event, lang_hint)  # buttons from a real reply
            long = Reply("\n\n".join([paragraph] * 8), replies[0].buttons)
            return new_state, [long]

    engine = LongEngine(shipped_engine.content, shipped_engine.nlu)
    running = Bot(emu, engine, tmp_path / FILE_NAME)
    await running.start()
    try:
        sent = await running.say(15, "/start", language_code="en")
    finally:
        await running.stop()
    assert len(sent) == 4  # 8 paragraphs of 1900 characters: 2 per message
    assert [bool(m.buttons) for m in sent] == [False, False, False, True]
    assert all(m.plain_text.startswith("Paragraph") for m in sent)


# -- state, robustness and secrets ------------------------------------------------------------------


async def test_state_survives_a_restart(emu: BotApiEmulator, shipped_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "data" / FILE_NAME
    first = Bot(emu, shipped_engine, path)
    await first.start()
    try:
        [chosen] = await first.say(16, "/language nl", language_code="en", first_name="Amina")
    finally:
        await first.stop()
    assert chosen.plain_text.startswith(plain_text(Texts(shipped_engine.content, "nl")("language_set"))[:20])
    second = Bot(emu, shipped_engine, path)
    await second.start()
    try:
        [menu] = await second.say(16, "/menu", language_code="en")  # Telegram still says English
    finally:
        await second.stop()
    assert menu.plain_text == plain_text(Texts(shipped_engine.content, "nl")("menu"))
    stored = b"".join(p.read_bytes() for p in path.parent.iterdir())
    assert b"Amina" not in stored and b"user16" not in stored and b"User 16" not in stored  # no names kept
    with sqlite3.connect(path) as db:
        assert [row[0] for row in db.execute("SELECT chat_key FROM chat_state")] == ["telegram:16"]


async def test_flood_control_and_bad_gateway_every_message_answered_once(bot: Bot, emu: BotApiEmulator,
                                                                         shipped_engine: Engine) -> None:
    mirror = Mirror(shipped_engine, "en")
    emu.inject_fault("sendMessage", status=429, retry_after=1)
    emu.inject_fault("sendMessage", status=502, times=2)
    for text in ("/start", "Can IOM help me go back to my country?", "/privacy"):
        assert texts(await bot.say(17, text, language_code="en")) == mirror.expect(TextIn(text))
    assert emu.faults == []
    assert len(emu.calls_to("sendMessage")) == len(emu.bot_messages(17)) + 3  # three faulted tries, then sent


async def test_one_chat_in_order_different_chats_side_by_side(bot: Bot, emu: BotApiEmulator,
                                                              shipped_engine: Engine) -> None:
    mirror = Mirror(shipped_engine, "en")
    emu.inject_fault("sendMessage", status=None, delay=0.5)  # the first reply to chat 21 is slow
    first = [emu.send_message(21, text, language_code="en") for text in ("/start", "/privacy", "/help")]
    await polled(lambda: any(c["chat_id"] == 21 for c in emu.calls_to("sendMessage")))  # the slow call is made
    [other] = await bot.say(22, "/menu", language_code="en")  # not held up by chat 21
    assert first[0]["update_id"] not in bot.done
    for update in first:
        await bot.processed(update)
    expected = [text for event in ("/start", "/privacy", "/help") for text in mirror.expect(TextIn(event))]
    assert texts(emu.bot_messages(21)) == expected  # in the order the user wrote


async def test_a_timed_out_send_is_retried_and_may_show_twice(emu: BotApiEmulator, shipped_engine: Engine,
                                                               tmp_path: Path) -> None:
    running = Bot(emu, shipped_engine, tmp_path / FILE_NAME, timeout=0.3)
    await running.start()
    try:
        emu.inject_fault("sendMessage", status=None, delay=0.6)  # Telegram delivers, but answers too late
        [retried] = await running.say(23, "/privacy", language_code="en")
        [late, again] = await emu.wait_for_bot_messages(23, 2)  # the first try arrives after all
    finally:
        await running.stop()
    # the documented trade-off (docs/telegram.md): never lost, possibly shown twice
    assert late.text == again.text == retried.text


async def test_a_press_is_answered_even_when_handling_fails(emu: BotApiEmulator, shipped_engine: Engine,
                                                            tmp_path: Path) -> None:
    class BrokenEngine(Engine):
        broken = False

        def handle(self, state: ChatState | None, event: Event, lang_hint: str | None = None
                   ) -> tuple[ChatState, list[Reply]]:
            if self.broken:
                raise RuntimeError("a bug in the engine")
            return super().handle(state, event, lang_hint)

    engine = BrokenEngine(shipped_engine.content, shipped_engine.nlu)
    running = Bot(emu, engine, tmp_path / FILE_NAME)
    await running.start()
    try:
        [welcome] = await running.say(18, "/start", language_code="en")
        engine.broken = True
        [error] = await running.press(18, welcome, welcome.callback_data[0], language_code="en")
    finally:
        await running.stop()
    assert error.plain_text == plain_text(Texts(shipped_engine.content, "en")("error"))


async def test_command_menus_per_language(bot: Bot, emu: BotApiEmulator, shipped_engine: Engine) -> None:
    menus = emu.commands
    assert menus[("default", "nl")] == shipped_engine.commands("nl")
    assert menus[("default", "en")] == shipped_engine.commands("en")
    assert menus[("default", "")] == shipped_engine.commands(shipped_engine.content.languages[0])


async def test_the_token_never_appears_in_logs(emu: BotApiEmulator, shipped_engine: Engine, tmp_path: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    caplog.set_level("DEBUG", logger="httpx")  # httpx logs each request URL, token included: the filter must catch it
    caplog.handler.addFilter(RedactingFilter([TOKEN, WRONG_TOKEN]))  # `faqbot run` passes the token it uses
    emu.inject_fault("sendMessage", status=502)
    running = Bot(emu, shipped_engine, tmp_path / FILE_NAME)
    await running.start()
    try:
        await running.say(19, "/start", language_code="en")
    finally:
        await running.stop()
    with Store.connect(tmp_path / "other.sqlite3") as store:
        wrong = build_application(shipped_engine, store, WRONG_TOKEN, api_url=emu.base_url)
        with pytest.raises(InvalidToken) as rejected:
            await serve(wrong, stop=asyncio.Event())
    assert "WRONG-TOKEN" in str(rejected.value)  # PTB puts the token in the message: the filter must remove it
    logging.getLogger("bot.test").error("start-up failed: %s", rejected.value, exc_info=rejected.value)
    assert any("HTTP Request" in r.getMessage() for r in caplog.records)
    assert REDACTED in caplog.text
    for secret in (TOKEN, WRONG_TOKEN):
        assert secret not in caplog.text
        assert all(secret not in r.getMessage() and secret not in (r.exc_text or "") for r in caplog.records)


async def test_webhook_mode_with_secret_token(emu: BotApiEmulator, shipped_engine: Engine, tmp_path: Path,
                                              unused_tcp_port: int) -> None:
    url = f"http://127.0.0.1:{unused_tcp_port}/telegram/hook"
    hook = Webhook(url, "127.0.0.1", unused_tcp_port, "s3cret_Token-1")
    running = Bot(emu, shipped_engine, tmp_path / FILE_NAME, webhook=hook)
    await running.start()
    try:
        assert emu.webhook is not None and (emu.webhook.url, emu.webhook.secret_token) == (url, "s3cret_Token-1")
        [reply] = await running.say(20, "/start", language_code="nl")
        assert reply.plain_text.startswith(plain_text(Texts(shipped_engine.content, "nl")("welcome"))[:20])
        # the bot may reply before the emulator has read the webhook's 200: wait for the delivery to be recorded
        await polled(lambda: bool(emu.delivered_webhook_updates))
        assert len(emu.delivered_webhook_updates) == 1
        update = {"update_id": 999, "message": {"message_id": 1, "date": 0, "chat": {"id": 20, "type": "private"},
                                                "text": "/start"}}
        async with httpx.AsyncClient(trust_env=False, timeout=5) as client:
            for headers in ({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, {}):
                response = await client.post(url, json=update, headers=headers)
                assert response.status_code == 403
    finally:
        await running.stop()
    assert len(emu.bot_messages(20)) == 1  # the refused requests were not handled


@pytest.fixture
def unused_tcp_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
