"""Edits from the studio's forms, applied to the content files' texts round-trip.

An edit is a JSON object with a ``kind``:

| kind | fields | changes |
|---|---|---|
| ``answer`` | intent, lang, title, text, source, buttons [{label, url}] | an answer (added if missing) |
| ``intent`` | id, examples {lang: [...]}, keywords {lang: [...]}, related [...] | a topic's questions and links |
| ``add_example`` | intent, lang, text | one more example question (the review inbox) |
| ``text`` | file, at [key or index, ...], value | one existing text, e.g. ``messages/welcome`` |
| ``check`` | id, start, steps {step: [{answer, next or outcome}]}, outcomes [...] | a guided check's structure |
| ``check_texts`` | id, lang, title, intro, questions {}, options {}, outcomes {} | a guided check's texts |

Files are found through the content serving now (where each answer, intent and check was read from).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot.content import Content
from bot.studio import roundtrip
from bot.studio.yamlset import ensure_list, set_text, sync_list, sync_mapping_texts

Change = Callable[[Any], None]
Edit = Mapping[str, Any]


class EditError(Exception):
    """An edit that cannot be applied; the message is for staff."""


def _str(edit: Edit, key: str, default: str | None = None) -> str:
    value = edit.get(key, default)
    if not isinstance(value, str):
        raise EditError(f"'{key}' must be a text")
    return value


def _strs(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EditError(f"{what} must be a list of texts")
    return list(value)


def _per_lang(value: Any, what: str) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise EditError(f"{what} must list texts per language")
    return {str(lang): _strs(items, f"{what} ({lang})") for lang, items in value.items()}


def _text_map(value: Any, what: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise EditError(f"{what} must be texts by key")
    return {str(k): v for k, v in value.items()}


def _item(doc: Any, section: str, key: str, value: str) -> CommentedMap:
    for item in doc.get(section) or []:
        if isinstance(item, CommentedMap) and str(item.get(key)) == value:
            return item
    raise EditError(f"'{value}' was not found under '{section}:'")


def answer_file(content: Content, intent: str, lang: str, texts: Mapping[str, str]) -> str:
    """The file holding ``intent``'s answer in ``lang``; for a missing translation, the file of the same name as
    another language's answer."""
    answer = content.answers.get((intent, lang))
    if answer is not None:
        return answer.location.path
    for other in content.languages:
        found = content.answers.get((intent, other))
        if found is not None:
            path = f"answers/{lang}/{found.location.path.rsplit('/', 1)[-1]}"
            if path in texts:
                return path
    raise EditError(f"there is no file in answers/{lang}/ to add this answer to")


def _answer(content: Content, edit: Edit, texts: Mapping[str, str]) -> tuple[str, Change]:
    intent, lang = _str(edit, "intent"), _str(edit, "lang")
    fields = {k: _str(edit, k, "") for k in ("title", "source", "text")}
    buttons = edit.get("buttons", [])
    if not isinstance(buttons, list) or not all(isinstance(b, dict) for b in buttons):
        raise EditError("'buttons' must be a list of {label, url}")
    links = [(str(b.get("label", "")).strip(), str(b.get("url", "")).strip()) for b in buttons]
    links = [(label, url) for label, url in links if label or url]

    def change(doc: Any) -> None:
        try:
            item = _item(doc, "answers", "intent", intent)
        except EditError:
            if not fields["text"].strip() and not fields["title"].strip():
                return  # an empty form for a missing translation: nothing to add
            if not isinstance(doc.get("answers"), CommentedSeq):
                raise
            item = CommentedMap(intent=intent)
            doc["answers"].append(item)
        for key, value in fields.items():
            set_text(item, key, value)
        _set_buttons(item, links)

    return answer_file(content, intent, lang, texts), change


def _set_buttons(item: CommentedMap, links: list[tuple[str, str]]) -> None:
    old = [(str(b.get("label", "")).strip(), str(b.get("url", "")).strip()) for b in item.get("buttons") or []
           if isinstance(b, CommentedMap)]
    if old == links:
        return
    if not links:
        item.pop("buttons", None)
        return
    if not isinstance(item.get("buttons"), CommentedSeq):
        item["buttons"] = CommentedSeq()
    seq = item["buttons"]
    for i, (label, url) in enumerate(links):
        if i < len(seq) and isinstance(seq[i], CommentedMap):
            set_text(seq[i], "label", label)
            set_text(seq[i], "url", url)
        else:
            seq.append(CommentedMap(label=label, url=url))
    del seq[len(links):]


def _intent_file(content: Content, intent_id: str) -> str:
    intent = content.intents.get(intent_id)
    if intent is None:
        raise EditError(f"there is no topic '{intent_id}'")
    return intent.location.path


def _intent(content: Content, edit: Edit) -> tuple[str, Change]:
    intent_id = _str(edit, "id")
    examples = _per_lang(edit.get("examples", {}), "examples")
    keywords = _per_lang(edit.get("keywords", {}), "keywords")
    related = _strs(edit.get("related", []), "related topics")

    def change(doc: Any) -> None:
        item = _item(doc, "intents", "id", intent_id)
        for key, per_lang in (("examples", examples), ("keywords", keywords)):
            if not isinstance(item.get(key), CommentedMap):
                if not any(v for v in per_lang.values()):
                    continue
                item[key] = CommentedMap()
            for lang, values in per_lang.items():
                ensure_list(item[key], lang, values, flow=key == "keywords")
            if not item[key] and key == "keywords":
                del item[key]
        ensure_list(item, "related", related, flow=True)

    return _intent_file(content, intent_id), change


