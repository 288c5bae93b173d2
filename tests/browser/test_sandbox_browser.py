"""The sandbox page in Debian's Chromium: chatting, buttons, the command menu, the staff panel, several tabs.

What the bot must say is computed with the engine the sandbox serves, so the tests follow content changes.
Every wait is on the page (Playwright's auto-waiting ``expect``), never a sleep.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

from bot.engine import TextIn
from tests.browser.conftest import SandboxThread, copy_content, first_reply

pytest.importorskip("playwright")
from playwright.sync_api import Page, expect  # noqa: E402

from tests.browser.chat_page import open_chat, say  # noqa: E402

NL_QUESTION = "Wat doet IOM in Nederland?"
EN_QUESTION = "How can I bring my family to the Netherlands?"


def bot_bubbles(page: Page) -> Any:
    return page.locator(".msg.bot")


def last_bot(page: Page) -> Any:
    return bot_bubbles(page).last


def newest_trace(page: Page) -> Any:
    return page.locator("#traces .trace").first


def test_a_dutch_and_an_english_question_are_answered(context: Any, sandbox: SandboxThread) -> None:
    nl = open_chat(context, sandbox.url, "nl")
    say(nl, NL_QUESTION)
    expect(nl.locator(".msg.user .text")).to_have_text(NL_QUESTION)
    expect(last_bot(nl).locator(".text")).to_contain_text(first_reply(sandbox.engine, NL_QUESTION, "nl"))
    expect(newest_trace(nl).locator("dd").nth(1)).to_have_text("nl")

    en = open_chat(context, sandbox.url, "en")
    say(en, EN_QUESTION)
    expect(last_bot(en).locator(".text")).to_contain_text(first_reply(sandbox.engine, EN_QUESTION, "en"))
    assert not nl.errors and not en.errors  # type: ignore[attr-defined]


def test_bot_html_is_rendered_as_formatting_and_links(context: Any, sandbox: SandboxThread) -> None:
    page = open_chat(context, sandbox.url, "en")
    say(page, EN_QUESTION)
    expect(last_bot(page).locator(".text b").first).to_be_visible()
    link = last_bot(page).locator("a.kb-link")
    expect(link).to_have_attribute("href", re.compile(r"^https://"))
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", re.compile(r"\bnoopener\b"))


def test_start_menu_then_a_topic_then_a_question(context: Any, sandbox: SandboxThread) -> None:
    page = open_chat(context, sandbox.url, "nl")
    say(page, "/start")
    topics = last_bot(page).locator(".kb-button")
    expect(topics.first).to_be_visible()
    topic = topics.first.inner_text()
    topics.first.click()
    expect(bot_bubbles(page)).to_have_count(2)
    expect(last_bot(page).locator(".text")).to_contain_text(topic)
    expect(newest_trace(page).locator(".decision")).to_have_text("menu")
    expect(newest_trace(page).locator("dd").first).to_have_text(f"button: {topic}")
    questions = last_bot(page).locator("button.kb-button")
    questions.first.click()
    expect(bot_bubbles(page)).to_have_count(3)
    expect(newest_trace(page).locator(".intent")).not_to_have_text("no intent")


def test_a_guided_check_ends_in_an_outcome(context: Any, sandbox: SandboxThread) -> None:
    page = open_chat(context, sandbox.url, "en")
    say(page, EN_QUESTION)
    start = last_bot(page).locator("button.kb-button", has_text="Check")
    start.click()
    expect(newest_trace(page).locator(".decision")).to_have_text("check")
    for _ in range(8):  # answer the first choice until the check ends
        if newest_trace(page).locator(".decision").inner_text() == "outcome":
            break
        traces = page.locator("#traces .trace").count()
        last_bot(page).locator("button.kb-button").first.click()
        expect(page.locator("#traces .trace")).to_have_count(traces + 1)
    expect(newest_trace(page).locator(".decision")).to_have_text("outcome")
    expect(newest_trace(page).locator(".intent")).to_have_text("family_reunification")
    expect(last_bot(page).locator(".text")).to_contain_text("IOM")


def test_the_staff_panel_shows_intent_decision_score_language_source(context: Any, sandbox: SandboxThread) -> None:
    page = open_chat(context, sandbox.url, "en")
    say(page, EN_QUESTION)
    _, replies = sandbox.engine.handle(None, TextIn(EN_QUESTION), "en")
    trace = replies[0].trace
    assert trace is not None and trace.intent
    entry = newest_trace(page)
    expect(entry.locator(".intent")).to_have_text(trace.intent)
    expect(entry.locator(".decision")).to_have_text(trace.decision)
    expect(entry.locator(".score")).to_contain_text("score ")
    shown = float(entry.locator(".score").inner_text().split()[-1])
    assert abs(shown - trace.score) <= 0.011  # the panel shows two decimals (rounded in the browser)
    fields = entry.locator("dd")
    expect(fields.nth(0)).to_have_text(f"text: {EN_QUESTION}")
    expect(fields.nth(1)).to_have_text("en")
    expect(fields.nth(2)).to_have_text(trace.source or "—")
    expect(fields.nth(3)).to_contain_text(trace.intent)
    entry.locator(".show-message").click()
    expect(last_bot(page)).to_have_class(re.compile(r"\bflash\b"))


def test_the_command_menu_lists_the_bots_commands_per_language(context: Any, sandbox: SandboxThread) -> None:
    page = open_chat(context, sandbox.url, "nl")
    nl = dict(sandbox.call(lambda: sandbox.sandbox.bridge.commands(1, "nl")))  # type: ignore[union-attr]
    en = dict(sandbox.call(lambda: sandbox.sandbox.bridge.commands(1, "en")))  # type: ignore[union-attr]
    assert nl and en and nl != en
    page.locator("#menu-button").click()
    items = page.locator("#command-menu [role=menuitem]")
    expect(items).to_have_count(len(nl))
    expect(items.first).to_be_focused()
    expect(items.first.locator(".command-description")).to_have_text(nl["start"])
    page.keyboard.press("Escape")
    expect(page.locator("#command-menu")).to_be_hidden()
    expect(page.locator("#menu-button")).to_be_focused()

    page.select_option("#lang", "en")
    page.locator("#menu-button").click()
    expect(items.first.locator(".command-description")).to_have_text(en["start"])
    page.locator("#command-menu [role=menuitem]", has_text="/help").click()
    expect(page.locator(".msg.user .text")).to_have_text("/help")
    expect(bot_bubbles(page)).to_have_count(1)


def test_keyboard_only_press_and_typing_indicator(context: Any, sandbox: SandboxThread) -> None:
    page = open_chat(context, sandbox.url, "nl")
    say(page, "/start")
    expect(last_bot(page).locator(".kb-button").first).to_be_visible()
    last_bot(page).locator(".kb-button").first.focus()
    page.keyboard.press("Enter")
    expect(bot_bubbles(page)).to_have_count(2)
    expect(page.locator("#typing")).to_be_hidden()  # a reply ready in milliseconds sends no 'typing…'
    # a slow reply: the bot sends 'typing…', and the page shows it until the next message
    emulator = sandbox.sandbox.bridge.emulator  # type: ignore[union-attr]
    chat_id = page.evaluate("window.faqbotSandbox.chatId")
    sandbox.call(lambda: asyncio.ensure_future(emulator.handle_request(
        emulator.token, "sendChatAction", {"chat_id": chat_id, "action": "typing"})))
    expect(page.locator("#typing")).to_be_visible()
    expect(page.locator("#status")).to_have_text("typing…")
    say(page, "/help")
    expect(bot_bubbles(page)).to_have_count(3)
    expect(page.locator("#typing")).to_be_hidden()
    expect(page.locator("#status")).to_have_text("bot")


def test_an_edit_by_the_bot_updates_the_bubble(context: Any, sandbox: SandboxThread) -> None:
    page = open_chat(context, sandbox.url, "en")
    say(page, "/start")
    expect(bot_bubbles(page)).to_have_count(1)
    chat_id = page.evaluate("window.faqbotSandbox.chatId")
    message_id = int(last_bot(page).get_attribute("data-message-id") or 0)
    emulator = sandbox.sandbox.bridge.emulator  # type: ignore[union-attr]
    status, _ = sandbox.run(emulator.handle_request(emulator.token, "editMessageText", {
        "chat_id": chat_id, "message_id": message_id, "text": "<i>Edited</i> by the bot", "parse_mode": "HTML"}))
    assert status == 200
    expect(last_bot(page).locator(".text")).to_have_text("Edited by the bot")
    expect(last_bot(page).locator(".text i")).to_have_text("Edited")
    expect(last_bot(page).locator(".edited")).to_be_visible()
    expect(last_bot(page).locator(".kb-button")).to_have_count(0)  # an edit without reply_markup drops them


def test_two_tabs_are_two_independent_users(context: Any, sandbox: SandboxThread) -> None:
    first = open_chat(context, sandbox.url, "nl")
    second = open_chat(context, sandbox.url, "en")
    ids = [first.evaluate("window.faqbotSandbox.chatId"), second.evaluate("window.faqbotSandbox.chatId")]
    assert ids[0] != ids[1]
    say(first, NL_QUESTION)
    expect(bot_bubbles(first)).to_have_count(1)
    say(second, EN_QUESTION)
    expect(bot_bubbles(second)).to_have_count(1)
    expect(second.locator(".msg.user .text")).to_have_text(EN_QUESTION)
    expect(first.locator(".msg")).to_have_count(2)
    expect(first.locator("#traces .trace")).to_have_count(1)
    # a reload of the tab keeps its chat (sessionStorage) and redraws it from the server
    first.reload()
    expect(first.locator(".msg.user .text")).to_have_text(NL_QUESTION)
    assert first.evaluate("window.faqbotSandbox.chatId") == ids[0]
    # "New chat" starts over as a new user
    first.locator("#new-chat").click()
    expect(first.locator(".msg")).to_have_count(0)
    assert first.evaluate("window.faqbotSandbox.chatId") not in ids


def test_many_tabs_stay_connected_and_usable(context: Any, sandbox: SandboxThread) -> None:
    pages = [open_chat(context, sandbox.url, "en") for _ in range(8)]  # more than a browser's 6 connections
    say(pages[-1], EN_QUESTION)
    expect(bot_bubbles(pages[-1])).to_have_count(1)
    say(pages[0], "/start")
    expect(bot_bubbles(pages[0])).to_have_count(1)
    for page in pages[1:-1]:
        expect(page.locator(".msg")).to_have_count(0)


def test_bot_html_is_sanitised(context: Any, sandbox: SandboxThread) -> None:
    page = open_chat(context, sandbox.url)
    html = page.evaluate("""() => {
        const box = document.createElement("div");
        box.appendChild(window.faqbotSandbox.renderTelegramHtml(
          '<b onclick="x()">bold</b> <img src=x onerror="window.pwned=1"><script>window.pwned=2</script>' +
          '<a href="javascript:window.pwned=3">js</a> <a href="https://example.org/x?a=1&amp;b=2">ok</a>' +
          '<span class="tg-spoiler">spoiler</span><code>c</code><iframe src="https://example.org"></iframe>'));
        return box.innerHTML;
    }""")
    assert html == ('<b>bold</b> js <a href="https://example.org/x?a=1&amp;b=2" target="_blank" '
                    'rel="noopener noreferrer">ok</a>spoiler<code>c</code>')
    assert page.evaluate("window.pwned") is None


def test_screenshots_desktop_and_phone(browser: Any, sandbox: SandboxThread, artifacts: Path) -> None:
    for name, viewport in (("desktop", {"width": 1280, "height": 860}), ("phone", {"width": 390, "height": 844})):
        context = browser.new_context(viewport=viewport)
        try:
            page = open_chat(context, sandbox.url, "nl")
            say(page, "/start")
            last_bot(page).locator(".kb-button").first.click()
            expect(bot_bubbles(page)).to_have_count(2)
            page.select_option("#lang", "en")
            say(page, EN_QUESTION)
            expect(bot_bubbles(page)).to_have_count(3)
            expect(page.locator("#traces .trace")).to_have_count(3)
            page.locator("#input").blur()
            chat, panel = page.locator(".chat").bounding_box(), page.locator(".panel").bounding_box()
            assert chat and panel
            if name == "phone":  # the staff panel goes below the chat
                assert panel["y"] >= chat["y"] + chat["height"] - 1 and panel["width"] <= 390
            else:  # side by side
                assert panel["x"] >= chat["x"] + chat["width"] - 1
            page.screenshot(path=str(artifacts / f"sandbox-{name}.png"), full_page=name == "phone")
        finally:
            context.close()


def test_a_broken_edit_shows_file_and_line_while_the_bot_keeps_answering(browser: Any, tmp_path: Path,
                                                                          artifacts: Path) -> None:
    content = copy_content(tmp_path)
    with SandboxThread(content) as sandbox:
        context = browser.new_context(viewport={"width": 1280, "height": 860})
        try:
            page = open_chat(context, sandbox.url, "en")
            expect(page.locator("#content-summary")).to_have_class(re.compile(r"\bok\b"))
            path = content / "answers/en/about.yaml"
            path.write_text(path.read_text(encoding="utf-8").replace("</b>", "", 1), encoding="utf-8")
            page.locator("#reload").click()
            expect(page.locator("#content-summary")).to_contain_text("NOT reloaded")
            problem = page.locator("#problems .problem").first
            expect(problem).to_contain_text(re.compile(r"^answers/en/about\.yaml:\d+: "))
            expected = [str(p) for p in sorted(sandbox.sandbox.bridge.live.last_problems)]  # type: ignore[union-attr]
            expect(page.locator("#problems .problem")).to_have_text(expected)
            say(page, EN_QUESTION)
            expect(last_bot(page).locator(".text")).to_contain_text(first_reply(sandbox.engine, EN_QUESTION, "en"))
            page.screenshot(path=str(artifacts / "sandbox-broken-content.png"))
        finally:
            context.close()
