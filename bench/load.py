"""Throughput end to end: the real `faqbot run` (a subprocess) against the Bot API emulator.

200 chats each ask 5 questions, one after the other as a person does (the next once the answer is in),
all chats at the same time. Once as is, once with faults injected into the emulator: flood control (429,
retry after 1 s) and Bad Gateway (502) on a share of sendMessage calls, and 502 on some getUpdates. What
each chat must receive is computed by running the same conversation on the engine directly, so lost,
duplicated and out-of-order messages are counted exactly.

Run with `make bench` (writes its section of docs/performance.md) or `python bench/load.py` (prints only).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.sections import write_section  # noqa: E402
from bot.channels.telegram.translate import outgoing  # noqa: E402
from bot.content import load_content  # noqa: E402
from bot.engine import ChatState, Engine, TextIn  # noqa: E402
from bot.nlu import Understander  # noqa: E402
from bot.nlu.evaluation import parse_labelled  # noqa: E402
from bot.telegram_emulator import BotApiEmulator  # noqa: E402

FIRST_CHAT = 10_000
SETTLE_S = 2.0  # after the last expected message, how long to watch for duplicates
TIMEOUT_S = 120.0
LOG = os.environ.get("FAQBOT_LOAD_LOG")  # a file for the bot's log lines (default: not kept)


@dataclass
class Chat:
    chat_id: int
    lang: str
    questions: list[str]
    expected: list[list[str]] = field(default_factory=list)  # per question, the messages the bot must send
    latencies: list[float] = field(default_factory=list)
    missing: int = 0


@dataclass(frozen=True)
class Result:
    name: str
    questions: int
    seconds: float
    lost: int
    duplicated: int
    out_of_order: int
    p50_ms: float
    p99_ms: float
    peak_rss_mb: float
    faults: int

    @property
    def per_second(self) -> float:
        return self.questions / self.seconds


def plan(engine: Engine, chats: int, per_chat: int, seed: int) -> list[Chat]:
    """Conversations from the eval questions, and what the bot must answer to each."""
    questions = parse_labelled((ROOT / "tests/data/eval.yaml").read_text(encoding="utf-8"))
    by_lang = {lang: [q.text for q in questions if q.lang == lang] for lang in ("nl", "en")}
    rng = random.Random(seed)
    planned = []
    for n in range(chats):
        lang = "nl" if n % 2 else "en"
        chat = Chat(FIRST_CHAT + n, lang, rng.sample(by_lang[lang], per_chat))
        state: ChatState | None = None
        for text in chat.questions:
            state, replies = engine.handle(state, TextIn(text), lang)
            chat.expected.append([m.text for reply in replies for m in outgoing(reply)])
        planned.append(chat)
    return planned


async def converse(emu: BotApiEmulator, chat: Chat) -> None:
    """Ask each question once the previous answer is complete."""
    received = 0
    for text, expected in zip(chat.questions, chat.expected, strict=True):
        sent = time.perf_counter()
        emu.send_message(chat.chat_id, text, language_code=chat.lang)
        received += len(expected)
        try:
            await emu.wait_for_bot_messages(chat.chat_id, received, timeout=TIMEOUT_S)
        except (TimeoutError, AssertionError):
            chat.missing += 1
            return
        chat.latencies.append(time.perf_counter() - sent)


async def inject_faults(emu: BotApiEmulator, stop: asyncio.Event) -> int:
    """Faults in proportion to the traffic: after every 40th sendMessage a 429 (retry after 1 s), after every
    20th a 502, after every 10th getUpdates a 502; returns how many were injected."""
    count = 0
    seen = {"sendMessage": 0, "getUpdates": 0}
    while not stop.is_set():
        await asyncio.sleep(0.1)
        calls = {method: len(emu.calls_to(method)) for method in seen}
        for n in range(seen["sendMessage"] + 1, calls["sendMessage"] + 1):
            if n % 40 == 0:
                emu.inject_fault("sendMessage", status=429, retry_after=1)
                count += 1
            elif n % 20 == 0:
                emu.inject_fault("sendMessage", status=502)
                count += 1
        for n in range(seen["getUpdates"] + 1, calls["getUpdates"] + 1):
            if n % 10 == 0:
                emu.inject_fault("getUpdates", status=502)
                count += 1
        seen = calls
    return count


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def run_once(name: str, engine: Engine, chats: int, per_chat: int, faults: bool) -> Result:
    planned = plan(engine, chats, per_chat, seed=1)
    async with BotApiEmulator(token="123456:LOAD-TEST-TOKEN") as emu:
        with tempfile.TemporaryDirectory(prefix="faqbot-load-") as data, \
                (open(LOG, "ab") if LOG else contextlib.nullcontext()) as log_file:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "FAQBOT_"))}
            env.update(FAQBOT_DATA_DIR=data, TELEGRAM_BOT_TOKEN=emu.token, FAQBOT_TELEGRAM_API_URL=emu.base_url,
                       PYTHONPATH=str(ROOT))
            bot = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", env=env, cwd=ROOT,
                                                       stdout=asyncio.subprocess.DEVNULL,
                                                       stderr=log_file or asyncio.subprocess.DEVNULL)
            try:
                await emu.wait_until(lambda: bool(emu.commands) and bool(emu.calls_to("getUpdates")), 60,
                                     "the bot to start")
                stop = asyncio.Event()
                injector = asyncio.create_task(inject_faults(emu, stop)) if faults else None
                start = time.perf_counter()
                await asyncio.gather(*(converse(emu, chat) for chat in planned))
                seconds = time.perf_counter() - start
                stop.set()
                injected = await injector if injector else 0
                await asyncio.sleep(SETTLE_S)
                rss = peak_rss_mb(bot.pid)
            finally:
                bot.terminate()
                await bot.wait()
        lost = duplicated = disordered = 0
        for chat in planned:
            want = [text for texts in chat.expected for text in texts]
            got = [m.text for m in emu.bot_messages(chat.chat_id)]
            lost += sum(max(0, want.count(t) - got.count(t)) for t in set(want))
            duplicated += max(0, len(got) - len(want)) if not chat.missing else 0
            disordered += int(sorted(got) == sorted(want) and got != want)
    latencies = [s * 1000 for chat in planned for s in chat.latencies]
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [float("nan")] * 99
    return Result(name, chats * per_chat, seconds, lost, duplicated, disordered, statistics.median(latencies),
                  q[98], rss, injected)


def report(results: list[Result], chats: int, per_chat: int) -> list[str]:
    lines = ["## Throughput end to end (bench/load.py)", "",
             f"The real `faqbot run` against the Bot API emulator on loopback: {chats} chats at once, each asking "
             f"{per_chat} questions one after the other (the next once the answer is in). Lost, duplicated and "
             "out of order are counted against what the engine itself answers to the same conversation. "
             "Latency: from the question to the last message of its answer. With faults: after every 40th "
             "sendMessage a 429 (retry after 1 s), after every 20th a 502 (so 5 % of them fail), and a 502 after "
             "every 10th getUpdates. The bot's "
             "rate limiter keeps to Telegram's limits (30 messages/s overall, about 1/s per chat), so about "
             "30 questions/s is the ceiling. With 200 people asking at the same moment, a question waits its turn "
             "behind the others (200 / 30 ≈ 7 s): the latency is that queue, not the bot (a reply is computed in "
             "about a millisecond).", "",
             "| run | questions | questions/s | lost | duplicated | chats out of order | p50 | p99 | "
             "peak RSS of the bot | faults injected |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r.name} | {r.questions} | {r.per_second:.1f} | {r.lost} | {r.duplicated} | "
                     f"{r.out_of_order} | {r.p50_ms:.0f} ms | {r.p99_ms:.0f} ms | {r.peak_rss_mb:.0f} MB | "
                     f"{r.faults} |")
    return lines


async def main_async(args: argparse.Namespace) -> int:
    content = load_content(ROOT)
    engine = Engine(content, Understander(content))
    results = []
    for name, faults in (("no faults", False), ("with 429 and 502", True)):
        result = await run_once(name, engine, args.chats, args.messages, faults)
        print(f"{name}: {result.per_second:.1f} questions/s, lost {result.lost}, duplicated {result.duplicated}, "
              f"out of order {result.out_of_order}, p50 {result.p50_ms:.0f} ms, p99 {result.p99_ms:.0f} ms, "
              f"peak RSS {result.peak_rss_mb:.0f} MB", flush=True)
        results.append(result)
    lines = report(results, args.chats, args.messages)
    if args.write:
        write_section(args.write, "load.py", lines)
        print(f"written to {args.write}")
    return 0 if all(r.lost == 0 for r in results) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--messages", type=int, default=5, help="questions per chat")
    parser.add_argument("--write", type=Path, default=None, help="write the section of this Markdown file")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
