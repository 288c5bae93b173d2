"""Changing values in a round-trip tree the way staff wrote them: block texts stay block texts, quotes stay, lists
are changed item by item (so comments next to untouched items stay where they are)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString, ScalarString


def same_text(old: Any, new: str) -> bool:
    """Whether a stored value already says ``new`` (the loader strips texts, so outer spacing does not count)."""
    return isinstance(old, str) and old.strip() == new.strip()


def styled(old: Any, new: str) -> Any:
    """``new`` in the style of ``old``: a block text (``|``) for several lines, the old quoting for one line."""
    new = new.strip()
    if "\n" in new or isinstance(old, LiteralScalarString):
        keep_newline = not isinstance(old, str) or old.endswith("\n")
        return LiteralScalarString(new + ("\n" if keep_newline and "\n" in new else ""))
    if isinstance(old, ScalarString):
        return type(old)(new)
    return new


def set_text(mapping: CommentedMap, key: str, new: str) -> None:
    """Set ``mapping[key]`` to the text ``new`` unless it already says that."""
    old = mapping.get(key)
    if not same_text(old, new):
        mapping[key] = styled(old, new)


def sync_list(seq: CommentedSeq, values: Sequence[str]) -> None:
    """Make the list ``seq`` hold ``values``, changing only the items that differ."""
    old = [str(v).strip() for v in seq]
    new = [v.strip() for v in values]
    if old == new:
        return
    ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(ops):
        if tag == "equal":
            continue
        for i in range(i2 - 1, i1 - 1, -1):
            del seq[i]
        for offset, value in enumerate(new[j1:j2]):
            seq.insert(i1 + offset, value)


def ensure_list(mapping: CommentedMap, key: str, values: Sequence[str], *, flow: bool = False) -> None:
    """Set a list under ``key``: changed in place when present, added when new and not empty, removed when
    emptied."""
    values = [v.strip() for v in values if v.strip()]
    if key in mapping and isinstance(mapping[key], CommentedSeq):
        if values:
            sync_list(mapping[key], values)
        else:
            del mapping[key]
    elif values:
        seq = CommentedSeq(values)
        if flow:
            seq.fa.set_flow_style()
        mapping[key] = seq


def sync_mapping_texts(mapping: CommentedMap, values: dict[str, str], *, remove_missing: bool = False) -> None:
    """Set each ``key: text`` of ``values`` in ``mapping`` (new keys at the end); optionally drop other keys."""
    for key, text in values.items():
        if text.strip():
            set_text(mapping, key, text)
        elif key in mapping:
            del mapping[key]
    if remove_missing:
        for key in [k for k in mapping if k not in values]:
            del mapping[key]
