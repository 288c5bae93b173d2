"""Fit the decision model (bot/nlu/decision.py) and write bot/nlu/decision_weights.py.

`make calibrate`. A logistic regression (numpy, Newton steps, L2) over the matcher's evidence predicts whether
the best topic is the right answer. It is checked on data it was not fitted on: each tuning set in SETS is left
out in turn, the model fitted on the others (plus typo'd copies made by this script's own simple typo generator,
not by nlpaug, which stays a measuring tool only) and measured on it. The model that ships is then fitted on all
of them (the measure-only sets bench/data/fresh.yaml, fresh4.yaml, fresh5.yaml, fresh6.yaml and fresh8.yaml are never
used). The two probability bars are chosen on the fitted sets: the most strict in-scope answers with off-topic
rejection >= REJECTION_GOAL and "did you mean" on <= CLARIFY_GOAL of in-scope questions.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.content import load_content  # noqa: E402
from bot.nlu import Understander  # noqa: E402
from bot.nlu.decision import FEATURES, choose, features, off_topic_wins  # noqa: E402
from bot.nlu.evaluation import Labelled, parse_labelled  # noqa: E402
from bot.nlu.thresholds import CLARIFY_MARGIN  # noqa: E402

SETS = {"eval": "tests/data/eval.yaml", "dev2": "bench/data/dev2.yaml", "tune": "bench/data/tune.yaml",
        "dev3": "bench/data/dev3.yaml", "holdout": "tests/data/holdout.yaml", "tune2": "bench/data/tune2.yaml",
        "fresh2": "bench/data/fresh2.yaml", "fresh3": "bench/data/fresh3.yaml", "fresh7": "bench/data/fresh7.yaml"}
REJECTION_GOAL = 0.97
CLARIFY_GOAL = 0.03
L2 = 1.0

# Neighbours on a QWERTY keyboard, for this script's own slips (substitution, swap, deletion, doubling).
_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
NEIGHBOURS = {c: "".join(r[j] for j in (i - 1, i + 1) if 0 <= j < len(r)) for r in _ROWS for i, c in enumerate(r)}


def slip(text: str, rng: random.Random, share: float = 0.3) -> str:
    """One slip in about ``share`` of the words of 3+ letters."""
    words = text.split(" ")
    for k, word in enumerate(words):
        if len(word) < 3 or rng.random() > share:
            continue
        i = rng.randrange(len(word) - 1)
        kind = rng.randrange(4)
        if kind == 0 and word[i].lower() in NEIGHBOURS:
            word = word[:i] + rng.choice(NEIGHBOURS[word[i].lower()]) + word[i + 1:]
        elif kind == 1:
            word = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        elif kind == 2:
            word = word[:i] + word[i + 1:]
        else:
            word = word[:i] + word[i] + word[i:]
        words[k] = word
    return " ".join(words)


@dataclass(frozen=True)
class Row:
    """One question as the decision sees it."""

    lang: str
    in_scope: bool
    top_right: bool
    off_topic_wins: bool
    close: bool
    x: list[float]

    @property
    def best(self) -> float:
        """The best topic's score (a feature of the model, and a bar of the rule)."""
        return self.x[FEATURES.index("best")]


def rows_for(understander: Understander, questions: list[Labelled]) -> list[Row]:
    decider = understander.decider
    out = []
    for q in questions:
        analysis = understander.matcher.analyse(q.text)
        topics = [c for c in analysis.ranked if not decider.off_topic(c.intent)]
        best = topics[0] if topics else None
        runner = topics[1] if len(topics) > 1 else None
        out.append(Row(
            q.lang or "any", bool(q.intents), best is not None and best.intent in q.intents,
            best is None or off_topic_wins(analysis, decider.groups),
            best is not None and runner is not None and best.score - runner.score < CLARIFY_MARGIN,
            features(analysis, decider.groups)))
    return out


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Standardise, then Newton's method for L2-penalised logistic regression."""
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales < 1e-9] = 1.0
    z = (x - means) / scales
    design = np.hstack([np.ones((len(z), 1)), z])
    w = np.zeros(design.shape[1])
    penalty = np.eye(design.shape[1]) * L2
    penalty[0, 0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ w))
        gradient = design.T @ (p - y) + penalty @ w
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[1:], means, scales, float(w[0])


