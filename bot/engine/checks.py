"""Guided eligibility checks: ask a step's question, read the answer (button or typed), end in an outcome."""

from __future__ import annotations

from dataclasses import replace

from bot.content.model import CheckOption, CheckStep, CheckTexts, Content, GuidedCheck
from bot.engine.buttons import MENU, STOP, Codec
from bot.engine.replies import Button, Reply, Trace
from bot.engine.safety import words_of
from bot.engine.state import ChatState
from bot.engine.texts import Texts
from bot.html import escape

YES_NO = ("yes", "no")
MAX_TYPED_WORDS = 6  # longer typed messages are questions, not answers


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


def typed_option(text: str, content: Content, check: GuidedCheck, step: CheckStep, lang: str) -> CheckOption | None:
    """The answer meant by a typed message: its number, its label, or a yes/no word; else None."""
    words = words_of(text)
    if not words or len(words) > MAX_TYPED_WORDS:
        return None
    said = " ".join(words)
    if said.isdigit():
        n = int(said)
        return step.options[n - 1] if 1 <= n <= len(step.options) else None
    packs = sorted(content.packs.values(), key=lambda p: p.code != lang)
    for option in step.options:
        labels = {option.key.replace("_", " ")}
        for pack in packs:
            ctexts = check_texts(content, check, pack.code)
            labels.add(" ".join(words_of(option_label(Texts(content, pack.code), ctexts, option.key))))
        if said in labels:
            return option
    by_key = {o.key: o for o in step.options}
    for key, attr in (("yes", "yes_words"), ("no", "no_words")):
        if key not in by_key:
            continue
        wanted = {" ".join(words_of(w)) for p in packs for w in getattr(p, attr)}
        if said in wanted or ("?" not in text and words[0] in wanted):
            return by_key[key]
    if "?" in text:
        return None
    hits = [o for o in step.options if o.key not in YES_NO and _mentions(words, content, check, o)]
    return hits[0] if len(hits) == 1 else None


def _mentions(words: list[str], content: Content, check: GuidedCheck, option: CheckOption) -> bool:
    padded = f" {' '.join(words)} "
    for (cid, _), ctexts in content.check_texts.items():
        if cid == check.id and option.key in ctexts.options:
            label = " ".join(words_of(ctexts.options[option.key]))
            if label and f" {label} " in padded:
                return True
    return f" {option.key.replace('_', ' ')} " in padded


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
