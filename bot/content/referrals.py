"""Crisis kinds, referrals and the outside-facts register: parsed from answers/<lang>/*.yaml and checked.

- ``referrals:`` the outside-facts register: emergency numbers and the public bodies people are referred to
  (IND, Het Juridisch Loket, ...), each with ``source: outside``; the one place for facts not in the source
  document.
- ``kinds:`` per near-domain off-topic kind (``other_asylum`` ...) the short reply and who to refer to.
- ``crisis:`` per crisis kind (self-harm, violence, trafficking, medical, urgent), in order of priority, the words
  that point to it, the reply and who to refer to.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import yaml

from bot.content.model import CRISIS_KINDS, OUT_OF_SCOPE, CrisisKind, Intent, KindReply, Location, Referral
from bot.content.problems import Problem
from bot.content.yamlnodes import Reader

PHONE = re.compile(r"^[0-9][0-9 \-]{1,18}[0-9]$")
OTHER_PREFIX = "other_"
TextCheck = Callable[[Reader, yaml.Node, str, str], None]  # reports invalid Telegram HTML and overlong texts


def _refer(reader: Reader, fields: dict[str, yaml.Node]) -> tuple[str, ...]:
    if "refer" not in fields:
        return ()
    return tuple(t for t, _ in reader.texts(fields["refer"], "'refer'"))


def parse_referrals(reader: Reader, node: yaml.Node, lang: str) -> list[Referral]:
    """The ``referrals:`` section: the outside-facts register of one language."""
    out = []
    for item in reader.sequence(node, "'referrals'"):
        fields = reader.mapping(item, "a referral", required=("id", "source", "name", "what"),
                                optional=("url", "phone"))
        if fields is None:
            continue
        rid = reader.id(fields["id"], "the referral id")
        source = reader.text(fields["source"], "the source")
        if source is not None and source != "outside":
            reader.report(fields["source"], f"a referral's source must be 'outside', not '{source}'",
                          "write 'source: outside': this register holds only facts from outside the source document")
        name = reader.text(fields["name"], "the name")
        what = reader.text(fields["what"], "what it is")
        url = reader.text(fields["url"], "the url") if "url" in fields else None
        if url is not None and not url.startswith("https://"):
            reader.report(fields["url"], f"the link '{url}' is not a secure web address", "start it with https://")
            url = None
        phone = reader.text(fields["phone"], "the phone number") if "phone" in fields else None
        if phone is not None and not PHONE.match(phone):
            reader.report(fields["phone"], f"'{phone}' does not look like a phone number",
                          "write only digits, spaces and '-', e.g. 0800-0113")
            phone = None
        if rid and name and what:
            out.append(Referral(rid, lang, name, what, url, phone, reader.loc(item)))
    return out


def parse_kind_replies(reader: Reader, node: yaml.Node, lang: str, check_text: TextCheck) -> list[KindReply]:
    """The ``kinds:`` section: the reply to each near-domain off-topic kind."""
    out = []
    for kind, item in (reader.mapping(node, "'kinds'") or {}).items():
        fields = reader.mapping(item, f"the reply to '{kind}'", required=("text",), optional=("refer",))
        if fields is None:
            continue
        text = reader.text(fields["text"], "the text")
        if text is not None:
            check_text(reader, fields["text"], text, f"the reply to '{kind}'")
            out.append(KindReply(kind, lang, text, _refer(reader, fields), reader.loc(item)))
    return out


def parse_crisis(reader: Reader, node: yaml.Node, lang: str, check_text: TextCheck) -> list[CrisisKind]:
    """The ``crisis:`` section: crisis kinds in order of priority."""
    out = []
    for item in reader.sequence(node, "'crisis'"):
        fields = reader.mapping(item, "a crisis kind", required=("kind", "words", "text"), optional=("refer",))
        if fields is None:
            continue
        kind = reader.id(fields["kind"], "the crisis kind")
        words = tuple(t.casefold() for t, _ in reader.texts(fields["words"], "'words'"))
        text = reader.text(fields["text"], "the text")
        if text is not None:
            check_text(reader, fields["text"], text, f"the reply to the crisis kind '{kind}'")
        if kind is not None and kind not in CRISIS_KINDS:
            reader.report(fields["kind"], f"unknown crisis kind '{kind}'", f"use one of: {', '.join(CRISIS_KINDS)}")
            continue
        if kind and not words:
            reader.report(fields["words"], f"the crisis kind '{kind}' has no words", "add the words that point to it")
        if kind and text:
            out.append(CrisisKind(kind, lang, words, text, _refer(reader, fields), reader.loc(item)))
    return out


def _problem(loc: Location, message: str, fix: str) -> Problem:
    return Problem(loc.path, loc.line, message, fix)


def check_referrals(referrals: Iterable[Referral], replies: Iterable[KindReply], crisis: Iterable[CrisisKind],
                    intents: dict[str, Intent], languages: tuple[str, ...], unreadable: frozenset[str],
                    first_file: dict[str, str]) -> list[Problem]:
    """Ids unique, every reference known, every off-topic kind answered and every crisis kind present per language."""
    problems: list[Problem] = []
    register: dict[tuple[str, str], Referral] = {}
    for r in referrals:
        if (r.id, r.lang) in register:
            problems.append(_problem(r.location, f"the referral '{r.id}' is listed twice "
                                     f"(also at {register[(r.id, r.lang)].location})", "keep only one"))
        register[(r.id, r.lang)] = r
    known_ids = {rid for rid, _ in register}

    def refs(items: tuple[str, ...], lang: str, loc: Location, owner: str) -> None:
        for rid in items:
            if (rid, lang) not in register:
                hint = f"add it to 'referrals:' in answers/{lang}/" if rid in known_ids else \
                    f"use one of: {', '.join(sorted(known_ids)) or '(none yet)'}"
                problems.append(_problem(loc, f"{owner} refers to '{rid}', which is not in the {lang} register", hint))

    kinds = {i.id for i in intents.values() if i.group == OUT_OF_SCOPE and i.id.startswith(OTHER_PREFIX)}
    seen_replies: set[tuple[str, str]] = set()
    for reply in replies:
        if reply.kind not in kinds:
            problems.append(_problem(reply.location, f"'{reply.kind}' is not an off-topic kind",
                                     "use the id of an intent in the group out_of_scope whose id starts with "
                                     f"'{OTHER_PREFIX}' ({', '.join(sorted(kinds))})"))
        seen_replies.add((reply.kind, reply.lang))
        refs(reply.refer, reply.lang, reply.location, f"the reply to '{reply.kind}'")
    seen_crisis: set[tuple[str, str]] = set()
    for c in crisis:
        if (c.id, c.lang) in seen_crisis:
            problems.append(_problem(c.location, f"the crisis kind '{c.id}' is listed twice for {c.lang}",
                                     "keep only one"))
        seen_crisis.add((c.id, c.lang))
        refs(c.refer, c.lang, c.location, f"the crisis kind '{c.id}'")
    register_file = {r.lang: r.location.path for r in register.values()}
    for lang in languages:
        if lang in unreadable:
            continue
        where = Location(register_file.get(lang) or first_file.get(lang) or f"answers/{lang}", 1)
        for kind in sorted(kinds):
            if (kind, lang) not in seen_replies:
                problems.append(_problem(where, f"the off-topic kind '{kind}' has no {lang} reply",
                                         f"add '{kind}:' with a text under 'kinds:' in answers/{lang}/referrals.yaml"))
        for kind in CRISIS_KINDS:
            if (kind, lang) not in seen_crisis:
                problems.append(_problem(where, f"the crisis kind '{kind}' has no {lang} words and reply",
                                         f"add it under 'crisis:' in answers/{lang}/crisis.yaml"))
    return problems
