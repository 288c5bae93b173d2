"""`faqbot check`: every broken fixture yields the exact message staff will read."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.content import parse_files
from tests.content_fixture import INTENTS, extra_intents, language_file, valid_files


def problems_for(changes: dict[str, str | None]) -> list[str]:
    files = valid_files()
    for path, text in changes.items():
        if text is None:
            files.pop(path)
        else:
            files[path] = text
    _, problems = parse_files(files)
    return [str(p) for p in problems]


def test_valid_fixture_is_clean() -> None:
    content, problems = parse_files(valid_files())
    assert problems == []
    assert content is not None
    assert content.languages == ("en", "nl")
    assert content.answer("family_reunification", "nl").title == "Gezinshereniging"


BROKEN = [
    pytest.param(
        {"intents/main.yaml": INTENTS.replace("    group: family", "   group: family")},
        "intents/main.yaml:3: the YAML cannot be read: this line is indented with 3 space(s), which does not fit "
        "the lines around it - indent it with 4 space(s) like the lines it belongs with (spaces, not tabs)",
        id="yaml-syntax",
    ),
    pytest.param(
        {"intents/main.yaml": INTENTS.replace("    keywords:", "    keywrds:")},
        "intents/main.yaml:11: unknown key 'keywrds' in an intent - did you mean 'keywords'?",
        id="unknown-key-typo",
    ),
    pytest.param(
        {"intents/main.yaml": INTENTS.replace("    group: about\n", "")},
        "intents/main.yaml:15: an intent has no 'group' - add a line 'group: ...'",
        id="missing-key",
    ),
    pytest.param(
        {"answers/nl/main.yaml": valid_files()["answers/nl/main.yaml"].split("  - intent: contact")[0]},
        "intents/main.yaml:15: intent 'contact' has no answer in 'nl' - add an answer with 'intent: contact' to a "
        "file in answers/nl/",
        id="missing-dutch-answer",
    ),
    pytest.param(
        {"intents/main.yaml": INTENTS.replace(
            "      nl: [telefoonnummer iom, hoe kan ik iom bereiken, adres van iom, contact opnemen, email iom,\n"
            "           waar zit het kantoor, iom bellen, website iom, contactgegevens, met iemand van iom praten]",
            "      nl: [telefoonnummer iom, hoe kan ik iom bereiken, adres van iom]")},
        "intents/main.yaml:15: warning: intent 'contact' has only 3 nl examples - add more, at least 10, written as "
        "people type",
        id="too-few-examples-warning",
    ),
    pytest.param(
        {"intents/main.yaml": INTENTS.replace("contact opnemen,", "Gezinshereniging reis!,")},
        "intents/main.yaml:18: the example 'Gezinshereniging reis!' is under both 'family_reunification' "
        "(intents/main.yaml:5) and 'contact' - keep it under the one intent it really belongs to",
        id="duplicate-example",
    ),
    pytest.param(
        {"answers/en/main.yaml": valid_files()["answers/en/main.yaml"].replace("</b>", "")},
        "answers/en/main.yaml:6: the answer text has invalid formatting: <b> is opened but never closed - add </b>",
        id="unclosed-bold",
    ),
    pytest.param(
        {"answers/en/main.yaml": valid_files()["answers/en/main.yaml"].replace("<b>reis</b>", "<h1>reis</h1>")},
        "answers/en/main.yaml:6: the answer text has invalid formatting: the tag <h1> is not allowed - use one of: "
        "a, b, blockquote, code, i, s, u",
        id="unknown-tag",
    ),
    pytest.param(
        {"answers/en/main.yaml": valid_files()["answers/en/main.yaml"].replace("van gezinsleden", "< gezinsleden")},
        "answers/en/main.yaml:6: the answer text has invalid formatting: a bare '<' is not allowed - write &lt; "
        "instead",
        id="bare-lt",
    ),
    pytest.param(
        {"answers/en/main.yaml": valid_files()["answers/en/main.yaml"].replace("van gezinsleden", "A & B")},
        "answers/en/main.yaml:6: the answer text has invalid formatting: a bare '&' is not allowed - write &amp; "
        "instead",
        id="bare-amp",
    ),
    pytest.param(
        {"answers/en/main.yaml": valid_files()["answers/en/main.yaml"].replace(
            "IOM regelt de <b>reis</b> van gezinsleden.", "x" * 4100)},
        "answers/en/main.yaml:5: the answer text is 4100 characters long; Telegram allows at most 4096 - shorten it "
        "or split it into two answers",
        id="too-long",
    ),
    pytest.param(
        {"answers/en/main.yaml": valid_files()["answers/en/main.yaml"].replace("intent: contact", "intent: contcat")},
        "answers/en/main.yaml:7: this answer is for an unknown intent 'contcat' - did you mean 'contact'?",
        id="answer-unknown-intent",
    ),
    pytest.param(
        {"intents/main.yaml": INTENTS.replace("related: [contact]", "related: [contakt]")},
        "intents/main.yaml:14: intent 'family_reunification' lists an unknown related intent 'contakt' - did you "
        "mean 'contact'?",
        id="unknown-related",
    ),
    pytest.param(
        {"intents/main.yaml": INTENTS.replace("related: [contact]", "related: [contact]\n    interrupts: true")},
        "intents/main.yaml:15: 'family_reunification' is a topic with an answer, so it cannot interrupt a topic - "
        "remove 'interrupts: true' from 'family_reunification': only an off-topic kind (group: out_of_scope) can "
        "have it",
        id="interrupts-on-a-topic",
    ),
    pytest.param(
        {"intents/main.yaml": INTENTS.replace("related: [contact]", "related: [contact]\n    interrupts: always")},
        "intents/main.yaml:15: 'interrupts' must be true or false - write 'interrupts: true' (or leave the line out: "
        "a message of this kind can then be read as a follow-up)",
        id="interrupts-not-a-flag",
    ),
    pytest.param(
        {"intents/main.yaml": INTENTS.replace("id: contact", "id: family_reunification")},
        "intents/main.yaml:15: the intent id 'family_reunification' is used twice (also at intents/main.yaml:2) - "
        "give one of them another id",
        id="duplicate-id",
    ),
    pytest.param(
        {"intents/extra.yaml": "# nothing here yet\n"},
        "intents/extra.yaml:1: the file is empty - add content or delete the file",
        id="empty-file",
    ),
    pytest.param(
        {"intents/more.yaml": "intents:\n" + extra_intents(skip="human")},
        "intents/main.yaml:1: the bot needs an intent 'human', but there is none - add an intent with 'id: human' "
        "(it is used for fallbacks and safety)",
        id="required-intent-missing",
    ),
    pytest.param(
        {"answers/nl/language.yaml": language_file("nl").replace("yes: [ja, yes]", "yes: [ja, yes, nee]")},
        "answers/nl/language.yaml:4: 'nee' is both a yes-word and a no-word in nl - remove it from one of the two "
        "lists",
        id="yes-no-overlap",
    ),
    pytest.param(
        {"answers/nl/language.yaml": None},
        "answers/nl/main.yaml:1: the language 'nl' has no 'language:' section - add answers/nl/language.yaml "
        "with 'language:' and 'name:'",
        id="missing-language-pack",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), BROKEN)
def test_broken_fixture_message(changes: dict[str, str | None], expected: str) -> None:
    problems = problems_for(changes)
    assert expected in problems, "\n".join(problems)


def test_broken_yaml_does_not_cascade() -> None:
    """A file that cannot be read is reported once, not as dozens of follow-on errors."""
    problems = problems_for({"intents/main.yaml": INTENTS.replace("    group: family", "   group: family")})
    assert len(problems) == 1


def write_tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, valid_files())
    assert main(["check", "--content", str(tmp_path), "--strict"]) == 0
    assert "Content OK" in capsys.readouterr().out
    (tmp_path / "answers/en/main.yaml").write_text(valid_files()["answers/en/main.yaml"].replace("</b>", ""))
    assert main(["check", "--content", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "answers/en/main.yaml:6:" in out and "1 error(s)" in out


def test_cli_warnings_fail_only_when_strict(tmp_path: Path) -> None:
    files = valid_files()
    files["answers/en/main.yaml"] = files["answers/en/main.yaml"].replace(
        "title: Family reunification", "title: " + "Family reunification travel and everything about it")
    write_tree(tmp_path, files)
    assert main(["check", "--content", str(tmp_path)]) == 0
    assert main(["check", "--content", str(tmp_path), "--strict"]) == 1


def test_cli_not_a_content_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--content", str(tmp_path)]) == 1
    assert "has no 'intents' and 'answers' folders" in capsys.readouterr().out


def test_broken_copy_of_the_shipped_content(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's scenario: broken indentation, a missing Dutch answer, a duplicated example and an unclosed
    <b> in a copy of the real content give exit 1 and one path:line message for each."""
    root = Path(__file__).resolve().parents[1]
    for folder in ("intents", "answers"):
        shutil.copytree(root / folder, tmp_path / folder)

    def edit(rel: str, old: str, new: str) -> None:
        path = tmp_path / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    edit("answers/en/work.yaml", "    title: \"Work: MATCH project\"", "     title: \"Work: MATCH project\"")
    nl_work = (tmp_path / "answers/nl/work.yaml").read_text(encoding="utf-8")
    start = nl_work.index("  - intent: integration")
    end = nl_work.find("\n  - intent:", start + 1)
    (tmp_path / "answers/nl/work.yaml").write_text(nl_work[:start] + (nl_work[end + 1:] if end > 0 else ""),
                                                    encoding="utf-8")
    example = "        - gezinsherenigin\n"
    edit("intents/family.yaml", example, example + "        - vrijwillige terugkeer\n")
    edit("answers/en/diaspora.yaml", "<b>CD4D2</b>", "<b>CD4D2")

    assert main(["check", "--content", str(tmp_path)]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if re.match(r"^[\w/.-]+\.yaml:\d+: ", line)]
    errors = [line for line in lines if ": warning: " not in line]
    assert len(errors) == 4, "\n".join(errors)
    assert errors[0].startswith("answers/en/work.yaml:5: the YAML cannot be read")  # a file not read comes first
    assert errors[1].startswith("answers/en/diaspora.yaml:") and "<b> is opened but never closed" in errors[1]
    assert re.match(r"intents/family\.yaml:\d+: the example 'vrijwillige terugkeer' is under both", errors[2]) \
        or re.match(r"intents/return\.yaml:\d+: the example 'vrijwillige terugkeer' is under both", errors[2])
    assert "intent 'integration' has no answer in 'nl'" in errors[3]


def test_shipped_content_passes_strict_check(capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parents[1]
    assert main(["check", "--content", str(root), "--strict"]) == 0, capsys.readouterr().out
    assert "Content OK" in capsys.readouterr().out
