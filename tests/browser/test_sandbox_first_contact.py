"""First contact in the sandbox page, in Debian's Chromium: the bot's description and START in an empty chat,
right-to-left text, the 24-hour clock, the welcome on a phone screen, removed buttons, and axe-core's
WCAG 2.1 AA rules.

What the bot must say is computed with the engine the sandbox serves; descriptions the bot did not set are set
through the emulator's HTTP API, as a bot would. Every wait is on the page, never a sleep.
"""

from __future__ import annotations

import datetime as dtm
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bot.engine import CommandIn, Engine
from bot.html import plain_text
from tests.browser.conftest import ARTIFACTS, TIMEOUT_MS, SandboxThread

pytest.importorskip("playwright")
from playwright.sync_api import Page, expect  # noqa: E402

from tests.browser.chat_page import open_chat, say  # noqa: E402

ARABIC = "أريد العودة إلى بلدي"  # "I want to go back to my country"
PHONE = {"width": 390, "height": 844}
MAX_WELCOME_LINES = 8
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def welcome(engine: Engine, lang: str) -> str:
    """The first line of the bot's answer to /start (what the first bubble must begin with)."""
    _, replies = engine.handle(None, CommandIn("start", ""), lang)
    return plain_text(replies[0].text).splitlines()[0]


def emulator_call(sandbox: SandboxThread, method: str, params: dict[str, Any]) -> dict[str, Any]:
    """A Bot API call to the sandbox's emulator over HTTP, as the bot makes them."""
    emulator = sandbox.sandbox.bridge.emulator  # type: ignore[union-attr]
    response = httpx.post(f"{emulator.api_url}/{method}", json=params, trust_env=False, timeout=10)
    body: dict[str, Any] = response.json()
    assert response.status_code == 200, body
    return body


def set_description(sandbox: SandboxThread, text: str, language_code: str = "") -> None:
    emulator_call(sandbox, "setMyDescription", {"description": text, "language_code": language_code})


@pytest.fixture()
def descriptions_restored(sandbox: SandboxThread) -> Iterator[None]:
    """Put the descriptions the bot set back after a test that changes them (the sandbox is shared)."""
    emulator = sandbox.sandbox.bridge.emulator  # type: ignore[union-attr]
    before = sandbox.call(lambda: emulator.descriptions)
    yield
    after = sandbox.call(lambda: emulator.descriptions)
    for kind, code in set(before) | set(after):
        if before.get((kind, code)) != after.get((kind, code)):
            method = "setMyDescription" if kind == "description" else "setMyShortDescription"
            emulator_call(sandbox, method, {kind: before.get((kind, code), ""), "language_code": code})


def lines_of(element: Any) -> float:
    """How many lines an element's text takes: its height divided by its computed line-height."""
    height, line_height = element.evaluate(
        "(node) => [node.getBoundingClientRect().height, parseFloat(getComputedStyle(node).lineHeight)]")
    return float(height) / float(line_height)


# -- an empty chat: description and START --------------------------------------------------------------

def test_an_empty_chat_shows_the_description_and_start_sends_start(context: Any, sandbox: SandboxThread) -> None:
    engine = sandbox.engine
    page = open_chat(context, sandbox.url, "nl")
    intro = page.locator("#intro")
    expect(intro).to_be_visible()
    expect(page.get_by_role("heading", name="What can this bot do?")).to_be_visible()
    expect(page.locator("#description")).to_have_text(engine.descriptions("nl")[0])  # set by the bot at start
    expect(page.locator("#short-description")).to_have_text(engine.descriptions("nl")[1])
    page.select_option("#lang", "en")
    expect(page.locator("#description")).to_have_text(engine.descriptions("en")[0])
    page.select_option("#lang", "other")  # an app language without its own description: the default one
    expect(page.locator("#description")).to_have_text(engine.descriptions(engine.content.languages[0])[0])
    page.select_option("#lang", "en")
    start = page.get_by_role("button", name="Start", exact=True)
    expect(start).to_be_visible()
    expect(start).to_have_text("START", use_inner_text=True)  # as Telegram shows it (read out as "Start")
    start.focus()
    page.keyboard.press("Enter")  # usable by keyboard
    expect(page.locator(".msg.user .text")).to_have_text("/start")
    expect(page.locator(".msg.bot").first.locator(".text")).to_contain_text(welcome(engine, "en"))
    expect(intro).to_be_hidden()
    expect(page.locator("#input")).to_be_focused()  # focus goes on to the message box, not lost
    page.reload()  # a chat with messages never shows the intro again
    expect(page.locator(".msg.bot")).to_have_count(1)
    expect(intro).to_be_hidden()
    page.locator("#new-chat").click()  # a new chat is empty again
    expect(intro).to_be_visible()
    assert not page.errors  # type: ignore[attr-defined]


