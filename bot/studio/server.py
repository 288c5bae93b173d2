"""The studio's web server (tornado): its pages, static files and a JSON API.

| Request | What it does |
|---|---|
| ``GET /`` | the studio page (``static/index.html``); its views: ``#/topics``, ``#/topic/ID``, ``#/checks``, |
|  | ``#/check/ID``, ``#/texts``, ``#/history``, ``#/inbox`` |
| ``GET/POST /login``, ``POST /logout`` | the login form (only when a password is set) |
| ``GET /api/topics``, ``/api/topic/ID``, ``/api/checks``, ``/api/check/ID``, | what the forms show |
|  ``/api/texts``, ``/api/history``, ``/api/inbox`` | |
| ``POST /api/try`` | ``{edits, text, lang}``: Try it over the edited, unsaved content |
| ``POST /api/check`` | ``{edits}``: the problems the edits would cause, by field |
| ``POST /api/save`` | ``{edits, what}``: check, then write (nothing is written when there is an error) |
| ``POST /api/undo`` | ``{id}``: a new save that puts back the texts from before save ``id`` |
| ``POST /api/diagram`` | a check's structure and texts: its flowchart as SVG |
| ``POST /api/inbox/add``, ``/api/inbox/dismiss`` | the review inbox's actions |

Every request must name the studio in its ``Host``; POSTs must carry the page's XSRF token (tornado's xsrf cookie,
sent back as ``X-XSRFToken``) and, from a browser, come from the studio's own origin. With a password every page
and action needs a session (a signed, HttpOnly, SameSite=Strict cookie).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import tornado.web

from bot.live import LiveBot
from bot.studio import flowchart, forms
from bot.studio.access import SESSION_COOKIE, SESSION_DAYS, Access, local_user
from bot.studio.edits import EditError
from bot.studio.inbox import ACTIONS, DAYS, InboxSource, add_example, group_json
from bot.studio.tryit import try_message
from bot.studio.workspace import Workspace

STATIC = Path(__file__).resolve().parent / "static"
SANDBOX_STATIC = Path(__file__).resolve().parents[1] / "sandbox" / "static"
MAX_BODY = 4 * 1024 * 1024  # a whole topic with hundreds of examples fits easily
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
MAX_NAME = 60


class Studio:
    """What the handlers share: the live content, the workspace, the inbox and who may come in."""

    def __init__(self, live: LiveBot, workspace: Workspace, access: Access, inbox: InboxSource | None) -> None:
        self.live = live
        self.workspace = workspace
        self.access = access
        self.inbox = inbox


class BadRequest(Exception):
    """A request the API refuses, with a message for the page."""


class Base(tornado.web.RequestHandler):
    """Shared: the Host and Origin checks, the session, JSON in and out."""

    studio: Studio

    def initialize(self, studio: Studio) -> None:
        self.studio = studio

    def prepare(self) -> None:
        refusal = self.studio.access.refusal(self.request.method or "GET", self.request.headers)
        if refusal is not None:
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(refusal + "\n")

    def check_xsrf_cookie(self) -> None:
        # The Host and Origin checks come first (prepare runs after this in tornado, so do them here too).
        refusal = self.studio.access.refusal(self.request.method or "GET", self.request.headers)
        if refusal is not None:
            raise tornado.web.HTTPError(403, reason=refusal)
        super().check_xsrf_cookie()

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        # same-origin, not no-referrer: with no-referrer browsers send 'Origin: null' with form posts (the login)
        self.set_header("Referrer-Policy", "same-origin")
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Frame-Options", "DENY")

    def get_current_user(self) -> str | None:
        if not self.studio.access.needs_login:
            return local_user()
        raw = self.get_signed_cookie(SESSION_COOKIE, max_age_days=SESSION_DAYS)
        return raw.decode("utf-8") if raw else None

    @property
    def who(self) -> str:
        """The name the saves of this request are recorded under."""
        return str(self.current_user)

    def reply(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(data, ensure_ascii=False))

    def refuse(self, message: str, status: int = 400) -> None:
        self.reply({"ok": False, "error": message}, status)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        reason = self._reason
        exc = kwargs.get("exc_info", (None, None))[1]
        if status_code == 403 and isinstance(exc, tornado.web.HTTPError) and "xsrf" in (exc.log_message or ""):
            reason = "Forbidden: this request did not come from a studio page (its security token is missing)."
        self.refuse(reason, status_code)


class Api(Base):
    """A JSON request that needs a session."""

    def prepare(self) -> None:
        super().prepare()
        if not self._finished and self.current_user is None:
            self.refuse("Log in first.", 401)

    def body(self) -> dict[str, Any]:
        if self.request.headers.get("Content-Type", "").split(";")[0].strip().lower() != "application/json":
            raise BadRequest("send JSON (Content-Type: application/json)")
        if len(self.request.body) > MAX_BODY:
            raise BadRequest("the body is too large")
        try:
            data = json.loads(self.request.body or b"{}")
        except (ValueError, RecursionError):
            raise BadRequest("the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise BadRequest("the body must be a JSON object")
        return data

    def edits(self, data: dict[str, Any]) -> list[Any]:
        edits = data.get("edits", [])
        if not isinstance(edits, list):
            raise BadRequest("'edits' must be a list")
        return edits


LOGIN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in - FAQ bot studio</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/static/studio.css">
</head><body class="login"><main class="login-box" aria-labelledby="login-title">
<h1 id="login-title">FAQ bot studio</h1>
{error}
<form method="post" action="/login">{xsrf}
<label for="name">Your name (saves are recorded under it)</label>
<input id="name" name="name" autocomplete="name" required maxlength="{max_name}" value="{name}">
<label for="password">Studio password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" class="primary">Log in</button>
</form></main></body></html>"""


