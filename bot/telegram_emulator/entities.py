"""Message entities: HTML to Telegram entities, and command/mention entities in user text."""

from __future__ import annotations

import html
import re
from typing import Any

# Same tag grammar as bot.html (which has already validated the text when these run).
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))*)\s*(/?)>")
_ATTR = re.compile(r"([a-zA-Z-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))")
_SIMPLE = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "tg-spoiler": "spoiler",
    "code": "code", "pre": "pre", "blockquote": "blockquote",
}
_COMMAND = re.compile(r"(?<![\w/@])/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,32})?(?![\w/@])")
_MENTION = re.compile(r"(?<![\w@])@[a-zA-Z][a-zA-Z0-9_]{3,31}(?![\w@])")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _attrs(raw: str) -> dict[str, str]:
    return {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTR.finditer(raw)}


def _entity(name: str, attrs: dict[str, str], inside_pre: bool) -> dict[str, Any] | None:
    if name == "a":
        href = attrs.get("href")
        return {"type": "text_link", "url": href} if href else None
    if name == "span":
        return {"type": "spoiler"} if attrs.get("class") == "tg-spoiler" else None
    if name == "tg-emoji":
        emoji_id = attrs.get("emoji-id")
        return {"type": "custom_emoji", "custom_emoji_id": emoji_id} if emoji_id else None
    if name == "code" and inside_pre:
        return None
    kind = _SIMPLE.get(name)
    return {"type": kind} if kind else None


def html_to_entities(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Split valid Telegram HTML into the plain text and its entities (UTF-16 offsets).

    ``<pre><code class="language-x">`` becomes one ``pre`` entity with ``language``; empty
    entities are dropped, as Telegram does.
    """
    parts: list[str] = []
    offset = 0
    stack: list[tuple[str, dict[str, str], int, int]] = []  # (tag, attributes, offset, opening order)
    found: list[tuple[int, int, int, dict[str, Any]]] = []  # (offset, -length, opening order, entity)
    opened = 0
    pos = 0
    for match in _TAG.finditer(text):
        chunk = html.unescape(text[pos:match.start()])
        parts.append(chunk)
        offset += utf16_len(chunk)
        pos = match.end()
        closing, name = match.group(1), match.group(2).lower()
        if not closing:
            stack.append((name, _attrs(match.group(3)), offset, opened))
            opened += 1
            continue
        while stack:
            open_name, attrs, start, order = stack.pop()
            inside_pre = any(entry[0] == "pre" for entry in stack)
            entity = _entity(open_name, attrs, inside_pre)
            if open_name == "code" and inside_pre and attrs.get("class", "").startswith("language-"):
                for i in range(len(stack) - 1, -1, -1):
                    if stack[i][0] == "pre":
                        stack[i][1]["language"] = attrs["class"][len("language-"):]
                        break
            if open_name == "pre" and "language" in attrs and entity is not None:
                entity["language"] = attrs["language"]
            if entity is not None and offset > start:
                found.append((start, start - offset, order, {**entity, "offset": start, "length": offset - start}))
            if open_name == name:
                break
    parts.append(html.unescape(text[pos:]))
    found.sort(key=lambda item: item[:3])
    return "".join(parts), [entity for *_, entity in found]


def user_text_entities(text: str) -> list[dict[str, Any]]:
    """The ``bot_command`` and ``mention`` entities Telegram attaches to a user's message."""
    entities: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    for match in _COMMAND.finditer(text):
        taken.append(match.span())
        entities.append(_span_entity(text, match.start(), match.end(), "bot_command"))
    for match in _MENTION.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        entities.append(_span_entity(text, match.start(), match.end(), "mention"))
    entities.sort(key=lambda e: e["offset"])
    return entities


def _span_entity(text: str, start: int, end: int, kind: str) -> dict[str, Any]:
    offset = utf16_len(text[:start])
    return {"type": kind, "offset": offset, "length": utf16_len(text[start:end])}
