"""`faqbot run` at the edge: one clear line and exit code 2 for token problems, `faqbot check` output for content."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.channels.telegram.app import Webhook, api_urls
from bot.cli import build_parser
from bot.commands import run as run_command
from bot.content import check_content
from bot.telegram_emulator import BotApiEmulator

REPO = Path(__file__).resolve().parents[1]
WRONG_TOKEN = "123456:WRONG-TOKEN-0123456789"


def environment(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "FAQBOT_"))}
    env.update(FAQBOT_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO), **values)
    return env


async def faqbot(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """Run `python -m bot ARGS` without blocking the event loop (the emulator must keep answering)."""
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *args, env=env, cwd=REPO,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator


def test_missing_token_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bot", "run"], env=environment(tmp_path), cwd=REPO,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "faqbot run: TELEGRAM_BOT_TOKEN is not set. Get a token from @BotFather and run: "
        "TELEGRAM_BOT_TOKEN=<token> faqbot run"]


@pytest.mark.parametrize("command", ["run", "start"])
async def test_rejected_token_is_one_line_and_exit_2(emu: BotApiEmulator, tmp_path: Path, command: str) -> None:
    env = environment(tmp_path, TELEGRAM_BOT_TOKEN=WRONG_TOKEN, FAQBOT_TELEGRAM_API_URL=emu.base_url)
    code, out, err = await faqbot(env, command)
    assert (code, out) == (2, "")
    assert err.splitlines() == ["faqbot run: Telegram rejected the bot token in TELEGRAM_BOT_TOKEN. Copy the token "
                                "again from @BotFather (/mybots, then API Token) and restart."]
    assert WRONG_TOKEN not in err
    assert [c.method for c in emu.calls] == []  # 401 before any method ran: the token was wrong
    data = tmp_path / "data"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "faqbot.sqlite3").stat().st_mode) == 0o600


async def test_invalid_content_prints_the_check_messages_and_exit_1(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "intents").mkdir(parents=True)
    (content / "answers" / "nl").mkdir(parents=True)
    (content / "answers" / "en").mkdir(parents=True)
    (content / "intents" / "return.yaml").write_text("intents:\n  - id: return_help\n    group: [oops\n")
    _, problems = check_content(content)
    assert problems
    env = environment(tmp_path, TELEGRAM_BOT_TOKEN=WRONG_TOKEN, FAQBOT_TELEGRAM_API_URL="http://127.0.0.1:9/bot")
    code, out, err = await faqbot(env, "run", "--content", str(content))
    assert code == 1
    for problem in problems:
        assert str(problem) in err
    assert "Fix the lines above and run `faqbot check` again." in err


@pytest.mark.parametrize(("argv", "environ", "message"), [
    (["run", "--port", "9000"], {}, "--listen, --port and --secret-token are for webhook mode"),
    (["run", "--webhook-url", "bot.example.org"], {}, "--webhook-url must be a full address"),
    (["run", "--webhook-url", "https://bot.example.org/tg", "--secret-token", "no spaces"], {},
     "the webhook secret may only hold"),
    (["run", "--webhook-url", "https://bot.example.org/tg"], {"FAQBOT_WEBHOOK_SECRET": "x" * 257},
     "the webhook secret may only hold"),
])
def test_option_errors(argv: list[str], environ: dict[str, str], message: str,
                       capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(argv)
    assert run_command.run(args, {"TELEGRAM_BOT_TOKEN": WRONG_TOKEN, **environ}) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and message in err


@pytest.mark.parametrize(("api_url", "expected"), [
    ("https://api.telegram.org/bot", ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot")),
    ("http://127.0.0.1:8081", ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot")),
    ("http://127.0.0.1:8081/bot/", ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot")),
    ("http://tg.local/x/bot{token}", ("http://tg.local/x/bot{token}", "http://tg.local/x/bot{token}")),
])
def test_api_urls(api_url: str, expected: tuple[str, str]) -> None:
    assert api_urls(api_url) == expected


def test_webhook_path_comes_from_the_public_url() -> None:
    assert Webhook("https://bot.example.org/telegram/hook/").path == "telegram/hook"
    assert Webhook("https://bot.example.org").path == ""


def test_run_is_documented_in_the_help() -> None:
    help_text = build_parser().format_help()
    assert "run" in help_text
    run_help = subprocess.run([sys.executable, "-m", "bot", "run", "--help"], cwd=REPO, capture_output=True,
                              text=True, timeout=30).stdout
    for option in ("--content", "--webhook-url", "--listen", "--port", "--secret-token", "--api-url"):
        assert option in run_help
    docs = (REPO / "docs" / "telegram.md").read_text(encoding="utf-8")
    for name in ("--webhook-url", "--listen", "--port", "--secret-token", "--api-url", "TELEGRAM_BOT_TOKEN",
                 "FAQBOT_TELEGRAM_API_URL", "FAQBOT_WEBHOOK_SECRET", "FAQBOT_DATA_DIR"):
        assert name in docs, f"docs/telegram.md does not mention {name}"
