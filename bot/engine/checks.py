"""Guided eligibility checks: ask a step's question, read the answer (button or typed), end in an outcome."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz.distance import OSA, Levenshtein

from bot.content.model import CheckOption, CheckStep, CheckTexts, Content, GuidedCheck, LanguagePack
from bot.engine.buttons import MENU, STOP, Codec
from bot.engine.replies import Button, Reply, Trace
from bot.engine.safety import words_of
from bot.engine.state import ChatState
from bot.engine.texts import Texts
from bot.html import escape

YES_NO = ("yes", "no")
MAX_TYPED_WORDS = 12  # longer typed messages are questions, not answers
NEGATION_GAP = 4  # "not to my country": a word this short may stand between a negation and what it negates


def check_texts(content: Content, check: GuidedCheck, lang: str) -> CheckTexts | None:
    """The texts of a check in ``lang`` (or in any language, with content that skipped checking)."""
    found = content.check_texts.get((check.id, lang))
    return found or next((t for (cid, _), t in content.check_texts.items() if cid == check.id), None)


def option_label(texts: Texts, ctexts: CheckTexts | None, key: str) -> str:
    """The button label of an answer: the check's own label, else Yes/No, else the id."""
    if ctexts is not None and key in ctexts.options:
        return ctexts.options[key]
    if key in YES_NO:
        return texts(key)
    return key.replace("_", " ").capitalize()


def _trace(content: Content, check: GuidedCheck, lang: str, decision: str) -> Trace:
    answer = content.answers.get((check.intent, lang))
    return Trace(check.intent, decision, 1.0, lang, answer.source if answer else f"check {check.id}")


def question_reply(content: Content, codec: Codec, texts: Texts, check: GuidedCheck, step_id: str,
                   first: bool = False, note: str = "") -> Reply:
    """The question of ``step_id`` with one button per answer and a stop button."""
    ctexts = check_texts(content, check, texts.lang)
    step = check.steps[step_id]
    question = ctexts.questions.get(step_id, step_id) if ctexts else step_id
    parts = [note] if note else []
    if first and ctexts is not None:
        parts.append(f"<b>{escape(ctexts.title)}</b>" + (f"\n{ctexts.intro}" if ctexts.intro else ""))
    parts.append(question)
    buttons = [Button(option_label(texts, ctexts, o.key), data=codec.answer(check.id, step_id, o.key))
               for o in step.options]
    yes_no = all(o.key in YES_NO for o in step.options)
    rows = [tuple(buttons)] if yes_no else [(b,) for b in buttons]
    rows.append((Button(texts("check_stop"), data=STOP),))
    return Reply("\n\n".join(parts), tuple(rows), _trace(content, check, texts.lang, "check"))


def outcome_reply(content: Content, texts: Texts, check: GuidedCheck, outcome: str) -> Reply:
    """The text of an outcome, with the links of the topic and of the contact answer."""
    ctexts = check_texts(content, check, texts.lang)
    text = ctexts.outcomes.get(outcome, outcome) if ctexts else outcome
    rows: list[tuple[Button, ...]] = []
    seen: set[str] = set()
    for intent in (check.intent, "contact"):
        answer = texts.answer(intent)
        for link in answer.links if answer else ():
            if link.url not in seen:
                seen.add(link.url)
                rows.append((Button(link.label, url=link.url),))
    rows.append((Button(texts("menu_button"), data=MENU),))
    return Reply(text, tuple(rows), _trace(content, check, texts.lang, "outcome"))


def start(state: ChatState, content: Content, codec: Codec, texts: Texts,
          check: GuidedCheck) -> tuple[ChatState, Reply]:
    """Begin a check at its first step."""
    state = replace(state, check=check.id, step=check.start, misses=0, topic=check.intent)
    return state, question_reply(content, codec, texts, check, check.start, first=True)


def choose(state: ChatState, content: Content, codec: Codec, texts: Texts,
           option: CheckOption) -> tuple[ChatState, Reply]:
    """Follow an answer of the current step: to the next question, or to an outcome (ending the check)."""
    check = content.checks[state.check or ""]
    if option.next_step is not None:
        return replace(state, step=option.next_step), question_reply(content, codec, texts, check, option.next_step)
    return replace(state, check=None, step=None), outcome_reply(content, texts, check, option.outcome or "")


