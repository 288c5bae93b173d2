"""`faqbot eval`: the figures staff read, the typo lines and the exit codes, on a small question file.

The matcher is replaced by a table (the nearest table text wins, so typo'd questions get what their original
got), which makes every figure known in advance and independent of the real matcher.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from bot.cli import main
from bot.commands import eval as eval_command
from bot.content import Content
from bot.nlu import Candidate, Decision, Understander, Understanding
from tests.content_fixture import valid_files

QUESTIONS = """\
questions:
  - {text: "how do I bring my wife to the netherlands", lang: en, intent: family_reunification}
  - {text: "who pays the flight for my children", lang: en, intent: [family_reunification, contact]}
  - {text: "where is your office in the hague", lang: en, intent: contact}
  - {text: "where can I find the address of your office", lang: en, intent: contact}
  - {text: "hoe kan ik iom bellen vandaag", lang: nl, intent: contact}
  - {text: "mijn vrouw wil graag naar nederland komen", lang: nl, intent: family_reunification}
  - {text: "what is the weather like tomorrow", lang: en, intent: null}
  - {text: "recipe for a nice apple pie", lang: en, intent: null}
  - {text: "kan ik asiel aanvragen in nederland", lang: nl, intent: null, topic: other_asylum}
"""

TABLE: dict[str, tuple[str, Decision, tuple[str, ...], str | None]] = {
    # text: (detected language, decision, candidates (best first), off-topic kind)
    "how do I bring my wife to the netherlands": ("en", "answer", ("family_reunification",), None),
    "who pays the flight for my children": ("en", "clarify", ("family_reunification", "contact"), None),
    "where is your office in the hague": ("en", "answer", ("family_reunification",), None),
    "where can I find the address of your office": ("en", "answer", ("family_reunification",), None),
    "hoe kan ik iom bellen vandaag": ("en", "answer", ("contact",), None),  # right intent, wrong language
    "mijn vrouw wil graag naar nederland komen": ("nl", "none", (), None),
    "what is the weather like tomorrow": ("en", "none", (), None),
    "recipe for a nice apple pie": ("en", "answer", ("contact",), None),
    "kan ik asiel aanvragen in nederland": ("nl", "none", (), "other_asylum"),
}


class TableUnderstander(Understander):
    """Understands a message as the nearest text of TABLE (no index, no language detector)."""

    def __init__(self, content: Content) -> None:  # the real one's signature; the content is not needed
        pass

    def understand(self, text: str, prior: str | None = None) -> Understanding:
        nearest = process.extractOne(text, list(TABLE), scorer=fuzz.ratio)[0]
        lang, decision, names, topic = TABLE[nearest]
        candidates = tuple(Candidate(name, 0.9 - k / 10) for k, name in enumerate(names))
        intent = names[0] if decision != "none" else None  # a "did you mean" names its first option
        return Understanding(text=text, lang=lang, decision=decision, intent=intent,
                             score=candidates[0].score if candidates else 0.0, candidates=candidates, topic=topic)


RunEval = Callable[..., tuple[int, str]]


@pytest.fixture
def run_eval(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> RunEval:
    """Run `faqbot eval` on QUESTIONS with the table matcher; returns (exit code, output)."""
    for name, text in valid_files().items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    questions = tmp_path / "questions.yaml"
    questions.write_text(QUESTIONS, encoding="utf-8")
    monkeypatch.setattr(eval_command, "Understander", TableUnderstander)

    def run(*flags: str) -> tuple[int, str]:
        code = main(["eval", str(questions), "--content", str(tmp_path), *flags])
        return code, capsys.readouterr().out

    return run


EXPECTED_LINES = [
    "questions: 9 (6 in scope, 3 off-topic)",
    "in-scope accuracy [en]: 25.0% (1/4) answered with a right intent (strict)",
    '  lenient [en]: 50.0% (2/4) incl. "did you mean" with the right first option',
    '  clarify rate [en]: 25.0% (1/4) got "did you mean"',
    "in-scope accuracy [nl]: 50.0% (1/2) answered with a right intent (strict)",
    '  lenient [nl]: 50.0% (1/2) incl. "did you mean" with the right first option',
    '  clarify rate [nl]: 0.0% (0/2) got "did you mean"',
    "off-topic rejected [en]: 50.0% (1/2)",
    "off-topic rejected [nl]: 100.0% (1/1)",
    "near-domain kind recognised: 100.0% (1/1)",
    "language detection: 88.9% (8/9)",
    "per-intent recall:",
    "  contact                1/3",
    "  family_reunification   1/3",
    "most frequent confusions (expected -> got, top 15):",
    "  contact -> family_reunification: 2",
    "  family_reunification -> (did you mean, right first): 1",
    "  family_reunification -> (none): 1",
    "  (off-topic) -> contact: 1",
    "with typos (nlpaug, seed 0): 12 variants of the in-scope questions",
    "  typo accuracy [en]: 25.0% (2/8) answered with a right intent (strict)",
    "  typo accuracy [nl]: 50.0% (2/4) answered with a right intent (strict)",
    "  typo language detection: 83.3% (10/12)",
]


def test_figures(run_eval: RunEval) -> None:
    code, out = run_eval("--quiet")
    assert code == 0
    assert out.splitlines() == EXPECTED_LINES


def test_misses_are_listed_unless_quiet(run_eval: RunEval) -> None:
    code, out = run_eval("--no-typos")
    assert code == 0
    assert "misses:" in out
    assert ("  [en->en] 'recipe for a nice apple pie': expected None, got answer contact (contact 0.90)"
            in out.splitlines())
    assert not any(line.startswith("with typos") for line in out.splitlines())


@pytest.mark.parametrize(("flags", "code", "complaint"), [
    ((), 0, None),
    (("--min-accuracy", "0.25"), 0, None),
    (("--min-accuracy", "0.3"), 1, "in-scope accuracy [en] below 30%"),
    (("--max-clarify", "0.25"), 0, None),
    (("--max-clarify", "0.2"), 1, "clarify rate [en] above 20%"),
    (("--min-rejection", "0.6"), 0, None),
    (("--min-rejection", "0.7"), 1, "off-topic rejected below 70%"),
    (("--min-language", "0.85"), 0, None),
    (("--min-language", "0.9"), 1, "language detection below 90%"),
    (("--min-typo-accuracy", "0.25"), 0, None),
    (("--min-typo-accuracy", "0.3"), 1, "typo accuracy [en] below 30%"),
    (("--min-typo-accuracy", "0.1", "--no-typos"), 1,
     "--min-typo-accuracy was given but the typo figures were not measured"),
])
def test_thresholds(run_eval: RunEval, flags: tuple[str, ...], code: int, complaint: str | None) -> None:
    got, out = run_eval("--quiet", *flags)
    assert got == code
    complaints = [line for line in out.splitlines() if line.startswith("below threshold")]
    assert complaints == ([f"below threshold: {complaint}"] if complaint else [])


def test_without_nlpaug_the_typo_figures_are_skipped(run_eval: RunEval, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "nlpaug.augmenter.char", None)  # makes the import fail
    code, out = run_eval("--quiet")
    assert code == 0
    assert out.splitlines()[-1] == ("typo figures skipped: they need the dev tools; "
                                    "run `.venv/bin/pip install -e '.[dev]'`")
