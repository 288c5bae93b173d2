"""Validation and helpers for Telegram's HTML subset (parse_mode=HTML)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

#: Tags Telegram accepts in parse_mode=HTML.
TELEGRAM_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
     "tg-emoji", "code", "pre", "blockquote"}
)
#: The smaller subset staff may use in answers.
CONTENT_TAGS = frozenset({"b", "i", "u", "s", "a", "code", "blockquote"})
MAX_MESSAGE_LENGTH = 4096

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))*)\s*(/?)>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")


@dataclass(frozen=True)
class HtmlProblem:
    """One problem in a piece of Telegram HTML, with the character offset where it starts."""

    offset: int
    message: str


def validate(text: str, allowed: frozenset[str] = TELEGRAM_TAGS) -> list[HtmlProblem]:
    """Return every problem that would make Telegram reject ``text`` (empty list when valid)."""
    problems: list[HtmlProblem] = []
    stack: list[tuple[str, int]] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "<":
            m = _TAG.match(text, i)
            if m is None:
                problems.append(HtmlProblem(i, "a bare '<' is not allowed; write &lt; instead"))
                i += 1
                continue
            closing, name, _attrs, selfclose = m.group(1), m.group(2).lower(), m.group(3), m.group(4)
            if name not in allowed:
                allowed_list = ", ".join(sorted(allowed))
                problems.append(HtmlProblem(i, f"the tag <{name}> is not allowed; use one of: {allowed_list}"))
            elif selfclose:
                problems.append(HtmlProblem(i, f"<{name}/> is not allowed; open and close the tag"))
            elif closing:
                if stack and stack[-1][0] == name:
                    stack.pop()
                elif any(t == name for t, _ in stack):
                    inner, at = stack.pop()
                    problems.append(HtmlProblem(at, f"<{inner}> is not closed before </{name}>; add </{inner}>"))
                    while stack and stack[-1][0] != name:
                        stack.pop()
                    if stack:
                        stack.pop()
                else:
                    problems.append(HtmlProblem(i, f"</{name}> closes a tag that was never opened; remove it"))
            else:
                stack.append((name, i))
            i = m.end()
        elif ch == "&":
            m = _ENTITY.match(text, i)
            if m is None:
                problems.append(HtmlProblem(i, "a bare '&' is not allowed; write &amp; instead"))
                i += 1
            else:
                i = m.end()
        else:
            i += 1
    for name, at in stack:
        problems.append(HtmlProblem(at, f"<{name}> is opened but never closed; add </{name}>"))
    return sorted(problems, key=lambda p: p.offset)


def plain_text(text: str) -> str:
    """The text a user sees: tags removed and entities decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", text))


def visible_length(text: str) -> int:
    """Length Telegram counts against the 4096 limit (after entity parsing)."""
    return len(plain_text(text))


def escape(text: str) -> str:
    """Escape user-provided text for inclusion in Telegram HTML."""
    return html.escape(text, quote=False)
