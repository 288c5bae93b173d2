"""`faqbot check` points at the cause: one broken line in a copy of the shipped content, and the first problem
staff read names that line (and the file the missing text belongs in), with nothing misleading before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import parse_files
from bot.content.loader import read_files

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def shipped_files() -> dict[str, str]:
    return read_files(REPO)


def edited(files: dict[str, str], path: str, line: int, old: str, new: str | None) -> dict[str, str]:
    """``files`` with ``old`` on line ``line`` of ``path`` replaced by ``new`` (None: the line deleted)."""
    lines = files[path].split("\n")
    assert old in lines[line - 1], (path, line, lines[line - 1])
    if new is None:
        del lines[line - 1]
    else:
        lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return {**files, path: "\n".join(lines)}


# (file, line, what is on it, what it becomes (None: deleted), the first problem: where, how it starts, errors)
BROKEN = [
    pytest.param("intents/return.yaml", 10, "    examples:", "   examples:", "intents/return.yaml:10",
                 "the YAML cannot be read: this line is indented with 3 space(s), which does not fit", 1,
                 id="outdented-line-10"),
    pytest.param("intents/return.yaml", 11, "      nl:", "     nl:", "intents/return.yaml:11",
                 "the YAML cannot be read: this line is indented with 5 space(s)", 1,
                 id="outdented-key-noticed-150-lines-later"),
    pytest.param("answers/en/work.yaml", 5, "    title:", "     title:", "answers/en/work.yaml:5",
                 "the YAML cannot be read: this line is indented with 5 space(s)", 1, id="indented-too-far"),
    pytest.param("answers/nl/messages.yaml", 14, "  language_set: |-", "language_set: |-",
                 "answers/nl/messages.yaml:14", "the YAML cannot be read: this line is indented with 0 space(s)", 1,
                 id="key-moved-to-the-left"),
    pytest.param("answers/nl/messages.yaml", 15, "    Oké", "  Oké", "answers/nl/messages.yaml:15",
                 "the YAML cannot be read: this line is indented with 2 space(s)", 1, id="text-line-outdented"),
    pytest.param("answers/nl/messages.yaml", 5, "  welcome: |-", None, "answers/nl/messages.yaml:5",
                 "the YAML cannot be read: the text from this line to line 8 has no key in front of it", 1,
                 id="deleted-welcome-key-one-error-not-46"),
    pytest.param("intents/family.yaml", 275, "related: [resettlement, contact]", "related: [resettlement, contakt]",
                 "intents/family.yaml:275",
                 "intent 'family_reunification' lists an unknown related intent 'contakt' - did you mean 'contact'?",
                 1,
                 id="related-typo-at-its-line"),
    pytest.param("answers/en/about.yaml", 19, "    gives: [where]", "    gives: where", "answers/en/about.yaml:19",
                 "'gives' should be a list - start each item on its own line with '- '", 1, id="gives-not-a-list"),
    pytest.param("answers/nl/return.yaml", 4, "title:", "titel:", "answers/nl/return.yaml:4",
                 "unknown key 'titel' in an answer - did you mean 'title'?", 1, id="misspelt-key-reported-once"),
    pytest.param("intents/checks.yaml", 10, "intent: return_eligibility", "intent: return_eligibilty",
                 "intents/checks.yaml:10", "the check 'return' is for an unknown intent 'return_eligibilty'", 1,
                 id="check-intent-typo"),
    pytest.param("intents/checks.yaml", 11, "start: lives_nl", "start: lives_nll", "intents/checks.yaml:11",
                 "the check 'return' starts at an unknown step 'lives_nll'", 1, id="check-start-typo"),
    pytest.param("answers/nl/checks.yaml", 9, "lives_nl:", "lives_nll:", "answers/nl/checks.yaml:9",
                 "the nl texts of check 'return' have a question for an unknown step 'lives_nll' - did you mean "
                 "'lives_nl'?", 1, id="check-question-typo"),
    pytest.param("answers/nl/checks.yaml", 19, '"yes":', '"yse":', "answers/nl/checks.yaml:19",
                 "the nl typed answers of check 'return', step 'lives_nl', name an answer 'yse'", 1,
                 id="typed-answer-typo"),
    pytest.param("answers/nl/messages.yaml", 27, "  back:", None, "answers/nl/messages.yaml:4",
                 "the message 'back' has no nl text - add 'back: ...' under 'messages:' in answers/nl/messages.yaml",
                 1, id="missing-bot-text-names-messages-yaml"),
    pytest.param("answers/nl/messages.yaml", 27, "  back:", "  bakc:", "answers/nl/messages.yaml:27",
                 "'bakc' under 'messages:' is not a bot text the bot knows - did you mean 'back'?", 1,
                 id="misspelt-bot-text-once-not-in-both-languages"),
    pytest.param("answers/nl/messages.yaml", 67, "  return:", "  retrun:", "answers/nl/messages.yaml:67",
                 "'retrun' under 'groups:' is not a topic group the bot knows - did you mean 'return'?", 1,
                 id="misspelt-group-label"),
]


@pytest.mark.parametrize(("path", "line", "old", "new", "where", "starts", "errors"), BROKEN)
def test_the_first_problem_is_the_cause(shipped_files: dict[str, str], path: str, line: int, old: str,
                                        new: str | None, where: str, starts: str, errors: int) -> None:
    _, problems = parse_files(edited(shipped_files, path, line, old, new))
    found = [p for p in problems if p.severity == "error"]
    shown = "\n".join(map(str, found))
    assert found, "no error reported"
    assert f"{found[0].path}:{found[0].line}" == where, shown
    assert str(found[0]).removeprefix(f"{where}: ").startswith(starts), shown
    assert len(found) == errors, shown


def test_a_file_that_cannot_be_read_is_listed_before_problems_in_files_sorted_earlier(
        shipped_files: dict[str, str]) -> None:
    files = edited(shipped_files, "intents/work.yaml", 10, "", "\t")
    files = edited(files, "answers/en/about.yaml", 1, "", "answers: [oops")
    _, problems = parse_files(files)
    assert [p.cause for p in problems[:2]] == [True, True]
    assert {p.path for p in problems[:2]} == {"intents/work.yaml", "answers/en/about.yaml"}
