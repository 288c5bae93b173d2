"""Docs that cannot drift: every command and every setting the code reads is in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert re.findall(r"^make (\w+)", first_block, re.MULTILINE) == ["run", "test"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented(command: str) -> None:
    assert f"`faqbot {command}" in README


def test_every_command_is_registered() -> None:
    parser = build_parser()
    choices = next(a.choices for a in parser._actions if a.dest == "command")
    assert set(choices) == set(COMMANDS)


SETTINGS = sorted({m for path in (ROOT / "bot").rglob("*.py")
                   for m in re.findall(r"\b((?:FAQBOT|TELEGRAM)_[A-Z_]+)\b", path.read_text(encoding="utf-8"))}
                  - {"TELEGRAM_TAGS"})


@pytest.mark.parametrize("setting", SETTINGS)
def test_every_setting_is_documented(setting: str) -> None:
    assert f"`{setting}`" in README


@pytest.mark.parametrize("doc", sorted(set(re.findall(r"\]\((docs/[\w.-]+)\)", README))))
def test_linked_docs_exist(doc: str) -> None:
    assert (ROOT / doc).exists()
