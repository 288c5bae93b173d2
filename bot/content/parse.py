"""Parsing one content file's text into typed pieces (no file access here)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import yaml

from bot.content.model import (
    Answer,
    CheckOption,
    CheckStep,
    CheckTexts,
    CrisisKind,
    GuidedCheck,
    Intent,
    KindReply,
    LanguagePack,
    LinkButton,
    Location,
    OtherLanguage,
    Referral,
)
from bot.content.referrals import parse_crisis, parse_kind_replies, parse_referrals
from bot.content.yamlnodes import Reader
from bot.html import CONTENT_TAGS, MAX_MESSAGE_LENGTH, validate, visible_length

INTENT_FILE_KEYS = ("intents", "synonyms", "checks")
LANGUAGE_FILE_KEYS = ("answers", "language", "messages", "groups", "commands", "checks", "referrals", "kinds",
                      "crisis")
ANSWER_SOFT_LIMIT = 900


def check_html(reader: Reader, node: yaml.Node, text: str, what: str, limit: int | None = None) -> None:
    """Report invalid Telegram HTML (at its own line) and texts that are too long."""
    block = isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")
    first = node.start_mark.line + 1 + (1 if block else 0)  # a block text starts on the line after 'text: |'
    for problem in validate(text, CONTENT_TAGS):
        line = first + (text[: problem.offset].count("\n") if block else 0)
        reader.report(line, f"{what} has invalid formatting: {problem.message.split(';')[0]}",
                      problem.message.split("; ", 1)[-1])
    length = visible_length(text)
    if length > MAX_MESSAGE_LENGTH:
        reader.report(node, f"{what} is {length} characters long; Telegram allows at most {MAX_MESSAGE_LENGTH}",
                      "shorten it or split it into two answers")
    elif limit is not None and length > limit:
        reader.report(node, f"{what} is {length} characters long; answers should stay under {limit}",
                      "shorten it: people read this on a phone", "warning")


@dataclass
class Parsed:
    """What one or more files contributed, before files are checked against each other."""

    intents: list[Intent] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    synonyms: dict[str, dict[str, str]] = field(default_factory=dict)
    packs: list[LanguagePack] = field(default_factory=list)
    pack_parts: dict[str, dict[str, tuple[yaml.Node, str]]] = field(default_factory=dict)
    pack_lines: dict[str, dict[str, Location]] = field(default_factory=dict)  # per language: where each section is
    checks: list[GuidedCheck] = field(default_factory=list)
    check_texts: list[CheckTexts] = field(default_factory=list)
    broken_ids: set[str] = field(default_factory=set)  # intents that exist but could not be loaded
    broken_answers: set[tuple[str, str]] = field(default_factory=set)  # (intent, lang) of answers not loaded
    referrals: list[Referral] = field(default_factory=list)
    kind_replies: list[KindReply] = field(default_factory=list)
    crisis: list[CrisisKind] = field(default_factory=list)
    other_languages: list[OtherLanguage] = field(default_factory=list)


def _id(reader: Reader, node: yaml.Node, what: str) -> str | None:
    return reader.id(node, what)


def _sections(reader: Reader, text: str, keys: tuple[str, ...],
              lines: dict[str, Location] | None = None) -> dict[str, yaml.Node]:
    """The top-level sections of a file (empty when it cannot be read; problems are reported); ``lines`` gets
    the line of each section's key."""
    root = reader.compose(text)
    if root is None:
        return {}
    top = reader.mapping(root, "the file", optional=keys)
    if top == {}:
        reader.report(root, "the file has nothing to load", f"start it with one of: {', '.join(keys)}")
    if lines is not None:
        for key in top or {}:
            lines[key] = reader.loc(_key_node(root, key) or root)
    return top or {}


def parse_intent_file(text: str, path: str, languages: tuple[str, ...], out: Parsed, reader: Reader) -> None:
    """Parse an ``intents/*.yaml`` file's text into ``out``."""
    top = _sections(reader, text, INTENT_FILE_KEYS)
    if "intents" in top:
        for node in reader.sequence(top["intents"], "'intents'"):
            intent = _parse_intent(reader, node, languages)
            if intent is not None:
                out.intents.append(intent)
            elif isinstance(node, yaml.MappingNode):
                out.broken_ids.update(str(v.value) for k, v in node.value if k.value == "id" and
                                      isinstance(v, yaml.ScalarNode))
    if "synonyms" in top:
        _parse_synonyms(reader, top["synonyms"], languages, out)
    if "checks" in top:
        for node in reader.sequence(top["checks"], "'checks'"):
            check = _parse_check(reader, node)
            if check is not None:
                out.checks.append(check)


