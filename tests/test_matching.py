"""Matching and language detection on the shipped content: tables of what users type -> what they get."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import load_content
from bot.nlu import Understander
from bot.nlu.normalise import fold

ROOT = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def understander() -> Understander:
    return Understander(load_content(ROOT))


IN_SCOPE = [
    # (text as typed, language, expected intent)
    ("ik wil terug naar mijn land, kan iom mij helpen?", "nl", "return_eligibility"),
    ("wie kan hulp krijgen bij vrijwillige terugkeer", "nl", "return_eligibility"),
    ("i want go back to my country how", "en", "return_eligibility"),
    ("can i get help to return home voluntary", "en", "return_eligibility"),
    ("betalen jullie mijn vliegticket terug", "nl", "return_support"),
    ("i dont have pasport, can you help with travel documents for going back", "en", "return_support"),
    ("na terugkeer een eigen bedrijfje starten, helpen jullie daarmee?", "nl", "reintegration"),
    ("after i go back can i get money for study or business", "en", "reintegration"),
    ("slachtoffer mensenhandel terugkeer hulp", "nl", "return_vulnerable"),
    ("im sick and need medical help when i return", "en", "return_vulnerable"),
    ("hoeveel mensen zijn er in 2022 teruggekeerd met iom", "nl", "return_figures"),
    ("how many migrants returned since 1991", "en", "return_figures"),
    ("gezinshereniging", "nl", "family_reunification"),
    ("gezinsherenigin reis vrouw en kinderen", "nl", "family_reunification"),
    ("my wife and kids get visa, who arranges there travel to holland", "en", "family_reunification"),
    ("hervestiging vluchtelingen", "nl", "resettlement"),
    ("refugee resettlement to the netherlands", "en", "resettlement"),
    ("cd4d", "nl", "diaspora_cd4d"),
    ("CD4D assignment afghanistan", "en", "diaspora_cd4d"),
    ("ED4D", "en", "diaspora_ed4d"),
    ("ondernemer ghana diaspora pum", "nl", "diaspora_ed4d"),
    ("MATCH project nigeria senegal", "en", "labour_mobility"),
    ("werken in nederland via match uit senegal", "nl", "labour_mobility"),
    ("includ-eu tilburg", "nl", "integration"),
    ("integration status holders hart van brabant", "en", "integration"),
    ("wat is iom", "nl", "about_iom"),
    ("what is the international organization for migration", "en", "about_iom"),
    ("wie betaalt iom nederland", "nl", "funding"),
    ("who funds iom netherlands", "en", "funding"),
    ("hoe kan ik contact opnemen met iom", "nl", "contact"),
    ("how can i reach iom netherlands", "en", "contact"),
    ("hoi", "nl", "greeting"),
    ("hello", "en", "greeting"),
    ("dank je wel!", "nl", "thanks"),
    ("thank you so much", "en", "thanks"),
    ("ik wil met een echt persoon praten", "nl", "human"),
    ("can i talk to a real person", "en", "human"),
]

OUT_OF_SCOPE = [
    ("I want to return this product to the store", "en"),
    ("did you see the match yesterday", "en"),
    ("my family comes on holiday next week", "en"),
    ("how do i file my tax return", "en"),
    ("ik wil mijn pakket terugsturen naar de winkel", "nl"),
    ("wat is het weer morgen in den haag", "nl"),
    ("recept voor pannenkoeken", "nl"),
    ("wie heeft de wedstrijd van ajax gewonnen", "nl"),
    # one word ("call") is too little to answer with, whatever the decision model says
    ("can my goldfish fly to mars, call 0612345678", "en"),
]


@pytest.mark.parametrize(("text", "lang", "intent"), IN_SCOPE)
def test_in_scope_questions_land_on_their_intent(text: str, lang: str, intent: str) -> None:
    result = understander().understand(text, None)
    assert (result.decision, result.intent) in {("answer", intent), ("clarify", intent)}, result


@pytest.mark.parametrize(("text", "lang"), OUT_OF_SCOPE)
def test_off_topic_questions_sharing_words_are_rejected(text: str, lang: str) -> None:
    result = understander().understand(text, None)
    assert result.decision == "none", result
    assert result.intent is None


DEFINITE = [(t, lang) for t, lang, _ in IN_SCOPE if len(t.split()) >= 3] + OUT_OF_SCOPE


@pytest.mark.parametrize(("text", "lang"), DEFINITE)
def test_language_of_definite_messages(text: str, lang: str) -> None:
    assert understander().detect_language(text, None)[0] == lang


# Slips the corrector reads as a word of the other language ("doeh" could be "doe" or "does"): a guessed word
# counts for less than a typed one, so the words typed as such decide.
@pytest.mark.parametrize(("text", "lang"), [
    ("wat doeh iom in nsderland", "nl"),
    ("iom nedreland offiec den haga openingstijden?", "nl"),
    ("diaspora programmss", "en"),
    # a slip as near to a word of each language ("hwllo": hello or hallo) weighs both, by how often the content
    # uses each: it no longer decides for the one the corrector happened to pick
    ("hwllo", "en"),
])
def test_language_of_misspelt_messages(text: str, lang: str) -> None:
    assert understander().detect_language(text, None)[0] == lang


@pytest.mark.parametrize("text", ["ok", "hi", "CD4D", "MATCH?", "ED4D", "👍", "IOM", "?", ""])
@pytest.mark.parametrize("prior", ["nl", "en"])
def test_short_neutral_message_keeps_the_users_language(text: str, prior: str) -> None:
    lang, _ = understander().detect_language(text, prior)
    assert lang == prior


@pytest.mark.parametrize(("text", "prior", "expected"), [
    ("ik wil graag terug naar mijn land", "en", "nl"),
    ("how can I bring my family to the netherlands", "nl", "en"),
])
def test_clear_message_in_other_language_switches(text: str, prior: str, expected: str) -> None:
    assert understander().detect_language(text, prior) == (expected, True)


def test_scores_are_probabilities_and_candidates_ranked() -> None:
    result = understander().understand("gezinshereniging reis", "nl")
    assert 0.0 <= result.score <= 1.0
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True) and len(scores) <= 3
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_distinctive_words_outweigh_common_ones() -> None:
    """'help' and 'IOM' are everywhere; 'gezinshereniging' decides."""
    result = understander().understand("help iom nederland gezinshereniging", "nl")
    assert result.intent == "family_reunification"


@pytest.mark.parametrize(("raw", "folded"), [
    ("Gezinshereniging!!", "gezinshereniging"),
    ("  Héél   GRAAG ", "heel graag"),
    ("CD4D-2 in 2022?", "cd4d 2 in 2022"),
    ("İstanbul – Genève", "istanbul geneve"),
])
def test_normalisation(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.sampled_from([None, "nl", "en", "fr"]))
def test_any_unicode_input_never_raises(text: str, prior: str | None) -> None:
    result = understander().understand(text, prior)
    assert result.lang in ("nl", "en") or (len(result.lang) in (2, 3) and result.decision == "none")
    assert result.decision in ("answer", "clarify", "none")


@pytest.mark.parametrize("text", ["", " ", "a" * 100_000, "terugkeer " * 10_000, "\x00\u200b\ud7ff" * 1000])
def test_extreme_inputs(text: str) -> None:
    result = understander().understand(text, None)
    assert result.decision in ("answer", "clarify", "none")


def test_same_input_same_output_in_one_process() -> None:
    texts = [t for t, _, _ in IN_SCOPE] + [t for t, _ in OUT_OF_SCOPE]
    first = [understander().understand(t, None).to_json() for t in texts]
    again = [Understander(load_content(ROOT)).understand(t, None).to_json() for t in texts]
    assert first == again


def run_classify(lines: list[str], *args: str) -> list[dict[str, object]]:
    out = subprocess.run([sys.executable, "-m", "bot", "classify", *args], input="\n".join(lines) + "\n",
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return [json.loads(line) for line in out.stdout.splitlines()]


def test_classify_is_deterministic_across_processes() -> None:
    lines = [json.dumps({"text": t}) for t, _, _ in IN_SCOPE] + [json.dumps({"text": t}) for t, _ in OUT_OF_SCOPE]
    assert run_classify(lines) == run_classify(lines)


def test_classify_contract_many_lines_in_order() -> None:
    texts = [t for t, _, _ in IN_SCOPE] + [t for t, _ in OUT_OF_SCOPE] + ["ok", ""]
    lines = [json.dumps({"text": texts[i % len(texts)] + f" {i}"}) for i in range(10_000)]
    lines[5] = "this is not json"
    lines[6] = json.dumps({"text": "hoi", "lang": "en"})
    results = run_classify(lines)
    assert len(results) == 10_000
    assert results[5]["decision"] == "none" and "error" in results[5]
    assert results[6]["lang"] == "en"  # the line's lang is a prior: a short greeting keeps it
    for i in (0, 100, 9_999):
        expected_text = texts[i % len(texts)] + f" {i}"
        assert results[i]["text"] == expected_text
    sample = results[0]
    assert set(sample) == {"text", "lang", "intent", "decision", "score", "confidence", "topic", "candidates"}
    assert sample["decision"] in ("answer", "clarify", "none")
    assert isinstance(sample["candidates"], list) and len(sample["candidates"]) <= 3


def test_eval_command_exits_1_below_threshold(tmp_path: Path) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text("questions:\n  - {text: 'gezinshereniging', lang: nl, intent: family_reunification}\n"
                         "  - {text: 'recept voor appeltaart met kaneel', lang: nl, intent: contact}\n")
    ok = subprocess.run([sys.executable, "-m", "bot", "eval", str(questions), "--min-accuracy", "0.4"],
                        capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "in-scope accuracy [nl]: 50.0%" in ok.stdout
    assert "'recept voor appeltaart met kaneel': expected contact" in ok.stdout
    low = subprocess.run([sys.executable, "-m", "bot", "eval", str(questions), "--min-accuracy", "0.9"],
                         capture_output=True, text=True, cwd=ROOT)
    assert low.returncode == 1
