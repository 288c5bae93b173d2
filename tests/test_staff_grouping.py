"""Review groups: similar (misspelt) questions together, counted, with their closest intent; and the YAML export."""

from __future__ import annotations

import yaml

from bot.staff import ReviewItem
from bot.staff.export import export_yaml, scalar
from bot.staff.grouping import Group, ThumbsDown, closest_intent, cluster, group_questions, thumbs_down
from bot.staff.masking import mask


def item(text: str | None, lang: str = "nl", decision: str = "none", candidates: tuple[tuple[str, float], ...] = (),
         intent: str | None = None) -> ReviewItem:
    return ReviewItem("2024-05-01", lang, decision, mask(text) if text else None, candidates, intent)


TICKET = (("return_support", 0.5), ("return_eligibility", 0.3))
BENEFIT = (("labour_mobility", 0.35),)

ITEMS = [
    item("Hoe krijg ik een vliegticket?", candidates=TICKET),
    item("hoe krijg ik een vliegticket", candidates=TICKET),
    item("hoe krjg ik een vleigticket", "nl", "clarify", TICKET),
    item("een vliegticket, hoe krijg ik die", candidates=TICKET),  # word order does not matter
    item("kan ik een uitkering krijgen", candidates=BENEFIT),
    item("kan ik een uitkring krijgen", candidates=BENEFIT),
    item("wat is het weer morgen"),
    item("how do I get a plane ticket", "en", candidates=TICKET),
    item("how do i get a plane tiket?", "en", candidates=TICKET),
    item(None, "nl", "thumbs_down", intent="return_support"),
    item(None, "nl", "thumbs_down", intent="return_support"),
    item(None, "en", "thumbs_down", intent="contact"),
]


def summary(groups: list[Group]) -> list[tuple[str, int, str, str | None]]:
    return [(g.lang, g.count, g.example, g.intent) for g in groups]


def test_similar_questions_are_one_group_most_asked_first() -> None:
    assert summary(group_questions(ITEMS)) == [
        ("nl", 4, "Hoe krijg ik een vliegticket?", "return_support"),
        ("en", 2, "how do I get a plane ticket", "return_support"),
        ("nl", 2, "kan ik een uitkering krijgen", "labour_mobility"),
        ("nl", 1, "wat is het weer morgen", None),
    ]


def test_a_group_lists_its_variants_and_decisions() -> None:
    first = group_questions(ITEMS)[0]
    assert first.texts == ("Hoe krijg ik een vliegticket?", "een vliegticket, hoe krijg ik die",
                           "hoe krijg ik een vliegticket", "hoe krjg ik een vleigticket")
    assert first.decisions == (("clarify", 1), ("none", 3))


def test_a_higher_threshold_keeps_typos_apart() -> None:
    groups = group_questions(ITEMS, threshold=95)
    assert ("nl", 1, "hoe krjg ik een vleigticket", "return_support") in summary(groups)
    assert ("nl", 2, "Hoe krijg ik een vliegticket?", "return_support") in summary(groups)


def test_languages_are_never_mixed() -> None:
    groups = group_questions([item("ticket"), item("ticket", "en"), item("ticket")])
    assert summary(groups) == [("nl", 2, "ticket", None), ("en", 1, "ticket", None)]


def test_the_matcher_guesses_when_no_candidates_were_kept() -> None:
    asked: list[tuple[str, str]] = []

    def guess(text: str, lang: str) -> str | None:
        asked.append((text, lang))
        return "out_of_scope"

    groups = group_questions(ITEMS, guess)
    assert summary(groups)[-1] == ("nl", 1, "wat is het weer morgen", "out_of_scope")
    assert asked == [("wat is het weer morgen", "nl")]


def test_closest_intent_adds_up_the_scores() -> None:
    items = [item("a", candidates=(("x", 0.9), ("y", 0.5))), item("a", candidates=(("y", 0.5),)),
             item("a", candidates=(("y", 0.1),))]
    assert closest_intent(items) == "y"
    assert closest_intent([item("a")]) is None


def test_clustering_many_questions_in_blocks() -> None:
    keys = [f"vraag nummer {i} over iets heel anders {i * 7919 % 1000}" for i in range(600)] + ["hallo"] * 3
    clusters = cluster(keys)
    assert sorted(i for c in clusters for i in c) == list(range(len(keys)))  # every question in one group
    assert [600, 601, 602] in clusters