def test_the_page_shows_what_the_bot_sets_and_start_without_a_description(
        context: Any, sandbox: SandboxThread, descriptions_restored: None) -> None:
    page = open_chat(context, sandbox.url, "other")  # the app sends language code fr
    set_description(sandbox, "Je réponds aux questions sur IOM Pays-Bas.", "fr")
    expect(page.locator("#description")).to_have_text("Je réponds aux questions sur IOM Pays-Bas.")  # live
    set_description(sandbox, "", "fr")  # removed: the default one shows again
    expect(page.locator("#description")).to_have_text(sandbox.engine.descriptions(
        sandbox.engine.content.languages[0])[0])
    set_description(sandbox, "")  # no description at all: only START, as in Telegram
    expect(page.locator("#intro-card")).to_be_hidden()
    start = page.get_by_role("button", name="Start", exact=True)
    expect(start).to_be_visible()
    start.click()
    expect(page.locator(".msg.bot")).to_have_count(1)
    expect(page.locator("#intro")).to_be_hidden()


# -- right-to-left text, the clock ----------------------------------------------------------------------

def starts_on_the_right(paragraph: Any) -> bool:
    """Whether the paragraph's first letter is at its right edge (right to left) rather than at its left."""
    result: bool = paragraph.evaluate("""(node) => {
        const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
        const first = walker.nextNode();
        const range = document.createRange();
        range.setStart(first, 0);
        range.setEnd(first, 1);
        const letter = range.getBoundingClientRect(), box = node.getBoundingClientRect();
        return box.right - letter.right < 4 && letter.left - box.left > 20;
    }""")
    return result


def test_arabic_is_laid_out_right_to_left(context: Any, sandbox: SandboxThread) -> None:
    page = open_chat(context, sandbox.url, "nl")
    box = page.locator("#input")
    box.fill(ARABIC)
    expect(box).to_have_attribute("dir", "auto")
    assert box.evaluate("(node) => getComputedStyle(node).direction") == "rtl"  # typing Arabic: right to left
    box.press("Enter")
    user = page.locator(".msg.user .text")
    expect(user).to_have_text(ARABIC)
    assert user.evaluate("(node) => getComputedStyle(node).direction") == "rtl"
    assert starts_on_the_right(user.locator(".para").first)
    # the bot answers in Dutch, English and the person's language: one paragraph each, each in its direction
    reply = page.locator(".msg.bot .text")
    arabic = reply.locator(".para").filter(has_text="الهولندية")
    expect(arabic).to_have_count(1)
    assert arabic.evaluate("(node) => getComputedStyle(node).direction") == "rtl"
    assert starts_on_the_right(arabic)
    dutch = reply.locator(".para").first
    assert dutch.evaluate("(node) => getComputedStyle(node).direction") == "ltr"
    assert not starts_on_the_right(dutch)
    # the time sits on the side where the last (Arabic) line ends: the left
    bubble, meta = page.locator(".msg.bot .bubble").bounding_box(), page.locator(".msg.bot .meta").bounding_box()
    assert bubble and meta and meta["x"] - bubble["x"] < bubble["width"] / 2
    page.screenshot(path=str(ARTIFACTS / "sandbox-arabic.png"))


def test_each_line_of_a_message_is_a_paragraph_with_its_own_direction(context: Any,
                                                                     sandbox: SandboxThread) -> None:
    page = open_chat(context, sandbox.url, "en")
    say(page, "/help")
    expect(page.locator(".msg.bot")).to_have_count(1)
    chat_id = page.evaluate("window.faqbotSandbox.chatId")
    emulator_call(sandbox, "sendMessage", {"chat_id": chat_id, "parse_mode": "HTML", "text": (
        "<b>Bold over\ntwo lines</b>\n\nمرحبا <i>بك</i> in Amsterdam\n<pre>a = 1\nb = 2</pre>\nThe end")})
    text = page.locator(".msg.bot").nth(1).locator(".text")
    expect(text.locator("> *")).to_have_count(6)
    expect(text.locator("> .para")).to_have_text(["Bold over", "two lines", "", "مرحبا بك in Amsterdam", "The end"])
    expect(text.locator("> .para b")).to_have_text(["Bold over", "two lines"])  # formatting kept on both lines
    assert lines_of(text.locator("> .para").nth(2)) == 1  # an empty line stays a line
    expect(text.locator("> pre")).to_have_text("a = 1\nb = 2")  # a code block is kept whole
    mixed = text.locator("> .para").nth(3)
    assert mixed.evaluate("(node) => getComputedStyle(node).direction") == "rtl"
    assert starts_on_the_right(mixed)
    assert not starts_on_the_right(text.locator("> .para").first)


