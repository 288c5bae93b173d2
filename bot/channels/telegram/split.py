"""Split Telegram HTML that is too long for one message, at paragraph boundaries, keeping every chunk valid.

A chunk ends at the last paragraph break (a blank line) that fits, else the last line break, else the last
space, else it is cut hard. Tags open at a cut are closed at the end of the chunk and opened again (with
their attributes, so links keep working) at the start of the next one. Length is counted in UTF-16 code
units of the visible text, which is never less than what Telegram counts, so every chunk is accepted.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.html import MAX_MESSAGE_LENGTH, escape, plain_text, validate

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")
_ENTITY = re.compile(r"&(?:[a-zA-Z]+|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_EMPTY = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^>]*)?></\1>", re.IGNORECASE)
PARAGRAPH, LINE, SPACE = 0, 1, 2


@dataclass(frozen=True)
class _Atom:
    """One indivisible piece of the source: a tag, an entity such as &amp;, or one character."""

    raw: str
    char: str = ""  # what the user sees ('' for tags)
    tag: str | None = None  # the tag name, for tags
    closing: bool = False

    @property
    def size(self) -> int:
        return units(self.char)

    @property
    def space(self) -> bool:
        return self.tag is None and self.char.isspace()


def units(text: str) -> int:
    """The length of ``text`` in UTF-16 code units (emoji outside the BMP count twice)."""
    return len(text.encode("utf-16-le")) // 2


def _atoms(text: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    i = 0
    while i < len(text):
        if text[i] == "<" and (tag := _TAG.match(text, i)):
            atoms.append(_Atom(tag.group(0), tag=tag.group(2).lower(), closing=bool(tag.group(1))))
            i = tag.end()
        elif text[i] == "&" and (entity := _ENTITY.match(text, i)):
            atoms.append(_Atom(entity.group(0), html.unescape(entity.group(0))))
            i = entity.end()
        else:
            atoms.append(_Atom(text[i], text[i]))
            i += 1
    return atoms


def _kind_of_gap(atoms: list[_Atom], i: int) -> int:
    """PARAGRAPH, LINE or SPACE: what the run of whitespace starting at ``i`` separates."""
    newlines = 0
    while i < len(atoms) and atoms[i].space:
        newlines += atoms[i].char == "\n"
        i += 1
    return PARAGRAPH if newlines >= 2 else LINE if newlines else SPACE


def _cut(atoms: list[_Atom], start: int, limit: int) -> tuple[int, int]:
    """Where the chunk starting at ``start`` ends, and where the next one starts (after the whitespace)."""
    best: dict[int, int] = {}
    used = 0
    i = start
    while i < len(atoms):
        atom = atoms[i]
        if used + atom.size > limit:
            break
        if atom.space and i > start and not atoms[i - 1].space:
            best[_kind_of_gap(atoms, i)] = i
        used += atom.size
        i += 1
    if i == len(atoms):
        return i, i
    end = next((best[level] for level in (PARAGRAPH, LINE, SPACE) if level in best), max(i, start + 1))
    resume = end
    while resume < len(atoms) and atoms[resume].space:
        resume += 1
    return end, resume


def _close(stack: list[_Atom]) -> str:
    return "".join(f"</{atom.tag}>" for atom in reversed(stack))


def split_html(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """``text`` as one or more chunks of at most ``limit`` visible characters, each valid Telegram HTML."""
    if validate(text):  # never send what Telegram would reject: show the characters as they are instead
        text = escape(text)
    if units(plain_text(text)) <= limit:
        return [text] if plain_text(text).strip() else []
    atoms = _atoms(text)
    chunks: list[str] = []
    opened: list[_Atom] = []
    start = 0
    while start < len(atoms):
        end, resume = _cut(atoms, start, limit)
        stack = list(opened)
        for atom in atoms[start:end]:
            if atom.tag is None:
                continue
            if not atom.closing:
                stack.append(atom)
            elif any(open_tag.tag == atom.tag for open_tag in stack):
                stack.pop(max(k for k, open_tag in enumerate(stack) if open_tag.tag == atom.tag))
        chunk = "".join(a.raw for a in opened) + "".join(a.raw for a in atoms[start:end]) + _close(stack)
        while (tidy := _EMPTY.sub("", chunk)) != chunk:
            chunk = tidy
        if plain_text(chunk).strip():
            chunks.append(chunk)
        opened, start = stack, resume
    return chunks
