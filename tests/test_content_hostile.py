"""Hostile files in the content folder: each is one plain problem for staff, and a running bot keeps serving.

The cases are what an adversarial tester put in the folder of a running bot (issue 12): a billion-laughs file,
a 50 MB file, a named pipe, a link to /dev/zero, a link loop; plus a folder named like a file, a dangling link,
a link out of the folder, text that is not UTF-8, too much content in total, and a file nobody may read.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.channels.telegram.staff_hooks import StaffHooks
from bot.cli import main
from bot.content.files import MAX_FILE_BYTES, MAX_TOTAL_BYTES, size_text
from bot.engine import CommandIn, TextIn
from bot.live import LiveBot, ReloadResult
from tests.content_fixture import valid_files

REPO = Path(__file__).resolve().parents[1]
QUESTION = "family reunification travel"
ANSWER = "IOM regelt de <b>reis</b> van gezinsleden."
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def write_content(root: Path) -> Path:
    for rel, text in valid_files().items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_content(tmp_path / "content")


def ask(live: LiveBot) -> str:
    _, replies = live.engine.handle(None, TextIn(QUESTION), "en")
    return "\n".join(r.text for r in replies)


# -- the hostile files ------------------------------------------------------------------------------

def billion_laughs(root: Path) -> None:
    lines = ["# nine copies of nine copies of ...", 'lol0: &a0 ["lol"]']
    lines += [f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (root / "intents/laughs.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def alias_in_answer(root: Path) -> None:
    path = root / "answers/en/main.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    title: Contact", "    title: *important*"),
                    encoding="utf-8")


def huge_file(root: Path) -> None:
    with open(root / "answers/nl/big.yaml", "wb") as file:
        file.truncate(50_000_000)  # sparse: 50 MB on paper, nothing on disk


def just_over_the_limit(root: Path) -> None:
    (root / "answers/en/long.yaml").write_bytes(b"#" * (MAX_FILE_BYTES + 1))


def too_much_in_total(root: Path) -> None:
    for n in range(11):
        with open(root / f"answers/en/part{n:02}.yaml", "wb") as file:
            file.truncate(950_000 + n)


def named_pipe(root: Path) -> None:
    os.mkfifo(root / "intents/pipe.yaml")


def link_to_dev_zero(root: Path) -> None:
    (root / "answers/en/zero.yaml").symlink_to("/dev/zero")


def link_loop(root: Path) -> None:
    (root / "intents/loop.yaml").symlink_to("loop.yaml")


def dangling_link(root: Path) -> None:
    (root / "intents/gone.yaml").symlink_to("deleted.yaml")


def link_out_of_the_folder(root: Path) -> None:
    (root.parent / "elsewhere.yaml").write_text("intents: []\n", encoding="utf-8")
    (root / "intents/elsewhere.yaml").symlink_to(root.parent / "elsewhere.yaml")


def folder_named_yaml(root: Path) -> None:
    (root / "intents/x.yaml").mkdir()


def not_utf8(root: Path) -> None:
    text = "answers:\n  - intent: contact\n    title: Caf\xe9\n"
    (root / "answers/nl/latin1.yaml").write_bytes(text.encode("latin-1"))


def unreadable(root: Path) -> None:
    path = root / "answers/nl/main.yaml"
    path.chmod(0)


HOSTILE = [
    pytest.param(billion_laughs, "intents/laughs.yaml:2: '&a0' is a YAML anchor; anchors (&) and aliases (*) copy "
                 "parts of a file and are not accepted - staff content never needs & or *; write the text out (to "
                 "start a text with & or *, put the whole text in quotes)", id="billion-laughs"),
    pytest.param(alias_in_answer, "answers/en/main.yaml:8: '*important*' is a YAML alias; anchors (&) and aliases (*) "
                 "copy parts of a file and are not accepted - staff content never needs & or *; write the text out "
                 "(to start a text with & or *, put the whole text in quotes)", id="alias"),
    pytest.param(huge_file, "answers/nl/big.yaml:1: this file is 50 MB; a content file may be at most 1 MB - split it "
                 "into smaller files, or remove it if it is not content", id="50-MB"),
    pytest.param(just_over_the_limit, "answers/en/long.yaml:1: this file is 1 MB (1,000,001 bytes); a content file "
                 "may be at most 1 MB - split it into smaller files, or remove it if it is not content",
                 id="one-byte-over"),
    pytest.param(too_much_in_total, "answers/en/part10.yaml:1: the content files are 10.5 MB together, more than the "
                 "limit of 10 MB (this file, the biggest, is 950 KB) - remove files that are not content from "
                 "intents/, answers/ and docs/sources/", id="total-over"),
    pytest.param(named_pipe, "intents/pipe.yaml:1: this is not a normal file (a named pipe), so it is not read - "
                 "delete it and save the content as a normal text file", id="fifo"),
    pytest.param(link_to_dev_zero, "answers/en/zero.yaml:1: this is a link to something outside the content folder "
                 "(/dev/zero) - put the file itself here instead of a link", id="dev-zero"),
    pytest.param(link_loop, "intents/loop.yaml:1: this is a link that leads back to itself (a loop) - delete the link "
                 "and put the file itself here", id="link-loop"),
    pytest.param(dangling_link, "intents/gone.yaml:1: this is a link to a file that does not exist - delete the "
                 "link, or put the file itself here", id="dangling-link"),
    pytest.param(link_out_of_the_folder, "intents/elsewhere.yaml:1: this is a link to something outside the content "
                 "folder ({outside}/elsewhere.yaml) - put the file itself here instead of a link", id="link-outside"),
    pytest.param(folder_named_yaml, "intents/x.yaml:1: this is a folder, not a file - rename the folder: a name "
                 "ending in .yaml is for content files only", id="folder"),
    pytest.param(not_utf8, "answers/nl/latin1.yaml:3: this line has characters that are not UTF-8 text - save the "
                 "file as UTF-8 text (in your editor: save as, encoding UTF-8)", id="not-utf8"),
    pytest.param(unreadable, "answers/nl/main.yaml:1: the bot is not allowed to read this file - make it readable "
                 "for everyone (for example: chmod a+r answers/nl/main.yaml)", id="no-permission",
                 marks=pytest.mark.skipif(IS_ROOT, reason="root may read any file")),
]


def expected_line(template: str, root: Path) -> str:
    return template.replace("{outside}", os.path.realpath(root.parent))


@contextlib.contextmanager
def pipes_never_opened(root: Path) -> Iterator[None]:
    """Fail, instead of hanging, when anything opens a named pipe under ``root`` to read it."""
    pipes = [p for p in root.rglob("*") if stat.S_ISFIFO(p.lstat().st_mode)]
    opened: list[Path] = []
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            for pipe in pipes:
                try:
                    fd = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)  # succeeds only while someone reads
                except OSError:
                    continue
                opened.append(pipe)
                os.close(fd)  # the reader gets end-of-file and goes on
            stop.wait(0.01)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
    assert not opened, f"a named pipe was opened: {opened}"


@pytest.mark.parametrize(("make", "expected"), HOSTILE)
def test_check_names_the_file_and_the_fix(make: Callable[[Path], None], expected: str, root: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    make(root)
    with pipes_never_opened(root):
        code = main(["check", "--content", str(root)])
    out = capsys.readouterr().out
    assert code == 1
    assert expected_line(expected, root) in out.splitlines(), out
    assert "\n1 error(s)" in out, out  # one problem, not a cascade of follow-on errors


@pytest.mark.parametrize(("make", "expected"), HOSTILE)
async def test_running_bot_keeps_the_last_good_content(make: Callable[[Path], None], expected: str,
                                                       root: Path) -> None:
    live, _ = LiveBot.load(root)
    assert live is not None and ask(live) == ANSWER
    engine = live.engine
    make(root)
    with pipes_never_opened(root):
        result = await live.reload_async()
    assert not result.ok
    assert expected_line(expected, root) in [str(p) for p in result.problems]
    assert live.engine is engine and ask(live) == ANSWER


def test_links_inside_the_folder_are_followed(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "shared").mkdir()
    (root / "answers/en/more.yaml").rename(root / "shared/more-en.yaml")
    (root / "answers/en/more.yaml").symlink_to("../../shared/more-en.yaml")
    assert main(["check", "--content", str(root), "--strict"]) == 0, capsys.readouterr().out


def test_editor_lock_files_are_ignored(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "answers/en/.#main.yaml").symlink_to("staff@laptop.4242:1700000000")  # what Emacs leaves while editing
    assert main(["check", "--content", str(root), "--strict"]) == 0, capsys.readouterr().out


# -- every way a reload starts ----------------------------------------------------------------------

def problem_lines(records: list[logging.LogRecord]) -> str:
    assert not [r for r in records if r.exc_info], "a traceback was logged"
    return "\n".join(r.getMessage() for r in records)


async def test_watcher_logs_the_problem_and_keeps_serving(root: Path, caplog: pytest.LogCaptureFixture) -> None:
    live, _ = LiveBot.load(root)
    assert live is not None
    engine = live.engine
    done = asyncio.Event()
    results: list[ReloadResult] = []

    def reloaded(result: ReloadResult) -> None:
        results.append(result)
        done.set()

    live.on_reload(reloaded)
    watcher = asyncio.create_task(live.watch(interval=0.05))
    try:
        named_pipe(root)
        with pipes_never_opened(root):
            await asyncio.wait_for(done.wait(), 60)
    finally:
        watcher.cancel()
    assert not results[0].ok and live.engine is engine and ask(live) == ANSWER
    assert "intents/pipe.yaml:1: this is not a normal file (a named pipe)" in problem_lines(caplog.records)


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this system")
async def test_sighup_logs_the_problem_and_keeps_serving(root: Path, caplog: pytest.LogCaptureFixture) -> None:
    live, _ = LiveBot.load(root)
    assert live is not None
    engine = live.engine
    done = asyncio.Event()
    live.on_reload(lambda result: done.set())
    loop = asyncio.get_running_loop()
    assert live.install_sighup(loop)
    try:
        billion_laughs(root)
        os.kill(os.getpid(), signal.SIGHUP)
        await asyncio.wait_for(done.wait(), 60)
    finally:
        loop.remove_signal_handler(signal.SIGHUP)
    assert live.engine is engine and ask(live) == ANSWER
    assert "intents/laughs.yaml:2: '&a0' is a YAML anchor" in problem_lines(caplog.records)


async def test_admin_reload_replies_with_the_problem(root: Path) -> None:
    live, _ = LiveBot.load(root)
    assert live is not None
    engine = live.engine
    link_to_dev_zero(root)
    staff = StaffHooks(None, frozenset({7}), live.reload)
    try:
        reply = await staff.admin_reply(CommandIn("reload"), 7, private=True)
    finally:
        staff.close()
    assert reply is not None and reply.startswith("❌ Content NOT reloaded: 1 problem(s).")
    assert "<code>answers/en/zero.yaml:1</code> this is a link to something outside the content folder" in reply
    assert live.engine is engine and ask(live) == ANSWER


def test_run_refuses_to_start_with_a_message(root: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    named_pipe(root)
    with pipes_never_opened(root):
        assert main(["run", "--content", str(root)]) == 1
    err = capsys.readouterr().err
    assert "intents/pipe.yaml:1: this is not a normal file (a named pipe)" in err
    assert "Traceback" not in err


def test_docs_state_the_limits() -> None:
    doc = (REPO / "docs/content-format.md").read_text(encoding="utf-8")
    assert f"at most {size_text(MAX_FILE_BYTES)} per file" in doc
    assert f"{size_text(MAX_TOTAL_BYTES)} for all content files together" in doc
    assert "anchors" in doc and "aliases" in doc
