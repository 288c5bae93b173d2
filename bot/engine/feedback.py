"""Thumbs up / thumbs down under answers: the buttons, and the short thanks when one is pressed.

The press carries the intent in its callback data, so the chat state keeps nothing about it. The reply's
trace (``feedback_up`` / ``feedback_down`` with the intent) tells the channel to log it. A press on a
button of an answer the content no longer has is thanked too, but traced as ``stale`` (not counted).
Pressing twice counts twice; the Telegram adapter may remove the buttons after the first press.
"""

from __future__ import annotations

from bot.content.model import SMALL_TALK_GROUP, Content
from bot.engine.buttons import UP, Codec
from bot.engine.replies import Button, Reply, Trace
from bot.engine.texts import Texts

UP_LABEL = "👍"
DOWN_LABEL = "👎"
FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"


def wants_feedback(content: Content, intent: str) -> bool:
    """True for topical answers (not small talk, not out of scope)."""
    known = content.intents.get(intent)
    return known is not None and known.group != SMALL_TALK_GROUP and not known.is_out_of_scope


def feedback_row(codec: Codec, intent: str) -> tuple[Button, ...]:
    """One row: 👍 and 👎 for the answer to ``intent``."""
    return (Button(UP_LABEL, data=codec.feedback(intent, up=True)),
            Button(DOWN_LABEL, data=codec.feedback(intent, up=False)))


def feedback_reply(content: Content, texts: Texts, sign: str, intent: str) -> Reply:
    """A short thanks; it asks nothing more. The trace says which answer got which thumb."""
    up = sign == UP
    text = texts("feedback_up") if up else texts("feedback_down")
    if intent not in content.intents:
        return Reply(text, (), Trace(None, "stale", 0.0, texts.lang, None))
    return Reply(text, (), Trace(intent, FEEDBACK_UP if up else FEEDBACK_DOWN, 0.0, texts.lang, None))
