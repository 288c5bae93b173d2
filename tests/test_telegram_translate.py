"""Telegram updates to engine events, engine replies to Telegram messages, and the group rules (tables)."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import CallbackQuery, InlineKeyboardMarkup, Message

from bot.channels.telegram.groups import addressed
from bot.channels.telegram.translate import (
    EMPTY_REPLY,
    Outgoing,
    chat_key,
    keyboard,
    message_event,
    outgoing,
    press_event,
    without_mentions,
)
from bot.engine import Button, CommandIn, Event, NonTextIn, PressIn, Reply, TextIn
from bot.html import validate
from bot.telegram_emulator.entities import user_text_entities
from bot.telegram_emulator.payloads import NON_TEXT_KINDS, BotIdentity, chat_payload, non_text_content, user_payload

BOT = BotIdentity("123456:TEST-TOKEN", "iom_faq_bot", "IOM FAQ Bot")


def message(text: str | None = None, *, chat_type: Any = "private", reply_to: dict[str, Any] | None = None,
            **content: Any) -> Message:
    """A user's message as Telegram sends it (built with the emulator's payload builders)."""
    chat_id = 42 if chat_type == "private" else -100
    data: dict[str, Any] = {"message_id": 5, "date": 0, "chat": chat_payload(chat_id, chat_type),
                            "from": user_payload(42, language_code="nl"), **content}
    if text is not None:
        data["text"] = text
        if entities := user_text_entities(text):
            data["entities"] = entities
    if "caption" in data and (entities := user_text_entities(data["caption"])):
        data["caption_entities"] = entities
    if reply_to is not None:
        data["reply_to_message"] = {"message_id": 1, "date": 0, "chat": data["chat"], "from": reply_to, "text": "x"}
    result = Message.de_json(data, None)
    assert result is not None
    return result


EVENTS: list[tuple[str, Event | None]] = [
    ("hallo", TextIn("hallo")),
    ("Kan IOM helpen?", TextIn("Kan IOM helpen?")),
    ("1 < 2 & <b>", TextIn("1 < 2 & <b>")),
    ("/start", CommandIn("start")),
    ("/start return", CommandIn("start", "return")),
    ("/language   en ", CommandIn("language", "en")),
    ("/START@IOM_faq_bot x y", CommandIn("start", "x y")),
    ("/menu@iom_faq_bot", CommandIn("menu")),
    ("/start@other_bot", None),
    ("/x<y>&z", CommandIn("x", "<y>&z")),
    ("/start\nreturn", CommandIn("start", "return")),
    ("hello /start", TextIn("hello /start")),
    ("@iom_faq_bot hoe ga ik terug?", TextIn("hoe ga ik terug?")),
    ("vraag voor @iom_faq_bot over terugkeer", TextIn("vraag voor over terugkeer")),
    ("@IOM_FAQ_BOT", TextIn("")),
    ("@iom_faq_bot_2 hi", TextIn("@iom_faq_bot_2 hi")),
]


@pytest.mark.parametrize(("text", "expected"), EVENTS)
def test_text_and_commands(text: str, expected: Event | None) -> None:
    assert message_event(message(text), BOT.username) == expected


@pytest.mark.parametrize("kind", NON_TEXT_KINDS)
def test_non_text_messages(kind: Any) -> None:
    assert message_event(message(**non_text_content(kind, 1)), BOT.username) == NonTextIn(kind)


def test_a_photo_with_a_caption_is_still_a_photo() -> None:
    assert message_event(message(**non_text_content("photo", 1, "is dit goed?")), BOT.username) == NonTextIn("photo")


def test_service_messages_are_ignored() -> None:
    joined = message(new_chat_members=[user_payload(9, language_code=None)], chat_type="group")
    assert message_event(joined, BOT.username) is None


GROUP_RULES: list[tuple[str, Message, bool]] = [
    ("private chat", message("hallo"), True),
    ("private non-text", message(**non_text_content("voice", 1)), True),
    ("group chatter", message("hello everyone", chat_type="group"), False),
    ("group command", message("/help", chat_type="group"), True),
    ("group command for us", message("/help@iom_faq_bot", chat_type="supergroup"), True),
    ("group command for another bot", message("/help@other_bot", chat_type="group"), False),
    ("group mention", message("@iom_faq_bot hoe ga ik terug?", chat_type="group"), True),
    ("group mention of someone else", message("@someone_else hi", chat_type="group"), False),
    ("group command later in the text", message("try /help", chat_type="group"), False),
    ("reply to the bot", message("en nu?", chat_type="group", reply_to=BOT.user()), True),
    ("reply to a person", message("en nu?", chat_type="group", reply_to=user_payload(7, language_code="nl")), False),
    ("photo mentioning the bot", message(chat_type="group", **non_text_content("photo", 1, "@iom_faq_bot ?")), True),
    ("photo in a group", message(chat_type="group", **non_text_content("photo", 1)), False),
]


@pytest.mark.parametrize(("what", "msg", "expected"), GROUP_RULES, ids=[case[0] for case in GROUP_RULES])
def test_group_rules(what: str, msg: Message, expected: bool) -> None:
    assert addressed(msg, BOT.username, BOT.bot_id) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("@iom_faq_bot hi", "hi"),
    ("hi @iom_faq_bot", "hi"),
    ("a @IOM_FAQ_BOT b", "a b"),
    ("@iom_faq_bots hi", "@iom_faq_bots hi"),
    ("mail x@iom_faq_bot.nl", "mail x@iom_faq_bot.nl"),
])
def test_without_mentions(text: str, expected: str) -> None:
    assert without_mentions(text, "iom_faq_bot") == expected


def test_presses() -> None:
    query = CallbackQuery.de_json({"id": "1", "from": user_payload(42, language_code="en"), "chat_instance": "c",
                                   "data": "a:return:lives_nl:yes"}, None)
    assert query is not None and press_event(query) == PressIn("a:return:lives_nl:yes")
    no_data = CallbackQuery.de_json({"id": "2", "from": user_payload(42, language_code="en"), "chat_instance": "c",
                                     "game_short_name": "g"}, None)
    assert no_data is not None and press_event(no_data) is None


def test_chat_key_holds_only_the_chat_id() -> None:
    assert chat_key(-100123) == "telegram:-100123"


def markup(reply: Reply) -> list[list[dict[str, Any]]]:
    found = keyboard(reply.buttons)
    return [[b.to_dict() for b in row] for row in found.inline_keyboard] if found else []


KEYBOARDS: list[tuple[tuple[tuple[Button, ...], ...], list[list[dict[str, Any]]]]] = [
    ((), []),
    (((Button("Ja", data="a:return:lives_nl:yes"), Button("Nee", data="a:return:lives_nl:no")),),
     [[{"text": "Ja", "callback_data": "a:return:lives_nl:yes"},
       {"text": "Nee", "callback_data": "a:return:lives_nl:no"}]]),
    (((Button("Site", url="https://www.iom-nederland.nl/"),), (Button("Menu", data="m"),)),
     [[{"text": "Site", "url": "https://www.iom-nederland.nl/"}], [{"text": "Menu", "callback_data": "m"}]]),
    # callback data over 64 bytes would make Telegram refuse the whole message: the button is left out
    (((Button("Too long", data="x" * 65), Button("OK", data="m")),), [[{"text": "OK", "callback_data": "m"}]]),
    (((Button("Too long", data="é" * 33),),), []),
    (((Button("Empty", data=""),),), []),
    (((Button("Exactly 64", data="y" * 64),),), [[{"text": "Exactly 64", "callback_data": "y" * 64}]]),
]


@pytest.mark.parametrize(("rows", "expected"), KEYBOARDS)
def test_keyboards(rows: tuple[tuple[Button, ...], ...], expected: list[list[dict[str, Any]]]) -> None:
    assert markup(Reply("x", rows)) == expected


def test_a_short_reply_is_one_message() -> None:
    rows = ((Button("Menu", data="m"),),)
    assert outgoing(Reply("<b>Hallo</b>", rows)) == [Outgoing("<b>Hallo</b>", InlineKeyboardMarkup.from_button(
        keyboard(rows).inline_keyboard[0][0]))]  # type: ignore[union-attr]


def test_a_long_reply_is_split_with_the_buttons_on_the_last_chunk() -> None:
    text = "\n\n".join(f"<b>Alinea {i}</b> " + "tekst " * 300 for i in range(5))
    messages = outgoing(Reply(text, ((Button("Menu", data="m"),),)))
    assert len(messages) >= 2
    assert [m.reply_markup is not None for m in messages] == [False] * (len(messages) - 1) + [True]
    assert all(validate(m.text) == [] for m in messages)


def test_an_empty_reply_still_sends_something() -> None:
    assert outgoing(Reply("  ", ((Button("Menu", data="m"),),)))[0].text == EMPTY_REPLY
