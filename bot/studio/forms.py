"""What the studio's forms show, read from the content serving now (plain JSON for the page)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.content import Content
from bot.content.model import GuidedCheck

#: The bot texts on the "Bot texts" page, in groups staff recognise; every other key goes under "Other texts".
TEXT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Welcome", ("welcome", "welcome_bilingual", "description", "short_description", "language_choose",
                 "language_set", "language_hint")),
    ("Menu and help", ("menu", "menu_button", "group", "back", "help", "privacy")),
    ("When the bot does not understand", ("clarify", "none_of_these", "fallback", "fallback_human",
                                          "followup_missing", "empty", "non_text", "other_language",
                                          "unknown_command", "stale", "error")),
    ("Safety", ("safety",)),
)


def topics(content: Content) -> list[dict[str, Any]]:
    """Every topic with answers (out-of-scope intents have none), its titles and missing translations."""
    out = []
    for intent in sorted(content.intents.values(), key=lambda i: (i.group, i.id)):
        if intent.is_out_of_scope:
            continue
        titles = {lang: a.title if (a := content.answers.get((intent.id, lang))) else None
                  for lang in content.languages}
        missing = [lang for lang in content.languages
                   if titles[lang] is None or not intent.examples.get(lang)]
        out.append({"id": intent.id, "group": intent.group, "titles": titles, "missing": missing,
                    "examples": sum(len(v) for v in intent.examples.values())})
    return out


def topic(content: Content, intent_id: str) -> dict[str, Any] | None:
    """The form of one topic: per language its answer, examples and keywords; the related topics."""
    intent = content.intents.get(intent_id)
    if intent is None:
        return None
    langs: dict[str, Any] = {}
    for lang in content.languages:
        answer = content.answers.get((intent.id, lang))
        langs[lang] = {
            "answer": None if answer is None else {
                "title": answer.title, "text": answer.text, "source": answer.source,
                "buttons": [{"label": b.label, "url": b.url} for b in answer.links]},
            "examples": list(intent.examples.get(lang, ())),
            "keywords": list(intent.keywords.get(lang, ())),
        }
    return {"id": intent.id, "group": intent.group, "out_of_scope": intent.is_out_of_scope,
            "related": list(intent.related), "languages": list(content.languages), "langs": langs,
            "all_topics": [{"id": i["id"], "title": next((t for t in i["titles"].values() if t), i["id"])}
                           for i in topics(content)],
            "check": next((c.id for c in content.checks.values() if c.intent == intent.id), None)}


def checks(content: Content) -> list[dict[str, Any]]:
    """Every guided check with its titles."""
    return [{"id": c.id, "intent": c.intent,
             "titles": {lang: t.title if (t := content.check_texts.get((c.id, lang))) else None
                        for lang in content.languages}}
            for c in content.checks.values()]


def check_structure(check: GuidedCheck) -> dict[str, Any]:
    """A check's steps and outcomes as the form edits them."""
    return {"id": check.id, "intent": check.intent, "start": check.start, "outcomes": list(check.outcomes),
            "steps": {s.id: [{"answer": o.key, "next": o.next_step, "outcome": o.outcome} for o in s.options]
                      for s in check.steps.values()}}


def check(content: Content, check_id: str) -> dict[str, Any] | None:
    """The form of one guided check: structure and texts per language."""
    found = content.checks.get(check_id)
    if found is None:
        return None
    texts = {}
    for lang in content.languages:
        t = content.check_texts.get((check_id, lang))
        texts[lang] = None if t is None else {"title": t.title, "intro": t.intro, "questions": dict(t.questions),
                                              "options": dict(t.options), "outcomes": dict(t.outcomes)}
    return {**check_structure(found), "languages": list(content.languages), "texts": texts}


def _file_with(texts: Mapping[str, str], lang: str, section: str) -> str | None:
    pattern = re.compile(rf"^{section}:", re.MULTILINE)
    return next((p for p in sorted(texts) if p.startswith(f"answers/{lang}/") and pattern.search(texts[p])),
                None)


def bot_texts(content: Content, texts: Mapping[str, str]) -> dict[str, Any]:
    """The bot's own texts per language: messages in groups, the crisis replies and the near-domain replies; each
    with the file and keys the edit goes to."""
    groups: list[dict[str, Any]] = []
    langs = list(content.languages)
    all_keys = sorted(set().union(*(content.packs[lang].messages for lang in langs)))
    grouped = {k for _, keys in TEXT_GROUPS for k in keys}
    files = {lang: _file_with(texts, lang, "messages") for lang in langs}
    for title, keys in (*TEXT_GROUPS, ("Other texts", tuple(k for k in all_keys if k not in grouped))):
        items = []
        for key in keys:
            if key not in all_keys:
                continue
            items.append({"key": key, "label": key.replace("_", " "), "langs": {
                lang: {"value": content.packs[lang].messages.get(key), "file": files[lang], "at": ["messages", key]}
                for lang in langs}})
        groups.append({"title": title, "items": items})
    crisis_items = []
    kinds = [c.id for c in content.crisis.get(langs[0], ())] if langs else []
    for kind in kinds:
        per_lang: dict[str, dict[str, Any]] = {}
        for lang in langs:
            found = [(i, c) for i, c in enumerate(content.crisis.get(lang, ())) if c.id == kind]
            per_lang[lang] = ({"value": found[0][1].text, "file": found[0][1].location.path,
                               "at": ["crisis", found[0][0], "text"]} if found else {"value": None})
        crisis_items.append({"key": f"crisis_{kind}", "label": kind.replace("_", " "), "langs": per_lang})
    groups.append({"title": "Crisis replies", "items": crisis_items})
    kind_items = []
    for kind in sorted({k for k, _ in content.kind_replies}):
        kind_langs: dict[str, dict[str, Any]] = {}
        for lang in langs:
            reply = content.kind_replies.get((kind, lang))
            kind_langs[lang] = ({"value": reply.text, "file": reply.location.path, "at": ["kinds", kind, "text"]}
                              if reply else {"value": None})
        kind_items.append({"key": f"kind_{kind}", "label": kind.replace("_", " "), "langs": kind_langs})
    groups.append({"title": "Referral replies (questions IOM's information does not cover)", "items": kind_items})
    return {"languages": langs, "groups": groups}