def fit_rows(rows: list[Row]) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The model fitted on these rows (label: the best topic is an acceptable answer)."""
    y = np.array([1.0 if r.in_scope and r.top_right else 0.0 for r in rows])
    return fit(np.array([r.x for r in rows]), y)


def probabilities(rows: list[Row], weights: np.ndarray, means: np.ndarray, scales: np.ndarray,
                  intercept: float) -> np.ndarray:
    x = np.array([r.x for r in rows])
    return 1 / (1 + np.exp(-(intercept + ((x - means) / scales) @ weights)))


def figures(rows: list[Row], p: np.ndarray, answer: float, clarify: float) -> dict[str, float]:
    """Strict accuracy per language, clarify rate and rejection under the decision rule of bot/nlu/decision.py."""
    good: dict[str, list[int]] = {}
    clarified = in_scope = rejected = off = 0
    for row, prob in zip(rows, p, strict=True):
        decision = choose(float(prob), row.off_topic_wins, row.close, row.best, answer, clarify)
        if row.in_scope:
            in_scope += 1
            clarified += decision == "clarify"
            stats = good.setdefault(row.lang, [0, 0])
            stats[1] += 1
            stats[0] += decision == "answer" and row.top_right
        else:
            off += 1
            rejected += decision == "none"
    result = {f"strict_{lang}": g / t for lang, (g, t) in sorted(good.items()) if lang != "any"}
    result["clarify"] = clarified / in_scope if in_scope else 0.0
    result["rejection"] = rejected / off if off else 1.0
    return result


def choose_bars(rows: list[Row], p: np.ndarray) -> tuple[float, float]:
    """The bars with the best worse-language strict accuracy plus rejection, within the goals where possible."""
    best: tuple[float, float, float] | None = None
    for answer in np.arange(0.20, 0.91, 0.01):
        for clarify in np.arange(0.05, answer + 1e-9, 0.05):
            f = figures(rows, p, float(answer), float(clarify))
            strict = min(v for k, v in f.items() if k.startswith("strict_"))
            score = strict + min(f["rejection"], REJECTION_GOAL) - 2 * max(0.0, REJECTION_GOAL - f["rejection"]) \
                - 2 * max(0.0, f["clarify"] - CLARIFY_GOAL) + 0.1 * f["clarify"]
            if best is None or score > best[0] + 1e-12:
                best = (score, float(answer), float(clarify))
    assert best is not None
    return round(best[1], 2), round(best[2], 2)


def load(names: dict[str, str]) -> dict[str, list[Labelled]]:
    return {name: parse_labelled((ROOT / path).read_text(encoding="utf-8")) for name, path in names.items()
            if (ROOT / path).exists()}


def with_slips(questions: list[Labelled], seed: int) -> list[Labelled]:
    rng = random.Random(seed)
    return [Labelled(slip(q.text, rng), q.lang, q.intents, q.topic) for q in questions]


def describe(name: str, f: dict[str, float]) -> str:
    return f"{name}: " + ", ".join(f"{k} {v:.1%}" for k, v in f.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="write bot/nlu/decision_weights.py")
    args = parser.parse_args()
    understander = Understander(load_content(ROOT))
    sets = load(SETS)
    # Every set as the decision sees it, as written and with this script's own slips.
    rows = {name: rows_for(understander, qs) + rows_for(understander, with_slips(qs, seed=k))
            for k, (name, qs) in enumerate(sorted(sets.items()))}
    report: list[str] = []
    # Checked on data it was not fitted on: each set in turn is left out, the model fitted on the others and
    # measured on it.
    for name in sorted(rows):
        train = [r for other, rs in rows.items() if other != name for r in rs]
        model = fit_rows(train)
        answer, clarify = choose_bars(train, probabilities(train, *model))
        report.append(describe(f"left out {name}", figures(rows[name], probabilities(rows[name], *model),
                                                           answer, clarify)))
    # The model that ships: fitted on all of them.
    train = [r for rs in rows.values() for r in rs]
    weights, means, scales, intercept = fit_rows(train)
    p_train = probabilities(train, weights, means, scales, intercept)
    answer, clarify = choose_bars(train, p_train)
    report.append(f"shipped: fitted on {', '.join(sorted(sets))} (+ typo'd copies), {len(train)} questions")
    report.append(describe("fit", figures(train, p_train, answer, clarify)))
    for line in report:
        print(line)
    print("weights:", ", ".join(f"{n} {w:+.2f}" for n, w in zip(FEATURES, weights, strict=True)))
    print(f"bars: answer >= {answer}, clarify >= {clarify}")
    if args.write:
        def floats(values: np.ndarray) -> str:
            return "(\n" + textwrap.fill(", ".join(f"{v:.6g}" for v in values) + ",", 110, initial_indent="    ",
                                         subsequent_indent="    ") + "\n)"
        body = "\n".join(textwrap.fill(line, 110, initial_indent="#   ", subsequent_indent="#     ")
                         for line in report)
        names = textwrap.fill(", ".join(FEATURES), 110, initial_indent="# features: ", subsequent_indent="#   ")
        text = (
            '"""Generated by bench/calibrate.py (`make calibrate`): the decision model\'s weights. Do not edit."""\n\n'
            f"{names}\n#\n{body}\n\n"
            f"INTERCEPT = {intercept:.6g}\nWEIGHTS = {floats(weights)}\nMEANS = {floats(means)}\n"
            f"SCALES = {floats(scales)}\nANSWER_PROBABILITY = {answer}\nCLARIFY_PROBABILITY = {clarify}\n"
        )
        (ROOT / "bot/nlu/decision_weights.py").write_text(text, encoding="utf-8")
        print("written to bot/nlu/decision_weights.py")
    return 0 if math.isfinite(intercept) else 1


if __name__ == "__main__":
    sys.exit(main())
