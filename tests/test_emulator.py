"""Tests for the local Telegram Bot API emulator (bot.telegram_emulator), over loopback HTTP."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import telegram
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
    Update,
)
from telegram.error import BadRequest, Conflict, NetworkError, RetryAfter, TimedOut
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.html import plain_text, validate
from bot.telegram_emulator import SECRET_HEADER, BotApiEmulator, SentMessage
from bot.telegram_emulator.entities import html_to_entities, user_text_entities, utf16_len
from bot.telegram_emulator.errors import (
    BUTTON_DATA_INVALID,
    CHAT_NOT_FOUND,
    DESCRIPTION_TOO_LONG,
    MESSAGE_NOT_MODIFIED,
    MESSAGE_TO_EDIT_NOT_FOUND,
    SHORT_DESCRIPTION_TOO_LONG,
    TEXT_EMPTY,
    TEXT_TOO_LONG,
)

TOKEN = "123456:TEST-TOKEN"
CHAT = 42
KEYBOARD = {"inline_keyboard": [[{"text": "Nederlands", "callback_data": "lang:nl"},
                                 {"text": "English", "callback_data": "lang:en"}]]}


# -- fixtures ----------------------------------------------------------------------------------------

@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN, bot_username="iom_faq_bot", webhook_retry_delay=0.05) as emulator:
        yield emulator


@pytest.fixture
async def http(emu: BotApiEmulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=emu.api_url + "/", trust_env=False, timeout=5) as client:
        yield client


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(TOKEN, base_url=emu.base_url) as ptb_bot:
        yield ptb_bot


@pytest.fixture
def chat(emu: BotApiEmulator) -> int:
    """A private chat the bot may write to (the user said hello and the update was confirmed)."""
    emu.send_message(CHAT, "hallo")
    emu.reset()
    return CHAT


@pytest.fixture(autouse=True)
def _timedelta_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns when time periods are read as ints; opt in to timedeltas.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@dataclass
class Hook:
    """A tiny webhook endpoint: records (secret header, body) and answers queued statuses (then 200)."""

    url: str
    received: list[tuple[str | None, dict[str, Any]]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)


class _HookHandler(RequestHandler):
    def initialize(self, hook: Hook) -> None:
        self.hook = hook

    def post(self) -> None:
        self.hook.received.append((self.request.headers.get(SECRET_HEADER), json.loads(self.request.body)))
        self.set_status(self.hook.statuses.pop(0) if self.hook.statuses else 200)


@pytest.fixture
async def hook() -> AsyncIterator[Hook]:
    sockets = bind_sockets(0, address="127.0.0.1")
    port = sockets[0].getsockname()[1]
    target = Hook(url=f"http://127.0.0.1:{port}/telegram")
    server = HTTPServer(Application([(r"/telegram", _HookHandler, {"hook": target})]))
    server.add_sockets(sockets)
    yield target
    server.stop()
    await server.close_all_connections()


def encode(params: dict[str, Any], how: str) -> dict[str, Any]:
    """httpx request kwargs sending ``params`` like a Bot API client would."""
    flat = {k: json.dumps(v) if isinstance(v, dict | list) else str(v).lower() if isinstance(v, bool) else str(v)
            for k, v in params.items()}
    if how == "json":
        return {"json": params}
    if how == "form":
        return {"data": flat}
    if how == "multipart":
        return {"data": flat, "files": {"attachment": ("note.txt", b"x", "text/plain")}}
    return {"params": flat}


async def call(http: httpx.AsyncClient, method: str, params: dict[str, Any] | None = None,
               how: str = "json") -> tuple[int, dict[str, Any]]:
    verb = "GET" if how == "query" else "POST"
    response = await http.request(verb, method, **encode(params or {}, how))
    return response.status_code, response.json()


# -- HTTP surface ------------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["query", "form", "json", "multipart"])
async def test_get_me_in_every_encoding(http: httpx.AsyncClient, how: str) -> None:
    status, body = await call(http, "getMe", {}, how)
    assert status == 200
    assert body["ok"] is True
    assert body["result"]["username"] == "iom_faq_bot"
    assert body["result"]["id"] == 123456
    assert body["result"]["is_bot"] is True


async def test_get_me_with_ptb(bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "iom_faq_bot", True)
    assert bot.username == "iom_faq_bot"


@pytest.mark.parametrize(
    ("path", "status", "description"),
    [
        ("/bot999:WRONG/getMe", 401, "Unauthorized"),
        ("/bot{token}/noSuchMethod", 404, "Not Found"),
        ("/bot{token}/", 404, "Not Found"),
        ("/favicon.ico", 404, "Not Found"),
    ],
)
async def test_auth_and_unknown_paths(emu: BotApiEmulator, path: str, status: int, description: str) -> None:
    async with httpx.AsyncClient(trust_env=False) as client:
        response = await client.post(f"http://127.0.0.1:{emu.port}" + path.format(token=TOKEN))
    assert response.status_code == status
    assert response.json() == {"ok": False, "error_code": status, "description": description}


async def test_method_names_are_case_insensitive_and_calls_recorded(emu: BotApiEmulator,
                                                                     http: httpx.AsyncClient) -> None:
    status, _ = await call(http, "getme")
    assert status == 200
    await call(http, "noSuchMethod", {"x": 1})
    assert [c.method for c in emu.calls] == ["getMe", "noSuchMethod"]
    method, params = emu.calls[1]
    assert (method, params) == ("noSuchMethod", {"x": 1})


async def test_wrong_token_with_ptb_is_invalid_token(emu: BotApiEmulator) -> None:
    with pytest.raises(telegram.error.InvalidToken):
        async with telegram.Bot("999:WRONG", base_url=emu.base_url):
            pass  # initialize() calls getMe


# -- getUpdates --------------------------------------------------------------------------------------

async def test_long_poll_returns_injected_message_before_timeout(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=3))
    await asyncio.sleep(0.05)
    emu.send_message(CHAT, "Hoe vraag ik asiel aan?")
    updates = await poll
    assert time.monotonic() - started < 1.5
    assert len(updates) == 1
    message = updates[0].message
    assert message is not None and message.text == "Hoe vraag ik asiel aan?"
    assert message.chat.id == CHAT and message.from_user is not None and message.from_user.id == CHAT
    assert message.from_user.language_code == "nl"


async def test_long_poll_returns_empty_list_after_timeout(http: httpx.AsyncClient) -> None:
    started = time.monotonic()
    status, body = await call(http, "getUpdates", {"timeout": 0.3}, "form")
    assert (status, body) == (200, {"ok": True, "result": []})
    assert 0.25 <= time.monotonic() - started < 2


async def test_offset_confirms_updates(emu: BotApiEmulator, http: httpx.AsyncClient) -> None:
    ids = [emu.send_message(CHAT, f"m{i}")["update_id"] for i in range(3)]
    steps: list[tuple[dict[str, Any], list[int]]] = [
        ({}, ids),
        ({"limit": 2}, ids[:2]),
        ({"offset": ids[1]}, ids[1:]),
        ({}, ids[1:]),  # confirmed updates are gone for good
        ({"offset": ids[2] + 1}, []),
    ]
    for params, expected in steps:
        _, body = await call(http, "getUpdates", params, "form")
        assert [u["update_id"] for u in body["result"]] == expected, params
    assert emu.pending_updates == []
    more = [emu.send_message(CHAT, f"n{i}")["update_id"] for i in range(3)]
    assert more[0] == ids[-1] + 1
    _, body = await call(http, "getUpdates", {"offset": -1}, "json")
    assert [u["update_id"] for u in body["result"]] == more[-1:]
    assert [u["update_id"] for u in emu.pending_updates] == more[-1:]


async def test_allowed_updates_filter(emu: BotApiEmulator, http: httpx.AsyncClient) -> None:
    sent = emu.send_message(CHAT, "typo")
    emu.edit_user_message(CHAT, sent["message"]["message_id"], "fixed")
    _, body = await call(http, "getUpdates", {"allowed_updates": ["edited_message"]}, "form")
    assert [list(u)[1] for u in body["result"]] == ["edited_message"]
    assert body["result"][0]["edited_message"]["text"] == "fixed"


async def test_newer_poll_terminates_older_one_with_conflict(http: httpx.AsyncClient) -> None:
    first = asyncio.create_task(call(http, "getUpdates", {"timeout": 3}))
    await asyncio.sleep(0.05)
    second = await call(http, "getUpdates", {"timeout": 0})
    status, body = await first
    assert second[0] == 200
    assert status == 409 and body["description"].startswith("Conflict: terminated by other getUpdates")


async def test_stop_releases_a_pending_long_poll() -> None:
    emulator = BotApiEmulator(TOKEN)
    await emulator.start()
    async with httpx.AsyncClient(trust_env=False) as client:
        poll = asyncio.create_task(client.post(emulator.api_url + "/getUpdates", data={"timeout": "30"}))
        await asyncio.sleep(0.05)
        started = time.monotonic()
        await emulator.stop()
        with pytest.raises(httpx.HTTPError):
            (await poll).raise_for_status()
        assert time.monotonic() - started < 2


async def test_stopped_emulator_has_no_url() -> None:
    with pytest.raises(RuntimeError):
        _ = BotApiEmulator().base_url


# -- sendMessage and Telegram's rules ----------------------------------------------------------------

async def test_send_message_with_valid_html(emu: BotApiEmulator, bot: telegram.Bot, chat: int) -> None:
    html_text = "<b>Asiel</b> aanvragen: zie <a href=\"https://iom.nl\">iom.nl</a> &amp; bel ons 👋"
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Meer", callback_data="more:1")]])
    message = await bot.send_message(chat, html_text, parse_mode="HTML", reply_markup=markup,
                                     disable_notification=True)
    assert message.text == "Asiel aanvragen: zie iom.nl & bel ons 👋"
    assert message.text_html == html_text.replace("&amp;", "&amp;")
    assert message.from_user is not None and message.from_user.id == emu.bot_id
    assert message.reply_markup == markup
    assert emu.bot_messages() == [SentMessage(chat, message.message_id, html_text, "HTML",
                                              {"inline_keyboard": [[{"text": "Meer", "callback_data": "more:1"}]]})]
    assert emu.bot_messages(chat)[0].plain_text == message.text
    assert emu.bot_messages(chat + 1) == []


async def test_send_message_reply_parameters(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    user_message = emu.send_message(CHAT, "vraag")["message"]
    reply = await bot.send_message(CHAT, "antwoord",
                                   reply_parameters=ReplyParameters(user_message["message_id"]))
    assert reply.reply_to_message is not None and reply.reply_to_message.text == "vraag"
    assert emu.bot_messages(CHAT)[0].reply_to_message_id == user_message["message_id"]
    with pytest.raises(BadRequest, match="(?i)message to be replied not found"):
        await bot.send_message(CHAT, "x", reply_parameters=ReplyParameters(9999))
    ok = await bot.send_message(CHAT, "x", reply_parameters=ReplyParameters(9999, allow_sending_without_reply=True))
    assert ok.reply_to_message is None


LONG_OK = [
    ("a" * 4096, None),
    ("<b>" + "a" * 4096 + "</b>", "HTML"),
    ("&amp;" * 4096, "HTML"),
    ("<i>x</i>", "html"),
]


@pytest.mark.parametrize(("text", "parse_mode"), LONG_OK)
async def test_send_message_accepts_up_to_4096_visible_characters(http: httpx.AsyncClient, chat: int, text: str,
                                                                   parse_mode: str | None) -> None:
    params: dict[str, Any] = {"chat_id": chat, "text": text}
    if parse_mode:
        params["parse_mode"] = parse_mode
    status, body = await call(http, "sendMessage", params, "form")
    assert status == 200, body
    assert len(body["result"]["text"]) <= 4096


REJECTED = [
    ("invalid html", {"text": "<b>bold", "parse_mode": "HTML"}, "Bad Request: can't parse entities: "),
    ("unknown tag", {"text": "<div>x</div>", "parse_mode": "HTML"}, "Bad Request: can't parse entities: "),
    ("bare ampersand", {"text": "A & B", "parse_mode": "HTML"}, "Bad Request: can't parse entities: "),
    ("empty text", {"text": ""}, TEXT_EMPTY),
    ("missing text", {}, TEXT_EMPTY),
    ("only tags", {"text": "<b></b>", "parse_mode": "HTML"}, TEXT_EMPTY),
    ("too long", {"text": "a" * 4097}, TEXT_TOO_LONG),
    ("too long visible", {"text": "<b>" + "a" * 4097 + "</b>", "parse_mode": "HTML"}, TEXT_TOO_LONG),
    ("callback data 65 bytes", {"text": "x", "reply_markup": {"inline_keyboard": [[
        {"text": "b", "callback_data": "d" * 65}]]}}, BUTTON_DATA_INVALID),
    ("callback data 66 utf-8 bytes", {"text": "x", "reply_markup": {"inline_keyboard": [[
        {"text": "b", "callback_data": "é" * 33}]]}}, BUTTON_DATA_INVALID),
    ("text-only inline button", {"text": "x", "reply_markup": {"inline_keyboard": [[{"text": "b"}]]}},
     "Bad Request: can't parse inline keyboard button"),
    ("unknown chat", {"chat_id": 999, "text": "hi"}, CHAT_NOT_FOUND),
    ("username chat", {"chat_id": "@someone", "text": "hi"}, CHAT_NOT_FOUND),
    ("unsupported parse mode", {"text": "x", "parse_mode": "BBCode"}, "Bad Request: unsupported parse_mode"),
    ("reply to missing", {"text": "x", "reply_to_message_id": 999}, "Bad Request: message to be replied not found"),
]


@pytest.mark.parametrize("how", ["form", "json", "multipart"])
@pytest.mark.parametrize(("case", "params", "description"), REJECTED, ids=[r[0] for r in REJECTED])
async def test_send_message_rejections(emu: BotApiEmulator, http: httpx.AsyncClient, chat: int, case: str,
                                       params: dict[str, Any], description: str, how: str) -> None:
    status, body = await call(http, "sendMessage", {"chat_id": chat, **params}, how)
    assert status == 400, case
    assert body["ok"] is False and body["error_code"] == 400
    assert body["description"].startswith(description)
    assert emu.bot_messages() == []


@pytest.mark.parametrize(
    ("text", "kwargs", "match"),
    [
        ("<b>kapot", {"parse_mode": "HTML"}, "can't parse entities"),
        ("x" * 4097, {}, "message is too long"),
        ("x", {"reply_markup": InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data="d" * 65)]])},
         "BUTTON_DATA_INVALID"),
        ("x", {"chat_id": 7}, "chat not found"),
    ],
)
async def test_send_message_rejections_surface_as_bad_request(bot: telegram.Bot, chat: int, text: str,
                                                              kwargs: dict[str, Any], match: str) -> None:
    chat_id = kwargs.pop("chat_id", chat)
    with pytest.raises(BadRequest, match=f"(?i){match}"):
        await bot.send_message(chat_id, text, **kwargs)


# -- edits, deletes ----------------------------------------------------------------------------------

async def test_edit_message_text_updates_text(emu: BotApiEmulator, bot: telegram.Bot, chat: int) -> None:
    sent = await bot.send_message(chat, "Kies een taal", reply_markup=InlineKeyboardMarkup.from_row(
        [InlineKeyboardButton("NL", callback_data="nl")]))
    edited = await bot.edit_message_text("<b>Taal gekozen</b>", chat_id=chat, message_id=sent.message_id,
                                         parse_mode="HTML")
    assert isinstance(edited, telegram.Message)
    assert edited.text == "Taal gekozen" and edited.edit_date is not None
    [current] = emu.bot_messages(chat)
    assert (current.text, current.parse_mode, current.edited) == ("<b>Taal gekozen</b>", "HTML", True)
    assert current.reply_markup is None  # like Telegram: no reply_markup in the edit removes the keyboard


async def test_edit_rules(emu: BotApiEmulator, http: httpx.AsyncClient, chat: int) -> None:
    _, body = await call(http, "sendMessage", {"chat_id": chat, "text": "<b>x</b>", "parse_mode": "HTML",
                                               "reply_markup": KEYBOARD})
    message_id = body["result"]["message_id"]
    user_message_id = emu.send_message(chat, "van de gebruiker")["message"]["message_id"]
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"message_id": 999, "text": "y"}, 400, MESSAGE_TO_EDIT_NOT_FOUND),
        ({"message_id": user_message_id, "text": "y"}, 400, "Bad Request: message can't be edited"),
        ({"message_id": message_id, "text": "<b>x</b>", "parse_mode": "HTML", "reply_markup": KEYBOARD}, 400,
         MESSAGE_NOT_MODIFIED),
        ({"message_id": message_id, "text": "<i>x", "parse_mode": "HTML"}, 400, "Bad Request: can't parse entities"),
        ({"message_id": message_id, "text": ""}, 400, TEXT_EMPTY),
        ({"message_id": message_id, "text": "<i>x</i>", "parse_mode": "HTML", "reply_markup": KEYBOARD}, 200, ""),
    ]
    for params, status, description in cases:
        got_status, got = await call(http, "editMessageText", {"chat_id": chat, **params}, "form")
        assert got_status == status, (params, got)
        if description:
            assert got["description"].startswith(description)
    assert emu.bot_message(chat, message_id).text == "<i>x</i>"


async def test_edit_message_reply_markup(emu: BotApiEmulator, bot: telegram.Bot, chat: int) -> None:
    sent = await bot.send_message(chat, "x", reply_markup=InlineKeyboardMarkup.from_button(
        InlineKeyboardButton("a", callback_data="a")))
    await bot.edit_message_reply_markup(chat, sent.message_id)
    assert emu.bot_message(chat, sent.message_id).reply_markup is None
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_reply_markup(chat, sent.message_id)
    await bot.edit_message_reply_markup(chat, sent.message_id, reply_markup=InlineKeyboardMarkup.from_button(
        InlineKeyboardButton("b", callback_data="b")))
    assert emu.bot_message(chat, sent.message_id).callback_data == ["b"]
    assert emu.bot_message(chat, sent.message_id).edited is False  # only text edits count as "edited"


async def test_edit_message_reply_markup_without_markup_removes_the_buttons(emu: BotApiEmulator, bot: telegram.Bot,
                                                                            chat: int) -> None:
    events: list[dict[str, Any]] = []
    emu.subscribe(events.append)
    sent = await bot.send_message(chat, "<b>Woon je in Nederland?</b>", parse_mode="HTML",
                                  reply_markup=InlineKeyboardMarkup.from_row(
                                      [InlineKeyboardButton("Ja", callback_data="a:yes"),
                                       InlineKeyboardButton("Nee", callback_data="a:no")]))
    edited = await bot.edit_message_reply_markup(chat, sent.message_id, reply_markup=None)
    assert isinstance(edited, telegram.Message)
    assert edited.reply_markup is None and edited.text == "Woon je in Nederland?"
    current = emu.bot_message(chat, sent.message_id)
    assert (current.buttons, current.text, current.edited) == ([], "<b>Woon je in Nederland?</b>", False)
    assert [e["type"] for e in events] == ["message_sent", "message_edited"]
    assert events[1]["message"]["reply_markup"] is None and "reply_markup" not in events[1]["telegram"]
    with pytest.raises(ValueError):  # the old buttons cannot be pressed any more
        emu.press_button(chat, sent.message_id, "a:yes")


async def test_delete_message(emu: BotApiEmulator, bot: telegram.Bot, chat: int) -> None:
    sent = await bot.send_message(chat, "weg")
    assert await bot.delete_message(chat, sent.message_id) is True
    assert emu.bot_messages() == []
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await bot.delete_message(chat, sent.message_id)


# -- user side: payloads PTB can parse ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/start", [("bot_command", "/start")]),
        ("/help@iom_faq_bot", [("bot_command", "/help@iom_faq_bot")]),
        ("hoi @iom_faq_bot, help", [("mention", "@iom_faq_bot")]),
        ("👋 /start nu", [("bot_command", "/start")]),
        ("/start en /help", [("bot_command", "/start"), ("bot_command", "/help")]),
        ("mail a@b.nl of ga naar a/b", []),
        ("gewone vraag", []),
    ],
)
async def test_user_messages_carry_command_and_mention_entities(emu: BotApiEmulator, text: str,
                                                                expected: list[tuple[str, str]]) -> None:
    update = Update.de_json(emu.send_message(CHAT, text), None)
    assert update.message is not None
    found = [(str(entity.type), value) for entity, value in update.message.parse_entities().items()]
    assert sorted(found, key=lambda e: text.index(e[1])) == expected


async def test_group_messages_and_explicit_users(emu: BotApiEmulator) -> None:
    update = Update.de_json(emu.send_message(-100, "/start@iom_faq_bot", chat_type="group", user_id=7,
                                             language_code="en"), None)
    assert update.effective_chat is not None and update.effective_chat.type == "group"
    assert update.effective_chat.id == -100 and update.effective_chat.title
    assert update.effective_user is not None and (update.effective_user.id, update.effective_user.language_code) \
        == (7, "en")
    default_user = Update.de_json(emu.send_message(-100, "hoi"), None).effective_user
    assert default_user is not None and default_user.id == 100
    with pytest.raises(ValueError):
        emu.send_message(5, "x", chat_type="group")
    with pytest.raises(ValueError):
        emu.send_message(-100, "x", chat_type="private")


@pytest.mark.parametrize("kind", ["voice", "photo", "sticker", "location", "document", "video", "audio",
                                  "contact"])
async def test_non_text_messages_parse_in_ptb(emu: BotApiEmulator, kind: str) -> None:
    update = Update.de_json(emu.send_non_text(CHAT, kind), None)  # type: ignore[arg-type]
    message = update.message
    assert message is not None and message.text is None
    assert getattr(message, kind)
    if kind == "photo":
        assert len(message.photo) == 3


async def test_user_edits_and_replies(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    first = emu.send_message(CHAT, "vraag")["message"]
    edited = Update.de_json(emu.edit_user_message(CHAT, first["message_id"], "/help"), None)
    assert edited.edited_message is not None and edited.edited_message.text == "/help"
    assert edited.edited_message.entities[0].type == "bot_command"
    answer = await bot.send_message(CHAT, "antwoord")
    reply = Update.de_json(emu.send_message(CHAT, "dank", reply_to_bot_message_id=answer.message_id), None)
    assert reply.message is not None and reply.message.reply_to_message is not None
    assert reply.message.reply_to_message.from_user is not None and reply.message.reply_to_message.from_user.is_bot
    with pytest.raises(LookupError):
        emu.send_message(CHAT, "x", reply_to_bot_message_id=first["message_id"])
    with pytest.raises(LookupError):
        emu.edit_user_message(CHAT, answer.message_id, "nope")


async def test_press_button_and_answer_callback(emu: BotApiEmulator, bot: telegram.Bot, chat: int) -> None:
    sent = await bot.send_message(chat, "Taal?", reply_markup=InlineKeyboardMarkup.from_row(
        [InlineKeyboardButton("NL", callback_data="lang:nl"), InlineKeyboardButton("EN", callback_data="lang:en")]))
    query_id = emu.press_button(chat, sent.message_id, "lang:en")
    [update] = await bot.get_updates()
    assert update.callback_query is not None
    assert (update.callback_query.id, update.callback_query.data) == (query_id, "lang:en")
    assert update.callback_query.message is not None and update.callback_query.message.message_id == sent.message_id
    assert await bot.answer_callback_query(query_id, text="English it is") is True
    answer = await emu.wait_for_callback_answered(query_id, timeout=1)
    assert (answer.text, answer.data, answer.message_id, answer.show_alert) == ("English it is", "lang:en",
                                                                                sent.message_id, False)
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await bot.answer_callback_query("12345")
    with pytest.raises(ValueError):
        emu.press_button(chat, sent.message_id, "lang:de")
    with pytest.raises(LookupError):
        emu.press_button(chat, 999, "lang:nl")


async def test_chat_actions(emu: BotApiEmulator, bot: telegram.Bot, http: httpx.AsyncClient, chat: int) -> None:
    assert await bot.send_chat_action(chat, "typing") is True
    assert [(a.chat_id, a.action) for a in emu.chat_actions] == [(chat, "typing")]
    assert await emu.wait_for_chat_action(chat, "typing", timeout=0.1)
    status, body = await call(http, "sendChatAction", {"chat_id": chat, "action": "dancing"}, "form")
    assert status == 400 and "action" in body["description"]


# -- faults ------------------------------------------------------------------------------------------

async def test_429_surfaces_as_retry_after_and_records_nothing(emu: BotApiEmulator, bot: telegram.Bot,
                                                               http: httpx.AsyncClient, chat: int) -> None:
    emu.inject_fault("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(chat, "eerste poging")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    assert emu.bot_messages() == []
    await bot.send_message(chat, "tweede poging")
    assert [m.text for m in emu.bot_messages()] == ["tweede poging"]
    assert len(emu.calls_to("sendMessage")) == 2
    emu.inject_fault("sendMessage", retry_after=7)
    status, body = await call(http, "sendMessage", {"chat_id": chat, "text": "x"})
    assert (status, body) == (429, {"ok": False, "error_code": 429,
                                    "description": "Too Many Requests: retry after 7",
                                    "parameters": {"retry_after": 7}})


@pytest.mark.parametrize(
    ("status", "description"),
    [(500, "Internal Server Error"), (502, "Bad Gateway"), (503, "Service Unavailable"), (504, "Gateway Timeout")],
)
async def test_server_errors_surface_as_network_error(emu: BotApiEmulator, bot: telegram.Bot, chat: int,
                                                      status: int, description: str) -> None:
    emu.inject_fault("sendMessage", status=status)
    with pytest.raises(NetworkError, match=description):
        await bot.send_message(chat, "x")
    assert emu.bot_messages() == []
    assert emu.faults == []


async def test_fault_counts_and_wildcard(emu: BotApiEmulator, http: httpx.AsyncClient) -> None:
    emu.inject_fault("*", status=502, times=2)
    statuses = [(await call(http, method))[0] for method in ("getMe", "getWebhookInfo", "getMe")]
    assert statuses == [502, 502, 200]
    emu.inject_fault("getMe", status=500)
    emu.clear_faults()
    assert (await call(http, "getMe"))[0] == 200


async def test_delay_fault_times_out_the_client(emu: BotApiEmulator, chat: int) -> None:
    emu.inject_fault("sendMessage", status=500, delay=1.0)
    async with telegram.Bot(TOKEN, base_url=emu.base_url) as slow_bot:
        with pytest.raises(TimedOut):
            await slow_bot.send_message(chat, "x", read_timeout=0.1)
    assert emu.bot_messages() == []


async def test_delay_only_fault_answers_late_but_succeeds(emu: BotApiEmulator, http: httpx.AsyncClient,
                                                          chat: int) -> None:
    emu.inject_fault("sendMessage", status=None, delay=0.2)
    started = time.monotonic()
    status, _ = await call(http, "sendMessage", {"chat_id": chat, "text": "laat"})
    assert status == 200 and time.monotonic() - started >= 0.2
    assert [m.text for m in emu.bot_messages()] == ["laat"]


@pytest.mark.parametrize("kwargs", [{"times": 0}, {"status": 200}, {"status": None}, {"delay": -1}])
def test_invalid_faults_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        BotApiEmulator().inject_fault("sendMessage", **kwargs)


# -- webhook -----------------------------------------------------------------------------------------

async def test_webhook_delivery_with_secret(emu: BotApiEmulator, bot: telegram.Bot, hook: Hook) -> None:
    assert await bot.set_webhook(hook.url, secret_token="s3cr3t-token")
    assert emu.webhook is not None and emu.webhook.url == hook.url
    update = emu.send_message(CHAT, "via webhook")
    await emu.wait_until(lambda: len(hook.received) == 1, timeout=2)
    assert hook.received == [("s3cr3t-token", update)]
    await emu.wait_for_updates_consumed(timeout=1)
    assert emu.delivered_webhook_updates == [update]
    with pytest.raises(Conflict, match="(?i)webhook is active"):
        await bot.get_updates()
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == (hook.url, 0)
    assert await bot.delete_webhook()
    assert emu.webhook is None
    emu.send_message(CHAT, "weer polling")
    assert [u.message.text for u in await bot.get_updates() if u.message] == ["weer polling"]


async def test_webhook_retries_until_accepted(emu: BotApiEmulator, bot: telegram.Bot, hook: Hook) -> None:
    hook.statuses.extend([500, 500])
    await bot.set_webhook(hook.url)
    emu.send_message(CHAT, "eerste")
    emu.send_message(CHAT, "tweede")
    await emu.wait_until(lambda: len(emu.delivered_webhook_updates) == 2, timeout=3)
    texts = [body["message"]["text"] for _, body in hook.received]
    assert texts == ["eerste", "eerste", "eerste", "tweede"]
    assert hook.received[0][0] is None  # no secret configured: no header
    assert "500" in (emu.webhook_info().get("last_error_message") or "")


async def test_set_webhook_drop_pending_updates(emu: BotApiEmulator, http: httpx.AsyncClient, hook: Hook) -> None:
    emu.send_message(CHAT, "oud")
    status, _ = await call(http, "setWebhook", {"url": hook.url, "drop_pending_updates": True}, "form")
    assert status == 200
    await asyncio.sleep(0.05)
    assert hook.received == [] and emu.pending_updates == []
    status, body = await call(http, "setWebhook", {"url": hook.url, "secret_token": "bad token!"}, "form")
    assert status == 400 and "secret token" in body["description"]


# -- commands ----------------------------------------------------------------------------------------

async def test_set_my_commands_per_language(emu: BotApiEmulator, bot: telegram.Bot, chat: int) -> None:
    await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("help", "Hulp")], language_code="nl")
    await bot.set_my_commands([BotCommand("start", "Start"), BotCommand("help", "Help")], language_code="en")
    await bot.set_my_commands([BotCommand("start", "Start")])
    await bot.set_my_commands([BotCommand("admin", "Beheer")], scope=BotCommandScopeChat(chat))
    assert emu.commands == {
        ("default", "nl"): [("start", "Begin"), ("help", "Hulp")],
        ("default", "en"): [("start", "Start"), ("help", "Help")],
        ("default", ""): [("start", "Start")],
        (f"chat:{chat}", ""): [("admin", "Beheer")],
    }
    nl = await bot.get_my_commands(language_code="nl")
    assert [(c.command, c.description) for c in nl] == [("start", "Begin"), ("help", "Hulp")]
    assert await bot.get_my_commands(language_code="de") == ()
    assert await bot.delete_my_commands(language_code="en")
    assert ("default", "en") not in emu.commands


@pytest.mark.parametrize(
    ("commands", "kwargs", "match"),
    [
        ([BotCommand("Start!", "x")], {}, "BOT_COMMAND_INVALID"),
        ([BotCommand("start", "")], {}, "BOT_COMMAND_DESCRIPTION_INVALID"),
        ([BotCommand("start", "x")], {"language_code": "dutch"}, "LANGUAGE_CODE_INVALID"),
        ([BotCommand("start", "x")], {"scope": BotCommandScopeChat(404)}, "chat not found"),
    ],
)
async def test_set_my_commands_rejections(bot: telegram.Bot, commands: list[BotCommand], kwargs: dict[str, Any],
                                          match: str) -> None:
    with pytest.raises(BadRequest, match=f"(?i){match}"):
        await bot.set_my_commands(commands, **kwargs)


async def test_descriptions_per_language_with_a_default(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    assert await bot.set_my_description("Chatbot van IOM Nederland.", language_code="nl")
    assert await bot.set_my_description("Chatbot of IOM Netherlands.", language_code="en")
    assert await bot.set_my_description("IOM Netherlands / IOM Nederland")
    assert await bot.set_my_short_description("IOM Nederland: vragen over terugkeer.", language_code="nl")
    assert emu.descriptions == {
        ("description", "nl"): "Chatbot van IOM Nederland.",
        ("description", "en"): "Chatbot of IOM Netherlands.",
        ("description", ""): "IOM Netherlands / IOM Nederland",
        ("short_description", "nl"): "IOM Nederland: vragen over terugkeer.",
    }
    assert (await bot.get_my_description(language_code="nl")).description == "Chatbot van IOM Nederland."
    assert (await bot.get_my_description()).description == "IOM Netherlands / IOM Nederland"
    assert (await bot.get_my_description(language_code="fr")).description == ""  # exactly that language
    assert (await bot.get_my_short_description(language_code="nl")).short_description.startswith("IOM")
    assert (await bot.get_my_short_description()).short_description == ""
    # what a user sees: the text for the app's language, else the default one
    assert emu.description_for("en") == "Chatbot of IOM Netherlands."
    assert emu.description_for("fr") == emu.description_for(None) == "IOM Netherlands / IOM Nederland"
    assert emu.description_for("nl-BE") == "Chatbot van IOM Nederland."
    assert emu.description_for("nl", "short_description") == "IOM Nederland: vragen over terugkeer."
    assert emu.description_for("en", "short_description") == ""
    with pytest.raises(ValueError):
        emu.description_for("nl", "about")
    # an empty text removes the language's own text: the default shows again
    assert await bot.set_my_description("", language_code="nl")
    assert emu.description_for("nl") == "IOM Netherlands / IOM Nederland"
    assert await bot.set_my_description()  # no text at all also removes (the default, here)
    assert emu.descriptions == {("description", "en"): "Chatbot of IOM Netherlands.",
                                ("short_description", "nl"): "IOM Nederland: vragen over terugkeer."}
    assert emu.description_for("fr") == ""


@pytest.mark.parametrize("how", ["query", "form", "json", "multipart"])
async def test_descriptions_over_raw_http(emu: BotApiEmulator, http: httpx.AsyncClient, how: str) -> None:
    params = {"description": "Hallo 👋\nTweede regel", "language_code": "nl"}
    assert await call(http, "setMyDescription", params, how) == (200, {"ok": True, "result": True})
    assert await call(http, "getMyDescription", {"language_code": "nl"}, how) == (
        200, {"ok": True, "result": {"description": "Hallo 👋\nTweede regel"}})
    assert await call(http, "SETMYSHORTDESCRIPTION", {"short_description": "Kort"}, how) == (
        200, {"ok": True, "result": True})
    assert await call(http, "getMyShortDescription", {}, how) == (
        200, {"ok": True, "result": {"short_description": "Kort"}})


@pytest.mark.parametrize(
    ("method", "params", "description"),
    [
        ("setMyDescription", {"description": "x" * 513}, DESCRIPTION_TOO_LONG),
        ("setMyShortDescription", {"short_description": "x" * 121}, SHORT_DESCRIPTION_TOO_LONG),
        ("setMyDescription", {"description": "x", "language_code": "dutch"}, "Bad Request: LANGUAGE_CODE_INVALID"),
        ("getMyShortDescription", {"language_code": "NL"}, "Bad Request: LANGUAGE_CODE_INVALID"),
        ("setMyDescription", {"description": {"text": "x"}}, "Bad Request: parameter description must be a string"),
    ],
)
async def test_description_rejections(emu: BotApiEmulator, http: httpx.AsyncClient, method: str,
                                      params: dict[str, Any], description: str) -> None:
    assert await call(http, method, params) == (400, {"ok": False, "error_code": 400, "description": description})
    assert emu.descriptions == {}


@pytest.mark.parametrize(("kind", "limit"), [("description", 512), ("short_description", 120)])
async def test_description_limits_are_inclusive_and_count_characters(emu: BotApiEmulator, bot: telegram.Bot,
                                                                     kind: str, limit: int) -> None:
    text = "ب" * (limit - 1) + "👋"  # Arabic letters take two UTF-8 bytes, the emoji four: characters count
    setter = bot.set_my_description if kind == "description" else bot.set_my_short_description
    assert await setter(text, language_code="ar")
    assert emu.descriptions == {(kind, "ar"): text}
    with pytest.raises(BadRequest, match="(?i)too long"):
        await setter(text + "!", language_code="ar")
    assert emu.descriptions == {(kind, "ar"): text}  # a refused text changes nothing


async def test_description_changes_are_published_and_survive_reset(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    events: list[dict[str, Any]] = []
    emu.subscribe(events.append)
    await bot.set_my_description("Hallo", language_code="nl")
    await bot.set_my_short_description("")
    assert events == [
        {"type": "description_changed", "kind": "description", "language_code": "nl", "text": "Hallo"},
        {"type": "description_changed", "kind": "short_description", "language_code": "", "text": ""},
    ]
    emu.reset()
    assert emu.descriptions == {("description", "nl"): "Hallo"}


# -- subscribe, wait, reset --------------------------------------------------------------------------

async def test_subscribe_receives_bot_side_events(emu: BotApiEmulator, bot: telegram.Bot, chat: int) -> None:
    events: list[dict[str, Any]] = []
    async_events: list[str] = []

    async def async_subscriber(event: dict[str, Any]) -> None:
        async_events.append(event["type"])

    def broken_subscriber(event: dict[str, Any]) -> None:
        raise RuntimeError("subscribers must not break the emulator")

    unsubscribe = emu.subscribe(events.append)
    emu.subscribe(async_subscriber)
    emu.subscribe(broken_subscriber)
    sent = await bot.send_message(chat, "<b>Hallo</b>", parse_mode="HTML", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("Ok", callback_data="ok")]]))
    await bot.edit_message_text("Hallo!", chat_id=chat, message_id=sent.message_id)
    await bot.send_chat_action(chat, "typing")
    query_id = emu.press_button(chat, sent.message_id, "ok", check_button=False)
    await bot.answer_callback_query(query_id, text="Top")
    types = [e["type"] for e in events]
    assert types == ["message_sent", "message_edited", "chat_action", "update", "callback_answered"]
    assert events[0]["message"]["text"] == "<b>Hallo</b>" and events[0]["message"]["plain_text"] == "Hallo"
    assert events[0]["telegram"]["text"] == "Hallo"
    assert events[1]["message"]["edited"] is True
    assert events[4]["text"] == "Top" and events[4]["callback_query_id"] == query_id
    json.dumps(events)  # JSON-serialisable, so a web page can be pushed these as they are
    await asyncio.sleep(0)
    assert async_events == types
    unsubscribe()
    emu.unsubscribe(async_subscriber)
    await bot.send_message(chat, "niemand luistert")
    assert len(events) == 5 and len(async_events) == 5


async def test_wait_for_bot_messages(emu: BotApiEmulator, bot: telegram.Bot, chat: int) -> None:
    async def later() -> None:
        await asyncio.sleep(0.05)
        await bot.send_message(chat, "een")
        await bot.send_message(chat, "twee")

    task = asyncio.create_task(later())
    messages = await emu.wait_for_bot_messages(chat, 2, timeout=2)
    await task
    assert [m.text for m in messages] == ["een", "twee"]
    with pytest.raises(TimeoutError, match=r"got 2: \['een', 'twee'\]"):
        await emu.wait_for_bot_messages(chat, 3, timeout=0.1)


async def test_reset_keeps_chats_commands_and_ids(emu: BotApiEmulator, bot: telegram.Bot, chat: int) -> None:
    await bot.set_my_commands([BotCommand("start", "Begin")])
    first = await bot.send_message(chat, "voor")
    update_id = emu.send_message(chat, "x")["update_id"]
    emu.inject_fault("getMe", status=500)
    emu.reset()
    assert (emu.bot_messages(), emu.pending_updates, emu.calls, emu.faults) == ([], [], [], [])
    assert emu.commands == {("default", ""): [("start", "Begin")]}
    second = await bot.send_message(chat, "na")
    assert second.message_id > first.message_id
    assert emu.send_message(chat, "y")["update_id"] == update_id + 1


# -- HTML to entities --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("source", "text", "entities"),
    [
        ("<b>vet</b> en <i>schuin</i>", "vet en schuin",
         [{"type": "bold", "offset": 0, "length": 3}, {"type": "italic", "offset": 7, "length": 6}]),
        ("<a href=\"https://iom.nl\">IOM</a>", "IOM",
         [{"type": "text_link", "url": "https://iom.nl", "offset": 0, "length": 3}]),
        ("<pre><code class=\"language-python\">x = 1</code></pre>", "x = 1",
         [{"type": "pre", "language": "python", "offset": 0, "length": 5}]),
        ("👋 <b>hoi</b>", "👋 hoi", [{"type": "bold", "offset": 3, "length": 3}]),
        ("<b><i>x</i></b>", "x", [{"type": "bold", "offset": 0, "length": 1},
                                  {"type": "italic", "offset": 0, "length": 1}]),
        ("&lt;tag&gt; &amp; &#128075;", "<tag> & 👋", []),
        ("<span class=\"tg-spoiler\">geheim</span>", "geheim", [{"type": "spoiler", "offset": 0, "length": 6}]),
        ("<b></b>x", "x", []),
        ("<blockquote>citaat</blockquote>", "citaat", [{"type": "blockquote", "offset": 0, "length": 6}]),
    ],
)
def test_html_to_entities(source: str, text: str, entities: list[dict[str, Any]]) -> None:
    assert validate(source) == []
    assert html_to_entities(source) == (text, entities)


_SEGMENT = st.text(alphabet=st.characters(blacklist_characters="<&", blacklist_categories=["Cs"]), max_size=6)
_HTML = st.recursive(
    _SEGMENT,
    lambda children: st.tuples(st.sampled_from(["b", "i", "u", "s", "code", "tg-spoiler", "blockquote"]),
                               st.lists(children, max_size=3)).map(lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(_HTML)
def test_html_to_entities_agrees_with_plain_text(source: str) -> None:
    text, entities = html_to_entities(source)
    assert text == plain_text(source)
    for entity in entities:
        assert entity["length"] > 0
        assert entity["offset"] + entity["length"] <= utf16_len(text)


def test_user_entities_use_utf16_offsets() -> None:
    assert user_text_entities("😀😀 /start") == [{"type": "bot_command", "offset": 5, "length": 6}]


# -- end to end with a python-telegram-bot Application -----------------------------------------------

async def test_ptb_application_end_to_end(emu: BotApiEmulator) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_html("<b>Welkom!</b> Kies een taal.", reply_markup=InlineKeyboardMarkup.from_row(
            [InlineKeyboardButton("NL", callback_data="nl"), InlineKeyboardButton("EN", callback_data="en")]))

    async def chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Opgeslagen")
        await query.edit_message_text(f"Taal: <b>{query.data}</b>", parse_mode="HTML")

    app = ApplicationBuilder().token(emu.token).base_url(emu.base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(chosen))
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        await app.start()
        try:
            emu.send_message(CHAT, "/start")
            [welcome] = await emu.wait_for_bot_messages(CHAT, 1, timeout=3)
            assert welcome.plain_text == "Welkom! Kies een taal." and welcome.callback_data == ["nl", "en"]
            query_id = emu.press_button(CHAT, welcome.message_id, "en")
            assert (await emu.wait_for_callback_answered(query_id, timeout=3)).text == "Opgeslagen"
            await emu.wait_until(lambda: emu.bot_message(CHAT, welcome.message_id).edited, timeout=3)
            assert emu.bot_message(CHAT, welcome.message_id).text == "Taal: <b>en</b>"
            await emu.wait_for_updates_consumed(timeout=3)
        finally:
            await app.updater.stop()
            await app.stop()
    assert [m for m, _ in emu.calls if m == "deleteWebhook"] == ["deleteWebhook"]
