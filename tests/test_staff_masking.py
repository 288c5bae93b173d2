"""Masking: personal data in a question is replaced before it is stored; ordinary questions stay readable."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.staff.masking import TOKENS, mask


def same(text: str) -> tuple[str, str]:
    """A question without personal data: it must be stored exactly as typed."""
    return text, text


# (what someone types, what is stored)
CASES = [
    # -- e-mail, also written so that a filter would miss it
    ("mail me: ahmed.k+iom@gmail.com please", "mail me: [email] please"),
    ("mijn mail is Fatima_99@hotmail.nl.", "mijn mail is [email]."),
    ("(a.b@c-d.org)", "([email])"),
    ("mailto:me@x.nl", "mailto:[email]"),
    ("mail jan [at] example [dot] com", "mail [email]"),
    ("mail jan(at)example(dot)com", "mail [email]"),
    ("my mail is jan at example dot com", "my mail is [email]"),
    ("mijn mail: jan @ example . nl", "mijn mail: [email]"),
    ("jan {at} gmail {dot} com", "[email]"),
    ("jan apenstaartje hotmail punt nl", "[email]"),
    ("ｊａｎ＠ｅｘａｍｐｌｅ．ｃｏｍ", "[email]"),
    # -- phone numbers, Dutch and international, split in any way
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
    ("bel 06123, 45678", "bel [number]"),
    ("bel me op 06 123 456 78", "bel me op [phone]"),
    ("06.12.34.56.78", "[phone]"),
    ("tel 06–1234–5678", "tel [phone]"),  # en dash
    ("tel 06‑12345678", "tel [phone]"),  # non-breaking hyphen
    ("tel 06—12—34—56—78", "tel [phone]"),  # em dash
    ("tel 06−12345678", "tel [phone]"),  # minus sign
    ("0 6 1 2 3 4 5 6 7 8", "[phone]"),
    ("06\u200b1234\u200b5678", "[phone]"),  # zero-width space
    ("06\u200c12345678", "[phone]"),  # zero-width non-joiner
    ("06\u200d12345678", "[phone]"),  # zero-width joiner
    ("06\u206012345678", "[phone]"),  # word joiner
    ("06\ufeff12345678", "[phone]"),  # byte order mark
    ("０６１２３４５６７８", "[phone]"),  # full-width digits
    ("⁰⁶¹²³⁴⁵⁶⁷⁸", "[phone]"),  # superscript digits
    # -- numbers written in words (4 or more numbers in a row)
    ("mijn nummer is nul zes een twee drie vier vijf zes zeven acht", "mijn nummer is [number]"),
    ("my number is zero six one two three four five six seven eight", "my number is [number]"),
    ("nul zes, twaalf, vierendertig, zesenvijftig", "[number]"),
    ("zero six 12 34 56 78", "[number]"),
    ("one two three four", "[number]"),
    # -- long numbers: V-number, BSN, case numbers, other scripts' digits
    ("V-nummer 1234567890", "V-nummer [number]"),
    ("mijn BSN is 123456789", "mijn BSN is [number]"),
    ("bsn 123.456.789", "bsn [number]"),
    ("mijn BSN is 123 456 789", "mijn BSN is [number]"),
    ("BSN 123, 456, 789", "BSN [number]"),
    ("mijn BSN is 1\u200b2\u200b3\u200b4\u200b5\u200b6\u200b7\u200b8\u200b9", "mijn BSN is [number]"),
    ("zaak 12-34-56", "zaak [number]"),
    ("٠٦١٢٣٤٥٦٧٨", "[number]"),
    ("id 1 2 3 4 5 6", "id [number]"),
    ("€ 100.000 lening", "€ [number] lening"),
    # -- dates, in numbers and in words
    ("geboren 1-5-90", "geboren [date]"),
    ("born 01/05/1990", "born [date]"),
    ("geboren 1.5.90", "geboren [date]"),
    ("born 12-05-1990", "born [date]"),
    ("DOB 1990-05-01", "DOB [date]"),
    ("born 5/1/90", "born [date]"),
    ("ik ben geboren op 1 mei 1990", "ik ben geboren op [date]"),
    ("ik ben geboren op 15 augustus 1985 in Kabul", "ik ben geboren op [date] in Kabul"),
    ("ik kwam op 5 januari", "ik kwam op [date]"),
    ("geboren op 21ste mei", "geboren op [date]"),
    ("geboren 10-mei-90", "geboren [date]"),
    ("born May 1st 1990", "born [date]"),
    ("born on the 1st of May", "born on the [date]"),
    ("born May 1, 1990", "born [date]"),
    ("born 12 Dec 1988", "born [date]"),
    ("I was born on 21st March 1992", "I was born on [date]"),
    # -- document numbers and licence plates
    ("paspoort NXA12345", "paspoort [document]"),
    ("passport nxa12345", "passport [document]"),
    ("mijn paspoortnummer is NXC1J7KF8", "mijn paspoortnummer is [document]"),
    ("ID-kaart IXR123456", "ID-kaart [document]"),
    ("mijn verblijfspas N12345678", "mijn verblijfspas [document]"),
    ("vreemdelingennummer V1234567890", "vreemdelingennummer [document]"),
    ("passport NXA 12345", "passport [document]"),
    ("kenteken 12-ABC-3", "kenteken [document]"),
    ("my car AB-123-C was towed", "my car [document] was towed"),
    ("kenteken 1-KBC-23", "kenteken [document]"),
    # -- names introduced as such
    ("my name is Ahmed Al Hassan and I want to go home", "my name is [name] and I want to go home"),
    ("my name is ahmed hassan i want to go home", "my name is [name] i want to go home"),
    ("my name's Ali", "my name's [name]"),
    ("Name: Fatima Yusuf", "Name: [name]"),
    ("I am called Yonas Tesfaye", "I am called [name]"),
    ("I'm called Yonas", "I'm called [name]"),
    ("call me Abdi please", "call me [name] please"),
    ("They call me Abu Bakr", "They call me [name]"),
    ("I am Ahmed from Syria", "I am [name] from Syria"),
    ("I'm Ahmed, 25 years old", "I'm [name], 25 years old"),
    ("ik heet Olena", "ik heet [name]"),
    ("ik heet Mohammed Ali", "ik heet [name]"),
    ("mijn naam is ahmed", "mijn naam is [name]"),
    ("mijn naam is Jan de Vries", "mijn naam is [name]"),
    ("naam: fatima", "naam: [name]"),
    ("Ik ben Amina en ik wil terug", "Ik ben [name] en ik wil terug"),
    ("Hallo, ik ben Mohammed. Ik wil terug naar Marokko.", "Hallo, ik ben [name]. Ik wil terug naar Marokko."),
    ("ik ben Jan 25 jaar", "ik ben [name] 25 jaar"),
    ("met vriendelijke groet, Jan Jansen", "met vriendelijke groet, [name]"),
    # -- street addresses and postcodes
    ("ik woon in de Kerkstraat 12", "ik woon in de [address]"),
    ("woon op de Hoofdweg 5", "woon op de [address]"),
    ("Laan van Meerdervoort 1a, Den Haag", "[address], Den Haag"),
    ("wij wonen in de Kerkstraat 12 hs", "wij wonen in de [address]"),
    ("Jan-van-Galenstraat 5", "[address]"),
    ("Stationsplein 1", "[address]"),
    ("ik woon aan de Lange Voorhout 34", "ik woon aan de [address]"),
    ("mijn adres is Kerkstraat 12 2511 AB Den Haag", "mijn adres is [address] [postcode] Den Haag"),
    ("I live at 12 Baker Street", "I live at [address]"),
    ("221B Baker Street", "[address]"),
    ("I live on Main Road 5", "I live on [address]"),
    ("address: Spui 70", "address: [address]"),
    ("ik woon op 1234 AB Den Haag", "ik woon op [postcode] Den Haag"),
    ("1234ab", "[postcode]"),
    ("postcode 2511AB", "postcode [postcode]"),
    # -- links, IBANs, Telegram usernames
    ("see https://www.iom.int/nl?a=1.", "see [url]."),
    ("http://example.org/path/x", "[url]"),
    ("www.iom-nederland.nl", "[url]"),
    ("kijk op iom.int/x", "kijk op [url]"),
    ("werk.nl", "[url]"),
    ("NL91ABNA0417164300", "[iban]"),
    ("rekening NL91 ABNA 0417 1643 00 graag", "rekening [iban] graag"),
    ("DE89 3704 0044 0532 0130 00", "[iban]"),
    ("my friend @ahmed_k said", "my friend [username] said"),
    ("my name is @ahmed_k", "my name is [username]"),
    # -- must NOT be masked: a question that loses these words can no longer be answered
    same("wat is CD4D2"),
    same("ED4D voor ondernemers"),
    same("kan ik meedoen aan CD4D2 in 2024"),
    same("ik heb 3 kinderen"),
    same("bel 112"),
    same("Can IOM help me go back to my country?"),
    same("ik kom uit Eritrea"),
    same("ik wil terug naar Syrië"),
    same("I am from Iraq"),
    same("ik ben Syriër"),
    same("I am Syrian"),
    same("I'm Eritrean"),
    same("Ik ben Nederlander"),
    same("ik ben Koerd uit Irak"),
    same("I'm Muslim"),
    same("ik ben ziek"),
    same("ik ben zwanger"),
    same("I am sick"),
    same("ik ben 25 jaar"),
    same("I am in the Netherlands"),
    same("I'm IOM staff"),
    same("call me back please"),
    same("can you call me tomorrow"),
    same("my name is not on the list"),
    same("mijn naam is verkeerd gespeld in mijn paspoort"),
    same("groetjes uit Nederland"),
    same("in 2015, 2016 en 2017"),
    same("in 2019 and 2020"),
    same("mijn kinderen zijn 12, 14, 16 jaar"),
    same("ik hoorde dat in 2022 1.514 mensen zijn teruggegaan"),
    same("I arrived in May 2023"),
    same("may 2 people travel together?"),
    same("ik ben al 3 dagen onderweg"),
    same("wat betekent de arbeidsmarkt 2024"),
    same("can I stay at home 5 days"),
    same("ik woon op de 3e verdieping"),
    same("ik woon 5 jaar in Den Haag"),
    same("I live in Amsterdam 3 years"),
    same("I walked 5 miles on the road"),
    same("COVID-19 test"),
    same("B1 niveau"),
    same("1500euro"),
    same("artikel 8 EVRM"),
    same("om 10:30 uur"),
    same("ik heb 1.500 euro nodig"),
    same("tussen 1-5 jaar"),
    same("een twee drie"),
    same("I have one two three questions"),
    same("ik wil terug"),
    same("I have 2 kids and 3 bags"),
    same("wat kost 1500 euro"),
    same("ok12 with some"),
    same("kan ik terug? ja/nee"),
    same("hoe werkt het... ik snap het niet"),
    same("e.g. a ticket"),
    same("@ home"),
    same("image of my passport"),
    same(""),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] or "(empty)" for c in CASES])
def test_what_is_stored(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize("expected", sorted({e for _, e in CASES}))
def test_a_masked_text_stays_the_same_when_masked_again(expected: str) -> None:
    assert mask(expected) == expected


def test_the_table_shows_every_kind_of_token_and_many_kept_questions() -> None:
    shown = " ".join(expected for _, expected in CASES)
    assert [token for token in TOKENS if token not in shown] == []
    assert sum(text == expected for text, expected in CASES) >= 40


# -- properties ------------------------------------------------------------------------------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w-]+")
LONG_DIGITS = re.compile(r"\d(?:[\s.\-/()‐‑‒–—―−]*\d){5,}")
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
DASHES = ["-", "‐", "‑", "‒", "–", "—", "―", "−"]

words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
emails = st.builds(lambda a, b, c: f"{a}@{b}.{c}", st.from_regex(r"[a-z0-9._+-]{1,12}", fullmatch=True),
                   st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True), st.sampled_from(["nl", "com", "org", "x"]))
separators = st.sampled_from(["", " ", "-", ".", "  ", "/", ", ", *DASHES, *INVISIBLE])


@st.composite
def phones(draw: st.DrawFn) -> str:
    """Phone numbers as people type them: +31 6 ..., 06-..., 0031 ..., (020) ..., +234 ..."""
    prefix = draw(st.sampled_from(["+31 6", "+316", "06", "0031 6", "(020)", "020", "+234 803", "+44 20", "+212 6"]))
    groups = draw(st.lists(st.from_regex(r"[0-9]{2,4}", fullmatch=True), min_size=3, max_size=4))
    sep = draw(separators)
    return prefix + draw(st.sampled_from([" ", "-", ""])) + sep.join(groups)


@st.composite
def split_numbers(draw: st.DrawFn) -> str:
    """6 to 14 digits with one kind of separator between them (BSN, V-number, case numbers)."""
    digits = draw(st.lists(st.from_regex(r"[0-9]", fullmatch=True), min_size=6, max_size=14))
    return draw(separators).join(digits)


personal = st.one_of(emails, phones(), split_numbers())


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


@given(st.sampled_from(["bel 0612345678", "V-nummer 1234567890", "passport NXA12345", "born 01/05/1990"]),
       st.lists(st.tuples(st.integers(0, 30), st.sampled_from(INVISIBLE)), max_size=4))
def test_zero_width_characters_do_not_hide_anything(text: str, hidden: list[tuple[int, str]]) -> None:
    for at, char in hidden:
        text = text[:at] + char + text[at:]
    assert mask(text) == mask("".join(c for c in text if c not in INVISIBLE))


@given(words)
def test_any_text_is_masked_without_error_and_never_longer_by_much(text: str) -> None:
    masked = mask(text)
    assert isinstance(masked, str)
    assert len(masked) <= len(text) * 10 + 10