def current(state: ChatState, content: Content) -> tuple[GuidedCheck, CheckStep] | None:
    """The check and step awaiting an answer, if any."""
    check = content.checks.get(state.check or "")
    step = check.steps.get(state.step or "") if check else None
    return (check, step) if check and step else None


@dataclass(frozen=True)
class Typed:
    """How a typed message answers a step: an answer, or 'I don't know' at a step without such an answer.

    ``sure`` is False for an answer read from a longer message (a yes/no word somewhere in it): a clear
    question of its own then wins."""

    option: CheckOption | None
    sure: bool = True
    dont_know: bool = False
    phrase: bool = False  # read from a phrase the step itself lists under ``typed:`` (in a longer message)


DONT_KNOW_KEYS = ("not_sure", "dont_know", "unknown", "unsure")
DONT_KNOW = "dont_know"  # the person does not know, at a step without such an answer: ask again, kindly
OTHER = "other"  # the answer for anything not listed ("Another country")
SHORT_ANSWER_WORDS = 3
QUESTION_MIN_WORDS = 3  # a question this long that does not start with yes or no is not an answer
DONT_KNOW_LEAD = 3  # "don't know" decides when it starts within this many words; later ("... maybe to turkey") last


def short_answer(text: str) -> bool:
    """A few words and no question mark: reads as an answer, not as a question."""
    return "?" not in text and 0 < len(words_of(text)) <= SHORT_ANSWER_WORDS


def typed_option(text: str, content: Content, check: GuidedCheck, step: CheckStep, lang: str) -> Typed | None:
    """The answer meant by a typed message, or None when it is not an answer (a new question).

    In order: the number of an answer; its label (any language); "don't know" (``dont_know:`` words); a
    phrase the check's texts list under ``typed:`` for the step; a label or an option id inside the message,
    also misspelt; a yes/no word first; a no-word (negation) or a yes-word anywhere. A question of
    QUESTION_MIN_WORDS or more that does not start with yes or no is no answer."""
    words = words_of(text)
    packs = sorted(content.packs.values(), key=lambda p: p.code != lang)
    if not words:
        return None
    if len(words) > MAX_TYPED_WORDS:  # a story: its first word, else a phrase of the step (a question wins)
        return _leading_yes_no(words, content, step) or _phrase_answer(words, packs, content, check, step)
    said = " ".join(words)
    padded = f" {said} "
    if said.isdigit():
        n = int(said)
        return Typed(step.options[n - 1]) if 1 <= n <= len(step.options) else None
    labels = {o.key: _labels(content, check, o) for o in step.options}
    for option in step.options:
        if said in labels[option.key]:
            return Typed(option)
    unsure = _dont_know(words, packs, step)
    if unsure is not None and unsure[0] < DONT_KNOW_LEAD:
        return unsure[1]
    by_key = {o.key: o for o in step.options}
    yes, no = ({" ".join(words_of(w)) for p in packs for w in getattr(p, attr)} for attr in ("yes_words", "no_words"))
    first_yes, first_no = _is_one_of(words[0], yes), _is_one_of(words[0], no)
    negations = {w for p in packs for w in p.negation_words}
    if _negated_yes(words, yes, negations) and "no" in by_key:  # "zeker niet", "of course not"
        return Typed(by_key["no"])
    if first_no and not first_yes and "no" in by_key:  # "nee, de IND zegt ..." : the first word decides
        return Typed(by_key["no"])
    if first_yes and not first_no and "yes" in by_key:
        return Typed(by_key["yes"])
    question = "?" in text
    if question and len(words) >= QUESTION_MIN_WORDS:
        return None  # "wat is mensenhandel precies?" asks about the step, it does not answer it
    found = _phrase_answer(words, packs, content, check, step)
    if found is not None:
        return Typed(found.option)
    if not question:
        hits = [o for o in step.options if o.key not in YES_NO and _mentions(words, labels[o.key])]
        if len(hits) == 1:
            return Typed(hits[0], sure=len(words) <= 3)
    if question:
        return None
    if any(_contains(padded, w) for w in no) and "no" in by_key:
        return Typed(by_key["no"], sure=False)
    if any(_contains(padded, w) for w in yes) and "yes" in by_key:
        return Typed(by_key["yes"], sure=False)
    return unsure[1] if unsure is not None else None


