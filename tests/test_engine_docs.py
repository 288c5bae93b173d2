"""docs/conversations.md cannot drift: check diagrams, commands and message keys come from the code."""

from __future__ import annotations

import os
import re

import pytest

from bot.content import Content
from bot.content.required import REQUIRED_MESSAGES
from bot.engine import COMMANDS
from bot.engine.diagram import markdown, mermaid
from tests.conftest import REPO

DOC = REPO / "docs" / "conversations.md"
START, END = "<!-- checks:start -->", "<!-- checks:end -->"


def generated(content: Content) -> str:
    return f"{START}\n{markdown(content, 'en')}{END}"


def test_check_diagrams_are_up_to_date(shipped_content: Content) -> None:
    text = DOC.read_text(encoding="utf-8")
    current = re.search(re.escape(START) + ".*?" + re.escape(END), text, re.DOTALL)
    assert current is not None, f"{DOC}: the markers {START} and {END} are missing"
    wanted = generated(shipped_content)
    if current.group(0) != wanted and os.environ.get("FAQBOT_WRITE_DOCS"):
        DOC.write_text(text.replace(current.group(0), wanted), encoding="utf-8")
        pytest.skip("docs/conversations.md updated")
    assert current.group(0) == wanted, ("the check diagrams in docs/conversations.md are out of date; "
                                        "run FAQBOT_WRITE_DOCS=1 .venv/bin/pytest tests/test_engine_docs.py")


def test_every_check_has_a_diagram(shipped_content: Content) -> None:
    text = DOC.read_text(encoding="utf-8")
    for check in shipped_content.checks.values():
        assert mermaid(shipped_content, check, "en") in text


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented(command: str) -> None:
    assert f"`/{command}`" in DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("key", sorted(REQUIRED_MESSAGES))
def test_every_message_is_documented(key: str) -> None:
    assert f"`{key}`" in DOC.read_text(encoding="utf-8")


def test_every_required_message_is_used_by_the_engine() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "bot" / "engine").glob("*.py"))
    unused = [key for key in REQUIRED_MESSAGES if f'"{key}"' not in source]
    assert not unused, f"required but never used: {unused}"


def test_every_message_the_engine_uses_is_required() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "bot" / "engine").glob("*.py"))
    used = set(re.findall(r'(?:texts|other)\("([a-z_]+)"', source))
    assert used <= REQUIRED_MESSAGES, f"used but not required: {sorted(used - REQUIRED_MESSAGES)}"
