"""Follow-ups in context: a short message that only makes sense after the last answer is read within its topic.

"wie betaalt de vliegticket?" right after the family-reunification answer is about family reunification,
although alone it reads as a return question; "how long does it take?" alone means nothing. The engine
keeps the last topic of a chat (``ChatState.topic``). A message is read as a follow-up when it is short and
names no other topic: no word that, in the examples, belongs to one other group of topics ("terugkeer",
"cd4d", "thanks", "lawyer" ...). A clear new question therefore always wins; only a follow-up of three words
that opens like one ("ook zieke mensen?") may use such a word, if it is no topic's keyword or title ("en
terugkeer?" is a new question). A follow-up is matched again with the topic's name and keywords added; when
that points into the topic's group it is answered there.
When it asks a detail (how long, how much, where, when: ``detail_words`` in the language file) that only
the topic itself could answer, the bot gives the topic's answer again when the words asked about are in it
("hoeveel landen zijn lid" after the answer that lists the member states), and otherwise says that its
information about the topic does not say, and offers the way onward. So does a short message that points
back at the topic (``refers_back`` words: "mag mijn fiets mee?") but that neither reading places. A question
for another body (a near-domain kind such as other_housing) keeps its referral when the kind is clear; one of a
kind marked ``interrupts: true`` (other_health: "ik ben bang", "i need a doctor") always does.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.content.model import OUT_OF_SCOPE, SMALL_TALK_GROUP, Content, Intent
from bot.engine.safety import words_of
from bot.html import plain_text
from bot.nlu.matcher import normaliser_for
from bot.nlu.result import Understanding

CONTACT = "contact"  # how to reach IOM: a fine answer whatever the topic

FOLLOWUP_MAX_WORDS = 9  # longer messages stand on their own ...
POINTING_MAX_WORDS = 12  # ... unless they point back at the answer ("can he also do it from there")
NAMING_SHARE = 0.9  # a word names a group when at least this share of the examples using it are in that group
NAMING_MIN_USES = 5  # ... and at least this many examples use it
BARE_DETAIL_WORDS = 5  # "hoe lang duurt het?": a detail question this short is a follow-up even if it reads off-topic
CLEAR_SMALL_TALK = 0.95  # small talk this sure ("thanks!") is answered as such, whatever the topic
SMALL_TALK_PAIR = 0.3  # ... or this sure when its runner-up is small talk too ("oke top, doei": goodbye or thanks)
CLEARLY_OFF_TOPIC = 0.01  # a message the matcher is this unsure about, and no detail question, stands alone
SURE_SIBLING = 0.6  # a follow-up moves to a sibling topic of the same group only when the matcher is this sure
STAY_MARGIN = 0.2  # a follow-up stays with the topic itself when it scores within this of the group's best ...
CERTAIN_SIBLING = 0.95  # ... unless the matcher is this sure of the sibling alone
SIBLING_AHEAD = 0.1  # ... and the sibling scores this far ahead of the topic
COMMON_ANSWER_SHARE = 0.25  # a word in more than this share of the answers names no detail ("iom", "help")
OPENER_MAX = 3  # ... a message this short that opens like one ("ook zieke mensen?") even when it names another group
CLEAR_NEW_QUESTION = 0.9  # a question about IOM itself the matcher alone is this sure of, naming it, is a new one
KIND_BELIEVED = 0.115  # a near-domain kind read from a follow-up is believed when the n-gram model gives it this much
INTERRUPT_CHANCE = 0.08  # ... when the n-gram model gives the kind this much, and the message does not point back
KIND_OVER_TOPIC = 0.15  # ... and the decision model gives the best topic less than this ("my passport is verlopen")
KIND_BELIEVED_LEANING = 0.2  # ... or this much when it leans on the topic ("en hoelang mag ik dan blijven")
TITLE_WORD_MIN = 4  # title words shorter than this ("who", "iom") name no topic on their own
PRESENTED_SIBLING = 0.4  # a follow-up the matcher alone gives this surely to a sibling the answer presents goes there
SIBLING_LEAD = 0.03  # a follow-up moves to a sibling that alone scores this far ahead of the topic


def _same_term(asked: str, said: str) -> bool:
    """The same word, or one the start of the other ("lid" / "lidstaten")."""
    return asked == said or (min(len(asked), len(said)) >= 3 and (said.startswith(asked) or asked.startswith(said)))


def is_followup_sized(words: list[str]) -> bool:
    """Short enough to lean on what was said before."""
    return 0 < len(words) <= FOLLOWUP_MAX_WORDS


def names_another_topic(named: set[str], group: str) -> bool:
    """The message names a group other than the current one (small talk and off-topic count too)."""
    return bool(named - {group}) or SMALL_TALK_GROUP in named


@dataclass(frozen=True)
class Reading:
    """A follow-up read within a topic: answer ``intent``, or (``missing``) say the topic does not have it."""

    intent: str
    understanding: Understanding
    missing: bool = False


class TopicWords:
    """Which words name which group of topics, per language, learnt from the content's examples."""

    def __init__(self, content: Content) -> None:
        self.naming: dict[str, dict[str, str]] = {}
        self.vocabulary: dict[str, frozenset[str]] = {}  # the words each language's examples and keywords use
        for lang in content.languages:
            stop = content.packs[lang].stopwords if lang in content.packs else frozenset()
            uses: defaultdict[str, Counter[str]] = defaultdict(Counter)
            everyday: Counter[str] = Counter()  # uses in the general off-topic examples
            for intent in content.intents.values():
                group = OUT_OF_SCOPE if intent.is_out_of_scope else intent.group
                for text in (*intent.examples.get(lang, ()), *intent.keywords.get(lang, ())):
                    for word in set(words_of(text)) - stop:
                        uses[word][group] += 1
                        if intent.id == OUT_OF_SCOPE:
                            everyday[word] += 1
            self.vocabulary[lang] = frozenset(uses)
            self.naming[lang] = {
                word: group for word, counts in uses.items()
                for group, n in counts.most_common(1)
                if sum(counts.values()) >= NAMING_MIN_USES and n / sum(counts.values()) >= NAMING_SHARE
            }
            # Small talk is named by its words apart from everyday messages about them ("what does doei mean?"):
            # "ok thank you brother" thanks, whatever the topic.
            for word, n in everyday.items():
                counts = uses[word] - Counter({OUT_OF_SCOPE: n})
                total = sum(counts.values())
                if word not in self.naming and total >= NAMING_MIN_USES and \
                        counts[SMALL_TALK_GROUP] / total >= NAMING_SHARE:
                    self.naming[lang][word] = SMALL_TALK_GROUP
        self.details = {lang: tuple(words_of(d) for d in content.packs[lang].detail_words)
                        for lang in content.languages if lang in content.packs}
        self.openers = {lang: tuple(words_of(d) for d in content.packs[lang].followup_openers)
                        for lang in content.languages if lang in content.packs}
        # the words of each topic's keywords and answer title ("terugkeer", "cd4d"): they name it outright
        self.keywords: dict[str, dict[str, set[str]]] = {}
        for intent in content.intents.values():
            group = OUT_OF_SCOPE if intent.is_out_of_scope else intent.group
            for lang in content.languages:
                answer = content.answers.get((intent.id, lang))
                stop = content.packs[lang].stopwords if lang in content.packs else frozenset()
                for name in (*intent.keywords.get(lang, ()), answer.title if answer else ""):
                    for word in set(words_of(name)) - stop:
                        self.keywords.setdefault(lang, {}).setdefault(word, set()).add(group)
        self.back_references = {lang: content.packs[lang].back_references
                                for lang in content.languages if lang in content.packs}
        self.group_of = {i.id: (OUT_OF_SCOPE if i.is_out_of_scope else i.group) for i in content.intents.values()}
        # the words of each topic's answer title alone ("match", "reintegration"), less the common ones below
        self.title_words: dict[str, dict[str, set[str]]] = {}
        small = {w for pack in content.packs.values()
                 for w in (*pack.stopwords, *(w for d in pack.detail_words for w in words_of(d)))}
        for (intent_id, lang), answer in content.answers.items():
            for word in {w for w in words_of(answer.title) if len(w) >= TITLE_WORD_MIN} - small:
                self.title_words.setdefault(lang, {}).setdefault(word, set()).add(self.group_of[intent_id])
        # the siblings an overview answer presents by their keywords ("Two projects: CD4D2 ... ED4D ..."; two or
        # more): a follow-up the matcher gives to one of them picks it
        self.presents: dict[tuple[str, str], frozenset[str]] = {}
        for (intent_id, lang), answer in content.answers.items():
            said = set(words_of(plain_text(answer.text)))
            siblings = frozenset(
                other.id for other in content.intents.values()
                if other.id != intent_id and other.group == self.group_of[intent_id]
                and any(named and named <= said for named in (set(words_of(k)) for k in other.keywords.get(lang, ()))))
            if len(siblings) >= 2:
                self.presents[(intent_id, lang)] = siblings
        self.normaliser = normaliser_for(content)
        self.answer_terms = {(intent, lang): frozenset(self.normaliser.terms(f"{a.title} {plain_text(a.text)}"))
                             for (intent, lang), a in content.answers.items()}
        # the detail questions each answer's text answers ("where" for the answer that names the city)
        self.gives = {(intent, lang): tuple(words_of(g) for g in a.gives)
                      for (intent, lang), a in content.answers.items()}
        self.detail_terms = frozenset(t for pack in content.packs.values() for d in pack.detail_words
                                      for t in self.normaliser.terms(d))
        # words most answers use ("iom", "help") say nothing about which detail is asked
        in_answers = Counter(t for terms in self.answer_terms.values() for t in terms)
        self.common_terms = frozenset(t for t, n in in_answers.items()
                                      if n > COMMON_ANSWER_SHARE * len(self.answer_terms))
        self.small_talk = frozenset(i for i, group in self.group_of.items() if group == SMALL_TALK_GROUP)
        self.interrupting = frozenset(i.id for i in content.intents.values() if i.interrupts)

    def groups_named(self, words: Iterable[str], langs: Iterable[str]) -> set[str]:
        """The groups the words name, in any of ``langs`` (the message's own language first): a word the first
        language's examples use is read in that language only ("who" in an English message is not the WHO of a
        Dutch example)."""
        order = tuple(langs)
        own = self.vocabulary.get(order[0], frozenset()) if order else frozenset()
        found = set()
        for k, lang in enumerate(order):
            naming = self.naming.get(lang, {})
            found |= {naming[w] for w in words if w in naming and (k == 0 or w not in own)}
        return found

    def title_groups(self, words: Iterable[str], langs: Iterable[str]) -> set[str]:
        """The groups whose answers' titles use the words ("match" for the MATCH project)."""
        return {group for lang in langs for w in words if w not in self.common_terms
                for group in self.title_words.get(lang, {}).get(w, ())}

    def keyword_groups(self, words: Iterable[str], langs: Iterable[str]) -> set[str]:
        """The groups whose topics' keywords the words include ("terugkeer", "cd4d")."""
        return {group for lang in langs for w in words for group in self.keywords.get(lang, {}).get(w, ())}

    def opens_followup(self, words: list[str], langs: Iterable[str]) -> bool:
        """True when the message starts the way follow-ups do ("and ...", "en ...", "what about ...")."""
        return any(opener and words[:len(opener)] == list(opener) for lang in langs
                   for opener in self.openers.get(lang, ()))

    def refers_back(self, words: list[str], langs: Iterable[str]) -> bool:
        """True when the message points back at the last answer ("they", "daar", "mee")."""
        return any(not self.back_references.get(lang, frozenset()).isdisjoint(words) for lang in langs)

    def asks_detail(self, words: list[str], langs: Iterable[str]) -> bool:
        """True when the message asks for a detail (how long, how much, where, ...)."""
        padded = f" {' '.join(words)} "
        return any(f" {' '.join(detail)} " in padded for lang in langs for detail in self.details.get(lang, ())
                   if detail)


    def read(self, topic: Intent, lang: str, text: str, alone: Understanding,
             anchored: Callable[[], Understanding]) -> Reading | None:
        """Read ``text`` as a follow-up on ``topic``, or None when it stands on its own.

        ``alone``: how the message is understood by itself; ``anchored()``: with the topic's name added."""
        words = words_of(text)
        langs = (lang, *(other for other in self.naming if other != lang))
        refers_back = self.refers_back(words, langs)
        opens = self.opens_followup(words, langs)
        if alone.decision == "none" and alone.topic in self.interrupting and alone.topic_chance >= INTERRUPT_CHANCE \
                and not (refers_back or opens):
            return None  # a kind that interrupts any topic ("ik ben bang", "i need a doctor"): its referral
        if not is_followup_sized(words) and not (len(words) <= POINTING_MAX_WORDS and refers_back):
            return None
        # A word that names another group makes a new question ("en terugkeer?"), unless the message is a very short
        # follow-up that uses no topic's keyword: "ook zieke mensen?" after resettlement asks about resettlement.
        named = self.groups_named(words, langs)
        if alone.decision == "none" and alone.topic is not None:
            named = named - {OUT_OF_SCOPE}  # a near-domain kind's words ("loan"): whether it is believed decides, below
        if names_another_topic(named, topic.group) and not (
                len(words) <= OPENER_MAX and opens and SMALL_TALK_GROUP not in named and
                not self.keyword_groups(words, langs) - {topic.group}):
            return None
        answered = alone.intent if alone.decision == "answer" else None
        asks_detail = self.asks_detail(words, langs)
        if answered == CONTACT or (answered in self.small_talk and alone.confidence >= (
                SMALL_TALK_PAIR if len(alone.candidates) > 1 and alone.candidates[1].intent in self.small_talk
                else CLEAR_SMALL_TALK)):
            return None  # how to reach IOM, or clear small talk, whatever the topic
        # A question about IOM itself (the group of the contact answer) that the matcher alone is sure of, that names
        # it by a keyword or title word and does not point back, is a new one: "door wie wordt iom betaald" after the
        # return answer asks about funding. (For every group this lost follow-ups: "wie betaalt de vliegticket".)
        answered_group = self.group_of.get(answered or "")
        if answered is not None and answered_group == self.group_of.get(CONTACT) != topic.group and \
                not refers_back and alone.confidence >= CLEAR_NEW_QUESTION and \
                answered_group in self.keyword_groups(words, langs):
            return None
        # So is any question the matcher alone is sure of that names its topic by a word of the answer's title ("and
        # what is the MATCH project?" after the funding answer).
        if answered is not None and answered_group != topic.group and alone.confidence >= CLEAR_NEW_QUESTION and \
                answered_group in self.title_groups(words, langs):
            return None
        # A question for another body (a near-domain kind: "waar kan ik vannacht slapen", "ik heb een huis nodig")
        # stands alone and gets its referral, when the kind is clear. One found only faintly in a message this short
        # is not believed ("do they give loans?" after the entrepreneurs' programme): the topic decides.
        leans = opens or (asks_detail and refers_back)
        if alone.decision == "none" and alone.topic is not None and alone.confidence < KIND_OVER_TOPIC and \
                alone.topic_chance >= (KIND_BELIEVED_LEANING if leans else KIND_BELIEVED):
            return None
        off_topic = alone.confidence < CLEARLY_OFF_TOPIC and not opens
        # Off-topic on its own stands alone. A detail question this short ("hoe lang duurt het?") leans on the topic
        # even so, as does a message that points back at it ("mag mijn fiets mee?", "they give dutch lessons?").
        if alone.decision == "none" and off_topic and not refers_back and \
                not (asks_detail and len(words) <= BARE_DETAIL_WORDS):
            return None
        if answered is not None and self.group_of.get(answered) == topic.group:
            return self._within_group(topic, alone, answered)
        sibling = self._sibling_ahead(topic, alone)
        if sibling is not None and not asks_detail:
            return Reading(sibling, alone)
        return self._anchored(topic, anchored(), asks_detail, text, refers_back)

    def _sibling_ahead(self, topic: Intent, alone: Understanding) -> str | None:
        """A sibling of the topic that the message alone clearly prefers to the topic ("and business help later?"
        after the journey's answer is about reintegration): the topic's words added would drown it."""
        in_group = [c for c in alone.candidates if self.group_of.get(c.intent) == topic.group]
        if not in_group or in_group[0].intent == topic.id:
            return None
        own = next((c.score for c in alone.candidates if c.intent == topic.id),
                   min((c.score for c in alone.candidates), default=0.0))
        return in_group[0].intent if in_group[0].score - own >= SIBLING_LEAD else None

    def _within_group(self, topic: Intent, alone: Understanding, answered: str) -> Reading | None:
        """Answered within the topic's group by itself: the topic itself when about as good, or when the matcher
        is not sure of the sibling."""
        own = next((c.score for c in alone.candidates if c.intent == topic.id), None)
        best = alone.candidates[0].score if alone.candidates else 0.0
        close = own is not None and own >= best - STAY_MARGIN
        ahead = own is None or best - own >= SIBLING_AHEAD
        if answered != topic.id and alone.confidence >= CERTAIN_SIBLING and ahead:
            return None  # "and after I arrive, help for a job there?" after the journey's answer: reintegration
        if answered == topic.id or not (close or alone.confidence < SURE_SIBLING):
            return None
        if answered in self.presents.get((topic.id, alone.lang), ()) and alone.confidence >= PRESENTED_SIBLING:
            return None  # "tell me more about the one for business people" after the answer presenting ED4D
        return Reading(topic.id, alone)

    def _anchored(self, topic: Intent, anchored: Understanding, asks_detail: bool, text: str,
                  refers_back: bool) -> Reading | None:
        """Matched with the topic's name added: the best topic of its group (the topic itself when about as
        good); a detail the topic alone could answer is not in its information, nor is one the topic still does
        not place when the message points back at it."""
        in_group = [c for c in anchored.candidates if self.group_of.get(c.intent) == topic.group]
        target = in_group[0].intent if in_group else None
        if any(c.intent == topic.id and c.score >= in_group[0].score - STAY_MARGIN for c in in_group):
            target = topic.id
        if target == topic.id and asks_detail and anchored.decision != "none" and \
                self.answer_has(topic.id, anchored.lang, text):
            return Reading(target, anchored)  # the detail is in the topic's answer: give it again
        if target is None or anchored.decision == "none" or (target == topic.id and asks_detail):
            return Reading(topic.id, anchored, missing=True) if asks_detail or refers_back else None
        return Reading(target, anchored)

    def answer_has(self, intent: str, lang: str, text: str) -> bool:
        """The words the message asks about (beyond "how many", "where") are in the topic's answer:
        "hoeveel landen zijn lid" after the answer that lists the member states."""
        padded = f" {' '.join(words_of(text))} "
        if any(g and f" {' '.join(g)} " in padded for g in self.gives.get((intent, lang), ())):
            return True  # "where is that?" after the answer that says it is in The Hague (``gives:``)
        asked = [t for t in self.normaliser.terms(text)
                 if t not in self.detail_terms and t not in self.common_terms and not t.isdigit()]
        said = self.answer_terms.get((intent, lang), frozenset())
        return any(_same_term(t, s) for t in asked for s in said)
