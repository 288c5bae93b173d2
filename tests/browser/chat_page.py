"""Driving the sandbox's chat page in a browser tab (import after ``pytest.importorskip("playwright")``)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect


def open_chat(context: Any, url: str, lang: str = "nl") -> Page:
    """A new tab on the sandbox with the app language chosen, connected to its chat; ``page.errors`` collects
    the page's script errors."""
    page: Page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    expect(page.locator("#status")).to_have_text("bot")
    page.select_option("#lang", lang)
    page.errors = errors  # type: ignore[attr-defined]
    return page


def say(page: Page, text: str) -> None:
    """Type ``text`` and press Enter (the keyboard way to send)."""
    page.locator("#input").fill(text)
    page.locator("#input").press("Enter")
