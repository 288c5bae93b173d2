"""Mask personal data in a message before anything is stored: e-mail, links, bank accounts, phone numbers.

Each kind is replaced by a token such as ``[email]``. The order matters: e-mail and links first (they hold
dots and digits), then IBANs, phone numbers, postcodes, and last any run of 6 or more digits (V-numbers,
BSN, dates of birth, case numbers), even with spaces, dots, dashes or slashes between the digits. Tokens hold
no digits, dots or ``@``, so masking twice gives the same text. Names and street names cannot be recognised
reliably and are not masked: staff remove them when they copy a question.
"""

from __future__ import annotations

import re

EMAIL = "[email]"
URL = "[url]"
IBAN = "[iban]"
PHONE = "[phone]"
POSTCODE = "[postcode]"
NUMBER = "[number]"
USERNAME = "[username]"

_NOT_IN_ADDRESS = r"\s<>()\[\]{}\"',;:"
# Common top-level domains for bare addresses such as iom.int/nl or werk.nl (a guess, on the safe side).
_TLDS = (
    "com|org|net|int|edu|gov|info|biz|io|eu|nl|be|de|fr|uk|es|it|pl|ro|bg|gr|pt|se|dk|no|fi|at|ch|tr|ru|ua|"
    "ma|dz|tn|ly|eg|sd|so|er|et|ng|gh|ke|ug|cm|sn|sy|iq|ir|af|pk|in|lk|bd|cn|id|ph|br|co|ve|us|ca|au|me|tv|"
    "app|online|site|nu"
)
_SEP = r"[\s.\-/()]*"  # what may stand between the digits of one number

PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # name@example.org (anything@anything ending in a letter or digit; also unusual or broken addresses)
    # (each pattern starts only where a word or address can start: no quadratic retries on long junk)
    (re.compile(rf"(?<![^{_NOT_IN_ADDRESS}])[^{_NOT_IN_ADDRESS}]+@[^{_NOT_IN_ADDRESS}@]*\w"), EMAIL),
    # http://..., https://..., www.... and bare domains with a known ending, with any path
    (re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]]", re.IGNORECASE), URL),
    (re.compile(rf"(?<![\w.@-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)\]])?/?",
                re.IGNORECASE), URL),
    # NL91 ABNA 0417 1643 00: two letters, two digits, groups of letters and digits (with 8+ digits: _iban)
    (re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.IGNORECASE), IBAN),
    # +31 6 12345678, 0031 20 1234567, +234 803 123 4567, +31 (0)6 1234 5678
    (re.compile(rf"(?:\+|(?<!\w)00)\s?[1-9](?:{_SEP}\d){{6,14}}"), PHONE),
    # 06-12345678, 0612345678, (020) 123 4567, 020-1234567
    (re.compile(rf"(?<![\w+])\(?0(?:{_SEP}\d){{8,12}}"), PHONE),
    # 1234 AB, 1234AB, 1234ab (a Dutch postcode)
    (re.compile(r"\b[1-9]\d{3}(?:\s?[A-Z]{2}|[a-z]{2})\b"), POSTCODE),
    # 6 or more digits in a row, with separators: 1234567890, 123.456.789, 12-05-1990
    (re.compile(rf"\d(?:{_SEP}\d){{5,}}"), NUMBER),
    # @username (Telegram handles identify people)
    (re.compile(r"(?<![\w@])@[A-Za-z0-9_]{4,32}\b"), USERNAME),
)


def mask(text: str) -> str:
    """``text`` with e-mail addresses, links, IBANs, phone numbers, postcodes and long numbers replaced."""
    for pattern, token in PATTERNS:
        text = pattern.sub(_iban if token == IBAN else token, text)
    return text


def _iban(match: re.Match[str]) -> str:
    """An IBAN has at least 8 digits; 'ok12 with some' only looks like one."""
    return IBAN if sum(c.isdigit() for c in match.group(0)) >= 8 else match.group(0)