class LoginHandler(Base):
    """The login form: a name (recorded with each save) and the studio password."""

    def get(self) -> None:
        if not self.studio.access.needs_login or self.current_user:
            self.redirect("/")
            return
        self.page()

    def page(self, error: str = "", name: str = "", status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Security-Policy", CSP)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        shown = f'<p class="error" role="alert">{tornado.escape.xhtml_escape(error)}</p>' if error else ""
        self.finish(LOGIN_PAGE.format(error=shown, xsrf=self.xsrf_form_html(), max_name=MAX_NAME,
                                      name=tornado.escape.xhtml_escape(name)))

    async def post(self) -> None:
        name = " ".join(self.get_body_argument("name", "").split())[:MAX_NAME]
        password = self.get_body_argument("password", "")
        if not self.studio.access.needs_login:
            self.redirect("/")
            return
        if not name or not self.studio.access.password_ok(password):
            await asyncio.sleep(1)  # slows down guessing
            self.page("That name or password is not right.", name, 401)
            return
        self.set_signed_cookie(SESSION_COOKIE, name, expires_days=None, httponly=True, samesite="Strict",
                               secure=self.request.protocol == "https")
        self.redirect("/")


class LogoutHandler(Base):
    """End the session."""

    def post(self) -> None:
        self.clear_cookie(SESSION_COOKIE)
        self.redirect("/login" if self.studio.access.needs_login else "/")


class PageHandler(Base):
    """The studio page (one page; the views are drawn by studio.js)."""

    def get(self) -> None:
        if self.current_user is None:
            self.redirect("/login")
            return
        self.xsrf_token  # noqa: B018 - sets the _xsrf cookie the page sends back with every POST
        self.set_header("Content-Security-Policy", CSP)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        page = (STATIC / "index.html").read_text(encoding="utf-8")
        user = tornado.escape.xhtml_escape(self.who)
        logout = "" if not self.studio.access.needs_login else (
            '<form method="post" action="/logout" class="logout">' + self.xsrf_form_html()
            + '<button type="submit">Log out</button></form>')
        self.finish(page.replace("{{user}}", user).replace("{{logout}}", logout))


class StaticHandler(tornado.web.StaticFileHandler):
    """The page's CSS and JavaScript (no secrets: served to the login page too)."""

    studio: Studio

    def initialize(self, path: str, studio: Studio) -> None:  # type: ignore[override]
        super().initialize(path)
        self.studio = studio

    def prepare(self) -> None:
        refusal = self.studio.access.refusal("GET", self.request.headers)
        if refusal is not None:
            raise tornado.web.HTTPError(403, reason=refusal)

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Content-Type-Options", "nosniff")


class TopicsHandler(Api):
    def get(self) -> None:
        self.reply({"ok": True, "topics": forms.topics(self.studio.live.content)})


class TopicHandler(Api):
    def get(self, intent_id: str) -> None:
        found = forms.topic(self.studio.live.content, intent_id)
        if found is None:
            return self.refuse(f"There is no topic '{intent_id}'.", 404)
        self.reply({"ok": True, "topic": found})


class ChecksHandler(Api):
    def get(self) -> None:
        self.reply({"ok": True, "checks": forms.checks(self.studio.live.content)})


class CheckHandler(Api):
    def get(self, check_id: str) -> None:
        found = forms.check(self.studio.live.content, check_id)
        if found is None:
            return self.refuse(f"There is no guided check '{check_id}'.", 404)
        self.reply({"ok": True, "check": found})


class TextsHandler(Api):
    def get(self) -> None:
        texts = self.studio.workspace.texts()
        self.reply({"ok": True, "texts": forms.bot_texts(self.studio.live.content, texts)})


class HistoryHandler(Api):
    def get(self) -> None:
        entries = [e.summary() for e in reversed(self.studio.workspace.history.entries())]
        self.reply({"ok": True, "entries": entries})


class TryHandler(Api):
    async def post(self) -> None:
        try:
            data = self.body()
            text, lang = data.get("text"), data.get("lang") or None
            if not isinstance(text, str) or not text.strip():
                raise BadRequest("Type a message to try.")
            if lang is not None and lang not in self.studio.live.content.languages:
                raise BadRequest("unknown language")
            engine, problems = await asyncio.to_thread(self.studio.workspace.engine_for, self.edits(data))
        except (BadRequest, EditError) as exc:
            return self.refuse(str(exc))
        if engine is None:
            return self.reply({"ok": False, "error": "The edited content has errors; fix them to try it.",
                               "problems": problems})
        self.reply({"ok": True, "result": try_message(engine, text, lang), "edited": bool(data.get("edits"))})


class CheckEditsHandler(Api):
    async def post(self) -> None:
        from bot.studio.fields import problems_json

        try:
            edits = self.edits(self.body())
            draft = await asyncio.to_thread(self.studio.workspace.draft, edits)
        except (BadRequest, EditError) as exc:
            return self.refuse(str(exc))
        self.reply({"ok": draft.ok, "changed": sorted(draft.changed),
                    "problems": problems_json(draft.problems, draft.texts)})


class SaveHandler(Api):
    async def post(self) -> None:
        try:
            data = self.body()
            edits = self.edits(data)
            what = str(data.get("what") or "edit")[:200]
        except BadRequest as exc:
            return self.refuse(str(exc))
        result = await asyncio.to_thread(self.studio.workspace.save, edits, self.who, what)
        if result.saved:
            await self.studio.live.reload_async()
        self.reply(result.json(), 200 if result.saved or result.problems or result.error else 400)


class UndoHandler(Api):
    async def post(self) -> None:
        try:
            entry_id = self.body().get("id")
            if not isinstance(entry_id, int) or isinstance(entry_id, bool):
                raise BadRequest("'id' must be the number of a save")
        except BadRequest as exc:
            return self.refuse(str(exc))
        result = await asyncio.to_thread(self.studio.workspace.undo, entry_id, self.who)
        if result.saved:
            await self.studio.live.reload_async()
        self.reply(result.json())


class DiagramHandler(Api):
    def post(self) -> None:
        try:
            data = self.body()
            steps = data.get("steps")
            if not isinstance(steps, dict) or not all(isinstance(v, list) for v in steps.values()):
                raise BadRequest("'steps' must list each step's options")
            maps = {k: data.get(k) or {} for k in ("questions", "options", "outcome_texts")}
            if not all(isinstance(m, dict) for m in maps.values()):
                raise BadRequest("texts must be given by key")
            picture = flowchart.svg(str(data.get("start", "")), steps, [str(o) for o in data.get("outcomes") or []],
                                    maps["questions"], maps["options"], maps["outcome_texts"],
                                    str(data.get("title", "")))
        except (BadRequest, KeyError, TypeError) as exc:
            return self.refuse(str(exc))
        self.reply({"ok": True, "svg": picture})


class InboxHandler(Api):
    def get(self) -> None:
        inbox = self.studio.inbox
        if inbox is None:
            return self.reply({"ok": True, "available": False, "groups": []})
        content = self.studio.live.content
        self.reply({"ok": True, "available": True, "groups": [group_json(g) for g in inbox.groups(DAYS)],
                    "topics": [{"id": t["id"], "title": next((x for x in t["titles"].values() if x), t["id"])}
                               for t in forms.topics(content)]})


class InboxAddHandler(Api):
    async def post(self) -> None:
        inbox = self.studio.inbox
        try:
            data = self.body()
            if inbox is None:
                raise BadRequest("There is no review inbox here.")
            key, intent, lang, text = (data.get(k) for k in ("key", "intent", "lang", "text"))
            if not all(isinstance(v, str) and v for v in (key, intent, lang, text)):
                raise BadRequest("key, intent, lang and text are needed")
        except BadRequest as exc:
            return self.refuse(str(exc))
        result = await asyncio.to_thread(add_example, self.studio.workspace, inbox, str(key), str(intent),
                                         str(lang), str(text), self.who)
        if result.saved:
            await self.studio.live.reload_async()
        self.reply(result.json())


class InboxDismissHandler(Api):
    def post(self) -> None:
        try:
            data = self.body()
            key, action = data.get("key"), data.get("action", "dismissed")
            if self.studio.inbox is None:
                raise BadRequest("There is no review inbox here.")
            if not isinstance(key, str) or action not in ACTIONS:
                raise BadRequest("key and action are needed")
        except BadRequest as exc:
            return self.refuse(str(exc))
        self.studio.inbox.resolve(key, str(action))
        self.reply({"ok": True})


class NotFound(Base):
    def prepare(self) -> None:
        super().prepare()
        if not self._finished:
            raise tornado.web.HTTPError(404, reason="Not found")


_ID = r"([a-z][a-z0-9_]*)"


def make_app(studio: Studio, cookie_secret: bytes) -> tornado.web.Application:
    """The tornado application of a studio."""
    args = {"studio": studio}
    return tornado.web.Application([
        (r"/", PageHandler, args),
        (r"/login", LoginHandler, args),
        (r"/logout", LogoutHandler, args),
        # the Telegram HTML renderer is the sandbox's own (one copy of the code that makes bot text safe)
        (r"/static/(telegram\.js)", StaticHandler, {"path": str(SANDBOX_STATIC), "studio": studio}),
        (r"/static/(.*)", StaticHandler, {"path": str(STATIC), "studio": studio}),
        (r"/api/topics", TopicsHandler, args),
        (rf"/api/topic/{_ID}", TopicHandler, args),
        (r"/api/checks", ChecksHandler, args),
        (rf"/api/check/{_ID}", CheckHandler, args),
        (r"/api/texts", TextsHandler, args),
        (r"/api/history", HistoryHandler, args),
        (r"/api/try", TryHandler, args),
        (r"/api/check", CheckEditsHandler, args),
        (r"/api/save", SaveHandler, args),
        (r"/api/undo", UndoHandler, args),
        (r"/api/diagram", DiagramHandler, args),
        (r"/api/inbox", InboxHandler, args),
        (r"/api/inbox/add", InboxAddHandler, args),
        (r"/api/inbox/dismiss", InboxDismissHandler, args),
    ], cookie_secret=cookie_secret, xsrf_cookies=True,
        xsrf_cookie_kwargs={"samesite": "Strict"},
        default_handler_class=NotFound, default_handler_args=args)


