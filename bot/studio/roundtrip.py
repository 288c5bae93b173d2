"""Round-trip YAML editing: change a parsed file and write it back with its comments, order and layout kept.

ruamel.yaml keeps comments and order, but re-flows some lines it did not change (long flow lists). So the new text is
made by applying only the lines that the edit changed to the original text (`splice`); if that would not give the
same data, the plain ruamel output is used. A file that is not changed is returned byte for byte.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Callable
from typing import Any

from ruamel.yaml import YAML

Document = Any  # ruamel's CommentedMap / CommentedSeq tree


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never wrap a changed line; unchanged lines keep their own wrapping (splice)
    yaml.indent(mapping=2, sequence=4, offset=2)  # the content's style: "  - id: ..." under a key
    return yaml


def load(text: str) -> Document:
    """The round-trip tree of a YAML text."""
    return _yaml().load(text)


def dump(doc: Document) -> str:
    """A round-trip tree as YAML text."""
    out = io.StringIO()
    _yaml().dump(doc, out)
    return out.getvalue()


def plain(doc: Document) -> Any:
    """The data of a tree as plain Python values (to compare two texts' meaning)."""
    return _yaml_safe().load(dump(doc)) if doc is not None else None


def _yaml_safe() -> YAML:
    return YAML(typ="safe", pure=True)


def edit(text: str, change: Callable[[Document], None]) -> str:
    """``text`` with ``change`` applied to its tree; byte-identical when the change leaves the data as it was."""
    baseline_doc = load(text)
    before = dump(baseline_doc)
    change(baseline_doc)
    after = dump(baseline_doc)
    if after == before:
        return text
    return splice(text, before, after)


def splice(original: str, baseline: str, changed: str) -> str:
    """Apply the line changes from ``baseline`` (ruamel's output of the unchanged tree) to ``changed`` onto
    ``original``; lines the edit did not touch stay exactly as in ``original``."""
    orig, base, new = (s.splitlines(keepends=True) for s in (original, baseline, changed))
    to_orig: dict[int, int] = {}
    for block in difflib.SequenceMatcher(None, base, orig, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            to_orig[block.a + k] = block.b + k
    out: list[str] = []
    pos = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, base, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        span = _original_span(to_orig, i1, i2, len(orig))
        if span is None:
            return changed
        start, end = span
        if start < pos:
            return changed
        out += orig[pos:start] + new[j1:j2]
        pos = end
    out += orig[pos:]
    result = "".join(out)
    try:
        same = _yaml_safe().load(result) == _yaml_safe().load(changed)
    except Exception:  # a splice that does not parse: use ruamel's own text
        same = False
    return result if same else changed


def _original_span(to_orig: dict[int, int], i1: int, i2: int, n_orig: int) -> tuple[int, int] | None:
    """The lines of the original that baseline lines ``i1:i2`` came from; None when they were re-flowed."""
    if i1 == i2:  # an insertion: after the original of the line before it
        if i1 == 0:
            return 0, 0
        before = to_orig.get(i1 - 1)
        return None if before is None else (before + 1, before + 1)
    mapped = [to_orig.get(i) for i in range(i1, i2)]
    if any(m is None for m in mapped):
        return None
    first, last = mapped[0], mapped[-1]
    assert first is not None and last is not None
    if last - first != i2 - i1 - 1:
        return None
    return first, min(last + 1, n_orig)
