"""What kind of message each count is for: a typed question, a command, a button press, ...

Only typed questions count towards the answered share in `faqbot stats` and /stats; commands (/start, /menu,
...), button presses and language choices are counted apart. The kind comes from the event the channel handled;
a channel that passes only the typed text (None for anything not typed) gets it from the reply's decision.
"""

from __future__ import annotations

from bot.engine.events import CommandIn, Event, NonTextIn, PressIn, TextIn, from_text

QUESTION = "question"  # typed text the bot reads as a question
COMMAND = "command"  # /start, /menu, /help, /language, /contact, ... (also unknown ones)
PRESS = "press"  # an inline button
LANGUAGE = "language"  # typed text that chose a language, or got the question which language
CHECK_ANSWER = "check_answer"  # typed text while a guided check waited for an answer
OTHER = "other"  # voice, photo, file, sticker, an empty message
EARLIER = ""  # counted before kinds were kept

#: What staff read for each kind, in the order `faqbot stats` lists them.
KIND_LABELS = {
    QUESTION: "question (typed)",
    COMMAND: "command",
    PRESS: "button press",
    LANGUAGE: "language choice (typed)",
    CHECK_ANSWER: "answer typed in a check",
    OTHER: "voice, photo, file or empty",
    EARLIER: "counted before kinds were kept",
}

#: Decisions that only a command leads to (for channels that pass no event).
COMMAND_DECISIONS = frozenset({"start", "help", "command", "unknown_command"})
#: Decisions a typed message gets when it is about the language, or an answer in a guided check.
LANGUAGE_DECISIONS = frozenset({"language", "start"})  # 'start': a language chosen by typing at first contact
CHECK_DECISIONS = frozenset({"check", "outcome"})


def kind_of(message: Event | str | None, decision: str) -> str:
    """The kind of a handled message: from its event, else from the typed text (or None) and the decision."""
    if isinstance(message, PressIn):
        return PRESS
    if isinstance(message, CommandIn):
        return COMMAND
    if isinstance(message, NonTextIn):
        return OTHER
    text = message.text if isinstance(message, TextIn) else message
    if text is None:  # not typed: a command or a press; '/menu' and the menu button cannot be told apart
        if decision == "non_text":
            return OTHER
        return COMMAND if decision in COMMAND_DECISIONS else PRESS
    if isinstance(from_text(text), CommandIn):
        return COMMAND
    if not text.strip() or decision == "empty":
        return OTHER
    if decision in LANGUAGE_DECISIONS:
        return LANGUAGE
    if decision in CHECK_DECISIONS:
        return CHECK_ANSWER
    return QUESTION


def kind_label(kind: str) -> str:
    """What staff read for a kind."""
    return KIND_LABELS.get(kind, kind)
