"""A conversation that follows the person: follow-ups in context, other languages, language requests and typed
answers in guided checks, as tables on the shipped content and the real matcher.

The data files were written by a helper who never saw intents/ or the code (tests/data/dialogues.yaml,
other_languages.yaml, check_answers.yaml). Their misses were read while tuning, so they are tuning sets: the
floors below guard against regressions; the honest figures come from sets nobody here has seen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.engine import ChatState, Engine, TextIn
from bot.engine.dialogues import evaluate_dialogues, parse_dialogues
from bot.engine.replies import Reply
from bot.engine.texts import Texts
from bot.html import plain_text
from bot.nlu import Understander
from bot.nlu.evaluation import parse_labelled

DATA = Path(__file__).parent / "data"
BENCH = Path(__file__).resolve().parents[1] / "bench" / "data"


def load(name: str, key: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))[key]
    return items


def chat(engine: Engine, lang: str, *texts: str) -> tuple[ChatState, list[list[Reply]]]:
    state: ChatState | None = None
    said = []
    for text in texts:
        state, replies = engine.handle(state, TextIn(text), lang)
        said.append(replies)
    assert state is not None
    return state, said


def decision(replies: list[Reply]) -> tuple[str, str | None]:
    trace = replies[0].trace
    assert trace is not None
    return trace.decision, trace.intent


# -- follow-ups in context ----------------------------------------------------------------------------------

FOLLOW_UPS = [
    # (language, what was asked before, the follow-up, (decision, intent) expected)
    ("nl", "ik wil gezinshereniging voor mijn vrouw", "wie betaalt de vliegticket", ("followup",
                                                                                     "family_reunification")),
    ("nl", "ik wil gezinshereniging voor mijn vrouw", "hoe lang duurt het", ("missing_detail",
                                                                             "family_reunification")),
    # "who" is read as English in an English chat, though a Dutch off-topic example names the WHO
    ("en", "my wife and children got approval from the IND, can IOM help them travel to the netherlands",
     "who pays the tickets", ("followup", "family_reunification")),
    ("en", "I want to go back to my country", "how long does it take?", ("missing_detail", "return_eligibility")),
    ("nl", "wat is cd4d", "hoeveel geld krijg ik", ("missing_detail", "diaspora_cd4d")),
    ("en", "what is cd4d", "how much do they pay", ("missing_detail", "diaspora_cd4d")),
    # a detail the topic's answer does have: the answer again, not "my information does not say"
    ("nl", "wat is iom eigenlijk", "hoeveel landen zijn er lid", ("followup", "about_iom")),
    ("en", "what is iom", "how many countries are members", ("followup", "about_iom")),
    # a short message opening like a follow-up means nothing alone, but does after an answer
    ("nl", "hoeveel mensen zijn teruggegaan met iom", "en in 2023?", ("followup", "return_figures")),
    # a sibling that the message alone prefers to the topic: the topic's own words must not drown it
    ("en", "what does iom pay for the journey home", "and help for a business later?", ("followup", "reintegration")),
    # ... and a sibling an overview answer presents by its keywords ("Two projects: CD4D2 ... ED4D ..."), when the
    # matcher alone gives the follow-up to it (dialogues10)
    ("en", "what does iom do with diaspora", "tell me more about the one for business people",
     ("answer", "diaspora_ed4d")),
    # ... and a sibling the matcher alone is sure of, clearly ahead of the topic
    ("en", "what does iom pay for the journey home", "and after i arrive, help for work?", ("answer", "reintegration")),
    # an off-topic kind read only faintly from a short follow-up is not believed: the topic decides
    ("en", "what is ED4D", "do they give loans", ("followup", "diaspora_ed4d")),
    ("en", "ED4D what is that", "do they give loan", ("followup", "diaspora_ed4d")),
    ("en", "hello, ik wil return to my country Nigeria, but i have no money for the flight", "my passport is verlopen",
     ("followup", "return_support")),
    # ... nor one of middling strength in a message that leans on the topic: opens like a follow-up, or asks a
    # detail and points back ("how long may they stay" is about the programme, not a permit)
    ("nl", "kan ik via iom tijdelijk in nederland komen werken, ik kom uit nigeria", "en hoelang mag ik dan blijven",
     ("missing_detail", "labour_mobility")),
    ("nl", "mijn moeder heeft een mvv gekregen, kan iom haar vlucht uit ethiopie regelen",
     "hoe lang duurt het voor ze hier is", ("missing_detail", "family_reunification")),
    # ... a clear one is: a need for a house is for the municipality, whatever the topic
    ("nl", "wat doet iom voor integratie van statushouders", "ik heb een huis nodig", ("referral:other_housing", None)),
    ("nl", "wat is cd4d", "ik zoek een gratis advocaat", ("referral:other_legal", None)),
    ("nl", "hoe helpt iom met integratie", "kan ik een huis krijgen in tilburg", ("referral:other_housing", None)),
    # ... as is a benefit from the municipality ("bijstand") asked after a programme (dialogues10)
    ("nl", "wat is ed4d", "kan ik bijstand krijgen als mijn bedrijf failliet gaat", ("referral:other_money", None)),
    # someone ill or frightened gets the health referral whatever the topic (other_health has 'interrupts: true';
    # "ik ben bang" after the family answer got that answer again) ...
    ("nl", "wat is gezinshereniging", "ik ben bang", ("referral:other_health", None)),
    ("en", "what help do i get if i go back", "i need a doctor", ("referral:other_health", None)),
    # ... but not when the message is about the person the topic is about ("he is sick, does that matter", dialogues6)
    ("en", "how does resettlement of refugees from camps work", "he is sick, does that matter",
     ("followup", "resettlement")),
    # a very short follow-up stays with the topic though one word is mostly used for another group ("zieke")
    ("nl", "brengt iom vluchtelingen uit kampen naar nederland", "ook zieke mensen?", ("followup", "resettlement")),
    ("en", "what is resettlement", "and sick people?", ("followup", "resettlement")),
    # a short message the bot cannot place alone, that points back at the answer ('refers_back:'), stays in the topic
    ("nl", "welke hulp krijg ik bij terugkeer", "mag mijn fiets mee", ("followup", "return_support")),
    ("nl", "kan iom mijn vliegticket terug naar nigeria betalen", "brengen ze me ook naar schiphol",
     ("followup", "return_support")),
    ("nl", "hervestiging van vluchtelingen, wat doet iom daar", "kan ik me aanmelden bij jou",
     ("followup", "resettlement")),
    # ... and may be longer than other follow-ups (12 words instead of 9)
    ("en", "can i go back to my country with iom, i dont have papers here",
     "my brother is in belgium, can he also do it from there", ("followup", "return_eligibility")),
    # ("that" and "this" point back too: "is that ok"; dialogues12)
    ("en", "what is cd4d", "i live in london not in netherlands, is that ok", ("followup", "diaspora_cd4d")),
    # ... but one without such a word still stands alone
    ("en", "I want to go back to my country", "whats the weather tomorrow in tilburg lol", ("none", None)),
    # a bare detail question the topic's answer gives ('gives:' in the answer): the answer again
    ("en", "tell me about iom netherlands office", "where is that", ("followup", "iom_netherlands")),
    ("nl", "heeft iom een kantoor in nederland", "waar zit dat", ("followup", "iom_netherlands")),
    ("nl", "wat is cd4d", "waar?", ("missing_detail", "diaspora_cd4d")),
    # a question for another body gets its referral, even when it asks a detail ("where")
    ("nl", "welke hulp krijg ik bij terugkeer", "waar kan ik vannacht slapen", ("referral:other_housing", None)),
    # "ok" before a question is no thanks
    ("en", "are you a bot or a human?", "ok what can you do then", ("answer", "help")),
]
NEW_QUESTIONS = [
    # a clear new question wins over the topic of the conversation
    ("en", "what is cd4d", "thanks!", "thanks"),
    # ... and small talk by its own words, though everyday questions about those words exist ("how do you say thank
    # you in arabic": dialogues12)
    ("en", "what help does iom give when i go back", "ok thank you brother", "thanks"),
    # ... and small talk torn only between two kinds of small talk ("doei" or thanks), even opening like a follow-up
    ("nl", "welke steun krijg je bij vrijwillige terugkeer", "oke top, doei", "goodbye"),
    ("nl", "ik wil terug naar mijn land", "wat is gezinshereniging", "family_reunification"),
    ("en", "I want to go back to my country", "where is your office, I come tomorrow", "contact"),
    ("nl", "wat is cd4d", "ik wil terug naar afghanistan", "return_eligibility"),
    # ... as is one the matcher alone is sure of that names its topic by a keyword or title word ("iom")
    ("nl", "kan iom mijn vliegticket terug naar nigeria betalen", "door wie wordt iom betaald", "funding"),
    ("en", "does iom bring refugees from camps to netherlands", "ok and what is IOM exactly", "about_iom"),
    # ... as is any question the matcher alone is sure of that names its topic by a word of the answer's title
    ("en", "who funds iom netherlands", "and what is the MATCH project?", "labour_mobility"),
    # ... even a short one that opens like a follow-up, when it names another topic by its keyword or title
    ("nl", "wat is gezinshereniging", "en terugkeer?", "return_eligibility"),
    ("en", "what is resettlement", "and cd4d?", "diaspora_cd4d"),
]


# Only yes or no, "and then", "why not" and small words: no question on its own, so no answer and no referral
# ("yes please" once got family reunification, "nee" the return answer, "why not" the asylum referral)
REACTIONS = [("en", "yes please"), ("nl", "nee"), ("nl", "ja graag"), ("nl", "en dan?"), ("en", "why not"),
             ("nl", "waarom niet"), ("en", "and then"), ("en", "3"),  # "3" once got the funding answer
             ("en", "sorry"), ("en", "amen"),  # fillers: "sorry" got the asylum referral, "amen" diaspora
             ("nl", "ik"),  # one small word: "ik" got the reintegration answer
             ("en", "again"), ("nl", "nog een keer")]  # "again" got reintegration, "nog een keer" goodbye


@pytest.mark.parametrize(("lang", "text"), REACTIONS)
def test_a_bare_reaction_is_no_question(shipped_engine: Engine, lang: str, text: str) -> None:
    _, said = chat(shipped_engine, lang, text)
    assert decision(said[0]) in (("none", None), ("acknowledged", None))


# Messages about the conversation itself got referrals ("mag ik iets vragen" got the asylum referral, "ik begrijp
# het niet" the permits one, "waar kan ik meer lezen" the money one): now greeting, help or contact
# A first sentence that only sets things aside ('stop:' words: "laat maar", "never mind") says nothing: the question
# after it is answered ("ok laat maar. wat is iom" once got the contact answer; dialogues3)
@pytest.mark.parametrize(("lang", "text", "intent"), [("nl", "ok laat maar. wat is iom", "about_iom"),
                                                      ("en", "never mind. what is iom", "about_iom")])
def test_a_question_after_never_mind_is_answered(shipped_engine: Engine, lang: str, text: str, intent: str) -> None:
    _, said = chat(shipped_engine, lang, text)
    assert decision(said[0]) == ("answer", intent)


ABOUT_THE_CHAT = [("nl", "mag ik iets vragen", "greeting"), ("en", "sorry for my english", "greeting"),
                  ("nl", "ik begrijp het niet", "help"), ("nl", "waar kan ik meer lezen", "contact"),
                  ("en", "where can i read more", "contact"),
                  # is it safe to ask, is what I write kept or shared (sensitive.yaml): what the bot keeps, no
                  # crisis ("opgeslagen" was read as "opgesloten", locked up) and no "I don't understand"
                  ("en", "do you share what i write here with the ind?", "privacy"),
                  ("nl", "wordt dit gesprek opgeslagen? ik wil niet dat de politie het ziet", "privacy")]


@pytest.mark.parametrize(("lang", "text", "intent"), ABOUT_THE_CHAT)
def test_a_message_about_the_chat_gets_no_referral(shipped_engine: Engine, lang: str, text: str, intent: str) -> None:
    _, said = chat(shipped_engine, lang, text)
    assert decision(said[0]) == ("answer", intent)


@pytest.mark.parametrize(("lang", "text"), [("en", "ok"), ("en", "yes"), ("nl", "oké"), ("nl", "ja graag"),
                                           ("en", "👍"), ("nl", "🙏")])
def test_ok_after_an_answer_is_acknowledged_not_misunderstood(shipped_engine: Engine, lang: str, text: str) -> None:
    state, said = chat(shipped_engine, lang, "wat is iom" if lang == "nl" else "what is iom", text)
    assert decision(said[1]) == ("acknowledged", None)
    fallback = plain_text(Texts(shipped_engine.content, lang)("fallback"))
    assert plain_text(said[1][0].text) != fallback and said[1][0].buttons  # a kind "anything else?" and the topics
    assert state.misses == 0


@pytest.mark.parametrize(("lang", "text"), [("en", "stop"), ("en", "Cancel!"), ("nl", "stoppen"), ("nl", "laat maar")])
def test_stop_typed_during_a_check_stops_it(shipped_engine: Engine, lang: str, text: str) -> None:
    before = ChatState(lang=lang, lang_locked=True, check="return", step="voluntary", topic=None)
    after, replies = shipped_engine.handle(before, TextIn(text), lang)
    assert after.check is None and replies[0].trace is not None and replies[0].trace.decision == "cancel"
    assert plain_text(Texts(shipped_engine.content, lang)("check_stopped")) in plain_text(replies[0].text)


def test_a_person_asked_for_during_a_check_is_not_read_as_an_answer(shipped_engine: Engine) -> None:
    # "i want to" was a yes-phrase at "Is it your own choice to go back?"
    before = ChatState(lang="en", lang_locked=True, check="return", step="voluntary", topic=None)
    after, replies = shipped_engine.handle(before, TextIn("i want to talk to a person"), "en")
    assert after.step == "voluntary" and decision(replies) == ("answer", "human")


def test_a_question_mark_alone_is_not_an_acknowledgement(shipped_engine: Engine) -> None:
    _, said = chat(shipped_engine, "en", "what is iom", "?")
    assert decision(said[1])[0] != "acknowledged"


@pytest.mark.parametrize(("lang", "text"), [("en", "what can you do"), ("en", "i have a problem"),
                                           ("nl", "ik heb een probleem")])
def test_a_vague_call_for_help_gets_what_the_bot_can_do(shipped_engine: Engine, lang: str, text: str) -> None:
    # small words alone still ask what the bot does; "i have a problem" got the vulnerable-return answer
    _, said = chat(shipped_engine, lang, text)
    assert decision(said[0]) == ("answer", "help")


@pytest.mark.parametrize(("lang", "before", "followup", "expected"), FOLLOW_UPS)
def test_a_follow_up_is_read_within_the_topic(shipped_engine: Engine, lang: str, before: str, followup: str,
                                              expected: tuple[str, str | None]) -> None:
    _, said = chat(shipped_engine, lang, before, followup)
    got = decision(said[1])
    if expected[0] == "followup" and got == ("answer", expected[1]):
        return  # the matcher alone gave the topic's answer: the person reads the same reply
    assert got == expected


@pytest.mark.parametrize(("lang", "before", "question", "intent"), NEW_QUESTIONS)
def test_a_clear_new_question_wins(shipped_engine: Engine, lang: str, before: str, question: str, intent: str) -> None:
    _, said = chat(shipped_engine, lang, before, question)
    assert decision(said[1]) == ("answer", intent)


def test_a_missing_detail_names_the_topic_and_the_way_onward(shipped_engine: Engine) -> None:
    state, said = chat(shipped_engine, "en", "what is cd4d", "how long does it take?")
    [reply] = said[1]
    title = Texts(shipped_engine.content, "en").answer("diaspora_cd4d")
    assert title is not None and title.title in plain_text(reply.text)
    labels = [b.label for row in reply.buttons for b in row]
    assert title.title in labels  # the topic's answer again
    assert any("contact" in (b.data or "") or b.label == Texts(shipped_engine.content, "en").answer("contact").title
               for row in reply.buttons for b in row)  # type: ignore[union-attr]
    assert state.topic == "diaspora_cd4d"


def test_a_referral_keeps_the_topic_for_the_next_follow_up(shipped_engine: Engine) -> None:
    state, said = chat(shipped_engine, "nl", "wat doet iom voor integratie van statushouders", "ik heb een huis nodig",
                       "hoe lang duurt het")
    assert decision(said[1])[0] == "referral:other_housing"
    assert decision(said[2]) == ("missing_detail", "integration")
    assert state.topic == "integration"


def test_start_forgets_the_topic(shipped_engine: Engine) -> None:
    state, said = chat(shipped_engine, "en", "what is cd4d", "/start", "how long does it take?")
    assert state.topic is None
    assert decision(said[2])[0] != "missing_detail"


def test_dialogue_table_follow_ups_stay_within_their_topic(shipped_engine: Engine) -> None:
    dialogues = parse_dialogues((DATA / "dialogues.yaml").read_text(encoding="utf-8"))
    assert len(dialogues) >= 60 and {d.lang for d in dialogues} == {"nl", "en"}
    report = evaluate_dialogues(shipped_engine, dialogues)
    for lang in ("nl", "en"):  # a floor under today's figures on this tuning set (see docs/performance.md)
        assert report.share(report.followups_in_topic, report.followups, lang) >= 0.86, lang


# -- other languages ------------------------------------------------------------------------------------------

FOREIGN = [m for m in load("other_languages.yaml", "messages") if not m.get("switch_to")]
SWITCHES = [m for m in load("other_languages.yaml", "messages") if m.get("switch_to")]


@pytest.mark.parametrize("message", FOREIGN, ids=[f"{m['lang']}-{n}" for n, m in enumerate(FOREIGN)])
def test_a_message_in_another_language_gets_the_languages_reply(shipped_engine: Engine,
                                                                message: dict[str, Any]) -> None:
    for state in (None, ChatState(lang="nl")):  # at first contact and in a Dutch chat
        after, replies = shipped_engine.handle(state, TextIn(message["text"]), None)
        [reply] = replies
        assert reply.trace is not None and reply.trace.decision == "other_language"  # never an answer
        for lang in ("nl", "en"):
            assert plain_text(Texts(shipped_engine.content, lang)("other_language"))[:30] in plain_text(reply.text)
        own = shipped_engine.content.other_languages.get(message["lang"])
        if own is not None and message["lang"] not in ("ku",):  # Sorani is written in Arabic script
            assert own.reply in reply.text
        assert [b.data for b in reply.buttons[0]] == [shipped_engine.codec.language(c) for c in ("en", "nl")] or \
            len(reply.buttons[0]) == 2
        assert after.lang == (state.lang if state else None)


@pytest.mark.parametrize("message", SWITCHES, ids=[m["text"] for m in SWITCHES])
def test_asking_for_a_language_switches_to_it(shipped_engine: Engine, message: dict[str, Any]) -> None:
    start = "en" if message["switch_to"] == "nl" else "nl"
    state, _ = shipped_engine.handle(ChatState(lang=start), TextIn(message["text"]), None)
    assert state.lang == message["switch_to"]


def test_classify_reports_the_other_language(shipped_content: Any) -> None:
    u = Understander(shipped_content).understand("أريد العودة إلى بلدي")
    assert (u.lang, u.decision, u.intent) == ("ar", "none", None)


@pytest.mark.parametrize("path", [DATA / "eval.yaml", DATA / "holdout.yaml", BENCH / "dev2.yaml",
                                  BENCH / "dev3.yaml", BENCH / "tune.yaml"], ids=lambda p: p.stem)
def test_dutch_and_english_are_never_taken_for_another_language(shipped_content: Any, path: Path) -> None:
    understander = Understander(shipped_content)
    foreign = [q.text for q in parse_labelled(path.read_text(encoding="utf-8"))
               if understander.understand(q.text).lang not in ("nl", "en")]
    assert foreign == []


# English and Dutch words that other languages also use ("will", "land", "come", "per", "mis") are no evidence
# of those languages ("where will she land" was once taken for German, from a dialogue set)
SHARED_WORDS = ["where will she land", "will they pay the flight", "come to the netherlands per plane", "mis ik iets",
                "ik wil naar mijn familie in het land van herkomst", "mijn familie is in den haag"]


@pytest.mark.parametrize("text", SHARED_WORDS)
def test_words_shared_with_other_languages_do_not_make_a_message_foreign(shipped_content: Any, text: str) -> None:
    assert Understander(shipped_content).understand(text).lang in ("nl", "en")


# -- typed answers in guided checks ---------------------------------------------------------------------------

TYPED = load("check_answers.yaml", "answers")
# Cases of bench/data/check_answers2.yaml (a tuning set now) that show the rules added for it, one per rule.
TYPED += [
    # a question about the check's own topic answers the step
    {"check": "return", "step": "voluntary", "lang": "nl", "text": "ik mis mijn kinderen, ik wil naar huis",
     "expect": "yes"},
    # a phrase in a long story counts (loosely)
    {"check": "return", "step": "voluntary", "lang": "en",
     "text": "my mother is sick in Lagos and I want to go to her", "expect": "yes"},
    # a phrase written exactly beats a slip of another: "employer" is not "employee"
    {"check": "match", "step": "who", "lang": "en", "text": "employer", "expect": "company"},
    # at a yes/no step, what follows "but" decides
    {"check": "match", "step": "worker_from", "lang": "en", "text": "i am from nigeria but i have no training",
     "expect": "no"},
    {"check": "match", "step": "worker_from", "lang": "nl", "text": "ik kom uit senegal maar heb geen opleiding",
     "expect": "no"},
    # ... but not at a step with named answers: the country said first still counts
    {"check": "ed4d", "step": "origin", "lang": "en", "text": "my family is ethiopian but I was born in NL",
     "expect": "ethiopia"},
    {"check": "family", "step": "travel", "lang": "nl", "text": "weet ik nog niet", "expect": "dont_know"},
    # a yes-word negated ('negation:' words) is a no
    {"check": "return", "step": "voluntary", "lang": "nl", "text": "zeker niet", "expect": "no"},
    {"check": "return", "step": "voluntary", "lang": "en", "text": "of course not, the ind says i must go",
     "expect": "no"},
    # after the crisis reply a long story still answers the step with a phrase the step lists
    {"check": "return", "step": "vulnerable", "lang": "en",
     "text": "a man brought me to this country and took my passport, he made me work every day without pay",
     "expect": "yes"},
    # a question about the step's own words asks, it does not answer (check_answers4, a tuning set)
    {"check": "return", "step": "vulnerable", "lang": "en", "text": "what does trafficking mean?",
     "expect": "new_question"},
    {"check": "return", "step": "vulnerable", "lang": "nl", "text": "ben je ziek als je diabetes hebt?",
     "expect": "new_question"},
    # a phrase written only right after a negation word does not count ("not Nigeria"; check_answers2)
    {"check": "cd4d", "step": "origin", "lang": "en", "text": "Niger, not Nigeria", "expect": "other"},
    {"check": "cd4d", "step": "origin", "lang": "nl", "text": "niet nigeria maar niger", "expect": "other"},
    {"check": "cd4d", "step": "origin", "lang": "en", "text": "nigeria", "expect": "nigeria"},
    # ... nor right after a negation and a short word; a negated yes alone is a no (check_answers9)
    {"check": "return", "step": "origin", "lang": "en", "text": "I want to go to Spain, not to my own country",
     "expect": "no"},
    # a longer phrase of another answer wins over the phrase inside it: "bedrijf" in "geen bedrijf" (check_answers6)
    {"check": "match", "step": "who", "lang": "nl", "text": "geen bedrijf en ik zoek ook geen werk, ik ben onderzoeker",
     "expect": "other"},
    {"check": "match", "step": "who", "lang": "nl", "text": "ik heb een bedrijf in delft", "expect": "company"},
    # "maybe" late in a clear answer does not make it a "don't know"; at the start it does (check_answers6)
    {"check": "return", "step": "origin", "lang": "en", "text": "not my country, it is not safe. maybe to turkey",
     "expect": "no"},
    {"check": "return", "step": "origin", "lang": "en", "text": "maybe, i am not sure yet", "expect": "dont_know"},
    # "graag" is a yes in Dutch (check_answers3)
    {"check": "family", "step": "travel", "lang": "nl",
     "text": "graag, ze spreken geen engels en hebben nooit gevlogen", "expect": "yes"},
]


def outcome_or_step(engine: Engine, check: str, step: str, key: str) -> tuple[str | None, str | None]:
    option = next(o for o in engine.content.checks[check].steps[step].options if o.key == key)
    return option.next_step, option.outcome


@pytest.mark.parametrize("case", TYPED, ids=[f"{c['check']}.{c['step']}.{c['lang']}: {c['text']}" for c in TYPED])
def test_a_typed_answer_moves_the_check_on(shipped_engine: Engine, case: dict[str, Any]) -> None:
    check, step, lang, expected = case["check"], case["step"], case["lang"], str(case["expect"])
    before = ChatState(lang=lang, lang_locked=True, check=check, step=step, topic=None)
    after, replies = shipped_engine.handle(before, TextIn(case["text"]), lang)
    asked_again = after.check == check and after.step == step
    if expected == "new_question":
        assert asked_again or after.check is None and replies[-1].trace is not None \
            and not any(r.trace is not None and r.trace.decision == "outcome" for r in replies)
        return
    if expected == "dont_know":
        assert asked_again
        assert plain_text(Texts(shipped_engine.content, lang)("check_dont_know")) in plain_text(replies[-1].text)
        return
    next_step, outcome = outcome_or_step(shipped_engine, check, step, expected)
    if next_step is not None:
        assert (after.check, after.step) == (check, next_step)
    else:
        assert after.check is None
        texts = shipped_engine.content.check_texts[(check, lang)]
        assert texts.outcomes[outcome or ""] in [r.text for r in replies]  # a language note may follow it


@pytest.mark.parametrize("text", ["how to write a cv in dutch", "do I need to speak dutch for the job",
                                  "is de cursus in het nederlands?", "hoe schrijf ik een cv in het nederlands",
                                  "ik leer nederlands op school en zoek werk daarna"])
def test_a_question_about_a_language_is_no_request_to_switch(shipped_engine: Engine, text: str) -> None:
    start = "en" if "dutch" in text or "cv in dutch" in text else "nl"
    state, _ = shipped_engine.handle(ChatState(lang=start), TextIn(text), None)
    assert not state.lang_locked  # the bot did not take it as "write in this language from now on"