def _parse_intent(reader: Reader, node: yaml.Node, languages: tuple[str, ...]) -> Intent | None:
    fields = reader.mapping(node, "an intent", required=("id", "group", "examples"),
                            optional=("keywords", "related", "interrupts"))
    if fields is None:
        return None
    intent_id = _id(reader, fields["id"], "the intent id")
    group = _id(reader, fields["group"], "the group")
    examples: dict[str, tuple[str, ...]] = {}
    lines: dict[str, tuple[int, ...]] = {}
    for lang, lang_node in reader.per_language(fields["examples"], "'examples'", languages).items():
        pairs = list(reader.texts(lang_node, f"the {lang} examples"))
        examples[lang] = tuple(t for t, _ in pairs)
        lines[lang] = tuple(n.start_mark.line + 1 for _, n in pairs)
    keywords: dict[str, tuple[str, ...]] = {}
    if "keywords" in fields:
        for lang, lang_node in reader.per_language(fields["keywords"], "'keywords'", languages).items():
            keywords[lang] = tuple(t for t, _ in reader.texts(lang_node, f"the {lang} keywords"))
    related: list[str] = []
    where = {"id": reader.loc(fields["id"]), "group": reader.loc(fields["group"])}
    if "related" in fields:
        for item in reader.sequence(fields["related"], "'related'"):
            rid = _id(reader, item, "a related intent")
            if rid:
                related.append(rid)
                where.setdefault(f"related.{rid}", reader.loc(item))
    interrupts = False
    if "interrupts" in fields:
        flag = fields["interrupts"]
        where["interrupts"] = reader.loc(flag)
        if isinstance(flag, yaml.ScalarNode) and str(flag.value).lower() in ("true", "false"):
            interrupts = str(flag.value).lower() == "true"
        else:
            reader.report(flag, "'interrupts' must be true or false",
                          "write 'interrupts: true' (or leave the line out: a message of this kind can then be read "
                          "as a follow-up)")
    if intent_id is None or group is None:
        return None
    return Intent(intent_id, group, MappingProxyType(examples), MappingProxyType(keywords), tuple(related),
                  reader.loc(node), MappingProxyType(lines), MappingProxyType(where), interrupts)


def _parse_synonyms(reader: Reader, node: yaml.Node, languages: tuple[str, ...], out: Parsed) -> None:
    for lang, lang_node in reader.per_language(node, "'synonyms'", languages).items():
        table = out.synonyms.setdefault(lang, {})
        entries = reader.mapping(lang_node, f"the {lang} synonyms")
        for word, variants_node in (entries or {}).items():
            for variant, vnode in reader.texts(variants_node, f"the synonyms of '{word}'"):
                key = variant.casefold()
                if key in table and table[key] != word:
                    reader.report(vnode, f"'{variant}' is a synonym of both '{table[key]}' and '{word}'",
                                  "keep it under one word only")
                table[key] = word


def _parse_check(reader: Reader, node: yaml.Node) -> GuidedCheck | None:
    fields = reader.mapping(node, "a guided check", required=("id", "intent", "start", "steps", "outcomes"))
    if fields is None:
        return None
    check_id = _id(reader, fields["id"], "the check id")
    intent = _id(reader, fields["intent"], "the check's intent")
    start = _id(reader, fields["start"], "the first step")
    steps: dict[str, CheckStep] = {}
    step_nodes = reader.mapping(fields["steps"], "'steps'") or {}
    for step_id, step_node in step_nodes.items():
        options: list[CheckOption] = []
        for opt_node in reader.sequence(step_node, f"the options of step '{step_id}'"):
            opt = reader.mapping(opt_node, f"an option of step '{step_id}'", required=("answer",),
                                 optional=("next", "outcome"))
            if opt is None:
                continue
            key = _id(reader, opt["answer"], "the option's answer")
            nxt = _id(reader, opt["next"], "'next'") if "next" in opt else None
            outcome = _id(reader, opt["outcome"], "'outcome'") if "outcome" in opt else None
            if (nxt is None) == (outcome is None):
                reader.report(opt_node, f"an option of step '{step_id}' needs exactly one of 'next' or 'outcome'",
                              "say which step comes next ('next: step_id') or how it ends ('outcome: id')")
                continue
            if key is not None:
                options.append(CheckOption(key, nxt, outcome, reader.loc(opt_node)))
        if not options:
            reader.report(step_node, f"step '{step_id}' has no options", "add at least two '- answer: ...' lines")
        steps[step_id] = CheckStep(step_id, tuple(options), reader.loc(step_node))
    outcomes = [o for o, _ in reader.texts(fields["outcomes"], "'outcomes'")]
    if check_id is None or intent is None or start is None:
        return None
    where = {key: reader.loc(fields[key]) for key in ("intent", "start", "outcomes")}
    return GuidedCheck(check_id, intent, start, MappingProxyType(steps), tuple(outcomes), reader.loc(node),
                       MappingProxyType(where))


