"""Masking rules for numbers: phone numbers, dates, document numbers, licence plates, long numbers, number words.

Each rule is a compiled pattern and its replacement (a token, or a function that decides per match). The
digits of one number may be split by spaces, dots, commas, slashes, brackets, underscores or any dash; the
caller removes zero-width characters first (``masking.normalise``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.staff.mask_words import MONTHS, NUMBER_WORD

DATE = "[date]"
DOCUMENT = "[document]"
NUMBER = "[number]"
PHONE = "[phone]"

Replacement = str | Callable[[re.Match[str]], str]
Rule = tuple[re.Pattern[str], Replacement]

DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # - ‐ ‑ ‒ – — ― −
_SEP = rf"[\s.{DASHES}/()_]*"  # what may stand between the digits of one number
_SEP_OR_COMMA = rf"[\s.,{DASHES}/()_]*"  # also commas: "123, 456, 789" (long_number decides)
_YEAR = re.compile(r"(?:19|20)\d\d")
_COMMA = re.compile(r",\s+")
_YEAR_THEN_AMOUNT = re.compile(r"(?:19|20)\d\d\s+\d{1,3}(?:[.,]\d{3})+")

_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_ORDINAL = r"(?:st|nd|rd|th|ste|de|e)?"
_WRITTEN_DAY = rf"{_DAY}{_ORDINAL}"
#: ", 1990", " '90", "-90", "/1990" after a written month
_WRITTEN_YEAR = rf"(?:,?\s*(?:\d{{4}}|['’]\d\d)|[{DASHES}/.]\d\d(?:\d\d)?)(?!\d)"
#: Month words that are also ordinary words (may, Jan, mar): only a date with an ordinal or a year.
_AMBIGUOUS_MONTHS = frozenset({"may", "jan", "mar"})


def digits(text: str) -> int:
    """How many digits ``text`` holds."""
    return sum(c.isdigit() for c in text)


def long_number(match: re.Match[str]) -> str:
    """6 or more digits are one number. Groups after ", " belong together only when each has 3 or more digits
    and they are not a list of years: "kinderen van 12, 14, 16" and "in 2015, 2016" stay, "123, 456" goes."""
    text = match.group(0)
    if _YEAR_THEN_AMOUNT.fullmatch(text) and digits(text) < 10:  # "in 2022 1.514 mensen" (a year, then a figure)
        return text
    groups = _COMMA.split(text)
    separators = [*_COMMA.findall(text), ""]
    out: list[str] = []
    run: list[int] = []  # indexes of consecutive groups of 3 or more digits
    for i, group in enumerate(groups):
        if digits(group) >= 3:
            run.append(i)
            continue
        out.append(_masked_run(groups, separators, run) + group + separators[i])
        run = []
    return "".join(out) + _masked_run(groups, separators, run)


def _masked_run(groups: list[str], separators: list[str], run: list[int]) -> str:
    """Consecutive groups of 3 or more digits (with what follows each): one number, unless they are years."""
    if not run:
        return ""
    if len(run) == 1:
        i = run[0]
        return (NUMBER if digits(groups[i]) >= 6 else groups[i]) + separators[i]
    if all(_YEAR.fullmatch(groups[i].strip()) for i in run):
        return "".join(groups[i] + separators[i] for i in run)
    return NUMBER + separators[run[-1]]


def document(match: re.Match[str]) -> str:
    """Letters and digits mixed, 6 characters or more: NXA12345, KL1234, NXC1J7KF8; not COVID19, 1500euro."""
    token = match.group(0)
    if re.fullmatch(r"\d+[A-Za-z]+", token):  # an amount with its unit: 1500euro, 100km
        return token
    if digits(token) >= 4 or re.search(r"\d[A-Za-z]+\d", token):
        return DOCUMENT
    return token


def plate(match: re.Match[str]) -> str:
    """A licence plate: three groups of letters or digits with dashes, 6 or 7 in all, both kinds present."""
    groups = re.split(f"[{DASHES}]", match.group(0))
    kinds = {g.isdigit() for g in groups}
    return DOCUMENT if len("".join(groups)) in (6, 7) and kinds == {True, False} else match.group(0)


def written_date(match: re.Match[str]) -> str:
    """A day and a month in words; 'may 2 people come' and 'Jan 25' (a name) only count with an ordinal or year."""
    month = match.groupdict().get("month")
    if month is not None and month.lower() in _AMBIGUOUS_MONTHS and not match.group("sure"):
        return match.group(0)
    return DATE


def number_words(match: re.Match[str]) -> str:
    """A run of 4 or more numbers of which at least 2 are written out: "nul zes een twee drie", "zero six 12 34"."""
    words = re.findall(rf"\b(?:{NUMBER_WORD})\b", match.group(0), re.IGNORECASE)
    return NUMBER if len(words) >= 2 else match.group(0)


_NUMBER_ELEMENT = rf"(?:(?:{NUMBER_WORD})\b|\d+)"

RULES: tuple[Rule, ...] = (
    # nul zes een twee drie vier ..., zero six one two ..., with digits among them
    (re.compile(rf"\b{_NUMBER_ELEMENT}(?:[\s,.{DASHES}]+{_NUMBER_ELEMENT}){{3,}}", re.IGNORECASE), number_words),
    # +31 6 12345678, 0031 20 1234567, +234 803 123 4567, +31 (0)6 1234 5678 (the whole run of digits: no
    # rest is left that could be read as a number of its own when the text is masked again)
    (re.compile(rf"(?:\+|(?<!\w)00)\s?[1-9](?:{_SEP}\d){{6,}}"), PHONE),
    # 06-12345678, 0612345678, (020) 123 4567, 020-1234567
    (re.compile(rf"(?<![\w+])\(?0(?:{_SEP}\d){{8,}}"), PHONE),
    # 1-5-90, 01/05/1990, 1.5.90, 1990-05-01 (the same separator twice)
    (re.compile(rf"(?<![\w.,])(?:{_DAY}\s?([{DASHES}/.])\s?{_DAY}\s?\1\s?(?:\d{{4}}|\d\d)|"
                rf"(?:19|20)\d\d([{DASHES}/.]){_MONTH}\2{_DAY})(?![\d])"), DATE),
    # 1 mei 1990, 5 januari, 1st of May, 10-mei-90
    (re.compile(rf"\b{_WRITTEN_DAY}\.?(?:\s*|[{DASHES}/])(?:of\s+|van\s+)?(?:{MONTHS})\b\.?(?:{_WRITTEN_YEAR})?",
                re.IGNORECASE), written_date),
    # May 1st 1990, May 1, 1990, januari 5
    (re.compile(rf"\b(?P<month>{MONTHS})\.?\s+(?:the\s+)?{_DAY}(?P<sure>{_ORDINAL}\b(?:{_WRITTEN_YEAR})?)\b",
                re.IGNORECASE), written_date),
    # 12-ABC-3, AB-123-C, 1-ABC-123
    (re.compile(rf"(?<![\w{DASHES}])(?:[A-Za-z]{{1,3}}|\d{{1,3}})(?:[{DASHES}](?:[A-Za-z]{{1,3}}|\d{{1,3}})){{2}}"
                rf"(?![\w{DASHES}])"), plate),
    # NXA12345, IR1234567, V1234567890, KL1234 (letters and digits in one word)
    (re.compile(r"\b(?=[A-Za-z0-9]*[A-Za-z])(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{6,}\b"), document),
    # NXA 12345, nxa-12345 (five digits: longer numbers are masked whole below, keeping "BSN [number]")
    (re.compile(rf"\b(?:[A-Z]{{1,3}} |(?i:[a-z]{{1,3}})[{DASHES}])\d{{5}}\b"), DOCUMENT),
    # 6 or more digits with separators: 1234567890, 123.456.789, 123 456 789, 123, 456, 789, 06123, 45678
    (re.compile(rf"\d(?:{_SEP_OR_COMMA}\d){{5,}}"), long_number),
)
