"""docs/staff.md cannot drift: every option, setting, admin command and mask token is documented."""

from __future__ import annotations

import argparse

import pytest

from bot.cli import build_parser
from bot.staff import masking
from bot.staff.admin import ADMIN_COMMANDS, ADMIN_IDS_ENV
from bot.staff.kinds import KIND_LABELS
from bot.staff.review_log import DEFAULT_RETENTION_DAYS, RETENTION_ENV
from bot.store import DATA_DIR_ENV
from tests.conftest import REPO

DOC = (REPO / "docs" / "staff.md").read_text(encoding="utf-8")


def options(command: str) -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return [o for a in sub.choices[command]._actions for o in a.option_strings if o.startswith("--") and o != "--help"]


@pytest.mark.parametrize(("command", "option"), [(c, o) for c in ("review", "stats") for o in options(c)])
def test_every_option_is_documented(command: str, option: str) -> None:
    assert f"faqbot {command} " in DOC
    assert f"`{option}" in DOC


@pytest.mark.parametrize("setting", [RETENTION_ENV, ADMIN_IDS_ENV, DATA_DIR_ENV])
def test_every_setting_is_documented(setting: str) -> None:
    assert f"| `{setting}` |" in DOC


@pytest.mark.parametrize("command", ADMIN_COMMANDS)
def test_every_admin_command_is_documented(command: str) -> None:
    assert f"| `/{command}` |" in DOC


@pytest.mark.parametrize("label", KIND_LABELS.values())
def test_every_kind_of_message_is_documented(label: str) -> None:
    assert f"| {label} |" in DOC


@pytest.mark.parametrize("token", masking.TOKENS)
def test_every_mask_is_documented(token: str) -> None:
    assert f"`{token}`" in DOC


def test_the_default_retention_is_documented() -> None:
    assert f"default {DEFAULT_RETENTION_DAYS}" in DOC
