"""`faqbot stats` tables: counts per decision, language, intent and day, exactly as staff read them."""

from __future__ import annotations

from bot.staff import UsageRow
from bot.staff.stats import Stats, format_stats, percent, table

ROWS = (
    UsageRow("2024-04-30", "nl", "return_support", "answer", 5),
    UsageRow("2024-04-30", "nl", None, "none", 2),
    UsageRow("2024-05-01", "en", "contact", "answer", 2),
    UsageRow("2024-05-01", "en", None, "clarify", 1),
    UsageRow("2024-05-01", "nl", "return_support", "feedback_down", 1),
    UsageRow("2024-05-01", "en", "contact", "feedback_up", 1),
    UsageRow("2024-05-01", "nl", None, "start", 3),
)
STATS = Stats("2024-04-25", "2024-05-01", ROWS)

EXPECTED = """\
From 2024-04-25 to 2024-05-01: 15 messages and button presses; 7 answered (47%), 3 not answered (20%); thumbs up 1, \
thumbs down 1.

By decision
decision        count  share
--------------  -----  -----
answered            7    47%
/start              3    20%
not understood      2    13%
did you mean        1     7%
thumbs down         1     7%
thumbs up           1     7%

By language
language  count  share
--------  -----  -----
nl           11    73%
en            4    27%

By intent
intent          answered  thumbs up  thumbs down
--------------  --------  ---------  -----------
return_support         5          0            1
contact                2          1            0

By day
day         all  answered  not answered
----------  ---  --------  ------------
2024-04-30    7         5             2
2024-05-01    8         2             1
"""


def test_the_tables_staff_read() -> None:
    assert format_stats(STATS) == EXPECTED


def test_no_counts_yet() -> None:
    assert format_stats(Stats("2024-04-25", "2024-05-01", ())) == "Nothing was counted from 2024-04-25 to 2024-05-01.\n"


def test_only_unanswered_questions() -> None:
    text = format_stats(Stats("2024-05-01", "2024-05-01", (UsageRow("2024-05-01", "nl", None, "none", 1),)))
    assert "By intent\n(no answers yet)\n" in text


def test_counts() -> None:
    assert STATS.days == 7
    assert STATS.total() == 15
    assert STATS.total("none", "clarify") == 3
    assert STATS.by_language() == [("nl", 11), ("en", 4)]
    assert STATS.by_intent() == [("return_support", 5, 0, 1), ("contact", 2, 1, 0)]


def test_table_and_percent() -> None:
    assert table(("name", "n"), [("a", 1), ("bbb", 10)]) == "name   n\n----  --\na      1\nbbb   10"
    assert table(("name",), []) == "name\n----"
    assert (percent(1, 3), percent(0, 0)) == ("33%", "-")


def test_nothing_personal_in_the_tables() -> None:
    # The usage table has no text column: the tables can only show days, languages, intents and decisions.
    assert set(UsageRow.__dataclass_fields__) == {"day", "lang", "intent", "decision", "count"}
