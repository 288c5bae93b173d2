"""Conversation benchmark: follow-ups in multi-turn dialogues, messages in other languages, typed answers in
guided checks. Writes its section of docs/performance.md (`make bench`) or prints it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.sections import write_section  # noqa: E402
from bot.content import load_content  # noqa: E402
from bot.engine import ChatState, Engine, TextIn  # noqa: E402
from bot.engine.dialogues import Turn, evaluate_dialogues, judge, parse_dialogues, what_the_bot_did  # noqa: E402
from bot.nlu import Understander  # noqa: E402

DATA = ROOT / "tests" / "data"
# Tuning sets (their misses were read) first, then the measure-only ones (only their totals are looked at).
BENCH = ROOT / "bench" / "data"
DIALOGUES = {"dialogues": DATA / "dialogues.yaml", "dialogues2": BENCH / "dialogues2.yaml",
             "dialogues3": BENCH / "dialogues3.yaml", "dialogues4": BENCH / "dialogues4.yaml",
             "dialogues5": BENCH / "dialogues5.yaml", "dialogues6": BENCH / "dialogues6.yaml",
             "dialogues7": BENCH / "dialogues7.yaml", "dialogues8": BENCH / "dialogues8.yaml",
             "dialogues9": BENCH / "dialogues9.yaml", "dialogues10": BENCH / "dialogues10.yaml",
             "dialogues11": BENCH / "dialogues11.yaml", "dialogues12": BENCH / "dialogues12.yaml",
             "dialogues13": BENCH / "dialogues13.yaml"}
TYPED_ANSWERS = {"check_answers": DATA / "check_answers.yaml",
                 "check_answers2": BENCH / "check_answers2.yaml", "check_answers3": BENCH / "check_answers3.yaml",
                 "check_answers4": BENCH / "check_answers4.yaml", "check_answers5": BENCH / "check_answers5.yaml",
                 "check_answers6": BENCH / "check_answers6.yaml", "check_answers7": BENCH / "check_answers7.yaml",
                 "check_answers8": BENCH / "check_answers8.yaml", "check_answers9": BENCH / "check_answers9.yaml",
                 "check_answers10": BENCH / "check_answers10.yaml", "check_answers11": BENCH / "check_answers11.yaml",
                 "check_answers12": BENCH / "check_answers12.yaml"}


def pct(part: float, whole: float) -> str:
    return f"{part / whole:.1%}" if whole else "-"


def dialogue_lines(engine: Engine, sets: dict[str, Path]) -> list[str]:
    lines = ["| set | language | dialogues' turns | follow-ups | within the right topic | exactly right | "
             "all turns right |", "|---|---|---:|---:|---:|---:|---:|"]
    for name, path in sets.items():
        lines += _dialogue_rows(engine, name, path)
    return lines


def _dialogue_rows(engine: Engine, name: str, path: Path) -> list[str]:
    report = evaluate_dialogues(engine, parse_dialogues(path.read_text(encoding="utf-8")))
    lines = []
    for lang in sorted(report.turns):
        lines.append(f"| {name} | {lang} | {report.turns[lang]} | {report.followups[lang]} | "
                     f"{pct(report.followups_in_topic[lang], report.followups[lang])} | "
                     f"{pct(report.followups_right[lang], report.followups[lang])} | "
                     f"{pct(report.right[lang], report.turns[lang])} |")
    return lines


def other_language_lines(engine: Engine) -> list[str]:
    messages = yaml.safe_load((DATA / "other_languages.yaml").read_text(encoding="utf-8"))["messages"]
    foreign = [m for m in messages if not m.get("switch_to")]
    switches = [m for m in messages if m.get("switch_to")]
    replied = named = 0
    for m in foreign:
        _, replies = engine.handle(None, TextIn(m["text"]), None)
        trace = replies[0].trace
        replied += trace is not None and trace.decision == "other_language"
        named += trace is not None and trace.lang == m["lang"]
    switched = sum(engine.handle(ChatState(lang="en" if m["switch_to"] == "nl" else "nl"), TextIn(m["text"]),
                                 None)[0].lang == m["switch_to"] for m in switches)
    langs = len({m["lang"] for m in foreign})
    return [f"Messages in {langs} other languages ({len(foreign)}): {pct(replied, len(foreign))} got the \"languages I "
            f"understand\" reply (never an answer); {pct(named, len(foreign))} with the language named right. "
            f"Requests to switch between Dutch and English ({len(switches)}): {pct(switched, len(switches))} switched."]


def typed_answer_lines(engine: Engine, sets: dict[str, Path]) -> list[str]:
    lines = []
    for name, path in sets.items():
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]
        right = sum(_typed_right(engine, case) for case in cases)
        lines.append(f"Typed answers to guided-check questions, {name} ({len(cases)}, both languages, all 5 checks): "
                     f"{pct(right, len(cases))} moved the check on as the person meant (or, for a new question or "
                     f"\"don't know\", did not).")
    return lines


def _typed_right(engine: Engine, case: dict[str, str]) -> bool:
    """Whether one typed answer moved its check on as the person meant."""
    check, step, lang, expected = case["check"], case["step"], case["lang"], str(case["expect"])
    before = ChatState(lang=lang, lang_locked=True, check=check, step=step)
    after, replies = engine.handle(before, TextIn(case["text"]), lang)
    stayed = after.check == check and after.step == step
    if expected in ("new_question", "dont_know"):
        return stayed or after.check is None and replies[-1].trace is not None \
            and not any(r.trace is not None and r.trace.decision == "outcome" for r in replies)
    option = next(o for o in engine.content.checks[check].steps[step].options if o.key == expected)
    if option.next_step is not None:
        return (after.check, after.step) == (check, option.next_step)
    texts = engine.content.check_texts[(check, lang)]
    # the outcome, possibly followed by a note (the offer to switch language after an answer typed in the other one)
    return after.check is None and any(r.text == texts.outcomes[option.outcome or ""] for r in replies)


SENSITIVE = BENCH / "sensitive.yaml"  # tuning set: its misses were read


def sensitive_lines(engine: Engine, path: Path) -> list[str]:
    """Messages about danger, distress, the police or the chat itself, each from a fresh chat: the crisis reply when
    one is expected (and only then), an answer of the expected topic or none when none is expected, the kind's
    referral when one is expected."""
    questions = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    found = expected = alarms = calm = answered = kinds = with_kind = 0
    for q in questions:
        _, replies = engine.handle(None, TextIn(q["text"]), q["lang"])
        crises = {r.trace.decision.split(":", 1)[1] for r in replies
                  if r.trace is not None and r.trace.decision.startswith("crisis:")}
        if q.get("crisis"):
            expected += 1
            found += q["crisis"] in crises
        else:
            calm += 1
            alarms += bool(crises)
        decision, intent = what_the_bot_did(replies)
        wanted = q.get("intent") or []
        answered += judge(Turn(q["text"], tuple(wanted if isinstance(wanted, list) else [wanted])), decision,
                          intent)[0]
        if q.get("topic"):
            with_kind += 1
            kinds += decision == f"referral:{q['topic']}"
    return [f"Sensitive messages, `sensitive.yaml` ({len(questions)}, a tuning set: danger, despair, grief, the "
            f"police, trust in the chat; half of them indirect or misspelt): the crisis reply for "
            f"{pct(found, expected)} of the {expected} that need one, a crisis reply to {pct(alarms, calm)} of the "
            f"{calm} that do not (\"sos what is the difference between cd4d and ed4d\" gets one, and its answer); "
            f"the expected answer, or none, for {pct(answered, len(questions))}; the expected referral for "
            f"{pct(kinds, with_kind)} of the {with_kind} of a near-domain kind."]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, default=None, help="write the section of this Markdown file")
    args = parser.parse_args()
    content = load_content(ROOT)
    engine = Engine(content, Understander(content))
    lines = ["## Conversations (bench/dialogues.py)", "",
             "On sets written by helpers who never saw `intents/` or the code. `tests/data/dialogues.yaml`, "
             "`other_languages.yaml` and `check_answers.yaml`: their misses were read while building the follow-up, "
             "language and check rules, so they are **tuning sets** and flatter the bot; so are "
             "`bench/data/dialogues2.yaml`, `check_answers2.yaml` and `check_answers3.yaml` (measure-only until their "
             "misses were read, on 2026-12-02). A later helper wrote 93 dialogues and 354 typed answers; each file "
             "was split alternately in two: `dialogues3.yaml` and `check_answers4.yaml` are tuning halves (misses "
             "read), **`dialogues4.yaml`** is measure-only (only its totals are looked at); `check_answers5.yaml` "
             "was measure-only until its one miss was shown by mistake on 2026-12-02, so it is a tuning set now. "
             "Later helpers wrote 70 more dialogues, split alternately into `dialogues5.yaml` and `dialogues6.yaml` "
             "(both tuning now: dialogues6 was measure-only until its Dutch follow-ups scored far below the others "
             "and its misses were read), then **`dialogues7.yaml`** (60 dialogues, 134 follow-ups, measure-only), "
             "208 typed answers split into `check_answers6.yaml` and `check_answers7.yaml` (both tuning now: the "
             "second half's one miss was shown by the same mistake), and then **`check_answers8.yaml`** "
             "(measure-only), and then 60 dialogues split (alternate en/nl pairs) into `dialogues8.yaml` (tuning "
             "half, misses read) and **`dialogues9.yaml`** (measure-only). On 2026-12-02 (evening) helpers wrote 60 "
             "more dialogues, split the same way into `dialogues10.yaml` (tuning half) and **`dialogues11.yaml`** "
             "(measure-only), and 210 typed answers, split alternately into `check_answers9.yaml` (tuning half) and "
             "**`check_answers10.yaml`** (measure-only); then 60 more dialogues into `dialogues12.yaml` (tuning) and "
             "**`dialogues13.yaml`** (measure-only), and 220 typed answers into `check_answers11.yaml` (tuning) and "
             "**`check_answers12.yaml`** (measure-only). The honest figures are those of **dialogues4, dialogues7, "
             "dialogues9, dialogues11, dialogues13, check_answers8, check_answers10 and check_answers12**. "
             "A follow-up is *within "
             "the right topic* when the bot answers one of the expected intents or says that its information "
             "about the expected topic does not have the detail (or answers that topic); *exactly right* asks "
             "for the expected kind of reply.", "",
             *dialogue_lines(engine, DIALOGUES), "", *other_language_lines(engine), "",
             *typed_answer_lines(engine, TYPED_ANSWERS), "", *sensitive_lines(engine, SENSITIVE)]
    print("\n".join(lines))
    if args.write:
        write_section(args.write, "dialogues.py", lines)
        print(f"written to {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
