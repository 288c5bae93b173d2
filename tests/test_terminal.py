"""The terminal channel: readable text, numbered buttons, and scripted chats through `python -m bot chat`."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.channels.terminal import JsonChat, TerminalChat, html_to_text, render, run, run_json
from bot.cli import build_parser
from bot.engine import Button, Engine, Reply
from tests.conftest import REPO, stub_files


@pytest.mark.parametrize(("html", "text"), [
    ("plain", "plain"),
    ("<b>bold</b> and <i>italic</i>", "*bold* and italic"),
    ("<strong>x</strong>", "*x*"),
    ('see <a href="https://www.iom-nederland.nl/">www.iom-nederland.nl</a>.', "see https://www.iom-nederland.nl/."),
    ('<a href="https://example.org/a">the site</a>', "the site (https://example.org/a)"),
    ("1 &lt; 2 &amp; 3 &gt; 2", "1 < 2 & 3 > 2"),
    ("<blockquote>quote</blockquote>", "quote"),
])
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_buttons_are_numbered_across_replies() -> None:
    replies = [
        Reply("first", ((Button("Yes", data="a"), Button("No", data="b")),)),
        Reply("second\nline", ((Button("Site", url="https://www.iom-nederland.nl/"),), (Button("Menu", data="m"),))),
    ]
    text, buttons = render(replies)
    assert text.splitlines() == [
        "bot> first",
        "     [1] Yes   [2] No",
        "",
        "bot> second",
        "     line",
        "     [3] Site -> https://www.iom-nederland.nl/",
        "     [4] Menu",
        "",
    ]
    assert [b.label for b in buttons] == ["Yes", "No", "Site", "Menu"]


def test_typing_a_number_presses_the_button(mini_engine: Engine) -> None:
    chat = TerminalChat(mini_engine, "en")
    out = chat.send("/start")
    assert "[5] About IOM" in out
    out = chat.send("5")
    assert "*About IOM* – choose a question" in out
    out = chat.send("99")  # not a button: sent as text
    assert "Sorry, I don't understand" in out


def test_a_link_button_shows_its_address(mini_engine: Engine) -> None:
    chat = TerminalChat(mini_engine, "en")
    out = chat.send("en question contact")
    number = next(line.split("]")[0].split("[")[-1] for line in out.splitlines() if "-> https://" in line)
    assert chat.send(number) == "bot> (opens https://www.iom-nederland.nl/)\n\n"


def test_trace_lines(mini_engine: Engine) -> None:
    chat = TerminalChat(mini_engine, "en", show_trace=True)
    out = chat.send("en question about_iom")
    assert "· intent=about_iom decision=answer score=0.90 lang=en source=stub" in out


def test_run_reads_lines_until_quit(mini_engine: Engine) -> None:
    stdout = io.StringIO()
    code = run(mini_engine, io.StringIO("/start\n\n5\n/quit\n/start\n"), stdout, interactive=False, lang_hint="en")
    assert code == 0
    out = stdout.getvalue()
    assert out.startswith("> /start\nbot> 👋 Hi!")
    assert "> 5\nbot> *About IOM* – choose a question:" in out
    assert out.count("> /start") == 1


def test_interactive_run_starts_with_the_welcome(mini_engine: Engine) -> None:
    stdout = io.StringIO()
    run(mini_engine, io.StringIO(""), stdout, interactive=True, lang_hint="nl")
    assert "Hoi! Ik ben de chatbot van *IOM Nederland*" in stdout.getvalue()


def faqbot_chat(*args: str, stdin: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("FAQBOT_CONTENT_DIR", None)
    return subprocess.run([sys.executable, "-m", "bot", "chat", *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env=env, timeout=120)


@pytest.fixture(scope="module")
def stub_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("content")
    for rel, text in stub_files().items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_scripted_chat_with_stub_content(stub_dir: Path) -> None:
    result = faqbot_chat("--lang", "en", "--content", str(stub_dir),
                         stdin="/start\n1\n1\n/language\n2\n/cancel\n/quit\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "bot> 👋 Hi! I am the chatbot of *IOM Netherlands*" in out
    assert "[1] Going back to your country" in out
    assert "> 1\nbot> *Going back to your country* – choose a question:" in out
    assert "answer return_eligibility in en" in out
    assert "Oké, vanaf nu schrijf ik in het Nederlands" in out
    assert "Er is niets om te stoppen" in out


def test_scripted_check_in_the_terminal(stub_dir: Path) -> None:
    result = faqbot_chat("--lang", "nl", "--content", str(stub_dir), stdin="/start match\n6\nja\n1\n")
    assert result.returncode == 0, result.stderr
    assert "Wie ben jij?" in result.stdout
    assert "[6] Ik heb een bedrijf" in result.stdout
    assert "Misschien kan je bedrijf meedoen aan *MATCH*" in result.stdout


def test_scripted_chat_with_the_shipped_content() -> None:
    result = faqbot_chat("--lang", "en", stdin="/start\nWhat is IOM?\nhow can i contact iom\n")
    assert result.returncode == 0, result.stderr
    assert "> What is IOM?\nbot> *IOM* (International Organization for Migration)" in result.stdout
    assert "iom-nederland.nl" in result.stdout


def test_content_errors_go_to_stderr(tmp_path: Path, stub_dir: Path) -> None:
    for rel, text in stub_files().items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    (tmp_path / "intents" / "checks.yaml").write_text(
        (stub_dir / "intents" / "checks.yaml").read_text(encoding="utf-8").replace("next: voluntary", "next: nowhere"),
        encoding="utf-8")
    result = faqbot_chat("--content", str(tmp_path), stdin="hello\n")
    assert result.returncode == 1
    assert "intents/checks.yaml:" in result.stderr
    assert "goes to an unknown step 'nowhere'" in result.stderr
    assert result.stdout == ""


def test_unknown_language(stub_dir: Path) -> None:
    result = faqbot_chat("--lang", "fr", "--content", str(stub_dir), stdin="")
    assert result.returncode == 2
    assert "unknown language 'fr'" in result.stderr


# -- faqbot chat --json ----------------------------------------------------------------------------------


def test_json_presses_count_the_callback_buttons_of_the_last_reply(mini_engine: Engine) -> None:
    chat = JsonChat(mini_engine, "en")
    [answer] = chat.send("en question contact")
    assert answer["buttons"][:2] == [[{"label": "About iom (en)", "data": "i:about_iom"}],
                                     [{"label": "Site en", "url": "https://www.iom-nederland.nl/"}]]
    [thumbs_up] = chat.send("[2]")  # the link is not counted: [2] is the next button with callback data, 👍
    assert thumbs_up["trace"]["decision"] == "feedback_up" and thumbs_up["trace"]["intent"] == "contact"


@pytest.mark.parametrize(("lines", "error"), [
    (["[1]"], "[1]: the last reply has no buttons to press"),
    (["/start", "[0]"], "[0]: the last reply has 5 button(s): use [1] to [5]"),
    (["/start", "[ 6 ]"], "[ 6 ]: the last reply has 5 button(s): use [1] to [5]"),
    (["/privacy", "[1]"], "[1]: the last reply has no buttons to press"),
])
def test_json_a_bad_press_is_an_error_line_and_the_chat_goes_on(mini_engine: Engine, lines: list[str],
                                                                error: str) -> None:
    stdout = io.StringIO()
    assert run_json(mini_engine, io.StringIO("\n".join([*lines, "/help"]) + "\n"), stdout, "en") == 0
    out = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert {"line": len(lines), "error": error} in out
    assert out[-1]["trace"]["decision"] == "help"


def test_json_only_json_lines_and_no_prompt(mini_engine: Engine) -> None:
    stdout = io.StringIO()
    assert run_json(mini_engine, io.StringIO("\n\nen question about_iom\n/quit\n/start\n"), stdout, "en") == 0
    [line] = stdout.getvalue().splitlines()
    assert json.loads(line) == {
        "line": 3,
        "text": "about_iom answer about_iom in en",
        "html": "<b>about_iom</b> answer about_iom in en",
        "buttons": [[{"label": "Contact (en)", "data": "i:contact"}],
                    [{"label": "👍", "data": "f:+:about_iom"}, {"label": "👎", "data": "f:-:about_iom"}]],
        "lang": "en",
        "trace": {"decision": "answer", "intent": "about_iom", "score": 0.9, "topic": "about_iom", "check": None,
                  "step": None},
    }


def trace_row(item: dict[str, object]) -> tuple[object, ...]:
    trace = item.get("trace")
    if not isinstance(trace, dict):
        return (item["line"], "error", item.get("error"))
    return (item["line"], trace["decision"], trace["intent"], trace["topic"], trace["check"], trace["step"])


def test_json_scripted_dialogue_with_the_shipped_content() -> None:
    script = ["/start", "[2]", "wat is gezinshereniging", "wie betaalt de vliegticket?", "[1]", "ja", "[9]",
              "nee", "/quit", "never read"]
    result = faqbot_chat("--lang", "nl", "--json", stdin="\n".join(script) + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = [json.loads(line) for line in result.stdout.splitlines()]
    family = "family_reunification"
    assert [trace_row(item) for item in out] == [
        (1, "start", None, None, None, None),
        (2, "menu", None, None, None, None),  # [2]: the second topic group
        (3, "answer", family, family, None, None),
        (4, "followup", family, family, None, None),  # read within the topic in context
        (5, "check", family, family, "family", "family_nl"),  # [1]: the check's start button
        (6, "check", family, family, "family", "decided"),  # "ja" typed: the next question
        (7, "error", "[9]: the last reply has 4 button(s): use [1] to [4]"),
        (8, "outcome", family, family, None, None),  # "nee": the check ends with an outcome
    ]
    welcome, group, answer = out[0], out[1], out[2]
    assert welcome["lang"] == "nl" and "<b>IOM Nederland</b>" in welcome["html"]
    assert "IOM Nederland" in welcome["text"] and "<b>" not in welcome["text"]
    assert [row[0]["data"] for row in welcome["buttons"]] == ["g:return", "g:family", "g:work", "g:diaspora",
                                                              "g:about"]
    assert group["buttons"][0] == [{"label": group["buttons"][0][0]["label"], "data": "i:family_reunification"}]
    assert answer["buttons"][0][0]["data"] == "c:family"
    assert {"label": "Website IOM Nederland", "url": "https://www.iom-nederland.nl/"} in [
        b for row in answer["buttons"] for b in row]


def test_every_chat_option_is_documented() -> None:
    usage = next(line for line in (REPO / "docs" / "conversations.md").read_text(encoding="utf-8").splitlines()
                 if line.startswith("`faqbot chat ["))
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    options = [o for a in sub.choices["chat"]._actions for o in a.option_strings
               if o.startswith("--") and o != "--help"]
    assert options and all(f"[{option}" in usage for option in options)
