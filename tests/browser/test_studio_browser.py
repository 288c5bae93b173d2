"""The studio in Debian's Chromium: editing with the preview, the inbox and Try it, refused edits, undo, the login,
keyboard use, and axe-core (WCAG 2.1 AA) on every page. Every wait is on the page, never a sleep."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.studio_fixture import FakeInbox, InboxGroup, StudioThread, temp_studio

pytest.importorskip("playwright")
from playwright.sync_api import Page, expect  # noqa: E402

try:  # axe-core as shipped in the axe-playwright-python dev dependency (PyPI)
    import axe_playwright_python as _axe_package

    AXE = Path(_axe_package.__file__).parent / "axe.min.js"
except ImportError:  # pragma: no cover - without the dev tools the check is skipped
    AXE = Path("/nonexistent/axe.min.js")
FAMILY = "answers/en/family.yaml"
INBOX_TEXT = "kan mijn oma met de zorgvlucht mee"
PASSWORD = "staff only"
PAGES = ["#/topics", "#/topic/family_reunification", "#/checks", "#/check/return", "#/texts", "#/inbox", "#/history"]


@pytest.fixture(scope="module")
def studio() -> Iterator[StudioThread]:
    inbox = FakeInbox([InboxGroup("g1", "nl", (INBOX_TEXT,), 4, "unanswered", None, "family_reunification",
                                  "2025-01-01", "2025-01-05")])
    running, tmp = temp_studio(inbox=inbox)
    with tmp, running:
        yield running


def open_page(context: Any, url: str) -> Page:
    page: Page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.errors = errors  # type: ignore[attr-defined]
    return page


def column(page: Page, lang: str) -> Any:
    return page.locator(f"section.lang-column[lang={lang}]")


def test_edit_an_answer_in_both_languages_and_see_the_preview(context: Any, studio: StudioThread) -> None:
    page = open_page(context, studio.url + "#/topic/family_reunification")
    for lang, extra in (("nl", "Vraag het <b>IOM</b>."), ("en", "Ask <b>IOM</b> about it.")):
        text = column(page, lang).get_by_label("Answer text")
        text.fill(text.input_value() + "\n" + extra)
        expect(column(page, lang).locator(".preview .bubble-text b").last).to_have_text("IOM")
        expect(column(page, lang).locator(".measure")).to_contain_text("lines on a phone")
    expect(column(page, "en").locator(".preview .kb-button")).to_have_text("Website IOM Netherlands")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#toast")).to_contain_text("Saved")
    on_disk = (studio.content / FAMILY).read_text(encoding="utf-8")
    assert "      Ask <b>IOM</b> about it.\n" in on_disk and on_disk.startswith("# Answers:")
    assert "Vraag het <b>IOM</b>." in (studio.content / "answers/nl/family.yaml").read_text(encoding="utf-8")
    assert not page.errors  # type: ignore[attr-defined]


def test_a_broken_edit_is_refused_with_the_field_marked(context: Any, studio: StudioThread) -> None:
    before = (studio.content / FAMILY).read_bytes()
    page = open_page(context, studio.url + "#/topic/family_reunification")
    text = column(page, "en").get_by_label("Answer text")
    text.fill("IOM helps <b>families.")
    page.get_by_role("button", name="Save").click()
    expect(text).to_have_attribute("aria-invalid", "true")
    expect(column(page, "en").locator(".field-problem")).to_contain_text("<b> is opened but never closed: add </b>")
    expect(page.locator(".problem-summary")).to_contain_text("Nothing was written")
    assert (studio.content / FAMILY).read_bytes() == before


def test_add_an_example_from_the_inbox_and_try_it_uses_it(context: Any, studio: StudioThread) -> None:
    page = open_page(context, studio.url + "#/inbox")
    group = page.locator(".inbox-group").filter(has_text=INBOX_TEXT)
    expect(group.get_by_label("Add as example to topic")).to_have_value("family_reunification")
    group.get_by_role("button", name="Add as example").click()
    expect(page.locator("#toast")).to_contain_text("Added as an example of family_reunification")
    expect(page.get_by_text("Nothing to review.")).to_be_visible()
    assert studio.inbox is not None and studio.inbox.resolved == [("g1", "added")]
    page.get_by_label("Message").fill(INBOX_TEXT)
    page.get_by_role("button", name="Try", exact=True).click()
    expect(page.locator("#try-result .intent")).to_contain_text("(family_reunification)")
    expect(page.locator("#try-result .decision")).to_contain_text("answer")


def test_try_it_uses_unsaved_edits(context: Any, studio: StudioThread) -> None:
    page = open_page(context, studio.url + "#/topic/resettlement")
    examples = column(page, "en").get_by_label("Add an example question (en)")
    examples.fill("zorblax quuxvlucht")
    examples.press("Enter")
    page.get_by_label("Message").fill("zorblax quuxvlucht")
    page.get_by_role("button", name="Try", exact=True).click()
    expect(page.locator("#try-result")).to_contain_text("With your unsaved edits.")
    expect(page.locator("#try-result .intent")).to_contain_text("(resettlement)")


def test_undo_puts_the_file_back(context: Any, studio: StudioThread) -> None:
    page = open_page(context, studio.url + "#/texts")
    welcome = page.get_by_label("welcome (en)", exact=True)
    before = (studio.content / "answers/en/messages.yaml").read_bytes()
    welcome.fill(welcome.input_value() + " Welcome!")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#toast")).to_contain_text("Saved")
    assert (studio.content / "answers/en/messages.yaml").read_bytes() != before
    page.get_by_role("link", name="History").click()
    newest = page.locator(".entry").first
    expect(newest).to_contain_text("bot texts")
    newest.get_by_role("button", name=re.compile(r"^Undo save")).click()
    expect(page.locator("#toast")).to_contain_text("undone")
    assert (studio.content / "answers/en/messages.yaml").read_bytes() == before


def test_the_check_form_draws_the_flow_and_refuses_a_step_leading_nowhere(context: Any, studio: StudioThread) -> None:
    page = open_page(context, studio.url + "#/check/return")
    expect(page.locator("figure.diagram svg title")).to_contain_text("Flow of the check")
    expect(page.locator("figure.diagram .node.step")).to_have_count(4)
    step = page.locator("fieldset.step[data-step=origin]")
    step.get_by_role("button", name="Remove answer yes").click()
    step.get_by_role("button", name="Remove answer no").click()
    page.get_by_role("button", name="Save").click()
    expect(step).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-problem").first).to_contain_text("Step 'origin' has no options")


def test_keyboard_alone_reaches_a_topic_and_adds_an_example(context: Any, studio: StudioThread) -> None:
    page = open_page(context, studio.url + "#/topics")
    expect(page.locator(".topic-list li").first).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the editor")).to_be_focused()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "topic-search":
            break
    page.keyboard.type("Resettle")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Resettlement")
    new = column(page, "en").get_by_label("Add an example question (en)")
    new.focus()
    page.keyboard.type("keyboard only example")
    page.keyboard.press("Enter")
    expect(column(page, "en").locator("input.item").last).to_have_value("keyboard only example")
    expect(new).to_be_focused()


def axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations.map(v =>
        v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))""")
    return list(result)


