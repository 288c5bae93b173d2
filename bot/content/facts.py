"""The facts check: every number, phone number, web address and e-mail address the bot says must come from the
source document (``docs/sources/*.txt``) or from the outside-facts register (``referrals:``).

What counts as a fact (the same rules are applied to the source document, so both sides compare alike):
- e-mail addresses; web addresses (``https://…``, ``www.…``, ``tg://…``, and bare names such as ``werk.nl``),
  also inside ``<a href="…">``; compared without scheme, ``www.``, trailing ``/`` and case of the host name;
- phone numbers: starting with ``0`` or ``+`` and 8 to 13 digits (``0800-0113``, ``070 318 1500``); compared as
  digits only, ``+31`` read as ``0``; short numbers such as ``112`` are numbers and match a register phone too;
- times (``9:30``), and every other run of digits: years, amounts (``€ 2500``), percentages (``12%``, ``12
  procent``), thousands written ``1.514``, ``1,514`` or ``67.000`` (a ``.`` or ``,`` before exactly three digits
  groups thousands, any other is a decimal mark: ``2,5`` = ``2.5``), each end of a range (``2020-2023``).
Not facts: digits glued to a letter before them (programme names CD4D2, ED4D; ``B1``), list markers at the start
of a line (``1.``, ``2)``, ``1️⃣``), ``{placeholders}``, HTML tags and entities, and numbers written as words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from bot.content.model import Content, Location
from bot.content.problems import Problem

SOURCE_DIR = "docs/sources/"
SOURCE_ORIGIN = "source document"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:(?:https?|tg)://|www\.)[^\s<>\"']+", re.IGNORECASE)
_TLD = r"\.(?:nl|com|org|int|eu|net|info|be|de|uk)\b"
_DOMAIN = re.compile(rf"(?<![\w@./-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*{_TLD}(?:/[^\s<>\"']*)?", re.IGNORECASE)
_NOISE = re.compile(r"<[^>]*>|&#?\w+;|\{[^{}\n]*\}|^[ \t]*\d{1,2}[.)](?=\s)|\d\ufe0f?\u20e3", re.MULTILINE)
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[ -]?(?:\(0\)[ -]?)?|0)\d{1,3}(?:[ -]?\d{2,4}){1,4}(?![\w])")
_TIME = re.compile(r"(?<![\w:])\d{1,2}:\d{2}(?![\d:])")
_NUMBER = re.compile(r"(?:[€$£][ \t]?)?\d+(?:[.,]\d+)*(?:[ \t]?(?:%|procent\b|percent\b))?", re.IGNORECASE)
_TRAILING = ".,;:!?)]'’"


@dataclass(frozen=True)
class Fact:
    """One fact as written (``raw``), its kind, and its normal form (``key``) that is compared."""

    kind: str  # number, year, amount, percentage, time, phone number, web address, e-mail address
    raw: str
    key: str

    def __str__(self) -> str:
        return f"the {self.kind} '{self.raw}'"


@dataclass(frozen=True)
class FactUse:
    """A fact where the bot says it, and where it comes from (None: not supported)."""

    fact: Fact
    location: Location
    lang: str
    origin: str | None


def normalise_number(raw: str) -> str:
    """1.514 = 1,514 = 1514; 2,5 = 2.5; 2.500,00 = 2500; 07 = 7."""
    digits = re.sub(r"[^\d.,]", "", raw)
    groups = re.split(r"[.,]", digits)
    whole, fraction = groups, ""
    if len(groups) > 1 and len(groups[-1]) != 3:
        whole, fraction = groups[:-1], groups[-1].rstrip("0")
    number = "".join(whole).lstrip("0") or "0"
    return f"{number}.{fraction}" if fraction else number


def normalise_url(raw: str) -> str:
    """https://www.Example.nl/a/ = example.nl/a"""
    rest = re.sub(r"^[a-z]+://", "", raw.strip(), flags=re.IGNORECASE)
    host, _, path = rest.partition("/")
    host = host.lower().removeprefix("www.")
    return f"{host}/{path}".rstrip("/")