def _dont_know(words: list[str], packs: list[LanguagePack], step: CheckStep) -> tuple[int, Typed] | None:
    """Where a "don't know" phrase (``dont_know:`` words) starts in the message, and the answer it gives: the
    step's own "don't know" answer, or a request to show the answers again."""
    at = [k for p in packs for phrase in p.dont_know_words for k in _starts(words, _phrase_words(phrase), _same_word)]
    if not at:
        return None
    known = next((o for o in step.options if o.key in DONT_KNOW_KEYS), None)
    return min(at), Typed(known) if known else Typed(None, dont_know=True)


def _leading_yes_no(words: list[str], content: Content, step: CheckStep) -> Typed | None:
    """A long message that starts with yes or no ("no, I got a letter that ..."): that answer."""
    by_key = {o.key: o for o in step.options}
    for key, attr in (("yes", "yes_words"), ("no", "no_words")):
        wanted = {" ".join(words_of(w)) for p in content.packs.values() for w in getattr(p, attr)}
        if key in by_key and len(words[0]) > 1 and _is_one_of(words[0], wanted):
            return Typed(by_key[key])
    return None


def _negated_yes(words: list[str], yes: set[str], negations: set[str]) -> bool:
    """The message starts with a yes-word or phrase and a negation (``negation:`` words) right after it: "zeker
    niet", "absolutely not", "of course not"."""
    return any(len(words) > len(lead) and words[:len(lead)] == lead and words[len(lead)] in negations
               for lead in (phrase.split() for phrase in yes))


def _is_one_of(word: str, wanted: set[str]) -> bool:
    """The word is one of ``wanted``, or a slip of one (a letter off, for words of 3 letters or more)."""
    return word in wanted or (len(word) >= 3 and any(
        len(w) >= 3 and " " not in w and OSA.distance(word, w) <= 1 for w in wanted))


@lru_cache(maxsize=16_384)
def _phrase_words(phrase: str) -> tuple[str, ...]:
    """A content phrase's words, folded once (the typed lists are read for every typed answer)."""
    return tuple(words_of(phrase))


def _contains(padded: str, phrase: str) -> bool:
    """The phrase's words in a row in the message; words of 4 letters or more may have one slip."""
    wanted = _phrase_words(phrase)
    if not wanted:
        return False
    return _written_in(padded, phrase) or bool(_starts(padded.split(), wanted, _same_word))


def _starts(words: Sequence[str], wanted: Sequence[str], same: Callable[[str, str], bool] = str.__eq__) -> list[int]:
    """Where ``wanted`` (a word or more) starts in ``words``, each word compared with ``same``."""
    n = len(wanted)
    return [k for k in range(len(words) - n + 1)
            if n and all(same(w, x) for w, x in zip(words[k:k + n], wanted, strict=True))]


def _written_in(padded: str, phrase: str) -> bool:
    """The phrase's words in a row in the message, exactly as written."""
    wanted = _phrase_words(phrase)
    return bool(wanted) and f" {' '.join(wanted)} " in padded


def _same_word(word: str, wanted: str) -> bool:
    return word == wanted or (len(wanted) >= 4 and len(word) >= 4 and OSA.distance(word, wanted) <= 1)


def _labels(content: Content, check: GuidedCheck, option: CheckOption) -> set[str]:
    """The option's id and its label in every language, as normalised words."""
    labels = {option.key.replace("_", " ")}
    for pack in content.packs.values():
        ctexts = check_texts(content, check, pack.code)
        labels.add(" ".join(words_of(option_label(Texts(content, pack.code), ctexts, option.key))))
    return {label for label in labels if label}


