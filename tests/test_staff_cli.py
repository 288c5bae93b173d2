"""`faqbot review` and `faqbot stats` as staff run them: no data yet, a filled log, export, retention."""

from __future__ import annotations

import datetime as dtm
import os
import stat
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.engine import Engine, TextIn
from bot.staff import StaffLog
from bot.store import Store
from tests.conftest import REPO, Chat
from tests.test_staff_review_log import reply

TODAY = dtm.datetime.now(dtm.UTC).date()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("FAQBOT_RETENTION_DAYS", raising=False)
    monkeypatch.delenv("FAQBOT_DATA_DIR", raising=False)
    folder = tmp_path / "data"
    with Store.connect(folder / "faqbot.sqlite3") as store:
        staff_log = StaffLog(store)
        ticket = (("return_support", 0.5), ("return_eligibility", 0.3))
        for text in ("hoe krijg ik een vliegticket", "hoe krjg ik een vliegticket?", "Hoe krijg ik een vliegticket"):
            staff_log.record(text, [reply("none", None, "nl", ticket)])
        staff_log.record("bel me op 06-12345678 over een uitkering", [reply("clarify", None, "nl", ticket)])
        staff_log.record("what is the weather", [reply("none", None, "en", (("out_of_scope", 0.4),))])
        staff_log.record("ticket", [reply("answer", "return_support", "nl")])
        staff_log.record(None, [reply("feedback_down", "return_support", "nl")])
        with store.transaction() as db:  # from long ago: removed by the next review or stats
            db.execute("INSERT INTO usage VALUES ('2001-01-01', 'nl', '', 'none', 'question', 7)")
            db.execute("INSERT INTO review_log (day, lang, decision, text) VALUES ('2001-01-01', 'nl', 'none', 'oud')")
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", ["review", "stats"])
def test_no_data_yet(capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str) -> None:
    code, out, _ = run(capsys, command, "--data-dir", str(tmp_path / "nothing"))
    assert code == 0
    assert out.startswith(f"No data yet: {tmp_path / 'nothing' / 'faqbot.sqlite3'} does not exist.")
    assert not (tmp_path / "nothing").exists()  # looking does not create the file


