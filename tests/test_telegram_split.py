"""Splitting long Telegram HTML: limits, paragraph boundaries first, tags closed and reopened, always valid."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.telegram.split import split_html, units
from bot.html import MAX_MESSAGE_LENGTH, plain_text, validate

A, B, C = "a" * 3000, "b" * 3000, "c" * 2000

# (text, limit, expected chunks)
CASES = [
    ("short", 4096, ["short"]),
    ("", 4096, []),
    ("   \n\n ", 4096, []),
    ("<b></b>", 4096, []),
    (f"{A}\n\n{B}", 4096, [A, B]),
    (f"{A}\n{B}", 4096, [A, B]),
    (f"{A} {B}", 4096, [A, B]),
    ("a" * 5000, 4096, ["a" * 4096, "a" * 904]),
    # a paragraph break wins over a later line break or space
    (f"{C}\n\n{C[:1000]}\n{C} tail", 4096, [C, f"{C[:1000]}\n{C} tail"]),
    (f"{C[:1000]}\n{C}\n\n{C}", 4096, [f"{C[:1000]}\n{C}", C]),
    # small limits to read the rules at a glance
    ("one two three", 8, ["one two", "three"]),
    ("one\ntwo three", 9, ["one", "two three"]),  # a line break wins over a later space
    ("one two\n\nthree four", 12, ["one two", "three four"]),
    ("one two \n \n three four", 12, ["one two", "three four"]),  # blank lines with spaces are paragraphs too
    ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
    # tags open at a cut are closed and opened again
    ("<b>one two three</b>", 8, ["<b>one two</b>", "<b>three</b>"]),
    ("<b><i>aaaa\n\nbbbb</i></b>", 6, ["<b><i>aaaa</i></b>", "<b><i>bbbb</i></b>"]),
    ('<a href="https://iom.nl/">aaaa bbbb</a> cc', 6,
     ['<a href="https://iom.nl/">aaaa</a>', '<a href="https://iom.nl/">bbbb</a>', "cc"]),
    ("<b>aaaa</b>\n\n<i>bbbb</i>", 6, ["<b>aaaa</b>", "<i>bbbb</i>"]),
    ("aaaa <b>bbbb</b>", 6, ["aaaa", "<b>bbbb</b>"]),
    # entities are one character and never cut
    ("&lt;&amp;&gt; &amp;&amp;", 4, ["&lt;&amp;&gt;", "&amp;&amp;"]),
    ("&amp;" * 5, 4, ["&amp;" * 4, "&amp;"]),
    # characters outside the BMP count twice (UTF-16), as Telegram counts
    ("😀😀😀 x", 4, ["😀😀", "😀 x"]),
    # invalid HTML is sent escaped, as the characters it holds, rather than rejected by Telegram
    ("1 < 2 & <b>x", 4096, ["1 &lt; 2 &amp; &lt;b&gt;x"]),
]


@pytest.mark.parametrize(("text", "limit", "expected"), CASES)
def test_split(text: str, limit: int, expected: list[str]) -> None:
    assert split_html(text, limit) == expected


@pytest.mark.parametrize(("text", "limit", "_expected"), CASES)
def test_every_chunk_is_valid_and_fits(text: str, limit: int, _expected: list[str]) -> None:
    for chunk in split_html(text, limit):
        assert validate(chunk) == []
        assert 0 < units(plain_text(chunk)) <= limit


def test_a_real_long_answer() -> None:
    paragraph = "<b>IOM</b> helps people go back. " * 40 + '<a href="https://www.iom-nederland.nl/">site</a>'
    text = "\n\n".join([paragraph] * 12)
    chunks = split_html(text)
    assert len(chunks) > 1
    assert all(c.startswith("<b>IOM</b>") for c in chunks)  # every chunk starts at a paragraph
    assert all(units(plain_text(c)) <= MAX_MESSAGE_LENGTH and not validate(c) for c in chunks)
    assert "\n\n".join(plain_text(c) for c in chunks) == plain_text(text)


WORDS = st.sampled_from(["IOM", "help", "&amp;", "&lt;3", "😀", "terugkeer", "a", "<b>x</b>", "é"])
SEPARATORS = st.sampled_from([" ", " ", "\n", "\n\n"])
TAGS = st.sampled_from([("<b>", "</b>"), ("<i>", "</i>"), ('<a href="https://x.nl/">', "</a>"),
                        ("<blockquote>", "</blockquote>"), ("", "")])


@st.composite
def html_texts(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 12))):
        words = draw(st.lists(WORDS, min_size=1, max_size=12))
        seps = draw(st.lists(SEPARATORS, min_size=len(words), max_size=len(words)))
        opening, closing = draw(TAGS)
        parts.append(opening + "".join(w + s for w, s in zip(words, seps, strict=True)).rstrip() + closing)
    return draw(SEPARATORS).join(parts)


@settings(max_examples=150, deadline=None)
@given(html_texts(), st.integers(8, 80))
def test_property_valid_chunks_keep_all_text(text: str, limit: int) -> None:
    chunks = split_html(text, limit)
    for chunk in chunks:
        assert validate(chunk) == [], chunk
        assert units(plain_text(chunk)) <= limit
    squeeze = str.maketrans("", "", " \n")
    assert "".join(plain_text(c) for c in chunks).translate(squeeze) == plain_text(text).translate(squeeze)
