"""The sandbox's web API over HTTP: a live sandbox on a free port, driven with httpx (no browser).

The sandbox runs the real Telegram adapter against the emulator, so these tests also check that what the page
gets (messages, typing, answered presses, edits, traces) is what the bot did.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from bot.content import check_content
from bot.engine import TextIn
from bot.html import plain_text
from bot.store import FILE_NAME
from tests.sandbox_fixture import (
    EN_QUESTION,
    Running,
    Stream,
    copy_content,
    is_bot_message,
    start_sandbox,
    stop_sandbox,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def running(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Running]:
    """One sandbox (watcher off) for the module, on a copy of the shipped content."""
    folder = tmp_path_factory.mktemp("sandbox")
    sandbox = await start_sandbox(copy_content(folder / "content"), folder / FILE_NAME)
    async with httpx.AsyncClient(base_url=sandbox.url, trust_env=False, timeout=10) as client:
        yield Running(sandbox, client)
    await stop_sandbox(sandbox)


# -- the page ----------------------------------------------------------------------------------------


async def test_the_page_and_its_files_are_served_locally(running: Running) -> None:
    page = await running.client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert '<script src="/static/app.js" defer></script>' in page.text
    assert 'aria-live="polite"' in page.text
    for name, kind in (("app.js", "javascript"), ("app.css", "text/css")):
        response = await running.client.get(f"/static/{name}")
        assert response.status_code == 200 and kind in response.headers["content-type"]
    static = resources.files("bot.sandbox") / "static"
    for name in ("index.html", "app.css", "app.js"):  # shipped in the package; nothing from a CDN
        text = (static / name).read_text(encoding="utf-8")
        assert "//cdn" not in text and "https://" not in text and "http://" not in text, name
    assert (await running.client.get("/static/missing.js")).status_code == 404


# -- chatting ----------------------------------------------------------------------------------------


async def test_a_message_streams_the_user_message_the_reply_and_its_trace(running: Running) -> None:
    async with Stream(running.client, 101) as stream:
        message_id = await running.send(101, "/start", "nl")
        [trace] = await stream.wait_for(lambda e: e["type"] == "trace")
        kinds = [e["type"] for e in stream.events]
        assert kinds[:4] == ["snapshot", "message", "message", "trace"]  # no 'typing…' for a reply in milliseconds
        user, bot = stream.events[1]["message"], stream.events[2]["message"]
        assert user == {"message_id": message_id, "date": user["date"], "sender": "user", "text": "/start",
                        "html": False, "buttons": [], "edited": False}
        assert bot["sender"] == "bot" and bot["html"] and bot["buttons"]
        sent = running.emulator.bot_message(101, bot["message_id"])
        assert bot["text"] == sent.text  # the HTML exactly as the bot sent it
        assert trace["trace"] == {"message_ids": [bot["message_id"]], "input": "command: /start", "intent": None,
                                  "decision": "start", "score": 0.0, "lang": "nl", "source": None,
                                  "candidates": []}


async def test_a_press_is_answered_and_named_in_the_trace(running: Running) -> None:
    async with Stream(running.client, 102) as stream:
        await running.send(102, "/start", "en")
        [menu] = await stream.wait_for(is_bot_message)
        button = menu["message"]["buttons"][0][0]
        response = await running.post("/api/press", {"chat": 102, "message_id": menu["message"]["message_id"],
                                                     "data": button["callback_data"], "lang": "en"})
        assert response.status_code == 200 and response.json()["query_id"]
        [answered] = await stream.wait_for(lambda e: e["type"] == "answered")
        assert answered == {"type": "answered", "message_id": menu["message"]["message_id"],
                            "data": button["callback_data"], "text": None, "show_alert": False}
        traces = await stream.wait_for(lambda e: e["type"] == "trace", count=2)
        assert traces[1]["trace"]["input"] == f"button: {button['text']}"
        assert traces[1]["trace"]["decision"] == "menu"


async def test_the_trace_of_an_answer_matches_the_engine(running: Running) -> None:
    _, replies = running.sandbox.bridge.live.engine.handle(None, TextIn(EN_QUESTION), "en")
    expected = replies[0].trace
    assert expected is not None
    async with Stream(running.client, 103) as stream:
        await running.send(103, EN_QUESTION, "en")
        [event] = await stream.wait_for(lambda e: e["type"] == "trace")
        [bot] = await stream.wait_for(is_bot_message)
    trace = event["trace"]
    assert (trace["intent"], trace["decision"], trace["lang"], trace["source"]) == (
        expected.intent, expected.decision, expected.lang, expected.source)
    assert trace["score"] == round(expected.score, 3)
    assert trace["candidates"] == [[name, round(score, 3)] for name, score in expected.candidates]
    assert plain_text(bot["message"]["text"]) == plain_text(replies[0].text)


async def test_each_chat_gets_only_its_own_events(running: Running) -> None:
    async with Stream(running.client, 104) as mine, Stream(running.client, 105) as other:
        await running.send(104, EN_QUESTION)
        await mine.wait_for(lambda e: e["type"] == "trace")
        await running.send(105, "hallo", "nl")
        await other.wait_for(lambda e: e["type"] == "trace")
        assert all(e.get("message", {}).get("text") != "hallo" for e in mine.events)
        assert all(e.get("message", {}).get("text") != EN_QUESTION for e in other.events)
        assert len(mine.of_type("trace")) == len(other.of_type("trace")) == 1


async def test_pages_of_other_websites_cannot_listen(running: Running) -> None:
    url = Stream(running.client, 111).url
    with pytest.raises(HTTPClientError) as refused:
        await websocket_connect(HTTPRequest(url, headers={"Origin": "http://evil.example"}))
    assert refused.value.code == 403
    page = await running.client.get("/")
    assert f"connect-src 'self' ws://{page.url.host}:{page.url.port};" in page.headers["content-security-policy"]


async def test_a_new_stream_starts_with_the_whole_chat(running: Running) -> None:
    async with Stream(running.client, 106) as stream:
        await running.send(106, EN_QUESTION)
        await stream.wait_for(lambda e: e["type"] == "trace")
    async with Stream(running.client, 106) as again:
        snapshot = again.events[0]
    assert [m["sender"] for m in snapshot["messages"]] == ["user", "bot"]
    assert snapshot["messages"][0]["text"] == EN_QUESTION
    assert len(snapshot["traces"]) == 1
    assert snapshot["content"]["ok"] is True
    assert snapshot["bot"]["username"] == running.emulator.bot_username
    same = (await running.client.get("/api/chat", params={"chat": 106})).json()
    assert same["messages"] == snapshot["messages"] and same["traces"] == snapshot["traces"]


async def test_edits_and_deletions_by_the_bot_reach_the_page(running: Running) -> None:
    async with Stream(running.client, 107) as stream:
        await running.send(107, "/start", "en")
        [sent] = await stream.wait_for(is_bot_message)
        message_id = sent["message"]["message_id"]
        status, _ = await running.emulator.handle_request(running.emulator.token, "editMessageText", {
            "chat_id": 107, "message_id": message_id, "text": "<b>new</b> text", "parse_mode": "HTML"})
        assert status == 200
        [edit] = await stream.wait_for(lambda e: e["type"] == "edit")
        assert edit["message"]["text"] == "<b>new</b> text" and edit["message"]["edited"] is True
        assert edit["message"]["buttons"] == []
        status, _ = await running.emulator.handle_request(running.emulator.token, "deleteMessage", {
            "chat_id": 107, "message_id": message_id})
        assert status == 200
        await stream.wait_for(lambda e: e == {"type": "delete", "message_id": message_id})
    snapshot = (await running.client.get("/api/chat", params={"chat": 107})).json()
    assert [m["sender"] for m in snapshot["messages"]] == ["user"]


async def test_the_command_menu_per_app_language(running: Running) -> None:
    table = running.emulator.commands
    for lang, code in (("nl", "nl"), ("en", "en"), ("other", "")):  # "other" (fr) falls back to the default menu
        response = await running.client.get("/api/commands", params={"chat": 108, "lang": lang})
        listed = [(c["command"], c["description"]) for c in response.json()["commands"]]
        assert listed == table[("default", code)], lang
    nl = await running.client.get("/api/commands", params={"chat": 108, "lang": "nl"})
    en = await running.client.get("/api/commands", params={"chat": 108, "lang": "en"})
    assert nl.json() != en.json()


async def test_the_bots_descriptions_per_app_language_and_their_changes(running: Running) -> None:
    engine = running.sandbox.bridge.live.engine
    nl, en = engine.descriptions("nl"), engine.descriptions("en")
    default = engine.descriptions(engine.content.languages[0])
    profile = (await running.client.get("/api/chat", params={"chat": 112})).json()["profile"]
    assert profile == {  # what the bot set at start, from messages.yaml; "other" (fr) sees the default
        "nl": {"description": nl[0], "short_description": nl[1]},
        "en": {"description": en[0], "short_description": en[1]},
        "other": {"description": default[0], "short_description": default[1]},
    }
    emulator = running.emulator
    async with Stream(running.client, 112) as stream:
        assert stream.events[0]["profile"] == profile
        status, _ = await emulator.handle_request(emulator.token, "setMyDescription",
                                                  {"description": "Bonjour !", "language_code": "fr"})
        assert status == 200
        [changed] = await stream.wait_for(lambda e: e["type"] == "profile")
        assert changed["profile"]["other"]["description"] == "Bonjour !"
        assert changed["profile"]["nl"] == profile["nl"]
        await emulator.handle_request(emulator.token, "setMyDescription", {"description": "", "language_code": "fr"})
        [_, back] = await stream.wait_for(lambda e: e["type"] == "profile", count=2)
        assert back["profile"] == profile


async def test_buttons_removed_by_the_bot_leave_the_page(running: Running) -> None:
    async with Stream(running.client, 113) as stream:
        await running.send(113, "/start", "en")
        [sent] = await stream.wait_for(is_bot_message)
        assert sent["message"]["buttons"]
        message_id = sent["message"]["message_id"]
        status, _ = await running.emulator.handle_request(running.emulator.token, "editMessageReplyMarkup", {
            "chat_id": 113, "message_id": message_id})
        assert status == 200
        [edit] = await stream.wait_for(lambda e: e["type"] == "edit")
        assert edit["message"]["buttons"] == [] and edit["message"]["text"] == sent["message"]["text"]
        assert edit["message"]["edited"] is False
    snapshot = (await running.client.get("/api/chat", params={"chat": 113})).json()
    assert snapshot["messages"][-1]["buttons"] == []


@pytest.mark.parametrize(("method", "path", "body", "content_type", "error"), [
    ("POST", "/api/send", '{"chat": 1, "text": "hi"}', "text/plain", "send JSON (Content-Type: application/json)"),
    ("POST", "/api/send", "{not json", "application/json", "the body is not valid JSON"),
    ("POST", "/api/send", "[1, 2]", "application/json", "the body must be a JSON object"),
    ("POST", "/api/send", {"chat": 0, "text": "hi"}, "application/json", "chat must be a positive whole number"),
    ("POST", "/api/send", {"chat": -5, "text": "hi"}, "application/json", "chat must be a positive whole number"),
    ("POST", "/api/send", {"chat": True, "text": "hi"}, "application/json", "chat must be a positive whole number"),
    ("POST", "/api/send", {"chat": "x", "text": "hi"}, "application/json", "chat must be a positive whole number"),
    ("POST", "/api/send", {"chat": 1, "text": "hi", "lang": "de"}, "application/json",
     "lang must be one of: nl, en, other"),
    ("POST", "/api/send", {"chat": 1, "text": " "}, "application/json", "the message is empty"),
    ("POST", "/api/send", {"chat": 1, "text": 5}, "application/json", "text must be a string"),
    ("POST", "/api/send", {"chat": 1, "text": "x" * 4097}, "application/json",
     "the message is longer than 4096 characters"),
    ("POST", "/api/press", {"chat": 109, "message_id": 999, "data": "x"}, "application/json",
     "no bot message 999 in chat 109"),
    ("POST", "/api/press", {"chat": 109, "message_id": "1", "data": "x"}, "application/json",
     "message_id must be a number and data a string"),
    ("POST", "/api/reload", "", "text/plain", "send JSON (Content-Type: application/json)"),
    ("GET", "/api/events", None, None, "chat must be a positive whole number"),
    ("GET", "/api/events?chat=-1", None, None, "chat must be a positive whole number"),
    ("GET", "/api/chat?chat=abc", None, None, "chat must be a positive whole number"),
    ("GET", "/api/commands?chat=1&lang=fr", None, None, "lang must be one of: nl, en, other"),
])
async def test_bad_requests_are_refused_with_a_message(running: Running, method: str, path: str, body: Any,
                                                       content_type: str | None, error: str) -> None:
    if method == "POST":
        response = await running.post(path, body, content_type or "application/json")
    else:
        response = await running.client.get(path)
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": error}


async def test_pressing_a_button_that_is_not_there(running: Running) -> None:
    async with Stream(running.client, 110) as stream:
        await running.send(110, "/start", "en")
        [menu] = await stream.wait_for(is_bot_message)
    message_id = menu["message"]["message_id"]
    response = await running.post("/api/press", {"chat": 110, "message_id": message_id, "data": "nope"})
    assert response.status_code == 400
    assert response.json()["error"] == f"message {message_id} in chat 110 has no button with data 'nope'"


# -- content reloads ---------------------------------------------------------------------------------


async def test_reload_reports_every_problem_and_keeps_serving(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content")
    sandbox = await start_sandbox(content, tmp_path / FILE_NAME)
    try:
        async with httpx.AsyncClient(base_url=sandbox.url, trust_env=False, timeout=10) as client:
            running = Running(sandbox, client)
            ok = (await running.post("/api/reload", {})).json()
            assert ok == {"ok": True, "content": {"ok": True, "changed": True, "summary": "content reloaded",
                                                  "problems": ok["content"]["problems"]}}
            path = content / "answers/en/about.yaml"
            path.write_text(path.read_text(encoding="utf-8").replace("</b>", "", 1), encoding="utf-8")
            async with Stream(client, 201) as stream:
                broken = (await running.post("/api/reload", {})).json()["content"]
                [pushed] = await stream.wait_for(lambda e: e["type"] == "content")
                assert pushed["content"] == broken
                _, problems = check_content(content)
                assert broken["ok"] is False
                assert broken["problems"] == [str(p) for p in sorted(problems)]  # what `faqbot check` prints
                assert broken["problems"][0].startswith("answers/en/about.yaml:")
                assert broken["summary"].startswith("content NOT reloaded")
                await running.send(201, EN_QUESTION)  # the last good content keeps serving
                [bot] = await stream.wait_for(is_bot_message)
                assert "family" in plain_text(bot["message"]["text"])
            later = (await client.get("/api/chat", params={"chat": 202})).json()
            assert later["content"] == broken
    finally:
        await stop_sandbox(sandbox)


async def test_the_watcher_pushes_a_reload_to_every_page(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content")
    sandbox = await start_sandbox(content, tmp_path / FILE_NAME, watch=True)
    try:
        async with (httpx.AsyncClient(base_url=sandbox.url, trust_env=False, timeout=10) as client,
                    Stream(client, 301) as first, Stream(client, 302) as second):
            path = content / "answers/en/about.yaml"
            path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
            for stream in (first, second):
                [event] = await stream.wait_for(lambda e: e["type"] == "content")
                assert event["content"]["ok"] is True and event["content"]["summary"] == "content reloaded"
    finally:
        await stop_sandbox(sandbox)


async def test_stopping_the_sandbox_ends_the_event_streams(tmp_path: Path) -> None:
    sandbox = await start_sandbox(copy_content(tmp_path / "content"), tmp_path / FILE_NAME)
    stopped = False
    try:
        async with httpx.AsyncClient(base_url=sandbox.url, trust_env=False, timeout=10) as client:
            stream = Stream(client, 401)
            await stream.__aenter__()
            await stop_sandbox(sandbox)
            stopped = True
            assert stream.task is not None
            await asyncio.wait_for(stream.task, 5)
            assert stream.ended
            assert stream.socket is not None
            stream.socket.close()  # the client's side too, or its garbage collection warns
    finally:
        if not stopped:
            await stop_sandbox(sandbox)