@pytest.mark.parametrize("command", ["review", "stats"])
def test_the_data_folder_from_the_environment(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    monkeypatch.setenv("FAQBOT_DATA_DIR", str(data_dir))
    code, out, _ = run(capsys, command)
    assert code == 0 and "No data yet" not in out


def test_review(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, err = run(capsys, "review", "--data-dir", str(data_dir), "--content", str(REPO))
    assert code == 0
    first = TODAY - dtm.timedelta(days=29)
    lines = out.splitlines()
    assert lines[0] == f"Questions the bot did not answer, {first} to {TODAY}: 5 in 3 group(s)."
    assert lines[2].split() == ["#", "asked", "lang", "not", "understood", "did", "you", "mean", "closest", "intent",
                                "example"]
    assert lines[4].split() == ["1", "3", "nl", "3", "0", "return_support", "Hoe", "krijg", "ik", "een", "vliegticket"]
    assert "bel me op [phone] over een uitkering" in out
    assert "12345678" not in out
    assert "Answers marked 👎 (not helpful)" in out and "return_support  nl" in out
    assert "To add them as examples: faqbot review --export review.yaml" in out
    assert "oud" not in out
    assert err == "(removed 2 entries older than 90 days)\n"


def test_review_limit_and_days(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, "review", "--data-dir", str(data_dir), "--limit", "1", "--days", "1")
    assert code == 0
    assert f"{TODAY} to {TODAY}" in out
    assert "... and 2 smaller group(s); use --limit to see more." in out


def test_review_export(capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "review.yaml"
    code, out, _ = run(capsys, "review", "--data-dir", str(data_dir), "--content", str(REPO), "--export", str(target))
    assert code == 0
    assert f"Wrote 3 group(s) to {target}" in out
    text = target.read_text(encoding="utf-8")
    assert "# add these under intents/return.yaml -> return_support -> examples -> nl" in text
    assert "# add these under intents/out_of_scope.yaml -> out_of_scope -> examples -> en" in text
    assert "12345678" not in text
    data = yaml.safe_load(text)
    assert data["intents"][0] == {"id": "return_support", "examples": {"nl": [
        "Hoe krijg ik een vliegticket", "hoe krijg ik een vliegticket", "hoe krjg ik een vliegticket?",
        "bel me op [phone] over een uitkering"]}}
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_stats(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, "stats", "--data-dir", str(data_dir), "--days", "7")
    assert code == 0
    first = TODAY - dtm.timedelta(days=6)
    assert out.splitlines()[0] == (f"From {first} to {TODAY}: 6 questions, 1 answered (17%), 5 not answered (83%); "
                                   f"0 commands, 1 button press; thumbs up 0, thumbs down 1.")
    assert f"{TODAY}    7          6         1             5         0        1" in out
    assert "2001-01-01" not in out


@pytest.mark.parametrize("passes_event", [True, False], ids=["event", "typed text only"])
def test_commands_and_presses_are_not_counted_as_questions(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                           mini_engine: Engine, passes_event: bool) -> None:
    # /start, a topic button, a question the bot answers and one it does not understand
    chat = Chat(mini_engine, "en")
    with Store.connect(tmp_path / "faqbot.sqlite3") as store:
        staff_log = StaffLog(store)
        for step in ("/start", "press:About IOM", "en question contact", "what is the weather"):
            event = chat.event(step)
            replies = chat.send(event)
            typed = event.text if isinstance(event, TextIn) else None  # what a channel that passes no event gives
            assert staff_log.record(event if passes_event else typed, replies)
    code, out, _ = run(capsys, "stats", "--data-dir", str(tmp_path), "--days", "1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (f"From {TODAY} to {TODAY}: 2 questions, 1 answered (50%), 1 not answered (50%); "
                        f"1 command, 1 button press; thumbs up 0, thumbs down 0.")
    assert [line.split() for line in lines[lines.index("Questions by decision") + 3:][:2]] == [
        ["answered", "1", "50%"], ["not", "understood", "1", "50%"]]
    assert [line.split() for line in lines[lines.index("Commands, button presses and other messages by decision") + 3:]
            [:2]] == [["command", "/start", "1"], ["button", "press", "menu", "and", "topics", "1"]]
    code, out, _ = run(capsys, "review", "--data-dir", str(tmp_path), "--days", "1")
    assert out.splitlines()[0] == f"Questions the bot did not answer, {TODAY} to {TODAY}: 1 in 1 group(s)."
    assert "what is the weather" in out and "/start" not in out


@pytest.mark.parametrize("command", ["review", "stats"])
def test_a_bad_retention_setting_stops_with_an_explanation(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                           monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    monkeypatch.setenv("FAQBOT_RETENTION_DAYS", "ninety")
    code, out, err = run(capsys, command, "--data-dir", str(data_dir))
    assert code == 2
    assert err.startswith("FAQBOT_RETENTION_DAYS='ninety' is not a number of days from 1 to 3650")


def test_a_shorter_retention_purges_on_review(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.connect(data_dir / "faqbot.sqlite3") as store, store.transaction() as db:
        db.execute("INSERT INTO usage VALUES (?, 'nl', '', 'none', 'question', 1)",
                   ((TODAY - dtm.timedelta(days=10)).isoformat(),))
    monkeypatch.setenv("FAQBOT_RETENTION_DAYS", "7")
    code, _, err = run(capsys, "stats", "--data-dir", str(data_dir))
    assert code == 0
    assert err == "(removed 3 entries older than 7 days)\n"


@pytest.mark.parametrize("argv", [["review", "--days", "0"], ["stats", "--days", "x"], ["review", "--limit", "-1"]])
def test_bad_numbers_are_refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    assert "is not a whole number of at least 1" in capsys.readouterr().err
