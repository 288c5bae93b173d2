"""The review inbox in the studio: groups of questions the bot handled badly, and what staff do with each.

The groups come from ``bot.staff.inbox.ReviewInbox`` (anything with the same two methods works: tests use a fake).
Adding a question as an example is an ordinary studio save (checked first, recorded in the history); only after
it is written is the group resolved.
"""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from typing import Any, Protocol

from bot.content.model import OUT_OF_SCOPE
from bot.studio.workspace import NOTHING_TO_SAVE, SaveResult, Workspace

DAYS = 30
ACTIONS = ("added", "off_topic", "dismissed")


class InboxSource(Protocol):
    """What the studio needs from bot.staff.inbox.ReviewInbox."""

    def groups(self, days: int = DAYS) -> list[Any]: ...

    def resolve(self, key: str, action: str) -> None: ...


def group_json(group: Any) -> dict[str, Any]:
    """An InboxGroup for the page."""
    data = asdict(group) if is_dataclass(group) and not isinstance(group, type) else dict(vars(group))
    data["texts"] = list(data.get("texts", ()))
    return data


def add_example(workspace: Workspace, inbox: InboxSource, key: str, intent: str, lang: str, text: str,
                who: str) -> SaveResult:
    """Add ``text`` to ``intent``'s examples in ``lang`` (out_of_scope: 'this is off-topic'); resolve the group only
    when the save went through."""
    action = "off_topic" if intent == OUT_OF_SCOPE else "added"
    what = (f"inbox: '{text}' marked as off-topic" if action == "off_topic"
            else f"inbox: '{text}' added as a {lang} example of {intent}")
    result = workspace.save([{"kind": "add_example", "intent": intent, "lang": lang, "text": text}], who, what)
    if result.error == NOTHING_TO_SAVE:  # already an example of that topic: nothing to write, the group is done
        result = SaveResult(True)
    if result.saved:
        inbox.resolve(key, action)
    return result
