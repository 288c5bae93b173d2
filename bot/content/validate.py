"""Checks across files: references, coverage per language, duplicates and guided-check paths."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from bot.content.model import (
    OUT_OF_SCOPE,
    SMALL_TALK_GROUP,
    Answer,
    CheckTexts,
    GuidedCheck,
    Intent,
    LanguagePack,
    Location,
    where,
)
from bot.content.problems import Problem, Severity
from bot.content.required import REQUIRED_COMMANDS, REQUIRED_INTENTS, REQUIRED_MESSAGES

MIN_TOPIC_EXAMPLES = 10
MIN_SMALL_TALK_EXAMPLES = 5
MAX_TITLE = 40
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")


def _problem(loc: Location, message: str, fix: str, severity: Severity = "error") -> Problem:
    return Problem(loc.path, loc.line, message, fix, severity)


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else "use the id of an intent in intents/"


def typos(unknown: Iterable[str], missing: Iterable[str]) -> dict[str, str]:
    """Unknown names that are a misspelling of a missing one: {written: meant}. The problem is reported once,
    at the misspelling, and the missing name is not reported again."""
    left = sorted(set(missing))
    found: dict[str, str] = {}
    for name in sorted(set(unknown)):
        close = difflib.get_close_matches(name, left, n=1, cutoff=0.75)
        if close:
            found[name] = close[0]
            left.remove(close[0])
    return found


_WORDS = re.compile(r"\w+")


def example_key(text: str) -> str:
    """How examples are compared for duplicates: case, accents, punctuation and spacing ignored."""
    folded = text.casefold()
    if not folded.isascii():  # most examples are plain ASCII: no accents to take off
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_WORDS.findall(folded))


def check_intents(intents: list[Intent], languages: tuple[str, ...], complete: bool = True,
                  broken_ids: frozenset[str] = frozenset()) -> list[Problem]:
    """Duplicate ids, missing or duplicated examples, unknown related intents (only if all intents loaded)."""
    problems: list[Problem] = []
    seen: dict[str, Intent] = {}
    for intent in intents:
        if intent.id in seen:
            problems.append(_problem(intent.location, f"the intent id '{intent.id}' is used twice "
                                     f"(also at {seen[intent.id].location})", "give one of them another id"))
        else:
            seen[intent.id] = intent
    if complete and intents:
        first = intents[0].location
        for missing in sorted(REQUIRED_INTENTS - set(seen) - broken_ids):
            problems.append(_problem(Location(first.path, 1), f"the bot needs an intent '{missing}', but there is none",
                                     f"add an intent with 'id: {missing}' (it is used for fallbacks and safety)"))
    owner: dict[tuple[str, str], tuple[str, Location]] = {}
    for intent in seen.values():
        if intent.interrupts and not intent.is_out_of_scope:
            problems.append(_problem(intent.lines.get("interrupts", intent.location),
                                     f"'{intent.id}' is a topic with an answer, so it cannot interrupt a topic",
                                     f"remove 'interrupts: true' from '{intent.id}': only an off-topic kind "
                                     f"(group: {OUT_OF_SCOPE}) can have it"))
        minimum = MIN_SMALL_TALK_EXAMPLES if intent.group == SMALL_TALK_GROUP else MIN_TOPIC_EXAMPLES
        for lang in languages:
            examples = intent.examples.get(lang, ())
            if not examples:
                problems.append(_problem(intent.location, f"intent '{intent.id}' has no {lang} examples",
                                         f"add example questions under 'examples:' -> '{lang}:'"))
            elif len(examples) < minimum and not intent.is_out_of_scope:
                problems.append(_problem(intent.location, f"intent '{intent.id}' has only {len(examples)} {lang} "
                                         f"examples", f"add more, at least {minimum}, written as people type",
                                         "warning"))
            lines = intent.example_lines.get(lang, ())
            for i, text in enumerate(examples):
                loc = Location(intent.location.path, lines[i] if i < len(lines) else intent.location.line)
                key = (lang, example_key(text))
                if key in owner:
                    other_id, other_loc = owner[key]
                    if other_id == intent.id:
                        problems.append(_problem(loc, f"the example '{text}' appears twice in '{intent.id}'",
                                                 "remove one of them", "warning"))
                    else:
                        problems.append(_problem(loc, f"the example '{text}' is under both '{other_id}' "
                                                 f"({other_loc}) and '{intent.id}'",
                                                 "keep it under the one intent it really belongs to"))
                else:
                    owner[key] = (intent.id, loc)
        for rid in intent.related if complete else ():
            if rid not in seen and rid not in broken_ids:
                problems.append(_problem(where(intent.location, intent.lines, f"related.{rid}"),
                                         f"intent '{intent.id}' lists an unknown related intent '{rid}'",
                                         _suggest(rid, seen)))
    return problems


def check_answers(answers: list[Answer], intents: dict[str, Intent], languages: tuple[str, ...],
                  unreadable: frozenset[str] = frozenset(), broken_ids: frozenset[str] = frozenset(),
                  broken_answers: frozenset[tuple[str, str]] = frozenset()) -> list[Problem]:
    """Every intent answered once in every language; no answers for unknown intents.

    ``unreadable`` holds "intents" and/or languages with a file that could not be read: checks that would only
    repeat that problem are skipped for them.
    """
    problems: list[Problem] = []
    seen: dict[tuple[str, str], Answer] = {}
    for answer in answers:
        key = (answer.intent, answer.lang)
        if answer.intent not in intents:
            if "intents" in unreadable or answer.intent in broken_ids:
                continue
            problems.append(_problem(answer.location, f"this answer is for an unknown intent '{answer.intent}'",
                                     _suggest(answer.intent, intents)))
        elif key in seen:
            problems.append(_problem(answer.location, f"'{answer.intent}' has a second {answer.lang} answer "
                                     f"(the first is at {seen[key].location})", "keep only one"))
        else:
            seen[key] = answer
        if len(answer.title) > MAX_TITLE:
            problems.append(_problem(answer.location, f"the title '{answer.title}' is longer than {MAX_TITLE} "
                                     "characters", "shorten it: it is a button label", "warning"))
    for intent in intents.values():
        if intent.is_out_of_scope:
            continue
        for lang in languages:
            if (intent.id, lang) not in seen and lang not in unreadable and (intent.id, lang) not in broken_answers:
                problems.append(_problem(intent.location, f"intent '{intent.id}' has no answer in '{lang}'",
                                         f"add an answer with 'intent: {intent.id}' to a file in answers/{lang}/"))
    return problems


#: The bot's profile texts Telegram shows before the first message (setMyDescription, setMyShortDescription).
DESCRIPTION_LIMITS = {"description": 512, "short_description": 120}


def check_packs(packs: dict[str, LanguagePack], languages: tuple[str, ...], groups: set[str],
                first_file: dict[str, str], unreadable: frozenset[str] = frozenset()) -> list[Problem]:
    """Every language has its language.yaml, the same messages and a label for every topic group.

    A language with a file that could not be read is not checked for missing texts: they may be in that file.
    """
    problems: list[Problem] = []
    misspelt = {lang: _misspelt_keys(pack, groups) for lang, pack in packs.items()}
    for lang, found in misspelt.items():
        for (section, written), meant in sorted(found.items()):
            problems.append(_problem(_at(packs[lang], f"{section}.{written}"),
                                     f"'{written}' under '{section}:' is not a {_KIND[section]} the bot knows",
                                     f"did you mean '{meant}'? Rename it"))
    all_messages = set(REQUIRED_MESSAGES).union(*(set(p.messages) - {k for s, k in misspelt[p.code]}
                                                  for p in packs.values()))
    all_commands = set(REQUIRED_COMMANDS).union(*(set(p.commands) - {k for s, k in misspelt[p.code]}
                                                  for p in packs.values()))
    for lang in languages:
        pack = packs.get(lang)
        if pack is None and lang in unreadable:
            continue  # its language.yaml may be the file that could not be read: that problem is reported
        if pack is None:
            problems.append(Problem(first_file.get(lang, f"answers/{lang}"), 1,
                                    f"the language '{lang}' has no 'language:' section",
                                    f"add answers/{lang}/language.yaml with 'language:' and 'name:'"))
            continue
        missing = {"messages": all_messages - set(pack.messages), "commands": all_commands - set(pack.commands),
                   "groups": groups - set(pack.groups)}
        for section, keys in missing.items() if lang not in unreadable else ():
            where_to, in_file = _section(pack, section)
            for key in sorted(keys - {m for (sec, _), m in misspelt[lang].items() if sec == section}):
                problems.append(_problem(where_to, _MISSING[section].format(key=key, lang=lang),
                                         f"add '{key}: ...' under '{section}:' in {in_file}"))
        for name, description in sorted(pack.commands.items()):
            at = _at(pack, f"commands.{name}")
            if not COMMAND_NAME.match(name):
                problems.append(_problem(at, f"the command name '{name}' cannot be used in Telegram",
                                         "use 1 to 32 lower-case letters, digits or '_'"))
            if not 3 <= len(description) <= 256:
                problems.append(_problem(at, f"the {lang} description of '/{name}' has {len(description)} "
                                         "characters; Telegram needs 3 to 256", "write a short description"))
        for key, limit in DESCRIPTION_LIMITS.items():
            text = pack.messages.get(key, "")
            if len(text) > limit or "<" in text:
                problems.append(_problem(_at(pack, f"messages.{key}"), f"the {lang} '{key}' has {len(text)} characters"
                                         f"{' and HTML' if '<' in text else ''}; Telegram takes at most {limit} "
                                         "characters of plain text", "shorten it and remove any tags"))
        for word in sorted(pack.yes_words & pack.no_words):
            problems.append(_problem(_at(pack, "yes"), f"'{word}' is both a yes-word and a no-word in {lang}",
                                     "remove it from one of the two lists"))
    return problems


_KIND = {"messages": "bot text", "commands": "command", "groups": "topic group"}
_MISSING = {"messages": "the message '{key}' has no {lang} text",
            "commands": "the command '/{key}' has no {lang} description",
            "groups": "the topic group '{key}' has no {lang} label"}


def _at(pack: LanguagePack, key: str) -> Location:
    return where(pack.location, pack.lines, key)


def _section(pack: LanguagePack, section: str) -> tuple[Location, str]:
    """Where a missing text of ``section`` is reported, and the file it belongs in (messages.yaml by default)."""
    found = pack.lines.get(section)
    if found is not None:
        return found, found.path
    return pack.location, f"answers/{pack.code}/messages.yaml"


def _misspelt_keys(pack: LanguagePack, groups: set[str]) -> dict[tuple[str, str], str]:
    """Bot texts, commands and group labels whose key misspells one the bot needs and this language lacks."""
    found: dict[tuple[str, str], str] = {}
    for section, have, needed in (("messages", pack.messages, REQUIRED_MESSAGES),
                                  ("commands", pack.commands, REQUIRED_COMMANDS), ("groups", pack.groups, groups)):
        for written, meant in typos(set(have) - needed, needed - set(have)).items():
            found[(section, written)] = meant
    return found


def check_guided(checks: list[GuidedCheck], texts: list[CheckTexts], intents: dict[str, Intent],
                 languages: tuple[str, ...], unreadable: frozenset[str] = frozenset()) -> list[Problem]:
    """Guided checks: known references, every path ends in an outcome, no unreachable step, all texts."""
    problems: list[Problem] = []
    by_id: dict[str, GuidedCheck] = {}
    for check in checks:
        if check.id in by_id:
            problems.append(_problem(check.location, f"the check id '{check.id}' is used twice",
                                     "give one of them another id"))
            continue
        twin = next((c for c in by_id.values() if c.intent == check.intent), None)
        if twin is not None:
            problems.append(_problem(check.location, f"the checks '{twin.id}' and '{check.id}' are both for intent "
                                     f"'{check.intent}'", "an intent can offer one check; point one of them elsewhere"))
        by_id[check.id] = check
        problems += _check_structure(check, intents, "intents" not in unreadable)
    seen_texts: set[tuple[str, str]] = set()
    for t in texts:
        check_or_none = by_id.get(t.check)
        if check_or_none is None and "intents" in unreadable:
            continue
        if check_or_none is None:
            problems.append(_problem(t.location, f"these texts are for an unknown check '{t.check}'",
                                     _suggest(t.check, by_id)))
            continue
        seen_texts.add((t.check, t.lang))
        problems += _check_texts(check_or_none, t)
    for check in by_id.values():
        for lang in languages:
            if (check.id, lang) not in seen_texts and lang not in unreadable:
                problems.append(_problem(check.location, f"the check '{check.id}' has no {lang} texts",
                                         f"add its texts under 'checks:' in a file in answers/{lang}/"))
    return problems


def _check_structure(check: GuidedCheck, intents: dict[str, Intent], complete: bool) -> list[Problem]:
    problems: list[Problem] = []
    if complete and check.intent not in intents:
        problems.append(_problem(where(check.location, check.lines, "intent"), f"the check '{check.id}' is for an "
                                 f"unknown intent '{check.intent}'", _suggest(check.intent, intents)))
    if check.start not in check.steps:
        problems.append(_problem(where(check.location, check.lines, "start"), f"the check '{check.id}' starts at an "
                                 "unknown step "
                                 f"'{check.start}'", f"use one of: {', '.join(check.steps)}"))
        return problems
    used_outcomes: set[str] = set()
    for step in check.steps.values():
        keys = [o.key for o in step.options]
        for dup in {k for k in keys if keys.count(k) > 1}:
            problems.append(_problem(step.location, f"step '{step.id}' has the answer '{dup}' twice",
                                     "give each option a different answer"))
        for opt in step.options:
            if opt.next_step is not None and opt.next_step not in check.steps:
                problems.append(_problem(opt.location, f"step '{step.id}' goes to an unknown step "
                                         f"'{opt.next_step}'", f"use one of: {', '.join(check.steps)}"))
            if opt.outcome is not None:
                used_outcomes.add(opt.outcome)
                if opt.outcome not in check.outcomes:
                    problems.append(_problem(opt.location, f"step '{step.id}' ends in an unknown outcome "
                                             f"'{opt.outcome}'", "add it to 'outcomes:' or fix the name"))
    for outcome in check.outcomes:
        if outcome not in used_outcomes:
            problems.append(_problem(check.location, f"the outcome '{outcome}' of check '{check.id}' is never "
                                     "reached", "point an option to it or remove it", "warning"))
    reachable: set[str] = set()
    todo = [check.start]
    while todo:
        sid = todo.pop()
        if sid in reachable or sid not in check.steps:
            continue
        reachable.add(sid)
        todo += [o.next_step for o in check.steps[sid].options if o.next_step]
    for sid, step in check.steps.items():
        if sid not in reachable:
            problems.append(_problem(step.location, f"step '{sid}' of check '{check.id}' can never be reached",
                                     "point an option to it with 'next:' or remove it"))
    cycle = _find_cycle(check)
    if cycle:
        problems.append(_problem(check.steps[cycle[0]].location, f"the steps {' -> '.join(cycle)} go round in a "
                                 "circle, so that path never ends", "make one of them end in an 'outcome:'"))
    return problems


def _find_cycle(check: GuidedCheck) -> list[str]:
    state: dict[str, int] = {}

    def visit(sid: str, path: list[str]) -> list[str]:
        state[sid] = 1
        for opt in check.steps[sid].options:
            nxt = opt.next_step
            if nxt is None or nxt not in check.steps:
                continue
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [sid, nxt] if nxt in path else [sid, nxt]
            if nxt not in state:
                found = visit(nxt, path + [sid])
                if found:
                    return found
        state[sid] = 2
        return []

    for sid in check.steps:
        if sid not in state:
            found = visit(sid, [])
            if found:
                return found
    return []


def _check_texts(check: GuidedCheck, t: CheckTexts) -> list[Problem]:
    problems: list[Problem] = []

    def at(key: str) -> Location:
        return where(t.location, t.lines, key)

    def add(key: str, message: str, fix: str, severity: Severity = "error") -> None:
        problems.append(_problem(at(key), f"the {t.lang} texts of check '{check.id}' {message}", fix, severity))

    option_keys = {o.key for s in check.steps.values() for o in s.options} - {"yes", "no"}
    sections: tuple[tuple[str, set[str], str, str, Severity], ...] = (
        ("questions", set(check.steps), "question for step", "a question for an unknown step", "error"),
                ("outcomes", set(check.outcomes), "text for outcome", "a text for an unknown outcome", "warning"),
                ("options", option_keys, "label for the answer", "a label for an answer", "warning"))
    for section, needed, lacking, unknown_what, severity in sections:
        have = set(getattr(t, section)) - ({"yes", "no"} if section == "options" else set())
        misspelt = typos(have - needed, needed - have)
        for key in sorted(needed - have - set(misspelt.values())):
            add(section, f"have no {lacking} '{key}'", f"add '{key}: ...' under '{section}:'")
        for key in sorted(have - needed):
            if key in misspelt:
                add(f"{section}.{key}", f"have {unknown_what} '{key}'", f"did you mean '{misspelt[key]}'? Rename it")
            elif section == "options":
                add(f"{section}.{key}", f"have {unknown_what} '{key}' that no step offers", "remove it or fix its name",
                    "warning")
            else:
                add(f"{section}.{key}", f"have {unknown_what} '{key}'",
                    f"use one of: {', '.join(check.steps if section == 'questions' else check.outcomes)}", severity)
    for step_id, answers in t.typed.items():
        step = check.steps.get(step_id)
        if step is None:
            add(f"typed.{step_id}", f"have typed answers for an unknown step '{step_id}'",
                f"use one of: {', '.join(check.steps)}")
            continue
        offered = [o.key for o in step.options]
        for key in sorted(set(answers) - set(offered)):
            problems.append(_problem(at(f"typed.{step_id}.{key}"), f"the {t.lang} typed answers of check "
                                     f"'{check.id}', step '{step_id}', name an answer '{key}' the step does not offer",
                                     f"use one of: {', '.join(offered)}"))
    return problems


def groups_needing_labels(intents: Iterable[Intent]) -> set[str]:
    """Topic groups shown in the menu (every group but small talk and out of scope)."""
    return {i.group for i in intents if i.group not in (SMALL_TALK_GROUP, OUT_OF_SCOPE)}
