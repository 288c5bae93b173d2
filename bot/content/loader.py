"""Loading content: the thin file layer over text parsing and cross-file checks."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from types import MappingProxyType

from bot.content.facts import check_facts, source_files
from bot.content.files import OTHER_LANGUAGES_FILE, read_content
from bot.content.model import Content
from bot.content.parse import Parsed, build_pack, parse_intent_file, parse_language_file, parse_other_languages
from bot.content.problems import ContentError, Problem
from bot.content.referrals import check_referrals
from bot.content.validate import (
    check_answers,
    check_guided,
    check_intents,
    check_packs,
    groups_needing_labels,
)
from bot.content.yamlnodes import Reader


def languages_of(paths: list[str]) -> tuple[str, ...]:
    """The configured languages: one folder under answers/ per language."""
    langs = {p.split("/")[1] for p in paths if p.startswith("answers/") and p.count("/") == 2}
    return tuple(sorted(langs))


def parse_partial(files: Mapping[str, str], refused: Collection[str] = ()) -> tuple[Content, list[Problem]]:
    """Parse content from ``{relative path: text}``: all problems, and whatever content could be read.

    ``refused`` are files that exist but could not be read (reported by the file layer): what they hold is unknown,
    so nothing is reported as missing from their language (or from intents/).
    """
    paths = sorted(files)
    languages = languages_of(paths + [p for p in refused if p not in files])
    out = Parsed()
    readers: dict[str, Reader] = {}
    problems: list[Problem] = []
    if not languages:
        problems.append(Problem("answers", 1, "there are no language folders",
                                "add answers/nl/ and answers/en/ with the answers in each language"))
    for path in paths:
        reader = readers[path] = Reader(path)
        if path.startswith("intents/"):
            parse_intent_file(files[path], path, languages, out, reader)
        elif path.startswith("answers/") and path.count("/") == 2:
            parse_language_file(files[path], path, path.split("/")[1], languages, out, reader)
        elif path == OTHER_LANGUAGES_FILE:
            parse_other_languages(files[path], path, out, reader)
    packs = {}
    for lang in languages:
        pack = build_pack(lang, out.pack_parts.get(lang, {}), readers, out.pack_lines.get(lang))
        if pack is not None:
            packs[lang] = pack
    unreadable: set[str] = set()
    for path, reader in readers.items():
        problems += reader.problems
        if reader.unreadable:
            unreadable.add(_area(path))
    unreadable.update(_area(path) for path in refused if path.startswith(("intents/", "answers/")))
    intents = {i.id: i for i in out.intents}
    if not intents and "intents" not in unreadable and not any(p.path.startswith("intents/") for p in problems):
        problems.append(Problem("intents", 1, "there are no intents", "add intents/*.yaml files"))
    first_file = {lang: next((p for p in paths if p.startswith(f"answers/{lang}/")), "") for lang in languages}
    broken = frozenset(out.broken_ids)
    problems += check_intents(out.intents, languages, complete="intents" not in unreadable, broken_ids=broken)
    problems += check_answers(out.answers, intents, languages, frozenset(unreadable), broken,
                              frozenset(out.broken_answers))
    problems += check_packs(packs, languages, groups_needing_labels(intents.values()), first_file,
                            frozenset(unreadable))
    problems += check_guided(out.checks, out.check_texts, intents, languages, frozenset(unreadable))
    problems += check_referrals(out.referrals, out.kind_replies, out.crisis, intents, languages,
                                frozenset(unreadable), first_file)
    content = Content(
        languages=languages,
        intents=MappingProxyType(intents),
        answers=MappingProxyType({(a.intent, a.lang): a for a in out.answers}),
        synonyms=MappingProxyType({k: MappingProxyType(v) for k, v in out.synonyms.items()}),
        packs=MappingProxyType(packs),
        checks=MappingProxyType({c.id: c for c in out.checks}),
        check_texts=MappingProxyType({(t.check, t.lang): t for t in out.check_texts}),
        referrals=MappingProxyType({(r.id, r.lang): r for r in out.referrals}),
        kind_replies=MappingProxyType({(r.kind, r.lang): r for r in out.kind_replies}),
        crisis=MappingProxyType({lang: tuple(c for c in out.crisis if c.lang == lang) for lang in languages}),
        other_languages=MappingProxyType({o.code: o for o in out.other_languages}),
    )
    if source_files(files):  # without a source document (small test sets) facts cannot be checked
        problems += check_facts(content, files)
    return content, sorted(set(problems))


def _area(path: str) -> str:
    """What an unreadable file leaves unknown: 'intents', or the language of an answers file."""
    return "intents" if path.startswith("intents/") else path.split("/")[1]


def parse_files(files: Mapping[str, str], refused: Collection[str] = ()) -> tuple[Content | None, list[Problem]]:
    """Parse content from ``{relative path: text}``; returns the content (None on errors) and all problems."""
    content, problems = parse_partial(files, refused)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return content, problems


def read_files(root: Path) -> dict[str, str]:
    """The text of every content file under ``root`` that can be read safely (see bot.content.files)."""
    return read_content(root).texts


def check_content(root: Path) -> tuple[Content | None, list[Problem]]:
    """Load and check the content folder ``root``; every problem is returned, none raised."""
    if not (root / "intents").is_dir() or not (root / "answers").is_dir():
        return None, [Problem(str(root), 1, "this folder has no 'intents' and 'answers' folders",
                              "point --content at the folder that holds intents/ and answers/")]
    files = read_content(root)
    content, problems = parse_files(files.texts, files.refused)
    if files.problems:
        return None, sorted(set(problems + files.problems))
    return content, problems


def load_content(root: Path) -> Content:
    """Load content or raise ContentError with every problem."""
    content, problems = check_content(root)
    if content is None:
        raise ContentError(problems)
    return content
