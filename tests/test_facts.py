"""The facts check: every number, phone number, web address and e-mail address the bot says comes from the source
document or the outside-facts register; the messages staff read name file:line and the fact."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.commands.check import NO_SOURCE
from bot.content import parse_files
from bot.content.facts import check_facts, extract, fact_uses
from bot.content.loader import parse_partial, read_files
from tests.content_fixture import ANSWER, valid_files

REPO = Path(__file__).resolve().parents[1]
SOURCE_PATH = "docs/sources/iom-nederland.txt"
SOURCE = (REPO / SOURCE_PATH).read_text(encoding="utf-8")
FIX = (f"check it against {SOURCE_PATH} and correct or remove it; if it belongs to another organisation (an "
       "emergency number, a public service), add that organisation under 'referrals:' in answers/en/referrals.yaml")
NOT_SUPPORTED = "is not in the source document or the outside-facts register"

# -- what is a fact, and its normal form ------------------------------------------------------------------

NORMALISED = [
    ("1.514", "number", "1514"),
    ("1,514", "number", "1514"),
    ("1514", "number", "1514"),
    ("67.000", "number", "67000"),
    ("19,000", "number", "19000"),
    ("2,5", "number", "2.5"),
    ("2.5", "number", "2.5"),
    ("€ 2.500,00", "amount", "2500"),
    ("€2500", "amount", "2500"),
    ("12%", "percentage", "12%"),
    ("12 procent", "percentage", "12%"),
    ("2022", "year", "2022"),
    ("09:30", "time", "9:30"),
    ("112", "number", "112"),
    ("0800-0113", "phone number", "08000113"),
    ("0800 0113", "phone number", "08000113"),
    ("08000113", "phone number", "08000113"),
    ("+31 (0)70 318 1500", "phone number", "0703181500"),
    ("070-3181500", "phone number", "0703181500"),
    ("https://www.iom-nederland.nl/", "web address", "iom-nederland.nl"),
    ("http://iom-nederland.nl", "web address", "iom-nederland.nl"),
    ("www.iom-nederland.nl", "web address", "iom-nederland.nl"),
    ("iom-nederland.nl/", "web address", "iom-nederland.nl"),
    ("https://www.IOM-Nederland.nl/nl/Contact/", "web address", "iom-nederland.nl/nl/Contact"),
    ("info@IOM.int", "e-mail address", "info@iom.int"),
]


@pytest.mark.parametrize(("written", "kind", "key"), NORMALISED)
def test_normal_form(written: str, kind: str, key: str) -> None:
    [(_, fact)] = extract(f"Zie {written}.")
    assert (fact.kind, fact.key) == (kind, key)


FACTS_IN = [
    ("In 2022 keerden 1.514 migranten terug.", ["year '2022'", "number '1.514'"]),
    ("Van 2020-2023, of 10–20 mensen.", ["year '2020'", "year '2023'", "number '10'", "number '20'"]),
    ('Kijk op <a href="https://www.iom-nederland.nl/">www.iom-nederland.nl</a>.',
     ["web address 'https://www.iom-nederland.nl/'", "web address 'www.iom-nederland.nl'"]),
    ("Bel 0800-0113 of 112, of kijk op 113.nl.", ["phone number '0800-0113'", "number '112'", "web address '113.nl'"]),
    ("Mail naar info@iom.int", ["e-mail address 'info@iom.int'"]),
    ("ca.75 medewerkers", ["number '75'"]),
    # not facts: programme names, list markers, placeholders, HTML entities, numbers in words
    ("CD4D2, ED4D en de check CD4D", []),
    ("1. eerst dit\n2) dan dat\n1️⃣ of dit", []),
    ("3. alleen een lijstnummer", []),
    ("{group} – kies een vraag: {count}", []),
    ("Prijs &#8364; &amp; meer", []),
    ("drie korte vragen, B1-niveau", []),
]


@pytest.mark.parametrize(("text", "facts"), FACTS_IN)
def test_facts_in_a_text(text: str, facts: list[str]) -> None:
    assert [str(f).removeprefix("the ") for _, f in extract(text)] == facts


# -- the shipped content ----------------------------------------------------------------------------------


def test_shipped_content_passes_the_facts_check() -> None:
    files = read_files(REPO)
    assert SOURCE_PATH in files
    content, _ = parse_partial(files)
    assert [str(p) for p in check_facts(content, files)] == []


def test_every_shipped_fact_is_found_on_its_line() -> None:
    """Answers, messages, check texts, off-topic and crisis replies: file:line points at the fact itself."""
    files = read_files(REPO)
    content, _ = parse_partial(files)
    uses = fact_uses(content, files)
    assert {u.location.path.split("/")[-1] for u in uses} >= {"crisis.yaml", "checks.yaml", "messages.yaml"}
    wrong = [f"{u.location}: {u.fact}" for u in uses
             if u.fact.raw not in files[u.location.path].splitlines()[u.location.line - 1]]
    assert wrong == []


def test_the_facts_check_is_fast() -> None:
    files = read_files(REPO)
    content, _ = parse_partial(files)
    start = time.perf_counter()
    for _ in range(5):
        fact_uses(content, files)
    assert (time.perf_counter() - start) / 5 < 0.25  # about 30 ms on a laptop; generous for busy CI machines


# -- broken fixtures: an invented phone number and amount -------------------------------------------------

INVENTED = ANSWER.format(title="Family reunification").replace(
    "      IOM regelt de <b>reis</b> van gezinsleden.\n",
    "      IOM regelt de <b>reis</b> van gezinsleden.\n"
    "      Bel ons op <b>020-7654321</b>.\n"
    "      Je krijgt € 2500 en de reis (sinds 1991).\n")
REGISTER = """\
referrals:
  - id: helpdesk
    source: outside
    name: Helpdesk Gezinshereniging
    what: A made-up body, to test the register
    phone: "020 765 4321"