@pytest.fixture()
def axe_context(browser: Any) -> Iterator[Any]:
    """A context that lets Playwright inject axe-core past the page's Content-Security-Policy."""
    if not AXE.exists():
        pytest.skip("axe-core is missing: install the dev tools (`make test` does)")
    ctx = browser.new_context(viewport={"width": 1280, "height": 860}, bypass_csp=True)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.mark.parametrize("where", PAGES)
def test_every_studio_page_has_no_wcag_21_aa_violations(axe_context: Any, studio: StudioThread, where: str) -> None:
    page = open_page(axe_context, studio.url + where)
    expect(page.locator("#view h1")).not_to_be_empty()
    page.locator("#view h1").wait_for()
    if where.startswith("#/check/"):
        expect(page.locator("figure.diagram svg")).to_be_visible()
    assert axe_violations(page) == []


@pytest.fixture(scope="module")
def locked() -> Iterator[StudioThread]:
    running, tmp = temp_studio(password=PASSWORD)
    with tmp, running:
        yield running


def test_a_second_browser_without_the_password_is_refused(browser: Any, locked: StudioThread) -> None:
    staff = browser.new_context(bypass_csp=True)
    stranger = browser.new_context()
    try:
        page = staff.new_page()
        page.goto(locked.url)
        expect(page).to_have_url(re.compile(r"/login(#.*)?$"))
        if AXE.exists():
            assert axe_violations(page) == []
        page.get_by_label("Your name").fill("Ana")
        page.get_by_label("Studio password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.locator("#user")).to_have_text("Ana")

        other = stranger.new_page()
        other.goto(locked.url + "#/history")
        expect(other).to_have_url(re.compile(r"/login(#.*)?$"))
        assert stranger.request.get(locked.url + "api/topics").status == 401
        other.get_by_label("Your name").fill("Eve")
        other.get_by_label("Studio password").fill("wrong")
        other.get_by_role("button", name="Log in").click()
        expect(other.get_by_role("alert")).to_have_text("That name or password is not right.")
        expect(other).to_have_url(re.compile(r"/login(#.*)?$"))
    finally:
        staff.close()
        stranger.close()
