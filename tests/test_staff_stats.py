"""`faqbot stats` tables: questions apart from commands and presses, per decision, language, intent and day."""

from __future__ import annotations

from bot.staff import UsageRow
from bot.staff.kinds import CHECK_ANSWER, COMMAND, PRESS, QUESTION
from bot.staff.stats import Stats, format_stats, percent, table

ROWS = (
    UsageRow("2024-04-30", "nl", "return_support", "answer", 5, QUESTION),
    UsageRow("2024-04-30", "nl", "return_support", "answer", 2, PRESS),  # a topic button: opened, not a question
    UsageRow("2024-04-30", "nl", None, "none", 2, QUESTION),
    UsageRow("2024-04-30", "nl", None, "none", 6),  # counted before kinds were kept
    UsageRow("2024-05-01", "en", "contact", "answer", 2, QUESTION),
    UsageRow("2024-05-01", "en", "contact", "followup", 1, QUESTION),
    UsageRow("2024-05-01", "en", None, "clarify", 1, QUESTION),
    UsageRow("2024-05-01", "en", "return_eligibility", "check", 2, CHECK_ANSWER),
    UsageRow("2024-05-01", "nl", "return_support", "feedback_down", 1, PRESS),
    UsageRow("2024-05-01", "en", "contact", "feedback_up", 1, PRESS),
    UsageRow("2024-05-01", "nl", None, "start", 3, COMMAND),
    UsageRow("2024-05-01", "nl", None, "menu", 4, PRESS),
    UsageRow("2024-05-01", "en", None, "none", 1, PRESS),  # "None of these"
)
STATS = Stats("2024-04-25", "2024-05-01", ROWS)

EXPECTED = """\
From 2024-04-25 to 2024-05-01: 11 questions, 8 answered (73%), 3 not answered (27%); 3 commands, 9 button presses; \
thumbs up 1, thumbs down 1.

By kind
kind                            count  share
------------------------------  -----  -----
question (typed)                   11    35%
command                             3    10%
button press                        9    29%
answer typed in a check             2     6%
counted before kinds were kept      6    19%

Questions by decision
decision             count  share
-------------------  -----  -----
answered                 7    64%
not understood           2    18%
did you mean             1     9%
answered in context      1     9%

Commands, button presses and other messages by decision
kind                            decision         count
------------------------------  ---------------  -----
command                         /start               3
button press                    menu and topics      4
button press                    answered             2
button press                    thumbs down          1
button press                    thumbs up            1
button press                    not understood       1
answer typed in a check         check step           2
counted before kinds were kept  not understood       6

By language
language  count  share
--------  -----  -----
nl           23    74%
en            8    26%

By intent
intent          answered  opened  thumbs up  thumbs down
--------------  --------  ------  ---------  -----------
return_support         5       2          0            1
contact                3       0          1            0

By day
day         all  questions  answered  not answered  commands  presses
----------  ---  ---------  --------  ------------  --------  -------
2024-04-30   15          7         5             2         0        2
2024-05-01   16          4         3             1         3        7
"""


def test_the_tables_staff_read() -> None:
    assert format_stats(STATS) == EXPECTED


def test_no_counts_yet() -> None:
    assert format_stats(Stats("2024-04-25", "2024-05-01", ())) == "Nothing was counted from 2024-04-25 to 2024-05-01.\n"


def test_only_unanswered_questions() -> None:
    text = format_stats(Stats("2024-05-01", "2024-05-01", (UsageRow("2024-05-01", "nl", None, "none", 1, QUESTION),)))
    assert text.startswith("From 2024-05-01 to 2024-05-01: 1 question, 0 answered (0%), 1 not answered (100%); "
                           "0 commands, 0 button presses;")
    assert "Commands, button presses and other messages by decision\n(none)\n" in text
    assert "By intent\n(no answers yet)\n" in text


def test_commands_and_presses_only_are_no_questions() -> None:
    # a chat that only sent /start and browsed the menu: nothing was asked, so nothing was left unanswered
    rows = (UsageRow("2024-05-01", "en", None, "start", 1, COMMAND),
            UsageRow("2024-05-01", "en", None, "menu", 2, PRESS),
            UsageRow("2024-05-01", "en", "contact", "answer", 1, PRESS))
    text = format_stats(Stats("2024-05-01", "2024-05-01", rows))
    assert text.startswith("From 2024-05-01 to 2024-05-01: 0 questions, 0 answered (-), 0 not answered (-); "
                           "1 command, 3 button presses;")
    assert "Questions by decision\n(no questions yet)\n" in text


def test_counts() -> None:
    assert STATS.days == 7
    assert STATS.total() == 31
    assert STATS.questions() == 11
    assert STATS.questions("none", "clarify") == 3
    assert (STATS.of_kind(COMMAND), STATS.of_kind(PRESS)) == (3, 9)
    assert STATS.by_language() == [("nl", 23), ("en", 8)]
    assert STATS.by_intent() == [("return_support", 5, 2, 0, 1), ("contact", 3, 0, 1, 0)]


def test_table_and_percent() -> None:
    assert table(("name", "n"), [("a", 1), ("bbb", 10)]) == "name   n\n----  --\na      1\nbbb   10"
    assert table(("name",), []) == "name\n----"
    assert (percent(1, 3), percent(0, 0)) == ("33%", "-")


def test_nothing_personal_in_the_tables() -> None:
    # The usage table has no text column: the tables can only show days, languages, intents, decisions and kinds.
    assert set(UsageRow.__dataclass_fields__) == {"day", "lang", "intent", "decision", "count", "kind"}
