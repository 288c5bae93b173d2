"""Scoring multi-turn dialogues: does the bot follow the person from one message to the next?

A dialogue file (``tests/data/dialogues.yaml``) lists short chats turn by turn, each turn with what the bot
should do: answer an intent (or one of a list), say that its information about a topic does not have the
detail asked (``missing_in``), or not answer (``intent: null``). Turns marked ``followup: true`` only make
sense after the earlier ones. Each dialogue runs on the engine from a fresh chat in its language.

A turn is *right* when the bot answers one of the expected intents, or gives the "not in my information"
reply for the expected topic, or does not answer an off-topic message. *Within the topic* is looser for
``missing_in``: answering the topic itself also counts (the person gets the topic's information).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import yaml

from bot.engine.engine import Engine
from bot.engine.events import TextIn
from bot.engine.replies import Reply
from bot.engine.state import ChatState

ANSWERED = ("answer", "followup")
MISSING = "missing_detail"


@dataclass(frozen=True)
class Turn:
    """One message of a dialogue and what the bot should do."""

    say: str
    intents: tuple[str, ...]  # empty: off-topic (or a missing detail, see missing_in)
    missing_in: str | None = None
    followup: bool = False


@dataclass(frozen=True)
class Dialogue:
    """A short chat in one language."""

    lang: str
    turns: tuple[Turn, ...]


@dataclass
class DialogueReport:
    """Per language: turns and follow-ups right, strictly and within the topic; the misses."""

    turns: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    followups: Counter[str] = field(default_factory=Counter)
    followups_right: Counter[str] = field(default_factory=Counter)
    followups_in_topic: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[Dialogue, int, str]] = field(default_factory=list)

    @staticmethod
    def share(part: Counter[str], whole: Counter[str], lang: str | None = None) -> float:
        """part / whole for one language, or over all languages."""
        if lang is not None:
            return part[lang] / whole[lang] if whole[lang] else 0.0
        total = sum(whole.values())
        return sum(part.values()) / total if total else 0.0


def parse_dialogues(text: str) -> list[Dialogue]:
    """Read a dialogue file: ``dialogues: [{lang, turns: [{say, expect: {intent | missing_in}, followup}]}]``."""
    data = yaml.safe_load(text)
    items = data.get("dialogues", []) if isinstance(data, dict) else []
    return [Dialogue(str(d["lang"]), tuple(_turn(t) for t in d["turns"])) for d in items]


def _turn(raw: dict[str, Any]) -> Turn:
    expect = raw.get("expect") or {}
    intent = expect.get("intent")
    intents = tuple(intent) if isinstance(intent, list) else ((intent,) if intent else ())
    return Turn(str(raw["say"]), tuple(str(i) for i in intents), expect.get("missing_in"),
                bool(raw.get("followup", False)))


def what_the_bot_did(replies: list[Reply]) -> tuple[str, str | None]:
    """(decision, intent) of the first reply that is not a crisis message."""
    for reply in replies:
        if reply.trace is not None and not reply.trace.decision.startswith("crisis"):
            return reply.trace.decision, reply.trace.intent
    return "none", None


def judge(turn: Turn, decision: str, intent: str | None) -> tuple[bool, bool]:
    """(right, within the topic) for one turn."""
    if turn.missing_in is not None:
        right = decision == MISSING and intent == turn.missing_in
        return right, right or (decision in ANSWERED and intent == turn.missing_in)
    if turn.intents:
        right = decision in ANSWERED and intent in turn.intents
        return right, right
    right = decision not in (*ANSWERED, MISSING)
    return right, right


def evaluate_dialogues(engine: Engine, dialogues: list[Dialogue]) -> DialogueReport:
    """Run every dialogue from a fresh chat and score each turn."""
    report = DialogueReport()
    for dialogue in dialogues:
        state: ChatState | None = None
        for n, turn in enumerate(dialogue.turns):
            state, replies = engine.handle(state, TextIn(turn.say), dialogue.lang)
            decision, intent = what_the_bot_did(replies)
            right, in_topic = judge(turn, decision, intent)
            lang = dialogue.lang
            report.turns[lang] += 1
            report.right[lang] += right
            if turn.followup:
                report.followups[lang] += 1
                report.followups_right[lang] += right
                report.followups_in_topic[lang] += in_topic
            if not right:
                report.misses.append((dialogue, n, f"{decision} {intent}"))
    return report
