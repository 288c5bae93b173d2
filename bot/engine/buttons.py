"""Callback data of the engine's own buttons: short, readable, and checked when pressed.

Formats: ``m`` menu, ``g:<group>``, ``i:<intent>``, ``c:<check>`` start a check,
``a:<check>:<step>:<answer>`` answer a check question, ``r`` resume the check, ``x`` stop it,
``n`` none of these, ``l:<lang>`` choose a language, ``f:+:<intent>`` / ``f:-:<intent>`` thumbs up / down
under an answer. Data that would exceed Telegram's 64 bytes uses positions instead of ids (``i#3``,
``f#-:3``); anything that cannot be read is a stale press.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.model import Content
from bot.engine.replies import MAX_DATA_BYTES

MENU = "m"
RESUME = "r"
STOP = "x"
NONE_OF_THESE = "n"
FEEDBACK = "f"
UP, DOWN = "+", "-"


@dataclass(frozen=True)
class Press:
    """A decoded press: its kind (one letter) and the ids it carries."""

    kind: str
    args: tuple[str, ...] = ()


def _fits(data: str) -> bool:
    return len(data.encode("utf-8")) <= MAX_DATA_BYTES


class Codec:
    """Encodes and decodes button data for one content load."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.groups = sorted({i.group for i in content.intents.values()})
        self.intents = sorted(content.intents)
        self.checks = sorted(content.checks)

    def group(self, group: str) -> str:
        """Data of a topic-group button."""
        data = f"g:{group}"
        return data if _fits(data) else f"g#{self.groups.index(group)}"

    def intent(self, intent: str) -> str:
        """Data of a button that shows an intent's answer."""
        data = f"i:{intent}"
        return data if _fits(data) else f"i#{self.intents.index(intent)}"

    def check(self, check: str) -> str:
        """Data of a button that starts a guided check."""
        data = f"c:{check}"
        return data if _fits(data) else f"c#{self.checks.index(check)}"

    def answer(self, check: str, step: str, answer: str) -> str:
        """Data of a button answering a step of a guided check."""
        data = f"a:{check}:{step}:{answer}"
        if _fits(data):
            return data
        steps = list(self.content.checks[check].steps)
        keys = [o.key for o in self.content.checks[check].steps[step].options]
        return f"a#{self.checks.index(check)}:{steps.index(step)}:{keys.index(answer)}"

    def feedback(self, intent: str, up: bool) -> str:
        """Data of a thumbs-up (``up``) or thumbs-down button under the answer to ``intent``."""
        sign = UP if up else DOWN
        data = f"f:{sign}:{intent}"
        return data if _fits(data) else f"f#{sign}:{self.intents.index(intent)}"

    @staticmethod
    def language(lang: str) -> str:
        """Data of a language-choice button."""
        return f"l:{lang}"

    def decode(self, data: str) -> Press | None:
        """The press behind ``data``, or None when it cannot be read."""
        if data in (MENU, RESUME, STOP, NONE_OF_THESE):
            return Press(data)
        if len(data) < 3 or data[1] not in ":#":
            return None
        kind, by_position, rest = data[0], data[1] == "#", data[2:]
        parts = tuple(rest.split(":"))
        if kind == FEEDBACK:
            return self._feedback(by_position, parts)
        if by_position:
            return self._by_position(kind, parts)
        expected = {"g": 1, "i": 1, "c": 1, "l": 1, "a": 3}.get(kind)
        if expected is None or len(parts) != expected or not all(parts):
            return None
        return Press(kind, parts)

    def _feedback(self, by_position: bool, parts: tuple[str, ...]) -> Press | None:
        if len(parts) != 2 or parts[0] not in (UP, DOWN) or not parts[1]:
            return None
        if not by_position:
            return Press(FEEDBACK, parts)
        if parts[1].isdigit() and int(parts[1]) < len(self.intents):
            return Press(FEEDBACK, (parts[0], self.intents[int(parts[1])]))
        return None

    def _by_position(self, kind: str, parts: tuple[str, ...]) -> Press | None:
        if not all(p.isdigit() for p in parts):
            return None
        numbers = [int(p) for p in parts]
        tables = {"g": self.groups, "i": self.intents, "c": self.checks}
        if kind in tables and len(numbers) == 1 and numbers[0] < len(tables[kind]):
            return Press(kind, (tables[kind][numbers[0]],))
        if kind == "a" and len(numbers) == 3 and numbers[0] < len(self.checks):
            check = self.content.checks[self.checks[numbers[0]]]
            steps = list(check.steps.values())
            if numbers[1] < len(steps) and numbers[2] < len(steps[numbers[1]].options):
                step = steps[numbers[1]]
                return Press("a", (check.id, step.id, step.options[numbers[2]].key))
        return None
