"""Matching benchmark: latency, scaling, cold start, memory, and accuracy against a plain rapidfuzz baseline.

Run with `make bench` (writes docs/performance.md) or `python bench/matching.py` (prints only).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import MappingProxyType

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.content import Content, load_content  # noqa: E402
from bot.content.model import Intent, Location  # noqa: E402
from bot.nlu import Understander  # noqa: E402
from bot.nlu.evaluation import Labelled, evaluate, parse_labelled  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def latency(understander: Understander, texts: list[str], rounds: int) -> tuple[float, float]:
    """p50 and p99 in milliseconds of understand() (language detection + matching) per message, after one
    untimed warm-up pass (steady state: a running bot has long since warmed up)."""
    for text in texts:
        understander.understand(text, None)
    times = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            understander.understand(text, None)
            times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 50), percentile(times, 99)


def synthetic(content: Content, n_examples: int, seed: int = 7) -> Content:
    """Content with ``n_examples`` examples per language, made by recombining the shipped words."""
    rng = random.Random(seed)
    words = {lang: sorted({w for i in content.intents.values() for e in i.examples.get(lang, ()) for w in e.split()})
             for lang in content.languages}
    n_intents = max(20, n_examples // 50)
    intents = {}
    for k in range(n_intents):
        examples = {lang: tuple(" ".join(rng.choices(words[lang], k=rng.randint(3, 9)))
                                for _ in range(n_examples // n_intents)) for lang in content.languages}
        iid = f"synthetic_{k}"
        intents[iid] = Intent(iid, "synthetic", MappingProxyType(examples), MappingProxyType({}), (),
                              Location("synthetic", k))
    return Content(content.languages, MappingProxyType(intents), MappingProxyType({}), content.synonyms,
                   content.packs, MappingProxyType({}), MappingProxyType({}))


COLD_START = """
import time, resource, json
t0 = time.perf_counter()
from pathlib import Path
from bot.content import load_content
from bot.nlu import Understander
t1 = time.perf_counter()
content = load_content(Path({root!r}))
t2 = time.perf_counter()
u = Understander(content)
u.understand("ik wil terug naar mijn land", None)
t3 = time.perf_counter()
print(json.dumps({{"imports": t1 - t0, "content": t2 - t1, "index": t3 - t2, "total": t3 - t0,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def cold_start(root: Path) -> dict[str, float]:
    """Import, load and index in a fresh process; the median of three runs."""
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", COLD_START.format(root=str(root))], capture_output=True,
                             text=True, check=True, cwd=ROOT)
        runs.append(json.loads(out.stdout))
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def baseline_accuracy(content: Content, questions: list[Labelled]) -> tuple[float, dict[str, float], float]:
    """process.extractOne(text, examples, scorer=WRatio) with the threshold that scores best on these questions."""
    examples = [(e, i.id) for i in content.intents.values() for lang in content.languages
                for e in i.examples.get(lang, ())]
    choices = [e for e, _ in examples]
    hits = []
    for q in questions:
        best = process.extractOne(q.text, choices, scorer=fuzz.WRatio)
        hits.append((examples[best[2]][1], best[1]) if best else (None, 0.0))
    best_result = (0.0, {}, 0.0, 0.0)
    for threshold in range(40, 100, 2):
        acc: dict[str, list[int]] = {}
        rejected = total_oos = 0
        for q, (intent, score) in zip(questions, hits, strict=True):
            predicted = intent if score >= threshold and intent != "out_of_scope" else None
            if q.intent is None:
                total_oos += 1
                rejected += predicted is None
            else:
                stats = acc.setdefault(q.lang or "any", [0, 0])
                stats[1] += 1
                stats[0] += predicted == q.intent
        per_lang = {lang: good / total for lang, (good, total) in acc.items() if lang != "any"}
        rejection = rejected / total_oos if total_oos else 1.0
        objective = min(per_lang.values()) + rejection
        if objective > best_result[0]:
            best_result = (objective, per_lang, rejection, threshold)
    return best_result[3], best_result[1], best_result[2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", type=Path, default=None, help="write the report (Markdown) to this file")
    parser.add_argument("--quick", action="store_true", help="skip the 100k synthetic run")
    parser.add_argument("--content", type=Path, default=ROOT, help="content folder (default: this repository)")
    args = parser.parse_args()
    content = load_content(args.content)
    understander = Understander(content)
    lines: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        lines.append(line)

    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else "?"
    say("# Performance")
    say()
    say(f"Measured with `make bench` (bench/matching.py) on {time.strftime('%Y-%m-%d')}: {cpu}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.machine()}.")
    say()
    sets = {"eval": ROOT / "tests/data/eval.yaml", "dev2": ROOT / "bench/data/dev2.yaml",
            "dev3": ROOT / "bench/data/dev3.yaml", "holdout": ROOT / "tests/data/holdout.yaml"}
    datasets = {name: parse_labelled(path.read_text(encoding="utf-8")) for name, path in sets.items() if path.exists()}
    texts = [q.text for q in datasets["eval"]]
    p50, p99 = latency(understander, texts, rounds=5)
    n_shipped = sum(len(v) for i in content.intents.values() for v in i.examples.values())
    say("## Latency per message (language detection + matching)")
    say()
    say("| content | examples | index build | p50 | p99 |")
    say("|---|---:|---:|---:|---:|")
    say(f"| shipped | {n_shipped} | - | {p50:.3f} ms | {p99:.3f} ms |")
    sizes = [1_000, 10_000] + ([] if args.quick else [100_000])
    for size in sizes:
        synth = synthetic(content, size // len(content.languages))
        start = time.perf_counter()
        u = Understander(synth)
        build = time.perf_counter() - start
        s50, s99 = latency(u, texts[:200], rounds=1)
        say(f"| synthetic | {size} | {build:.2f} s | {s50:.3f} ms | {s99:.3f} ms |")
    say()
    cold = cold_start(args.content)
    say("## Cold start (fresh process, median of 3)")
    say()
    say(f"imports {cold['imports']:.2f} s, content load {cold['content']:.2f} s, index and language detector "
        f"{cold['index']:.2f} s: **total {cold['total']:.2f} s**; peak memory (max RSS) {cold['maxrss_mb']:.0f} MB.")
    say()
    say("## Accuracy: plain rapidfuzz baseline vs this matcher, same questions")
    say()
    say("Baseline: `process.extractOne(text, all examples, scorer=WRatio)` with the threshold that scores best on "
        "the same questions (an optimistic baseline). `eval` and `dev2` are the development sets the thresholds were "
        "tuned on (the first content writer also saw `eval`'s misses; near copies were removed); `dev3` was "
        "written last, by someone who never saw the examples, and only measured; `holdout` was never used for "
        "tuning either: those two are the honest figures.")
    say()
    say("| set | matcher | accuracy nl | accuracy en | out-of-scope rejection | language detection |")
    say("|---|---|---:|---:|---:|---:|")
    for name, questions in datasets.items():
        threshold, per_lang, rejection = baseline_accuracy(content, questions)
        say(f"| {name} ({len(questions)}) | baseline WRatio >= {threshold} | {per_lang.get('nl', 0):.1%} | "
            f"{per_lang.get('en', 0):.1%} | {rejection:.1%} | - |")
        report = evaluate(understander, questions)
        say(f"| {name} ({len(questions)}) | faqbot | {report.accuracy('nl'):.1%} | {report.accuracy('en'):.1%} | "
            f"{report.rejection:.1%} | {report.language_accuracy:.1%} |")
    say()
    if args.write:
        args.write.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"written to {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