def _add_example(content: Content, edit: Edit) -> tuple[str, Change]:
    intent_id, lang, text = _str(edit, "intent"), _str(edit, "lang"), _str(edit, "text").strip()
    if not text:
        raise EditError("the example question is empty")

    def change(doc: Any) -> None:
        item = _item(doc, "intents", "id", intent_id)
        examples = item.setdefault("examples", CommentedMap())
        seq = examples.get(lang)
        if not isinstance(seq, CommentedSeq):
            seq = examples[lang] = CommentedSeq()
        if text.casefold() not in (str(v).strip().casefold() for v in seq):
            seq.append(text)

    return _intent_file(content, intent_id), change


def _text(edit: Edit, texts: Mapping[str, str]) -> tuple[str, Change]:
    path, value = _str(edit, "file"), _str(edit, "value")
    at = edit.get("at")
    if path not in texts or not path.startswith("answers/"):
        raise EditError(f"{path} is not a file with bot texts")
    if not isinstance(at, list) or not at or not all(isinstance(k, str | int) for k in at):
        raise EditError("'at' must name where the text is")

    def change(doc: Any) -> None:
        node = doc
        for key in at[:-1]:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                raise EditError(f"{path} has no {'/'.join(map(str, at))}") from None
        last = at[-1]
        if not isinstance(node, CommentedMap | CommentedSeq) or (isinstance(node, CommentedMap) and last not in node):
            raise EditError(f"{path} has no {'/'.join(map(str, at))}")
        if isinstance(node, CommentedMap):
            set_text(node, str(last), value)

    return path, change


def _check(content: Content, edit: Edit) -> tuple[str, Change]:
    check_id, start = _str(edit, "id"), _str(edit, "start")
    steps = edit.get("steps")
    if not isinstance(steps, dict):
        raise EditError("'steps' must list the steps")
    outcomes = _strs(edit.get("outcomes", []), "outcomes")
    check = content.checks.get(check_id)
    if check is None:
        raise EditError(f"there is no guided check '{check_id}'")

    def change(doc: Any) -> None:
        item = _item(doc, "checks", "id", check_id)
        set_text(item, "start", start)
        step_map = item["steps"]
        for step_id in [s for s in step_map if s not in steps]:
            del step_map[step_id]
        for step_id, options in steps.items():
            if not isinstance(options, list):
                raise EditError(f"step '{step_id}' must list its options")
            seq = step_map.get(step_id)
            if not isinstance(seq, CommentedSeq):
                seq = step_map[step_id] = CommentedSeq()
            _set_options(seq, options)
        if isinstance(item.get("outcomes"), CommentedSeq):
            sync_list(item["outcomes"], outcomes)
        else:
            item["outcomes"] = CommentedSeq(outcomes)

    return check.location.path, change


def _set_options(seq: CommentedSeq, options: list[Any]) -> None:
    for i, option in enumerate(options):
        if not isinstance(option, dict):
            raise EditError("each option needs an answer and where it leads")
        answer = str(option.get("answer", "")).strip()
        target_key = "next" if option.get("next") else "outcome"
        target = str(option.get(target_key) or "").strip()
        if i < len(seq) and isinstance(seq[i], CommentedMap):
            item = seq[i]
        else:
            item = CommentedMap()
            item.fa.set_flow_style()
            seq.append(item)
        set_text(item, "answer", answer)
        other = "outcome" if target_key == "next" else "next"
        if other in item:
            del item[other]
        set_text(item, target_key, target)
    del seq[len(options):]


def _check_texts(content: Content, edit: Edit) -> tuple[str, Change]:
    check_id, lang = _str(edit, "id"), _str(edit, "lang")
    ctexts = content.check_texts.get((check_id, lang))
    if ctexts is None:
        raise EditError(f"the check '{check_id}' has no texts in '{lang}'")
    title, intro = _str(edit, "title", ""), _str(edit, "intro", "")
    maps = {key: _text_map(edit.get(key), key) for key in ("questions", "options", "outcomes")}

    def change(doc: Any) -> None:
        item = _item(doc, "checks", "id", check_id)
        set_text(item, "title", title)
        if intro.strip() or "intro" in item:
            set_text(item, "intro", intro)
        for key, values in maps.items():
            if not values and key not in item:
                continue
            if not isinstance(item.get(key), CommentedMap):
                item[key] = CommentedMap()
            sync_mapping_texts(item[key], values, remove_missing=key != "options")

    return ctexts.location.path, change


def resolve(content: Content, edit: Edit, texts: Mapping[str, str]) -> tuple[str, Change]:
    """The file an edit changes and the change to its tree."""
    kind = edit.get("kind")
    if kind == "answer":
        return _answer(content, edit, texts)
    if kind == "intent":
        return _intent(content, edit)
    if kind == "add_example":
        return _add_example(content, edit)
    if kind == "text":
        return _text(edit, texts)
    if kind == "check":
        return _check(content, edit)
    if kind == "check_texts":
        return _check_texts(content, edit)
    raise EditError(f"unknown kind of edit: {kind!r}")


def apply(content: Content, texts: Mapping[str, str], edits: list[Edit]) -> dict[str, str]:
    """The new text of every file the edits change (files whose text stays the same are left out)."""
    changes: dict[str, list[Change]] = {}
    for edit in edits:
        if not isinstance(edit, Mapping):
            raise EditError("each edit must be an object")
        path, change = resolve(content, edit, texts)
        if path not in texts:
            raise EditError(f"{path} is not a content file")
        changes.setdefault(path, []).append(change)
    out: dict[str, str] = {}
    for path, file_changes in changes.items():
        def run_all(doc: Any, todo: list[Change] = file_changes) -> None:
            for change in todo:
                change(doc)
        new = roundtrip.edit(texts[path], run_all)
        if new != texts[path]:
            out[path] = new
    return out
