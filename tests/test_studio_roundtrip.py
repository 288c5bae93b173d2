"""Round-trip YAML editing and atomic writes: comments, order and layout kept; nothing half-written."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from bot.content.files import read_content
from bot.studio import atomic, roundtrip
from bot.studio.yamlset import set_text, sync_list

REPO = Path(__file__).resolve().parents[1]
SHIPPED = sorted(read_content(REPO).texts.items())
YAML_FILES = [(p, t) for p, t in SHIPPED if p.endswith(".yaml")]

COMMENTED = """\
# Staff notes at the top stay.
answers:
  - intent: contact   # the contact answer
    title: Contact
    source: none
    # the text below is Telegram HTML
    text: |
      Call us.
    buttons:
      - label: Website
        url: https://example.org/
  - intent: greeting
    title: "Hello"
    source: none
    text: Hi!
"""


@pytest.mark.parametrize(("path", "text"), YAML_FILES, ids=[p for p, _ in YAML_FILES])
def test_a_file_that_is_not_changed_comes_back_byte_for_byte(path: str, text: str) -> None:
    assert roundtrip.edit(text, lambda doc: None) == text


def test_a_change_keeps_comments_order_and_touches_only_its_line() -> None:
    def change(doc: Any) -> None:
        set_text(doc["answers"][1], "title", "Hello there")

    new = roundtrip.edit(COMMENTED, change)
    assert new == COMMENTED.replace('title: "Hello"', 'title: "Hello there"')


def test_a_block_text_stays_a_block_text() -> None:
    new = roundtrip.edit(COMMENTED, lambda doc: set_text(doc["answers"][0], "text", "Call us.\nOr write."))
    assert "    text: |\n      Call us.\n      Or write.\n    buttons:" in new
    assert "# the text below is Telegram HTML" in new


def test_lines_wrapped_by_staff_stay_wrapped_when_another_line_changes() -> None:
    path, text = next((p, t) for p, t in YAML_FILES if p == "answers/en/language.yaml")
    new = roundtrip.edit(text, lambda doc: set_text(doc["language"], "name", "English (UK)"))
    changed = [(a, b) for a, b in zip(text.splitlines(), new.splitlines(), strict=True) if a != b]
    assert changed == [("  name: English", "  name: English (UK)")]


def test_adding_and_removing_examples_changes_only_those_lines() -> None:
    text = "intents:\n  - id: x\n    examples:\n      en:\n        - one  # first\n        - two\n        - three\n"
    new = roundtrip.edit(text, lambda doc: sync_list(doc["intents"][0]["examples"]["en"], ["one", "three", "four"]))
    assert new == ("intents:\n  - id: x\n    examples:\n      en:\n        - one  # first\n        - three\n"
                   "        - four\n")


def make_root(tmp_path: Path) -> Path:
    (tmp_path / "intents").mkdir(parents=True)
    (tmp_path / "answers" / "en").mkdir(parents=True)
    (tmp_path / "answers" / "en" / "main.yaml").write_text("old: text\n", encoding="utf-8")
    return tmp_path


def test_a_save_that_crashes_before_the_file_is_replaced_leaves_the_old_file(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_root(tmp_path)

    def crash(tmp: Path, path: Path) -> None:
        assert tmp.read_text(encoding="utf-8") == "new: text\n"  # the new text was fully written first
        raise KeyboardInterrupt  # the studio is killed here

    monkeypatch.setattr(atomic, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_all(root, {"answers/en/main.yaml": "new: text\n"})
    assert (root / "answers/en/main.yaml").read_text(encoding="utf-8") == "old: text\n"
    assert os.listdir(root / "answers/en") == ["main.yaml"]


def test_a_write_replaces_the_whole_file(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    atomic.write_all(root, {"answers/en/main.yaml": "new: text\n"})
    assert (root / "answers/en/main.yaml").read_text(encoding="utf-8") == "new: text\n"
    assert os.listdir(root / "answers/en") == ["main.yaml"]


@pytest.mark.parametrize("path", ["../outside.yaml", "docs/sources/iom.txt", "/etc/passwd", "answers/en/.hidden.yaml",
                                  "answers/../../x.yaml", "bot/cli.py", "answers/en/main.txt"])
def test_only_content_files_under_intents_and_answers_can_be_written(tmp_path: Path, path: str) -> None:
    root = make_root(tmp_path)
    with pytest.raises(atomic.NotWritable):
        atomic.write_all(root, {path: "x: 1\n"})


def test_a_link_out_of_the_content_folder_is_not_written_through(tmp_path: Path) -> None:
    root = make_root(tmp_path / "c")
    outside = tmp_path / "outside.yaml"
    outside.write_text("keep: me\n", encoding="utf-8")
    (root / "answers/en/link.yaml").symlink_to(outside)
    with pytest.raises(atomic.NotWritable):
        atomic.write_all(root, {"answers/en/link.yaml": "x: 1\n"})
    assert outside.read_text(encoding="utf-8") == "keep: me\n"
