"""Mask personal data in a message before anything is stored: contact details, numbers, dates, names, addresses.

Each kind is replaced by a token such as ``[email]``. First the text is normalised: zero-width and direction
characters are removed (they can hide inside a number) and full-width, superscript and circled characters
become plain ones. Then the rules run in this order, because earlier kinds hold what later ones look for:
e-mail (also written as "jan [at] example [dot] com"), links, IBANs, postcodes, the number rules of
``mask_numbers`` (number words, phone numbers, dates, licence plates, document numbers, any 6 or more digits
with spaces, dots, commas or dashes between them), street addresses and names (``mask_people``), and last
Telegram usernames. Tokens hold no digits, dots or ``@``, so masking twice gives the same text.

Not masked: names nobody introduces ("Ahmed asked me"), cities, countries, years, ages and short numbers, so a
question stays readable ("ik ben 25 en kom uit Syrië", "CD4D2 in 2024").
"""

from __future__ import annotations

import re
import unicodedata

from bot.staff.mask_numbers import DATE, DOCUMENT, NUMBER, PHONE, Rule
from bot.staff.mask_numbers import RULES as NUMBER_RULES
from bot.staff.mask_people import ADDRESS, ADDRESS_RULES, NAME, mask_names

#: Raise when the rules change: texts already stored are then masked again (``review_log.remask``).
MASKING_VERSION = 2

EMAIL = "[email]"
URL = "[url]"
IBAN = "[iban]"
POSTCODE = "[postcode]"
USERNAME = "[username]"
MAX_ROUNDS = 5
#: Every token a masked text can hold.
TOKENS = (EMAIL, URL, IBAN, PHONE, POSTCODE, DATE, DOCUMENT, NUMBER, ADDRESS, NAME, USERNAME)

_NOT_IN_ADDRESS = r"\s<>()\[\]{}\"',;:"
# Common top-level domains for bare addresses such as iom.int/nl or werk.nl (a guess, on the safe side).
_TLDS = (
    "com|org|net|int|edu|gov|info|biz|io|eu|nl|be|de|fr|uk|es|it|pl|ro|bg|gr|pt|se|dk|no|fi|at|ch|tr|ru|ua|"
    "ma|dz|tn|ly|eg|sd|so|er|et|ng|gh|ke|ug|cm|sn|sy|iq|ir|af|pk|in|lk|bd|cn|id|ph|br|co|ve|us|ca|au|me|tv|"
    "app|online|site|nu"
)
_BRACKETED = r"\s*[\[({{<]\s*(?:{})\s*[\])}}>]\s*"
_AT_BRACKETED = _BRACKETED.format("at|@|apenstaartje")
_DOT_BRACKETED = _BRACKETED.format(r"dot|punt|\.")
_AT_SIGN = rf"(?:\s*@\s*|{_AT_BRACKETED})"
_DOT_WORD = rf"(?:{_DOT_BRACKETED}|\s+(?:dot|punt)\s+)"
_LOCAL = r"(?<![\w.+-])[\w.+-]+"

# Invisible characters that can hide inside a number or an address. Zero-width (non-)joiners stay only
# between two letters of scripts that need them (Persian, Arabic, Indic).
_INVISIBLE = re.compile("[\u00ad\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
                        "|(?<![^\\W\\d_A-Za-z])[\u200c\u200d]|[\u200c\u200d](?![^\\W\\d_A-Za-z])")
# Full-width, small, superscript, subscript, circled and mathematical letters and digits, as plain ones.
_LOOKALIKE_RANGES = ((0x00B2, 0x00B9), (0x2070, 0x209C), (0x2460, 0x24FF), (0x2776, 0x2793), (0xFE50, 0xFE6B),
                     (0xFF01, 0xFF5E), (0x1D400, 0x1D7FF))
_PLAIN = {cp: plain for start, stop in _LOOKALIKE_RANGES for cp in range(start, stop + 1)
          if (plain := unicodedata.normalize("NFKC", chr(cp))) != chr(cp) and len(plain) <= 4}

RULES: tuple[Rule, ...] = (
    # name@example.org (anything@anything ending in a letter or digit; also unusual or broken addresses)
    # (each pattern starts only where a word or address can start: no quadratic retries on long junk)
    (re.compile(rf"(?<![^{_NOT_IN_ADDRESS}])[^{_NOT_IN_ADDRESS}]+@[^{_NOT_IN_ADDRESS}@]*\w"), EMAIL),
    # jan [at] example [dot] com, jan(at)example(dot)com, jan @ example . nl
    (re.compile(rf"{_LOCAL}{_AT_SIGN}[\w-]+(?:(?:{_DOT_WORD}|\s*\.\s*)[\w-]+)*?(?:{_DOT_WORD}|\s*\.\s*)(?:{_TLDS})\b",
                re.IGNORECASE), EMAIL),
    # jan at example dot com, jan apenstaartje example punt nl
    (re.compile(rf"{_LOCAL}\s+(?:at|apenstaartje)\s+[\w-]+(?:{_DOT_WORD}[\w-]+)*?{_DOT_WORD}[a-z]{{2,6}}\b",
                re.IGNORECASE), EMAIL),
    # http://..., https://..., www.... and bare domains with a known ending, with any path
    (re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]]", re.IGNORECASE), URL),
    (re.compile(rf"(?<![\w.@-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)\]])?/?",
                re.IGNORECASE), URL),
    # NL91 ABNA 0417 1643 00: two letters, two digits, groups of letters and digits (with 8+ digits: _iban)
    (re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.IGNORECASE),
     lambda m: IBAN if sum(c.isdigit() for c in m.group(0)) >= 8 else m.group(0)),  # 'ok12 with some' is none
    # 1234 AB, 1234AB, 1234ab (a Dutch postcode; '2024 en' is a year)
    (re.compile(r"\b[1-9]\d{3}(?:\s?[A-Z]{2}|[a-z]{2})\b"), POSTCODE),
    *NUMBER_RULES,
    *ADDRESS_RULES,
)
# @username (Telegram handles identify people); after names, so "my name is @ahmed_k" keeps its cue
_USERNAME = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{4,32}\b")


def normalise(text: str) -> str:
    """``text`` without invisible characters, with look-alike letters and digits as plain ones."""
    return _INVISIBLE.sub("", text).translate(_PLAIN)


def mask(text: str) -> str:
    """``text`` with personal data replaced by tokens (see the module docstring); masking twice changes nothing."""
    text = normalise(text)
    for _ in range(MAX_ROUNDS):  # a token can open a new match ("0000nul zes ..."): again until nothing changes
        masked = _mask_once(text)
        if masked == text:
            break
        text = masked
    return text


def _mask_once(text: str) -> str:
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return _USERNAME.sub(USERNAME, mask_names(text))
