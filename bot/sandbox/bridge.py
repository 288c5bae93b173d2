"""The sandbox's bot: the Bot API emulator, the real Telegram adapter over live content, and what each chat shows.

The web page plays the Telegram user through the emulator (``send``, ``press``); the real Application answers
by long polling, exactly as on Telegram. Emulator events (messages sent and edited, typing, answered presses)
and the channel's exchanges (the engine's traces, keyed by Telegram message id) are kept per chat and pushed
to the listeners of that chat only, so every browser tab is its own user.

A chat without an open tab is forgotten (here and in the emulator) once it has been idle for ``forget_after``
seconds, and beyond ``max_chats`` chats the least recently active are forgotten first, so a sandbox left running
does not grow without end.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from bot.channels.telegram import build_application, serve
from bot.channels.telegram.app import App
from bot.channels.telegram.conversation import Exchange, TelegramChannel
from bot.content import Problem
from bot.engine import PressIn, TextIn
from bot.live import LiveBot, ReloadResult
from bot.sandbox.chatlog import MAX_MESSAGES, ChatLog, Json, bot_entry, describe, trace_record, user_entry
from bot.staff.session import ReviewSessions
from bot.store import Store
from bot.telegram_emulator import BotApiEmulator
from bot.telegram_emulator.retention import Clock, IdleChats, Retention

log = logging.getLogger(__name__)

#: The page's language choices and the Telegram ``language_code`` each one sends ("other": an app language
#: the bot has no content for).
LANGUAGES = {"nl": "nl", "en": "en", "other": "fr"}
BOT_NAME = "IOM FAQ Bot"
BOT_USERNAME = "iom_faq_bot"
USER_NAME = "Sandbox"
MAX_TEXT = 4096  # Telegram's limit for a message a user types
START_TIMEOUT = 15.0
FORGET_AFTER_S = 30 * 60.0  # a chat without an open tab, idle this long, is forgotten
MAX_CHATS = 1000  # beyond this, the least recently active chats without an open tab are forgotten first
SWEEP_S = 60.0
#: The emulator forgets nothing by itself (the bridge tells it which chats to forget), keeps as many messages
#: per chat as the page's history, and only the latest API calls and chat actions.
EMULATOR_RETENTION = Retention(chat_idle_s=None, max_chats=None, max_messages_per_chat=MAX_MESSAGES,
                               max_records=1000)

#: A listener gets every event of its chat as JSON, then ``None`` when the sandbox stops.
Listener = Callable[[Json | None], None]


def content_status(result: ReloadResult | None, problems: tuple[Problem, ...] | list[Problem] = ()) -> Json:
    """The content panel: did the last (re)load work, and every problem as `faqbot check` prints it."""
    if result is None:
        ok, changed, summary = True, False, "content loaded"
    else:
        ok, changed, summary, problems = result.ok, result.changed, result.summary(), result.problems
    return {"ok": ok, "changed": changed, "summary": summary, "problems": [str(p) for p in sorted(problems)]}


class Bridge:
    """Runs the emulator and the bot, and routes what happens in each chat to that chat's listeners."""

    def __init__(self, live: LiveBot, store: Store, *, watch: bool = True, watch_interval: float = 1.0,
                 poll_timeout: float = 10.0, load_problems: tuple[Problem, ...] | list[Problem] = (),
                 forget_after: float | None = FORGET_AFTER_S, max_chats: int | None = MAX_CHATS,
                 clock: Clock = time.monotonic, staff: ReviewSessions | None = None) -> None:
        self.live = live
        self.store = store
        self.staff = staff  # the staff log in the data folder, for `faqbot review` (chats themselves are not kept)
        self.watch = watch
        self.watch_interval = watch_interval
        self.poll_timeout = poll_timeout
        self.emulator = BotApiEmulator(bot_username=BOT_USERNAME, bot_name=BOT_NAME, retention=EMULATOR_RETENTION)
        self.content: Json = content_status(None, load_problems)
        self._chats: dict[int, ChatLog] = {}
        self._listeners: dict[int, list[Listener]] = {}
        self._pressed: dict[tuple[int, str], str] = {}  # (chat, callback data) -> label, to name presses
        self._activity = IdleChats(forget_after, max_chats, clock)
        self._app: App | None = None
        self._stop = asyncio.Event()
        self._serving: asyncio.Task[None] | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self.emulator.subscribe(self._on_emulator_event)
        live.on_reload(self._on_reload)

    # -- lifecycle ----------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the emulator on a free loopback port, then the bot (long polling) and the content watcher."""
        await self.emulator.start("127.0.0.1", 0)
        self._app = build_application(self.live, self.store, self.emulator.token, api_url=self.emulator.base_url)
        channel: TelegramChannel = self._app.bot_data["channel"]
        channel.observers.append(self._on_exchange)
        ready = asyncio.Event()
        self._serving = asyncio.create_task(serve(self._app, stop=self._stop, ready=ready,
                                                  poll_timeout=self.poll_timeout))
        waiter = asyncio.ensure_future(ready.wait())
        done, _ = await asyncio.wait({self._serving, waiter}, timeout=START_TIMEOUT,
                                     return_when=asyncio.FIRST_COMPLETED)
        if waiter not in done:
            waiter.cancel()
            if self._serving in done:
                await self.emulator.stop()
                self._serving.result()  # raises what stopped the bot
            raise RuntimeError(f"the sandbox bot did not start within {START_TIMEOUT:.0f} s")
        if self.watch:
            self._watcher = asyncio.create_task(self.live.watch(self.watch_interval))
        self._sweeper = asyncio.create_task(self._sweep_every(SWEEP_S))

    async def stop(self) -> None:
        """End every page's event stream, stop the watcher and the bot, then the emulator."""
        for listeners in list(self._listeners.values()):
            for listener in list(listeners):
                listener(None)
        self._listeners.clear()
        for task in (self._watcher, self._sweeper):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._stop.set()
        if self._serving is not None:
            await self._serving
        await self.emulator.stop()

    # -- what the page does -------------------------------------------------------------------------

    def connect(self, chat_id: int, listener: Listener) -> tuple[Json, Callable[[], None]]:
        """Listen to one chat: returns its snapshot (to draw it from scratch) and a function to stop listening.

        A chat is never forgotten while someone listens; its idle time starts when the last listener leaves.
        """
        self._touch(chat_id)
        self._listeners.setdefault(chat_id, []).append(listener)

        def disconnect() -> None:
            listeners = self._listeners.get(chat_id, [])
            if listener in listeners:
                listeners.remove(listener)
            if not listeners:
                self._listeners.pop(chat_id, None)
            if chat_id in self._activity:
                self._activity.touch(chat_id)

        return self.snapshot(chat_id), disconnect

    def snapshot(self, chat_id: int) -> Json:
        """The chat's messages and traces, the content status, the bot's name and its profile texts (a chat not
        seen yet, or forgotten, is empty)."""
        chat = self._chats.get(chat_id) or ChatLog(chat_id)
        return {**chat.snapshot(), "content": self.content,
                "bot": {"name": BOT_NAME, "username": self.emulator.bot_username}, "profile": self.profile()}

    def profile(self) -> dict[str, dict[str, str]]:
        """For each app language of the page, the bot's description (shown in an empty chat) and short
        description as a user with that app language sees them: set for that language, else the default."""
        return {lang: {kind: self.emulator.description_for(code, kind)
                       for kind in ("description", "short_description")}
                for lang, code in LANGUAGES.items()}

    def send(self, chat_id: int, text: str, lang: str) -> int:
        """The user types ``text`` (with the app language ``lang``); returns the message id."""
        if not text.strip():
            raise ValueError("the message is empty")
        if len(text) > MAX_TEXT:
            raise ValueError(f"the message is longer than {MAX_TEXT} characters")
        update = self.emulator.send_message(chat_id, text, language_code=LANGUAGES[lang], first_name=USER_NAME)
        return int(update["message"]["message_id"])

    def press(self, chat_id: int, message_id: int, data: str, lang: str) -> str:
        """The user presses a button of a bot message; returns the callback query id.

        ``LookupError``/``ValueError`` when the message or the button is not there (any more).
        """
        chat = self._chats.get(chat_id)
        entry = chat.messages.get(message_id) if chat is not None else None
        label = next((b["text"] for row in (entry or {}).get("buttons", []) for b in row
                      if b.get("callback_data") == data), None)
        query_id = self.emulator.press_button(chat_id, message_id, data, language_code=LANGUAGES[lang])
        self._touch(chat_id)
        if label is not None:
            self._pressed[(chat_id, data)] = label
        return query_id

    def commands(self, chat_id: int, lang: str) -> list[list[str]]:
        """The command menu Telegram would show this chat in app language ``lang`` (most specific scope first)."""
        table = self.emulator.commands
        code = LANGUAGES[lang]
        for scope in (f"chat:{chat_id}", "all_private_chats", "default"):
            for language in (code, ""):
                if (scope, language) in table:
                    return [[command, description] for command, description in table[(scope, language)]]
        return []

    async def reload(self) -> Json:
        """Reload the content from disk now (off the event loop); invalid content keeps the last good content."""
        await self.live.reload_async()
        return self.content

    # -- forgetting idle chats ----------------------------------------------------------------------

    @property
    def chat_ids(self) -> list[int]:
        """The chats kept, least recently active first."""
        return list(self._activity)

    def forget_idle_chats(self, room: int = 0) -> None:
        """Forget the chats without a listener idle too long, then the least recently active ones beyond
        ``max_chats`` (keeping ``room`` for new chats)."""
        for chat_id in self._activity.due(room=room, keep=self._listeners.__contains__):
            self._forget(chat_id)

    def _forget(self, chat_id: int) -> None:
        self._activity.discard(chat_id)
        self._chats.pop(chat_id, None)
        if self.staff is not None:
            self.staff.forget(chat_id)
        for key in [key for key in self._pressed if key[0] == chat_id]:
            del self._pressed[key]
        self.emulator.forget_chat(chat_id)

    def _touch(self, chat_id: int) -> None:
        if chat_id not in self._activity:
            self.forget_idle_chats(room=1)
        self._activity.touch(chat_id)

    async def _sweep_every(self, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            self.forget_idle_chats()

    # -- what the bot does --------------------------------------------------------------------------

    def _log(self, chat_id: int) -> ChatLog:
        self._touch(chat_id)
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = ChatLog(chat_id)
        return chat

    def _push(self, chat_id: int, event: Json) -> None:
        for listener in list(self._listeners.get(chat_id, [])):
            listener(event)

    def _broadcast(self, event: Json) -> None:
        for chat_id in list(self._listeners):
            self._push(chat_id, event)

    def _on_emulator_event(self, event: dict[str, Any]) -> None:
        kind = event["type"]
        if kind in ("message_sent", "message_edited"):
            entry = bot_entry(event["message"], event.get("telegram"))
            self._log(event["chat_id"]).put(entry)
            self._push(event["chat_id"], {"type": "message" if kind == "message_sent" else "edit", "message": entry})
        elif kind == "message_deleted":
            self._log(event["chat_id"]).delete(event["message_id"])
            self._push(event["chat_id"], {"type": "delete", "message_id": event["message_id"]})
        elif kind == "chat_action":
            self._touch(event["chat_id"])
            self._push(event["chat_id"], {"type": "typing", "action": event["action"]})
        elif kind == "callback_answered":
            self._push(event["chat_id"], {"type": "answered", "message_id": event["message_id"],
                                          "data": event["data"], "text": event["text"],
                                          "show_alert": event["show_alert"]})
        elif kind == "update" and "message" in event["update"]:
            message = event["update"]["message"]
            entry = user_entry(message)
            chat_id = message["chat"]["id"]
            self._log(chat_id).put(entry)
            self._push(chat_id, {"type": "message", "message": entry})
        elif kind == "commands_changed":
            self._broadcast({"type": "commands"})
        elif kind == "description_changed":
            self._broadcast({"type": "profile", "profile": self.profile()})

    def _on_exchange(self, exchange: Exchange) -> None:
        event = exchange.event
        if self.staff is not None:  # a few ms on a local disk; never raises
            self.staff.record(exchange.chat_id, event.text if isinstance(event, TextIn) else None,
                              exchange.replies)
        label = self._pressed.pop((exchange.chat_id, event.data), None) if isinstance(event, PressIn) else None
        said = describe(event, label)
        chat = self._log(exchange.chat_id)
        for reply, ids in zip(exchange.replies, exchange.message_ids, strict=True):
            record = trace_record(reply, ids, said)
            if record is not None:
                chat.add_trace(record)
                self._push(exchange.chat_id, {"type": "trace", "trace": record})

    def _on_reload(self, result: ReloadResult) -> None:
        self.content = content_status(result)
        self._broadcast({"type": "content", "content": self.content})
