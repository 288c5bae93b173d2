"""Replies built from answers: an answer with follow-ups, small talk, 'did you mean', fallback, safety."""

from __future__ import annotations

from bot.content.model import Content
from bot.engine.buttons import MENU, NONE_OF_THESE, Codec
from bot.engine.checks import check_texts
from bot.engine.menu import menu_rows
from bot.engine.replies import Button, Reply, Trace
from bot.engine.texts import Texts
from bot.nlu.result import Understanding

MAX_FOLLOW_UPS = 3
MAX_CHOICES = 3
CONTACT = "contact"

Rows = list[tuple[Button, ...]]


def trace(texts: Texts, decision: str, u: Understanding | None = None, intent: str | None = None,
          source: str | None = None) -> Trace:
    """A trace in the reply's language, with the matcher's score and candidates when there are any."""
    score = u.score if u is not None else (1.0 if intent else 0.0)
    candidates = tuple((c.intent, round(c.score, 4)) for c in u.candidates[:5]) if u is not None else ()
    return Trace(intent if intent is not None else (u.intent if u else None), decision, score, texts.lang, source,
                 candidates)


def link_rows(texts: Texts, *intents: str) -> Rows:
    """The link buttons of the answers to ``intents``, each link once."""
    rows: Rows = []
    seen: set[str] = set()
    for intent in intents:
        answer = texts.answer(intent)
        for link in answer.links if answer else ():
            if link.url not in seen:
                seen.add(link.url)
                rows.append((Button(link.label, url=link.url),))
    return rows


def follow_ups(content: Content, codec: Codec, texts: Texts, intent: str, skip_check: str | None,
               also: str | None = None) -> Rows:
    """Up to three buttons: the intent's guided check, the close runner-up the person may have meant, then
    its related topics."""
    buttons: list[Button] = []
    check = content.check_for_intent(intent)
    ctexts = check_texts(content, check, texts.lang) if check else None
    if check is not None and ctexts is not None and check.id != skip_check:
        buttons.append(Button(texts("check_button", title=ctexts.title), data=codec.check(check.id)))
    known = content.intents.get(intent)
    for rid in dict.fromkeys((*([also] if also else []), *(known.related if known else ()))):
        related = texts.answer(rid)
        if rid != intent and related is not None and rid in content.intents:
            buttons.append(Button(related.title, data=codec.intent(rid)))
    return [(b,) for b in buttons[:MAX_FOLLOW_UPS]]


def answer_reply(content: Content, codec: Codec, texts: Texts, intent: str, u: Understanding | None = None,
                 decision: str = "answer", skip_check: str | None = None) -> Reply | None:
    """The answer to ``intent`` with follow-up and link buttons; None when there is no answer."""
    answer = texts.answer(intent)
    if answer is None:
        return None
    also = u.also if u is not None and u.intent == intent else None
    rows = follow_ups(content, codec, texts, intent, skip_check, also) + link_rows(texts, intent)
    return Reply(answer.text, tuple(rows), trace(texts, decision, u, intent, answer.source))


def small_talk_reply(content: Content, codec: Codec, texts: Texts, intent: str,
                     u: Understanding | None) -> Reply | None:
    """Small talk answered naturally: greeting and help show the menu; 'human' says how to reach a person."""
    answer = texts.answer(intent)
    if answer is None:
        return None
    rows: Rows
    if intent in ("greeting", "help"):
        rows = link_rows(texts, intent) + list(menu_rows(content, codec, texts))
    elif intent == "human":
        rows = follow_ups(content, codec, texts, intent, None) + link_rows(texts, intent, CONTACT)
    else:
        rows = link_rows(texts, intent)
    return Reply(answer.text, tuple(rows), trace(texts, "answer", u, intent, answer.source))


def clarify_reply(codec: Codec, texts: Texts, u: Understanding) -> Reply | None:
    """'Did you mean ...?' with up to three topics and 'None of these'; None when no candidate has an answer."""
    rows: Rows = []
    seen: set[str] = set()
    for candidate in u.candidates:
        answer = texts.answer(candidate.intent)
        if answer is not None and candidate.intent not in seen and len(rows) < MAX_CHOICES:
            seen.add(candidate.intent)
            rows.append((Button(answer.title, data=codec.intent(candidate.intent)),))
    if not rows:
        return None
    rows.append((Button(texts("none_of_these"), data=NONE_OF_THESE),))
    return Reply(texts("clarify"), tuple(rows), trace(texts, "clarify", u, None))


def fallback_reply(content: Content, codec: Codec, texts: Texts, misses: int, u: Understanding | None) -> Reply:
    """First miss: ask to rephrase and show the menu. From the second miss in a row: how to reach a person."""
    if misses < 2:
        return Reply(texts("fallback"), menu_rows(content, codec, texts), trace(texts, "none", u))
    contact = texts.answer(CONTACT)
    text = texts("fallback_human") + (f"\n\n{contact.text}" if contact else "")
    rows = link_rows(texts, CONTACT) + [(Button(texts("menu_button"), data=MENU),)]
    return Reply(text, tuple(rows), trace(texts, "none", u, None, contact.source if contact else None))


def crisis_reply(content: Content, texts: Texts, kind: str, u: Understanding | None) -> Reply:
    """The short reply to a crisis of one kind (112 first where life is in danger), with its referral links."""
    crisis = next((c for c in content.crisis.get(texts.lang, ()) if c.id == kind), None)
    if crisis is None:  # content checks make every kind exist in every language
        return Reply(texts("safety"), (), trace(texts, f"crisis:{kind}", u, None))
    rows = referral_rows(content, texts.lang, crisis.refer)
    return Reply(crisis.text, tuple(rows), trace(texts, f"crisis:{kind}", u, None, "outside"))


def referral_reply(content: Content, texts: Texts, kind: str, u: Understanding | None) -> Reply | None:
    """For a question IOM's information does not cover: who handles it (website buttons) and the menu."""
    reply = content.kind_replies.get((kind, texts.lang))
    if reply is None:
        return None
    rows = referral_rows(content, texts.lang, reply.refer) + [(Button(texts("menu_button"), data=MENU),)]
    return Reply(reply.text, tuple(rows), trace(texts, f"referral:{kind}", u, None, "outside"))


def referral_rows(content: Content, lang: str, refer: tuple[str, ...]) -> Rows:
    """A website button per referral that has one, in the language's register."""
    rows: Rows = []
    for rid in refer:
        referral = content.referrals.get((rid, lang))
        if referral is not None and referral.url:
            rows.append((Button(referral.name, url=referral.url),))
    return rows
