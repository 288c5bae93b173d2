"""The studio's inbox page is fed by the real staff log: what the bot did not answer shows up as a group."""

from __future__ import annotations

from pathlib import Path

from bot.commands.studio import open_inbox
from bot.engine import Engine, TextIn
from bot.staff import StaffLog
from bot.store import FILE_NAME, Store


def test_an_unanswered_question_reaches_the_studio_inbox(shipped_engine: Engine, tmp_path: Path) -> None:
    question = "waar kan ik morgen een goede pizza eten met mijn vrienden"
    with Store.connect(tmp_path / FILE_NAME) as store:
        _, replies = shipped_engine.handle(None, TextIn(question), "nl")
        assert StaffLog(store).record(TextIn(question), replies)
    inbox, store = open_inbox(tmp_path)
    try:
        assert inbox is not None
        [group] = [g for g in inbox.groups() if question in g.texts]
        assert group.reason == "unanswered" and group.lang == "nl"
        inbox.resolve(group.key, "dismissed")
        assert not [g for g in inbox.groups() if question in g.texts]
    finally:
        store.close()
