"""The crisis kinds, off-topic replies and outside-facts register as staff write them: broken on purpose, each
problem named with file:line and a fix."""

from __future__ import annotations

import pytest

from bot.content import parse_files
from tests.content_fixture import crisis_file, valid_files

KINDS = """\
intents:
  - id: other_legal
    group: out_of_scope
    examples:
      nl: [ik heb een advocaat nodig]
      en: [i need a lawyer]
"""


def files_with(path: str, text: str, kinds: bool = False) -> dict[str, str]:
    files = valid_files()
    if kinds:
        files["intents/other.yaml"] = KINDS
        for lang in ("nl", "en"):
            files[f"answers/{lang}/kinds.yaml"] = "kinds:\n  other_legal:\n    text: ask a lawyer\n"
    files[path] = text
    return files


def messages(files: dict[str, str]) -> list[str]:
    _, problems = parse_files(files)
    return [str(p) for p in problems]


def test_the_fixture_with_kinds_loads() -> None:
    content, problems = parse_files(files_with("answers/nl/extra.yaml", "kinds: {}\n", kinds=True))
    assert content is not None, problems
    assert content.kind_replies[("other_legal", "nl")].text == "ask a lawyer"
    assert [c.id for c in content.crisis["en"]] == ["self_harm", "violence", "trafficking", "medical", "urgent"]


@pytest.mark.parametrize(("path", "text", "expected"), [
    ("answers/en/referrals.yaml",
     crisis_file("en").replace("    source: outside", "    source: wikipedia"),
     "answers/en/referrals.yaml:3: a referral's source must be 'outside', not 'wikipedia' - write 'source: "
     "outside': this register holds only facts from outside the source document"),
    ("answers/en/referrals.yaml",
     crisis_file("en").replace('    phone: "112"', '    phone: "call us"'),
     "answers/en/referrals.yaml:6: 'call us' does not look like a phone number - write only digits, spaces and "
     "'-', e.g. 0800-0113"),
    ("answers/en/referrals.yaml",
     crisis_file("en").replace("refer: [emergency]", "refer: [emergncy]", 1),
     "answers/en/referrals.yaml:8: the crisis kind 'self_harm' refers to 'emergncy', which is not in the en "
     "register - use one of: emergency"),
    ("answers/en/referrals.yaml",
     crisis_file("en").replace("  - kind: medical", "  - kind: medicall"),
     "answers/en/referrals.yaml:20: unknown crisis kind 'medicall' - use one of: self_harm, violence, "
     "trafficking, medical, urgent"),
    ("answers/en/referrals.yaml",
     crisis_file("en").replace("  - kind: medical", "  - kind: medicall"),
     "answers/en/referrals.yaml:1: the crisis kind 'medical' has no en words and reply - add it under 'crisis:' "
     "in answers/en/crisis.yaml"),
    ("answers/en/referrals.yaml",
     crisis_file("en").replace("    words: [urgentworden]", "    words: []"),
     "answers/en/referrals.yaml:25: the crisis kind 'urgent' has no words - add the words that point to it"),
    ("answers/en/language.yaml",
     "language:\n  name: en\n  danger: [danger]\n",
     "answers/en/language.yaml:3: 'danger:' is no longer used: crisis words are kept per kind - move these "
     "words under the right kind in answers/en/crisis.yaml and delete 'danger:'"),
])
def test_broken_register_and_crisis(path: str, text: str, expected: str) -> None:
    assert expected in messages(files_with(path, text))


@pytest.mark.parametrize(("text", "expected"), [
    ("kinds:\n  other_legall:\n    text: ask a lawyer\n",
     "answers/en/kinds.yaml:3: 'other_legall' is not an off-topic kind - use the id of an intent in the group "
     "out_of_scope whose id starts with 'other_' (other_legal)"),
    ("kinds:\n  other_legal:\n    text: ask <b>a lawyer\n",
     "answers/en/kinds.yaml:3: the reply to 'other_legal' has invalid formatting"),
    ("kinds:\n  other_legal:\n    text: ask a lawyer\n    refer: [juridisch_loket]\n",
     "answers/en/kinds.yaml:3: the reply to 'other_legal' refers to 'juridisch_loket', which is not in the en "
     "register - use one of: emergency"),
    ("answers: []\n",
     "answers/en/referrals.yaml:1: the off-topic kind 'other_legal' has no en reply - add 'other_legal:' with a "
     "text under 'kinds:' in answers/en/referrals.yaml"),
])
def test_broken_off_topic_replies(text: str, expected: str) -> None:
    found = messages(files_with("answers/en/kinds.yaml", text, kinds=True))
    assert any(m.startswith(expected) for m in found), found
