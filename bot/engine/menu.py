"""The topic menu: groups, then the intents of a group by answer title; and the language choice."""

from __future__ import annotations

from bot.content.model import OUT_OF_SCOPE, SMALL_TALK_GROUP, Content
from bot.engine.buttons import MENU, Codec
from bot.engine.replies import Button, Reply, Trace
from bot.engine.texts import Texts
from bot.html import escape

Rows = tuple[tuple[Button, ...], ...]


def topic_groups(content: Content, lang: str) -> list[str]:
    """Groups with topics, in the order of the language's ``groups:`` labels, then any others."""
    present: list[str] = []
    for intent in content.intents.values():
        if intent.group not in (SMALL_TALK_GROUP, OUT_OF_SCOPE) and intent.group not in present:
            present.append(intent.group)
    labelled = [g for g in content.packs[lang].groups if g in present] if lang in content.packs else []
    return labelled + [g for g in present if g not in labelled]


def menu_rows(content: Content, codec: Codec, texts: Texts) -> Rows:
    """One button per topic group."""
    return tuple((Button(texts.group(g), data=codec.group(g)),) for g in topic_groups(content, texts.lang))


def menu_reply(content: Content, codec: Codec, texts: Texts, text: str, decision: str = "menu") -> Reply:
    """``text`` with the topic menu under it."""
    return Reply(text, menu_rows(content, codec, texts), Trace(None, decision, 0.0, texts.lang, None))


def group_reply(content: Content, codec: Codec, texts: Texts, group: str) -> Reply | None:
    """The topics of one group as buttons, with a back button; None for an unknown group."""
    rows: list[tuple[Button, ...]] = []
    for intent in content.intents.values():
        answer = texts.answer(intent.id)
        if intent.group == group and answer is not None:
            rows.append((Button(answer.title, data=codec.intent(intent.id)),))
    if not rows or group in (SMALL_TALK_GROUP, OUT_OF_SCOPE):
        return None
    rows.append((Button(texts("back"), data=MENU),))
    text = texts("group", group=f"<b>{escape(texts.group(group))}</b>")
    return Reply(text, tuple(rows), Trace(None, "menu", 0.0, texts.lang, None))


def language_reply(content: Content, codec: Codec, key: str, lang: str | None) -> Reply:
    """The message ``key`` in every language (``lang`` first) with one button per language."""
    order = sorted(content.languages, key=lambda code: code != lang)
    text = "\n\n".join(Texts(content, code)(key) for code in order if code in content.packs)
    row = tuple(Button(content.packs[code].name, data=codec.language(code))
                for code in content.languages if code in content.packs)
    return Reply(text, (row,), Trace(None, "language", 0.0, lang or order[0], None))


def other_language_reply(content: Content, codec: Codec, foreign: str, lang: str | None) -> Reply:
    """For a message in a language the bot does not speak: which languages it understands, in each of them,
    then the same in the person's language when the content has it; one button per language."""
    reply = language_reply(content, codec, "other_language", lang)
    own = content.other_languages.get(foreign)
    text = f"{reply.text}\n\n{own.reply}" if own is not None else reply.text
    return Reply(text, reply.buttons, Trace(None, "other_language", 0.0, foreign, None))