def test_thumbs_down_per_answer() -> None:
    assert thumbs_down(ITEMS) == [ThumbsDown("return_support", "nl", 2), ThumbsDown("contact", "en", 1)]


def test_nothing_to_group() -> None:
    assert group_questions([]) == []
    assert group_questions([item(None, decision="thumbs_down", intent="contact")]) == []


# -- the export ---------------------------------------------------------------------------------------

FILES = {"return_support": "intents/return.yaml", "labour_mobility": "intents/work.yaml"}


def test_the_export_is_yaml_in_the_intents_format() -> None:
    groups = group_questions(ITEMS)
    text = export_yaml(groups, FILES, "2024-04-02 to 2024-05-01", thumbs_down(ITEMS))
    data = yaml.safe_load(text)
    assert data == {"intents": [
        {"id": "return_support", "examples": {
            "en": ["how do I get a plane ticket", "how do i get a plane tiket?"],
            "nl": ["Hoe krijg ik een vliegticket?", "een vliegticket, hoe krijg ik die",
                   "hoe krijg ik een vliegticket", "hoe krjg ik een vleigticket"]}},
        {"id": "labour_mobility", "examples": {"nl": ["kan ik een uitkering krijgen", "kan ik een uitkring krijgen"]}},
        {"id": "new_intent", "examples": {"nl": ["wat is het weer morgen"]}},
    ]}


def test_the_export_says_where_to_paste_each_list() -> None:
    text = export_yaml(group_questions(ITEMS), FILES, "2024-04-02 to 2024-05-01", thumbs_down(ITEMS))
    assert "      # add these under intents/return.yaml -> return_support -> examples -> nl\n      nl:\n" in text
    assert "      # add these under intents/return.yaml -> return_support -> examples -> en\n      en:\n" in text
    assert "# add these under intents/work.yaml -> labour_mobility -> examples -> nl" in text
    assert "or add off-topic ones under intents/out_of_scope.yaml -> out_of_scope -> examples -> nl" in text
    assert "        # asked 4 time(s): did you mean 1, not understood 3\n" in text
    assert "#   return_support (nl): 2 time(s)" in text
    assert text.startswith("# Questions the bot did not answer well, 2024-04-02 to 2024-05-01")


def test_the_export_holds_masked_texts_only() -> None:
    items = [item("bel mij op 06-12345678 over mijn ticket", candidates=TICKET),
             item("mijn mail is ahmed@gmail.com, V-nummer 1234567890", candidates=TICKET),
             item("@ahmed_k: [urgent] # help: yes", candidates=TICKET)]
    text = export_yaml(group_questions(items), FILES, "today")
    for secret in ("12345678", "ahmed@gmail.com", "1234567890", "ahmed_k"):
        assert secret not in text
    examples = yaml.safe_load(text)["intents"][0]["examples"]["nl"]
    assert sorted(examples) == ["[username]: [urgent] # help: yes", "bel mij op [phone] over mijn ticket",
                                "mijn mail is [email], V-nummer [number]"]


def test_an_empty_export_still_parses() -> None:
    assert yaml.safe_load(export_yaml([], {}, "today")) == {"intents": []}


def test_scalars_are_quoted_only_when_needed() -> None:
    assert scalar("hoe krijg ik een ticket") == "hoe krijg ik een ticket"
    assert yaml.safe_load(scalar("[phone] bellen")) == "[phone] bellen"
    assert yaml.safe_load(scalar("ja: nee #1")) == "ja: nee #1"
    assert scalar("two\nlines") == "two lines"


def test_a_weak_candidate_is_no_hint_and_the_export_files_it_under_no_intent() -> None:
    weak = [item("kan ik een uitkering krijgen", candidates=(("labour_mobility", 0.2),))]
    groups = group_questions(weak, guess=lambda text, lang: None)
    assert summary(groups) == [("nl", 1, "kan ik een uitkering krijgen", None)]
    assert closest_intent(weak) is None
    exported = yaml.safe_load(export_yaml(groups, {"labour_mobility": "intents/work.yaml"}, "today"))
    assert exported["intents"] == [{"id": "new_intent", "examples": {"nl": ["kan ik een uitkering krijgen"]}}]