def normalise_phone(raw: str) -> str:
    """Digits only; +31 (0)70 = 070."""
    digits = re.sub(r"\D", "", raw.replace("(0)", ""))
    return "0" + digits[2:] if raw.lstrip().startswith("+31") else digits


def _number_fact(raw: str) -> Fact:
    if raw.endswith("%") or raw.lower().endswith(("procent", "percent")):
        return Fact("percentage", raw, normalise_number(re.sub(r"(?i)procent|percent|%", "", raw)) + "%")
    key = normalise_number(raw)
    if raw[0] in "€$£":
        return Fact("amount", raw, key)
    if re.fullmatch(r"(?:19|20)\d\d", raw):
        return Fact("year", raw, key)
    return Fact("number", raw, key)


_KEYS: dict[str, Callable[[str], str]] = {
    "e-mail address": str.lower, "web address": normalise_url, "phone number": normalise_phone,
    "time": lambda raw: normalise_number(raw.split(":")[0]) + ":" + raw.split(":")[1],
}
_DIGIT = re.compile(r"\d")
_HAS_TLD = re.compile(_TLD, re.IGNORECASE)
# (pattern, kind or None for noise, a quick test whether the pattern can match at all: it keeps the check fast)
_PASSES: tuple[tuple[re.Pattern[str], str | None, Callable[[str], object]], ...] = (
    (_EMAIL, "e-mail address", lambda t: "@" in t),
    (_URL, "web address", lambda t: "://" in t or "www." in t.lower()),
    (_DOMAIN, "web address", _HAS_TLD.search),
    (_NOISE, None, _DIGIT.search),  # noise only matters where it would hide or add a digit
    (_PHONE, "phone number", _DIGIT.search),
    (_TIME, "time", lambda t: ":" in t and _DIGIT.search(t)),
)


def extract(text: str) -> list[tuple[int, Fact]]:
    """Every fact in a text with its offset, in order of appearance."""
    found: list[tuple[int, Fact]] = []
    masked = text
    for pattern, kind, can_match in _PASSES:  # each pass blanks out what it found, so later passes skip it
        if not can_match(masked):
            continue
        spans = []
        for m in pattern.finditer(masked):
            raw = m.group().rstrip(_TRAILING) if kind else m.group()
            if kind and raw:
                key = _KEYS.get(kind, str)(raw)
                if kind == "phone number" and not 8 <= len(key) <= 13:
                    continue
                found.append((m.start(), Fact(kind, raw, key)))
            spans.append((m.start(), m.start() + len(raw)))
        for a, b in spans:
            masked = masked[:a] + " " * (b - a) + masked[b:]
    for m in _NUMBER.finditer(masked) if _DIGIT.search(masked) else ():
        before = masked[m.start() - 1] if m.start() else " "
        if before.isalnum() or before == "_":  # a digit inside a word: CD4D2, ED4D, B1
            continue
        raw = m.group().rstrip(" \t")
        found.append((m.start(), _number_fact(raw)))
    return sorted(found, key=lambda f: f[0])


# -- the texts the bot says, and where they are written -------------------------------------------------


@dataclass(frozen=True)
class Said:
    """A text the bot can say: its file, the line of its item, the keys that lead to it from there."""

    text: str
    lang: str
    location: Location
    keys: tuple[str, ...]


def said_texts(content: Content, files: Mapping[str, str]) -> Iterator[Said]:
    """Every text the bot can say: answers, messages, guided-check texts, off-topic and crisis replies."""
    for a in content.answers.values():
        yield Said(a.title, a.lang, a.location, ("title",))
        yield Said(a.text, a.lang, a.location, ("text",))
        if a.links:
            yield Said("\n".join(f"{b.label}\n{b.url}" for b in a.links), a.lang, a.location, ("buttons",))
    for lang, pack in content.packs.items():
        for section, table in (("messages", pack.messages), ("groups", pack.groups), ("commands", pack.commands)):
            path = next((p for p in sorted(files) if p.startswith(f"answers/{lang}/")
                         and re.search(rf"^{section}:", files[p], re.MULTILINE)), pack.location.path)
            for key, text in table.items():
                yield Said(text, lang, Location(path, 1), (section, key))
    for t in content.check_texts.values():
        yield Said(t.title, t.lang, t.location, ("title",))
        yield Said(t.intro, t.lang, t.location, ("intro",))
        for section, table in (("questions", t.questions), ("options", t.options), ("outcomes", t.outcomes)):
            for key, text in table.items():
                yield Said(text, t.lang, t.location, (section, key))
    for r in content.kind_replies.values():
        yield Said(r.text, r.lang, r.location, ("text",))
    for kinds in content.crisis.values():
        for c in kinds:
            yield Said(c.text, c.lang, c.location, ("text",))