def test_times_use_a_24_hour_clock_whatever_the_locale(browser: Any, sandbox: SandboxThread) -> None:
    # An American English browser (12-hour clock: "3:05 PM") in a zone where it is now the afternoon
    hours = (15 - dtm.datetime.now(dtm.UTC).hour) % 24
    hours = hours - 24 if hours > 14 else hours
    zone = "Etc/GMT" if hours == 0 else f"Etc/GMT{-hours:+d}"  # Etc/GMT-3 is UTC+3
    context = browser.new_context(locale="en-US", timezone_id=zone)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = open_chat(context, sandbox.url, "en")
        say(page, "/help")
        expect(page.locator(".msg.bot")).to_have_count(1)
        chat_id = page.evaluate("window.faqbotSandbox.chatId")
        snapshot = sandbox.call(lambda: sandbox.sandbox.bridge.snapshot(chat_id))  # type: ignore[union-attr]
        local = dtm.timezone(dtm.timedelta(hours=hours))
        for entry, shown in zip(snapshot["messages"], page.locator(".msg time").all(), strict=True):
            expected = dtm.datetime.fromtimestamp(entry["date"], local).strftime("%H:%M")
            expect(shown).to_have_text(expected)
            assert int(expected[:2]) >= 13  # an afternoon hour, written 13-23, without AM/PM
    finally:
        context.close()


# -- the welcome on a phone ----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_welcome_fits_a_phone_screen(browser: Any, sandbox: SandboxThread, lang: str) -> None:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = open_chat(context, sandbox.url, lang)
        page.get_by_role("button", name="Start", exact=True).click()
        first = page.locator(".msg.bot").first
        expect(first.locator(".text")).to_contain_text(welcome(sandbox.engine, lang))
        expect(first.locator(".kb-button").first).to_be_visible()
        lines = lines_of(first.locator(".text"))  # the text only (the time included), not the buttons under it
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"welcome-lines-{lang}.json").write_text(json.dumps({"lang": lang, "lines": lines}))
        page.screenshot(path=str(ARTIFACTS / f"sandbox-welcome-{lang}-phone.png"))
        assert lines <= MAX_WELCOME_LINES, (
            f"the {lang} welcome takes {lines:g} lines at {PHONE['width']} px wide (at most {MAX_WELCOME_LINES})")
    finally:
        context.close()


# -- buttons the bot removes ----------------------------------------------------------------------------

def test_buttons_the_bot_removes_disappear_from_the_bubble(context: Any, sandbox: SandboxThread) -> None:
    page = open_chat(context, sandbox.url, "en")
    say(page, "/start")
    message = page.locator(".msg.bot").first
    expect(message.locator(".kb-button").first).to_be_visible()
    text = message.locator(".text").inner_text()
    chat_id = page.evaluate("window.faqbotSandbox.chatId")
    message_id = int(message.get_attribute("data-message-id") or 0)
    emulator_call(sandbox, "editMessageReplyMarkup", {"chat_id": chat_id, "message_id": message_id})
    expect(message.locator(".kb-button")).to_have_count(0)
    expect(message.locator(".text")).to_have_text(text, use_inner_text=True)
    expect(message.locator(".edited")).to_have_count(0)  # only the buttons went: not marked "edited"


# -- accessibility ------------------------------------------------------------------------------------

def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on the page, one line each."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    results = axe.Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
            for v in results.response["violations"]]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 860}, PHONE], ids=["desktop", "phone"])
def test_no_wcag_21_aa_violations(browser: Any, sandbox: SandboxThread, viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = open_chat(context, sandbox.url, "en")
        expect(page.locator("#intro")).to_be_visible()
        assert axe_violations(page) == []  # the empty chat: description and START
        page.get_by_role("button", name="Start", exact=True).click()
        expect(page.locator(".msg.bot .kb-button").first).to_be_visible()
        say(page, ARABIC)
        expect(page.locator(".msg.bot")).to_have_count(2)
        expect(page.locator("#traces .trace")).to_have_count(2)
        assert axe_violations(page) == []  # messages both ways, right-to-left text, buttons, traces
    finally:
        context.close()
