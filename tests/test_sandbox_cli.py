"""`faqbot sandbox` and `make run` without a token: start-up, the printed address, Ctrl+C, ports, bad content."""

from __future__ import annotations

import argparse
import base64
import contextlib
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.cli import build_parser, main
from bot.sandbox import PortTaken, bind, page_url

REPO = Path(__file__).resolve().parents[1]
CLOSE = 0x8  # WebSocket close frame
RUNNING = re.compile(r"^Sandbox running: open (http://127\.0\.0\.1:(\d+)/) in your browser\. Ctrl\+C stops\.$")


def copy_content(target: Path) -> Path:
    for folder in ("intents", "answers"):
        shutil.copytree(REPO / folder, target / folder)
    return target


def sandbox_process(*args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    return subprocess.Popen([sys.executable, "-m", "bot", "sandbox", *args], cwd=REPO, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def read_line(proc: subprocess.Popen[str], timeout: float = 30.0) -> str:
    """The next line on stdout ('' when the process ended), without hanging the test."""
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    assert ready, f"no output within {timeout} s"
    return proc.stdout.readline().rstrip("\n")


@contextlib.contextmanager
def open_event_socket(port: int) -> Iterator[socket.socket]:
    """A raw WebSocket to /api/events, as a page holds it (handshake done, then only listening)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall((f"GET /api/events?chat=7 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                      f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
                      ).encode())
        response = b""
        while b"\r\n\r\n" not in response:
            response += sock.recv(4096)
        assert response.startswith(b"HTTP/1.1 101 "), response
        yield sock


def frame_opcodes(sock: socket.socket) -> list[int]:
    """The opcodes of the (unmasked) frames a server sent until it closed the connection."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    opcodes, at = [], 0
    while at < len(data):
        size, at = data[at + 1] & 0x7F, at + 2
        opcodes.append(data[at - 2] & 0x0F)
        if size >= 126:
            width = 2 if size == 126 else 8
            size, at = int.from_bytes(data[at:at + width], "big"), at + width
        at += size
    return opcodes


@pytest.fixture()
def busy_port() -> Iterator[int]:
    """A loopback port something else listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_the_sandbox_prints_its_address_serves_the_page_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    proc = sandbox_process("--port", "0", "--no-watch", "--content", str(copy_content(tmp_path)))
    try:
        line = read_line(proc)
        found = RUNNING.match(line)
        assert found, (line, proc.stderr.read() if proc.poll() is not None and proc.stderr else "")
        page = httpx.get(found.group(1), trust_env=False, timeout=10)
        assert page.status_code == 200 and "FAQ bot sandbox" in page.text
        with open_event_socket(int(found.group(2))) as listening:  # a page still open must not hold up Ctrl+C
            started = time.monotonic()
            proc.send_signal(signal.SIGINT)
            assert proc.wait(15) == 0
            assert time.monotonic() - started < 5
            assert frame_opcodes(listening)[-1] == CLOSE  # the snapshot, then the server closed the socket
        assert read_line(proc) == "Sandbox stopped."
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_port_in_use_is_a_one_line_error_with_exit_code_2(busy_port: int) -> None:
    proc = sandbox_process("--port", str(busy_port), "--no-watch")
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert stderr == (f"faqbot sandbox: port {busy_port} on 127.0.0.1 is in use; stop what uses it or choose "
                      "another with --port N\n")


def test_without_port_a_taken_port_moves_on_to_the_next_free_one(busy_port: int) -> None:
    bound = bind("127.0.0.1", busy_port, try_next=True)
    try:
        assert bound.port > busy_port
    finally:
        for sock in bound.sockets:
            sock.close()
    with pytest.raises(PortTaken, match=f"^port {busy_port} on 127.0.0.1 is in use"):
        bind("127.0.0.1", busy_port, try_next=False)


@pytest.mark.parametrize(("host", "port", "url"), [
    ("127.0.0.1", 8080, "http://127.0.0.1:8080/"),
    ("0.0.0.0", 8081, "http://127.0.0.1:8081/"),
    ("::1", 8080, "http://[::1]:8080/"),
    ("localhost", 9000, "http://localhost:9000/"),
])
def test_page_url(host: str, port: int, url: str) -> None:
    assert page_url(host, port) == url


def test_bad_content_is_reported_like_faqbot_check_with_exit_code_1(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    path = content / "answers/en/about.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("</b>", "", 1), encoding="utf-8")
    proc = sandbox_process("--port", "0", "--content", str(content))
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 1 and stdout == ""
    lines = stderr.strip().splitlines()
    assert re.match(r"^answers/en/about\.yaml:\d+: ", lines[0])
    assert lines[-1] == (f"faqbot sandbox: the content in {content} has 1 error(s). Fix the lines above and run "
                         "`faqbot check` again.")


def test_a_port_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sandbox", "--port", "70000"]) == 2
    assert capsys.readouterr().err == "faqbot sandbox: --port must be between 0 and 65535, not 70000\n"


def test_make_run_without_a_token_starts_the_sandbox(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from bot.commands import sandbox

    started: list[argparse.Namespace] = []
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setattr(sandbox, "run", lambda args: started.append(args) or 0)
    assert main(["start"]) == 0
    [args] = started
    assert (args.port, args.host, args.content, args.no_watch) == (None, "127.0.0.1", None, False)
    assert "starting the local sandbox" in capsys.readouterr().out


def test_every_option_is_documented() -> None:
    docs = (REPO / "docs/sandbox.md").read_text(encoding="utf-8")
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    options = [o for a in subparsers.choices["sandbox"]._actions for o in a.option_strings if o.startswith("--")]
    assert {"--port", "--host", "--content", "--no-watch"} <= set(options)
    for option in options:
        if option != "--help":
            assert f"`{option}" in docs, f"{option} is not in docs/sandbox.md"