def parse_language_file(text: str, path: str, lang: str, languages: tuple[str, ...], out: Parsed,
                        reader: Reader) -> None:
    """Parse an ``answers/<lang>/*.yaml`` file's text into ``out``."""
    sections: dict[str, Location] = {}
    top = _sections(reader, text, LANGUAGE_FILE_KEYS, sections)
    if "answers" in top:
        for node in reader.sequence(top["answers"], "'answers'"):
            answer = _parse_answer(reader, node, lang)
            if answer is not None:
                out.answers.append(answer)
            elif isinstance(node, yaml.MappingNode):  # its problems are reported: it is not missing as well
                out.broken_answers.update((str(v.value), lang) for k, v in node.value if k.value == "intent" and
                                          isinstance(v, yaml.ScalarNode))
    parts = out.pack_parts.setdefault(lang, {})
    for key in ("language", "messages", "groups", "commands"):
        if key in top:
            if key in parts:
                reader.report(top[key], f"'{key}:' for '{lang}' is also in {parts[key][1]}",
                              "keep it in one file only")
                continue
            parts[key] = (top[key], path)
            out.pack_lines.setdefault(lang, {})[key] = sections[key]
    if "checks" in top:
        for node in reader.sequence(top["checks"], "'checks'"):
            texts = _parse_check_texts(reader, node, lang)
            if texts is not None:
                out.check_texts.append(texts)
    if "referrals" in top:
        out.referrals += parse_referrals(reader, top["referrals"], lang)
    if "kinds" in top:
        out.kind_replies += parse_kind_replies(reader, top["kinds"], lang, check_html)
    if "crisis" in top:
        out.crisis += parse_crisis(reader, top["crisis"], lang, check_html)


def _parse_answer(reader: Reader, node: yaml.Node, lang: str) -> Answer | None:
    fields = reader.mapping(node, "an answer", required=("intent", "title", "source", "text"),
                            optional=("buttons", "gives"))
    if fields is None:
        return None
    intent = _id(reader, fields["intent"], "the answer's intent")
    title = reader.text(fields["title"], "the title")
    source = reader.text(fields["source"], "the source")
    text = reader.text(fields["text"], "the answer text")
    if text is not None:
        check_html(reader, fields["text"], text, "the answer text", limit=ANSWER_SOFT_LIMIT)
    links: list[LinkButton] = []
    if "buttons" in fields:
        for bnode in reader.sequence(fields["buttons"], "'buttons'"):
            b = reader.mapping(bnode, "a button", required=("label", "url"))
            if b is None:
                continue
            label, url = reader.text(b["label"], "the button label"), reader.text(b["url"], "the button url")
            if url is not None and not url.startswith(("https://", "http://", "tg://")):
                reader.report(b["url"], f"the link '{url}' is not a web address", "start it with https://")
                continue
            if label and url:
                links.append(LinkButton(label, url))
    gives = tuple(t for t, _ in reader.texts(fields["gives"], "'gives'")) if "gives" in fields else ()
    if intent is None or title is None or source is None or text is None:
        return None
    return Answer(intent, lang, title, text, source, tuple(links), reader.loc(node), gives)


def _parse_check_texts(reader: Reader, node: yaml.Node, lang: str) -> CheckTexts | None:
    fields = reader.mapping(node, "the texts of a guided check", required=("id", "title", "questions", "outcomes"),
                            optional=("intro", "options", "typed"))
    if fields is None:
        return None
    check_id = _id(reader, fields["id"], "the check id")
    title = reader.text(fields["title"], "the title")
    intro = reader.text(fields["intro"], "the intro") if "intro" in fields else ""
    maps: dict[str, dict[str, str]] = {}
    where: dict[str, Location] = {}
    for key in ("questions", "options", "outcomes"):
        maps[key] = {}
        if key not in fields:
            continue
        where[key] = reader.loc(fields[key])
        for item_key, item_node in (reader.mapping(fields[key], f"'{key}'") or {}).items():
            value = reader.text(item_node, f"the text for '{item_key}'")
            where[f"{key}.{item_key}"] = reader.loc(item_node)
            if value is not None:
                check_html(reader, item_node, value, f"the text for '{item_key}'")
                maps[key][item_key] = value
    if check_id is None or title is None or intro is None:
        return None
    typed = _typed_phrases(reader, fields["typed"], where) if "typed" in fields else {}
    return CheckTexts(check_id, lang, title, intro, MappingProxyType(maps["questions"]),
                      MappingProxyType(maps["options"]), MappingProxyType(maps["outcomes"]), reader.loc(node),
                      MappingProxyType(typed), MappingProxyType(where))