class _Lines:
    """Offsets <-> line numbers of one file, for pointing at the line a fact is written on."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset)

    def offset(self, line: int) -> int:
        return self.starts[min(max(line, 1), len(self.starts)) - 1]


def _locate(said: Said, facts: list[tuple[int, Fact]], lines: _Lines | None) -> list[Location]:
    """The line of each fact: found in the file after its item's line and keys, else the item's line."""
    if lines is None:
        return [said.location] * len(facts)
    pos = lines.offset(said.location.line)
    for key in said.keys:
        m = re.compile(rf"^[ \t]*(?:-[ \t]+)?[\"']?{re.escape(key)}[\"']?[ \t]*:", re.MULTILINE).search(
            lines.text, pos)
        if m is None:
            break
        pos = m.start()
    fallback = Location(said.location.path, lines.line(pos))
    end, cursor, out = pos + 2 * len(said.text) + 200, pos, []
    for _, fact in facts:
        found = lines.text.find(fact.raw, cursor, end)
        if found < 0:
            out.append(fallback)
        else:
            out.append(Location(said.location.path, lines.line(found)))
            cursor = found + len(fact.raw)
    return out


# -- where facts come from ----------------------------------------------------------------------------


def origins(content: Content, sources: Mapping[str, str]) -> dict[str, str]:
    """Normal form -> where it comes from: the source document, else 'register: <referral id>'."""
    known: dict[str, str] = {}
    for ref in sorted(content.referrals.values(), key=lambda r: (r.lang, r.id)):
        keys = [f.key for _, f in extract(f"{ref.name}\n{ref.what}")]
        keys += [normalise_phone(ref.phone)] if ref.phone else []
        keys += [normalise_url(ref.url)] if ref.url else []
        for key in keys:
            known.setdefault(key, f"register: {ref.id}")
    for text in sources.values():
        for _, fact in extract(text):
            known[fact.key] = SOURCE_ORIGIN
    return known


def source_files(files: Mapping[str, str]) -> dict[str, str]:
    """The source documents among the content files."""
    return {p: t for p, t in files.items() if p.startswith(SOURCE_DIR) and p.endswith(".txt")}


def fact_uses(content: Content, files: Mapping[str, str]) -> list[FactUse]:
    """Every fact in every text the bot can say, with its file:line and where it comes from."""
    known = origins(content, source_files(files))
    cache: dict[str, _Lines | None] = {}
    uses: list[FactUse] = []
    for said in said_texts(content, files):
        facts = extract(said.text)
        if not facts:
            continue
        path = said.location.path
        if path not in cache:
            cache[path] = _Lines(files[path]) if path in files else None
        for (_, fact), loc in zip(facts, _locate(said, facts, cache[path]), strict=True):
            uses.append(FactUse(fact, loc, said.lang, known.get(fact.key)))
    return sorted(uses, key=lambda u: (u.location.path, u.location.line, u.fact.raw))


def check_facts(content: Content, files: Mapping[str, str]) -> list[Problem]:
    """An error for every fact the bot says that is neither in the source document nor in the register."""
    source = ", ".join(sorted(source_files(files))) or f"{SOURCE_DIR}*.txt"
    problems = []
    for use in fact_uses(content, files):
        if use.origin is None:
            problems.append(Problem(
                use.location.path, use.location.line,
                f"{use.fact} is not in the source document or the outside-facts register",
                f"check it against {source} and correct or remove it; if it belongs to another organisation "
                f"(an emergency number, a public service), add that organisation under 'referrals:' in "
                f"answers/{use.lang}/referrals.yaml"))
    return problems