"""


def fact_problems(files: dict[str, str]) -> list[str]:
    _, problems = parse_files(files)
    return [str(p) for p in problems if NOT_SUPPORTED in p.message]


def with_source(changes: dict[str, str] | None = None) -> dict[str, str]:
    """The valid fixture plus the real source document, with files replaced or added."""
    return valid_files() | {SOURCE_PATH: SOURCE} | (changes or {})


def test_invented_phone_number_and_amount_are_caught_at_their_lines() -> None:
    assert fact_problems(with_source({"answers/en/main.yaml": INVENTED})) == [
        f"answers/en/main.yaml:7: the phone number '020-7654321' {NOT_SUPPORTED} - {FIX}",
        f"answers/en/main.yaml:8: the amount '€ 2500' {NOT_SUPPORTED} - {FIX}",
    ]


def test_a_register_entry_makes_a_phone_number_acceptable() -> None:
    files = with_source({"answers/en/main.yaml": INVENTED, "answers/en/helpdesk.yaml": REGISTER})
    assert fact_problems(files) == [f"answers/en/main.yaml:8: the amount '€ 2500' {NOT_SUPPORTED} - {FIX}"]


def test_without_a_source_document_facts_are_not_checked() -> None:
    files = valid_files() | {"answers/en/main.yaml": INVENTED}
    assert fact_problems(files) == []


WHERE = [  # (file, text as written before, after) -> the line of the fact is reported
    ("answers/en/language.yaml", "  fallback: text fallback", "  fallback: call 0612345678"),
    ("answers/en/main.yaml", "    title: Contact", "    title: Contact 0612345678"),
    ("answers/en/main.yaml", '<a href="https://www.iom-nederland.nl/">',
     '<a href="https://www.iom-nederland.nl/">0612345678 or '),
]


@pytest.mark.parametrize(("path", "old", "new"), WHERE)
def test_the_line_of_the_fact_is_reported(path: str, old: str, new: str) -> None:
    files = with_source()
    assert old in files[path]
    files[path] = files[path].replace(old, new, 1)
    line = files[path][: files[path].index("0612345678")].count("\n") + 1
    assert fact_problems(files) == [f"{path}:{line}: the phone number '0612345678' {NOT_SUPPORTED} - {FIX}"]


# -- faqbot check and faqbot check --facts ----------------------------------------------------------------


def write_tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_cli_fails_on_an_invented_fact(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, with_source({"answers/en/main.yaml": INVENTED}))
    assert main(["check", "--content", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"answers/en/main.yaml:7: the phone number '020-7654321' {NOT_SUPPORTED} - {FIX}" in out.splitlines()
    assert NO_SOURCE not in out


def test_cli_facts_lists_source_and_register_facts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, with_source({"answers/en/main.yaml": INVENTED, "answers/en/helpdesk.yaml": REGISTER}))
    code = main(["check", "--content", str(tmp_path), "--facts"])
    out = capsys.readouterr().out
    blocks = out.split("\n\n")
    assert blocks[1] == "amount 2500 (written '€ 2500') - NOT SUPPORTED\n    answers/en/main.yaml:8"  # first
    assert "year 1991 (written '1991') - source document\n    answers/en/main.yaml:8" in blocks
    assert "phone number 0207654321 (written '020-7654321') - register: helpdesk\n    answers/en/main.yaml:7" in blocks
    assert code == 1  # as `faqbot check`: the invented amount is an error


def test_cli_warns_once_without_a_source_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, valid_files())
    assert main(["check", "--content", str(tmp_path), "--strict"]) == 0
    assert capsys.readouterr().out.count(NO_SOURCE) == 1
