"""Masking: personal data in a question is replaced before it is stored; ordinary questions stay readable."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.staff.masking import mask

# (what someone types, what is stored)
MASKED = [
    # e-mail
    ("mail me: ahmed.k+iom@gmail.com please", "mail me: [email] please"),
    ("mijn mail is Fatima_99@hotmail.nl.", "mijn mail is [email]."),
    ("(a.b@c-d.org)", "([email])"),
    ("mailto:me@x.nl", "mailto:[email]"),
    # phone numbers, Dutch and international
    ("bel +31 6 12345678 aub", "bel [phone] aub"),
    ("bel 06-12345678", "bel [phone]"),
    ("0612345678", "[phone]"),
    ("0031 6 12345678", "[phone]"),
    ("0031612345678", "[phone]"),
    ("(020) 123 4567", "[phone]"),
    ("020-1234567", "[phone]"),
    ("+31 (0)6 1234 5678", "[phone]"),
    ("my brother +234 803 123 4567 in Lagos", "my brother [phone] in Lagos"),
    ("+32 2 123 45 67", "[phone]"),
    # long numbers: V-number, BSN, case numbers, dates of birth, other scripts' digits
    ("V-nummer 1234567890", "V-nummer [number]"),
    ("mijn BSN is 123456789", "mijn BSN is [number]"),
    ("bsn 123.456.789", "bsn [number]"),
    ("zaak 12-34-56", "zaak [number]"),
    ("born 12-05-1990", "born [number]"),
    ("born 12/05/1990", "born [number]"),
    ("٠٦١٢٣٤٥٦٧٨", "[number]"),
    ("id 1 2 3 4 5 6", "id [number]"),
    # links
    ("see https://www.iom.int/nl?a=1.", "see [url]."),
    ("http://example.org/path/x", "[url]"),
    ("www.iom-nederland.nl", "[url]"),
    ("kijk op iom.int/x", "kijk op [url]"),
    ("werk.nl", "[url]"),
    # IBAN
    ("NL91ABNA0417164300", "[iban]"),
    ("rekening NL91 ABNA 0417 1643 00 graag", "rekening [iban] graag"),
    ("DE89 3704 0044 0532 0130 00", "[iban]"),
    # postcode
    ("ik woon op 1234 AB Den Haag", "ik woon op [postcode] Den Haag"),
    ("1234ab", "[postcode]"),
    # Telegram usernames
    ("my friend @ahmed_k said", "my friend [username] said"),
]

# Questions without personal data are kept exactly.
KEPT = [
    "ik wil terug naar huis",
    "Can IOM help me go back to my country?",
    "I have 2 kids and 3 bags",
    "in 2019 and 2020",
    "ik ben 25 jaar",
    "wat kost 1500 euro",
    "ok12 with some",
    "kan ik terug? ja/nee",
    "hoe werkt het... ik snap het niet",
    "e.g. a ticket",
    "@ home",
    "",
]


@pytest.mark.parametrize(("text", "expected"), MASKED, ids=[m[0] for m in MASKED])
def test_personal_data_is_masked(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_questions_without_personal_data_are_kept(text: str) -> None:
    assert mask(text) == text


# -- properties ------------------------------------------------------------------------------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w-]+")
LONG_DIGITS = re.compile(r"\d(?:[\s.\-/()]*\d){5,}")

words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
emails = st.builds(lambda a, b, c: f"{a}@{b}.{c}", st.from_regex(r"[a-z0-9._+-]{1,12}", fullmatch=True),
                   st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True), st.sampled_from(["nl", "com", "org", "x"]))
separators = st.sampled_from(["", " ", "-", ".", "  ", "/"])


@st.composite
def phones(draw: st.DrawFn) -> str:
    """Phone numbers as people type them: +31 6 ..., 06-..., 0031 ..., (020) ..., +234 ..."""
    prefix = draw(st.sampled_from(["+31 6", "+316", "06", "0031 6", "(020)", "020", "+234 803", "+44 20", "+212 6"]))
    groups = draw(st.lists(st.from_regex(r"[0-9]{2,4}", fullmatch=True), min_size=3, max_size=4))
    sep = draw(separators)
    return prefix + draw(st.sampled_from([" ", "-", ""])) + sep.join(groups)


digit_runs = st.builds(lambda ds, sep: sep.join(ds), st.lists(st.from_regex(r"[0-9]", fullmatch=True), min_size=6,
                                                              max_size=14), separators)
personal = st.one_of(emails, phones(), digit_runs)


@settings(max_examples=300)
@given(st.lists(st.one_of(words, personal), max_size=6), st.sampled_from([" ", "", "\n", ", "]))
def test_masked_text_never_holds_an_email_phone_or_long_number(parts: list[str], joiner: str) -> None:
    masked = mask(joiner.join(parts))
    assert not EMAIL.search(masked), masked
    assert not LONG_DIGITS.search(masked), masked


@settings(max_examples=300)
@given(st.lists(st.one_of(words, personal), max_size=6), st.sampled_from([" ", "", "\n"]))
def test_masking_is_idempotent(parts: list[str], joiner: str) -> None:
    once = mask(joiner.join(parts))
    assert mask(once) == once


@given(words)
def test_any_text_is_masked_without_error_and_never_longer_by_much(text: str) -> None:
    masked = mask(text)
    assert isinstance(masked, str)
    assert len(masked) <= len(text) * 10 + 10
