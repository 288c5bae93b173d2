"""Which form field a problem belongs to: a problem's file and line, mapped through the file's YAML tree.

A field is named by what it is, not where it is: ``answer:<intent>:<lang>:text``, ``intent:<id>:examples:<lang>:3``,
``check:<id>:steps:<step>``, ``checktext:<id>:<lang>:questions:<step>``, ``text:<file>:messages:welcome``. The page
shows a problem next to the field whose name is the longest start of the problem's field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot.content import Problem
from bot.studio import roundtrip

Span = tuple[int, int, tuple[Any, ...]]  # first line, last line (1-based, inclusive), the keys leading there


def spans(doc: Any, last_line: int) -> list[Span]:
    """Every node of a round-trip tree with the lines it covers."""
    out: list[Span] = []
    _walk(doc, (), 1, last_line, out)
    return out


def _walk(node: Any, path: tuple[Any, ...], first: int, last: int, out: list[Span]) -> None:
    if isinstance(node, CommentedMap):
        keys = list(node)
        starts = [node.lc.key(k)[0] + 1 for k in keys]
    elif isinstance(node, CommentedSeq):
        keys = list(range(len(node)))
        starts = [node.lc.item(i)[0] + 1 for i in keys]
    else:
        return
    for n, key in enumerate(keys):
        end = starts[n + 1] - 1 if n + 1 < len(keys) else last
        end = max(end, starts[n])
        out.append((starts[n], end, path + (key,)))
        _walk(node[key], path + (key,), starts[n], end, out)


def node_path(doc: Any, text: str, line: int) -> tuple[Any, ...]:
    """The keys of the smallest node of ``doc`` (read from ``text``) that holds ``line``."""
    holding = [s for s in spans(doc, text.count("\n") + 1) if s[0] <= line <= s[1]]
    if not holding:
        return ()
    return min(holding, key=lambda s: (s[1] - s[0], -len(s[2])))[2]


def field_name(file: str, doc_path: tuple[Any, ...], doc: Any) -> str:
    """The form field for a node of ``file``."""
    section = doc_path[0] if doc_path else None
    rest = [str(k) for k in doc_path[2:]]
    if file.startswith("intents/") and section == "intents" and len(doc_path) > 1:
        item = doc["intents"][doc_path[1]]
        return ":".join(["intent", str(item.get("id")), *rest])
    if file.startswith("intents/") and section == "checks" and len(doc_path) > 1:
        item = doc["checks"][doc_path[1]]
        return ":".join(["check", str(item.get("id")), *rest[:2]])
    if file.startswith("answers/") and file.count("/") == 2 and section in ("answers", "checks") and len(doc_path) > 1:
        lang = file.split("/")[1]
        item = doc[section][doc_path[1]]
        if section == "answers":
            return ":".join(["answer", str(item.get("intent")), lang, *rest[:1]])
        return ":".join(["checktext", str(item.get("id")), lang, *rest[:2]])
    return ":".join(["text", file, *(str(k) for k in doc_path)])


def problems_json(problems: list[Problem], texts: Mapping[str, str]) -> list[dict[str, Any]]:
    """Problems for the page: the field each belongs to (or None), in plain words, and where it is in the files."""
    docs: dict[str, Any] = {}
    out = []
    for problem in problems:
        field = None
        text = texts.get(problem.path)
        if text is not None:
            if problem.path not in docs:
                try:
                    docs[problem.path] = roundtrip.load(text)
                except Exception:  # a YAML syntax error: the problem stays at file level
                    docs[problem.path] = None
            doc = docs[problem.path]
            path = node_path(doc, text, problem.line) if doc is not None else ()
            if path:
                field = field_name(problem.path, path, doc)
        out.append({"field": field, "message": problem.message, "fix": problem.fix,
                    "where": f"{problem.path}:{problem.line}", "severity": problem.severity})
    return out
