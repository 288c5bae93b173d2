"""Admin helpers: who may use /stats and /reload, and exactly what they read in Telegram."""

from __future__ import annotations

import datetime as dtm
import logging
from pathlib import Path

import pytest

from bot.content import Problem
from bot.engine import CommandIn, Engine
from bot.html import MAX_MESSAGE_LENGTH, validate, visible_length
from bot.live import ReloadResult
from bot.staff import StaffLog
from bot.staff.admin import admin_command, admin_ids, is_admin, reload_html, stats_html, stats_message
from bot.staff.grouping import Group
from bot.staff.stats import Stats
from bot.store import Store
from tests.test_staff_review_log import Clock, reply
from tests.test_staff_stats import ROWS

# (FAQBOT_ADMIN_IDS, ids, warnings about these entries)
ADMIN_IDS = [
    (None, set(), []),
    ("", set(), []),
    ("12345", {12345}, []),
    ("12345,67890", {12345, 67890}, []),
    (" 12345 , 67890 ", {12345, 67890}, []),
    ("12345 67890\t111", {12345, 67890, 111}, []),
    ("12345;67890,", {12345, 67890}, []),
    ("12345, @staff, abc, -5, 0, 1.5, 67890", {12345, 67890}, ["'@staff'", "'abc'", "'-5'", "'0'", "'1.5'"]),
]


@pytest.mark.parametrize(("value", "ids", "warned"), ADMIN_IDS)
def test_admin_ids_from_the_environment(caplog: pytest.LogCaptureFixture, value: str | None, ids: set[int],
                                        warned: list[str]) -> None:
    with caplog.at_level(logging.WARNING):
        found = admin_ids({} if value is None else {"FAQBOT_ADMIN_IDS": value})
    assert found == frozenset(ids)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == len(warned)
    for message, entry in zip(messages, warned, strict=True):
        assert message == (f"FAQBOT_ADMIN_IDS: {entry} is not a Telegram user id (a positive whole number) "
                           "and is ignored")


ADMINS = frozenset({12345})


@pytest.mark.parametrize(("user_id", "expected"), [(12345, True), (99, False), (None, False), (-12345, False)])
def test_is_admin(user_id: int | None, expected: bool) -> None:
    assert is_admin(user_id, ADMINS) is expected
    assert is_admin(user_id, frozenset()) is False


# (command as typed, user, private chat, what the adapter does: the admin command, or None = pass to the engine)
GATE = [
    ("stats", 12345, True, "stats"),
    ("/stats", 12345, True, "stats"),
    ("STATS@iom_faq_bot", 12345, True, "stats"),
    ("reload", 12345, True, "reload"),
    ("stats", 99, True, None),  # not an admin: an unknown command like any other
    ("reload", None, True, None),
    ("stats", 12345, False, None),  # in a group the numbers would be read by everyone
    ("start", 12345, True, None),  # other commands are the engine's
    ("statsx", 12345, True, None),
]


@pytest.mark.parametrize(("name", "user_id", "private", "expected"), GATE)
def test_admin_commands_are_gated(name: str, user_id: int | None, private: bool, expected: str | None) -> None:
    assert admin_command(name, user_id, ADMINS, private) == expected


def test_non_admins_get_the_unknown_command_reply(mini_engine: Engine) -> None:
    _, [answer] = mini_engine.handle(None, CommandIn("stats"), "en")
    assert "I don't know the command /stats" in answer.text
    assert "stats" not in [name for name, _ in mini_engine.commands("en")]


# -- /stats ----------------------------------------------------------------------------------------------

STATS_HTML = """\
📊 <b>Last 7 days</b> (2024-04-25 – 2024-05-01)
Questions: 11 · ✅ answered: 8 (73%)
❓ did you mean: 1 · ❌ not understood: 2
Commands: 3 · button presses: 9
👍 1 · 👎 1

<b>Most answered</b>
1. <code>return_support</code> – 5 (👎 1)
2. <code>contact</code> – 3

<b>Not answered, most asked</b>
1. wat is &lt;b&gt; [phone] ×3 (nl)

More: <code>faqbot review</code> and <code>faqbot stats</code>"""


def test_stats_summary() -> None:
    groups = [Group("nl", 3, "wat is <b> [phone]", ("wat is <b> [phone]",), (("none", 3),), None)]
    text = stats_html(Stats("2024-04-25", "2024-05-01", ROWS), groups)
    assert text == STATS_HTML
    assert validate(text) == []


def test_stats_summary_without_data() -> None:
    assert stats_html(Stats("2024-04-25", "2024-05-01", ())) == (
        "📊 <b>Last 7 days</b> (2024-04-25 – 2024-05-01)\nNothing was counted yet.")


def test_stats_message_from_the_log(tmp_path: Path) -> None:
    clock = Clock(dtm.datetime(2024, 5, 1, 9, tzinfo=dtm.UTC))
    staff_log = StaffLog(Store.connect(tmp_path / "faqbot.sqlite3"), 90, clock)
    for text in ("hoe laat is het", "hoe laat is het?", "Hoe laat is het"):
        staff_log.record(text, [reply("none", lang="nl")])
    staff_log.record("ticket", [reply("answer", "return_support", "nl")])
    clock.now -= dtm.timedelta(days=7)  # a week earlier: outside the 7 days
    staff_log.record("oud", [reply("none", lang="nl")])
    clock.now += dtm.timedelta(days=7)
    text = stats_message(staff_log)
    assert "(2024-04-25 – 2024-05-01)" in text
    assert "Questions: 4 · ✅ answered: 1 (25%)\n" in text
    assert "1. Hoe laat is het ×3 (nl)" in text
    assert "oud" not in text


# -- /reload ---------------------------------------------------------------------------------------------

ERROR = Problem("intents/return.yaml", 12, "intent 'x<y>' has no examples", "add examples under 'examples:'")
WARNING = Problem("answers/nl/return.yaml", 3, "the answer is long & hard to read", "make it shorter", "warning")

RELOADS = [
    (ReloadResult(True, True, ()), "✅ Content reloaded."),
    (ReloadResult(True, False, ()), "✅ Content unchanged."),
    (ReloadResult(True, True, (WARNING,)),
     "✅ Content reloaded. 1 warning(s):\n"
     "• <code>answers/nl/return.yaml:3</code> warning: the answer is long &amp; hard to read – make it shorter"),
    (ReloadResult(False, True, (ERROR, WARNING)),
     "❌ Content NOT reloaded: 1 problem(s). The bot keeps using the last good content. "
     "Fix these and send /reload again:\n"
     "• <code>intents/return.yaml:12</code> intent 'x&lt;y&gt;' has no examples – add examples under 'examples:'\n"
     "• <code>answers/nl/return.yaml:3</code> warning: the answer is long &amp; hard to read – make it shorter"),
]


@pytest.mark.parametrize(("result", "expected"), RELOADS)
def test_reload_reply(result: ReloadResult, expected: str) -> None:
    text = reload_html(result)
    assert text == expected
    assert validate(text) == []


def test_many_problems_are_cut_to_one_message() -> None:
    problems = tuple(Problem(f"intents/file{i}.yaml", i, "x" * 200 + " <&>", "fix it") for i in range(100))
    text = reload_html(ReloadResult(False, True, problems))
    assert visible_length(text) <= MAX_MESSAGE_LENGTH
    assert validate(text) == []
    shown = text.count("• ")
    assert 10 < shown < 100
    assert text.endswith(f"… and {100 - shown} more: run <code>faqbot check</code> to see them all.")