def _key_node(node: yaml.Node, key: str) -> yaml.Node | None:
    """The node of ``key`` in a mapping (its line is where the entry starts), or None."""
    if isinstance(node, yaml.MappingNode):
        return next((k for k, _ in node.value if str(k.value) == key), None)
    return None


def _typed_phrases(reader: Reader, node: yaml.Node,
                   where: dict[str, Location]) -> dict[str, Mapping[str, tuple[str, ...]]]:
    """``typed: {step: {answer: [phrase, ...]}}``: what people type that means an answer of a step (their lines
    go into ``where``)."""
    typed: dict[str, Mapping[str, tuple[str, ...]]] = {}
    step_nodes = reader.mapping(node, "'typed'") or {}
    for step_id, step_node in step_nodes.items():
        answers: dict[str, tuple[str, ...]] = {}
        where[f"typed.{step_id}"] = reader.loc(_key_node(node, step_id) or step_node)
        for key, phrases in (reader.mapping(step_node, f"the typed answers of step '{step_id}'") or {}).items():
            where[f"typed.{step_id}.{key}"] = reader.loc(_key_node(step_node, key) or phrases)
            answers[key] = tuple(t.casefold() for t, _ in reader.texts(phrases, f"the typed phrases for '{key}'"))
        typed[step_id] = MappingProxyType(answers)
    return typed


def build_pack(
    lang: str, parts: dict[str, tuple[yaml.Node, str]], reader_for: dict[str, Reader],
    sections: Mapping[str, Location] | None = None,
) -> LanguagePack | None:
    """Assemble a language's pack from its 'language', 'messages', 'groups' and 'commands' sections (``sections``:
    where each section's key was written)."""
    if "language" not in parts:
        return None
    where = dict(sections or {})
    lang_node, lang_path = parts["language"]
    reader = reader_for[lang_path]
    fields = reader.mapping(lang_node, "'language'", required=("name",),
                            optional=("stopwords", "yes", "no", "danger", "details", "dont_know", "switch",
                                      "contrast", "followup", "negation", "refers_back", "stop"))
    if fields is None:
        return None
    name = reader.text(fields["name"], "the language name") or lang
    if "danger" in fields:
        reader.report(fields["danger"], "'danger:' is no longer used: crisis words are kept per kind",
                      f"move these words under the right kind in answers/{lang}/crisis.yaml and delete 'danger:'")

    def words(key: str) -> frozenset[str]:
        if key not in fields:
            return frozenset()
        where[key] = reader.loc(fields[key])
        return frozenset(t.casefold() for t, _ in reader.texts(fields[key], f"'{key}'"))

    tables: dict[str, dict[str, str]] = {}
    for key in ("messages", "groups", "commands"):
        tables[key] = {}
        if key not in parts:
            continue
        node, path = parts[key]
        r = reader_for[path]
        where.setdefault(key, r.loc(node))
        for item_key, item_node in (r.mapping(node, f"'{key}'") or {}).items():
            value = r.text(item_node, f"the text for '{item_key}'")
            where[f"{key}.{item_key}"] = r.loc(_key_node(node, item_key) or item_node)
            if value is not None:
                if key == "messages":
                    check_html(r, item_node, value, f"the message '{item_key}'")
                tables[key][item_key] = value
    return LanguagePack(lang, name, words("stopwords"), words("yes"), words("no"),
                        MappingProxyType(tables["messages"]), MappingProxyType(tables["groups"]),
                        MappingProxyType(tables["commands"]), Location(lang_path, lang_node.start_mark.line + 1),
                        tuple(sorted(words("details"))), words("dont_know"), tuple(sorted(words("switch"))),
                        lines=MappingProxyType(where), contrast_words=words("contrast"),
                        followup_openers=tuple(sorted(words("followup"))), negation_words=words("negation"),
                        back_references=words("refers_back"), stop_words=words("stop"))


_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def parse_other_languages(text: str, path: str, out: Parsed, reader: Reader) -> None:
    """``other_languages: {code: {name, reply}}``: the reply to a message in a language the bot does not speak."""
    sections = _sections(reader, text, ("other_languages",))
    if "other_languages" not in sections:
        return
    for code, node in (reader.mapping(sections["other_languages"], "'other_languages'") or {}).items():
        if not _LANGUAGE_CODE.match(code):
            reader.report(node, f"'{code}' is not a language code",
                          "use the two-letter ISO 639-1 code, such as ar, fa, ti, fr, tr, so, uk, ru")
            continue
        fields = reader.mapping(node, f"the language '{code}'", required=("name", "reply"))
        if fields is None:
            continue
        name = reader.text(fields["name"], "the language's name")
        reply = reader.text(fields["reply"], "the reply")
        if name is None or reply is None:
            continue
        check_html(reader, fields["reply"], reply, f"the reply in '{code}'")
        out.other_languages.append(OtherLanguage(code, name, reply, reader.loc(node)))