def _phrase_answer(words: list[str], packs: list[LanguagePack], content: Content, check: GuidedCheck,
                   step: CheckStep) -> Typed | None:
    """The answer a ``typed:`` phrase of the step gives, as a loose reading (a clear question wins). At a yes/no
    step what follows "but" decides ("from Nigeria but no training")."""
    padded = f" {' '.join(words)} "
    yes_no = all(o.key in YES_NO for o in step.options)
    phrase = (_typed_phrase(_after_contrast(words, packs), content, check, step.id) if yes_no else None) or \
        _typed_phrase(padded, content, check, step.id)
    option = next((o for o in step.options if o.key == phrase), None)
    return Typed(option, sure=False, phrase=True) if option is not None else None


def _after_contrast(words: list[str], packs: list[LanguagePack]) -> str:
    """The words after the last "but" ("maar", ...) of the message, padded; empty when it has none."""
    contrast = {w for p in packs for w in p.contrast_words}
    last = max((k for k, w in enumerate(words) if w in contrast), default=-1)
    return f" {' '.join(words[last + 1:])} " if 0 <= last < len(words) - 1 else ""


def _typed_phrase(padded: str, content: Content, check: GuidedCheck, step_id: str) -> str | None:
    """The answer whose ``typed:`` phrase (any language) is in the message: a phrase written exactly before a
    misspelt one ("employer" is not a slip of "employee"), a named answer before "other", then the longest."""
    if not padded.strip():
        return None
    negations = {w for p in content.packs.values() for w in p.negation_words}
    written = [(key, phrase) for (cid, _), ctexts in content.check_texts.items() if cid == check.id
               for key, phrases in ctexts.typed.get(step_id, {}).items() for phrase in phrases
               if _contains(padded, phrase)]
    found = [(key, phrase) for key, phrase in written if not _only_negated(padded, phrase, negations)]
    # a phrase inside a longer one found for another answer says less: "bedrijf" in "geen bedrijf"
    found = [(key, phrase) for key, phrase in found
             if not any(other != key and _inside(phrase, longer) and _written_in(padded, longer)
                        for other, longer in found)]
    ranks = [(_written_in(padded, phrase), key != OTHER, len(phrase), key) for key, phrase in found]
    if not ranks and {o.key for o in check.steps[step_id].options} == set(YES_NO) and \
            any(key == "yes" for key, _ in written):
        return "no"  # only a negated yes: "not to my own country"
    return max(ranks)[3] if ranks else None


def _inside(phrase: str, longer: str) -> bool:
    """The phrase's words in a row within a longer phrase."""
    short, long_ = _phrase_words(phrase), _phrase_words(longer)
    return len(short) < len(long_) and bool(_starts(long_, short))


def _only_negated(padded: str, phrase: str, negations: set[str]) -> bool:
    """Every place the phrase is written comes right after a negation word, or after one and a short word: "Niger,
    not Nigeria" does not say Nigeria, nor does "not to my own country" say "my own country"."""
    words = padded.split()
    at = _starts(words, _phrase_words(phrase))
    return bool(at) and all((k > 0 and words[k - 1] in negations) or
                            (k > 1 and words[k - 2] in negations and len(words[k - 1]) <= NEGATION_GAP)
                            for k in at)


def _mentions(words: list[str], labels: set[str]) -> bool:
    """A label inside the message, or a word of the message within one or two letters of a one-word label."""
    padded = f" {' '.join(words)} "
    for label in labels:
        if f" {label} " in padded:
            return True
        if " " not in label and len(label) >= 4 and any(
                len(w) >= 4 and Levenshtein.distance(w, label) <= (1 if len(label) < 8 else 2) for w in words):
            return True
    return False


def paths(check: GuidedCheck) -> list[tuple[tuple[tuple[str, str], ...], str]]:
    """Every way through a check: the (step, answer) pairs taken and the outcome reached."""
    found: list[tuple[tuple[tuple[str, str], ...], str]] = []

    def walk(step_id: str, taken: tuple[tuple[str, str], ...]) -> None:
        if step_id in {s for s, _ in taken}:
            return  # a cycle; `faqbot check` reports it
        for option in check.steps[step_id].options:
            here = (*taken, (step_id, option.key))
            if option.outcome is not None:
                found.append((here, option.outcome))
            elif option.next_step is not None and option.next_step in check.steps:
                walk(option.next_step, here)

    if check.start in check.steps:
        walk(check.start, ())
    return found
