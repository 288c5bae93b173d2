"""The handlers: a message or press in, the engine's replies out, with the chat's state loaded and saved.

The replies never wait for the disk: the chat's state comes from memory or a worker thread and is written
behind (``bot.states``); the staff log is written in a thread of its own (``StaffHooks``). "typing…" is
shown only when a reply takes longer than ``TYPING_AFTER_S`` (it costs a request from the rate limit).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from telegram import CallbackQuery, Message, ReplyParameters, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.channels.telegram import groups
from bot.channels.telegram.send import RetryPolicy, with_retries
from bot.channels.telegram.staff_hooks import StaffHooks
from bot.channels.telegram.translate import Outgoing, chat_key, message_event, outgoing, press_event
from bot.engine import Engine, Event, Reply
from bot.engine.texts import Texts
from bot.live import EngineSource, as_source
from bot.states import ChatStates
from bot.store import Store
from bot.writebehind import WriteBehind

log = logging.getLogger(__name__)
MAX_REMEMBERED_QUERIES = 1000  # callback query ids kept to answer each press only once
TYPING_AFTER_S = 1.0  # "typing…" only for a reply not ready by then
MAX_REMEMBERED_CHECKS = 10_000  # chats whose open check question is remembered (to remove its buttons later)
CHECK_DECISIONS = frozenset({"check", "outcome", "stale"})  # replies about a check (or an old button)
#: Said when something fails and the chat's language is unknown (or its texts cannot be read).
FALLBACK_ERROR = "Sorry, er ging iets mis. Probeer het opnieuw. / Sorry, something went wrong. Please try again."


@dataclass(frozen=True)
class Exchange:
    """One handled event, for observers (the staff log, the sandbox's panel): what came in and what went out."""

    chat_id: int
    event: Event
    replies: tuple[Reply, ...]
    message_ids: tuple[tuple[int, ...], ...]  # per reply, the Telegram messages it was sent as


Observer = Callable[[Exchange], None]


class TelegramChannel:
    """Runs the engine for Telegram chats: one chat at a time in order, different chats side by side."""

    def __init__(self, engine: Engine | EngineSource, store: Store, retry: RetryPolicy | None = None,
                 staff: StaffHooks | None = None) -> None:
        self.source = as_source(engine)
        self.store = store
        self.states = ChatStates(store)
        self.writers: list[WriteBehind] = []  # other writers whose faults /stats shows (the update inbox)
        self.skipped_updates: Callable[[], int] = lambda: 0
        self.retry = retry or RetryPolicy()
        self.staff = staff
        self.observers: list[Observer] = []
        if staff is not None:
            self.observers.append(lambda exchange: staff.observe(exchange.chat_id, exchange.event, exchange.replies))
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._answered: OrderedDict[str, None] = OrderedDict()  # recent callback query ids, answered once
        self._check_questions: OrderedDict[int, int] = OrderedDict()  # chat id -> its open check question message

    @property
    def engine(self) -> Engine:
        """The engine over the content serving now (it changes on a live reload)."""
        return self.source.engine

    def _lock(self, chat_id: int) -> asyncio.Lock:
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = self._locks[chat_id] = asyncio.Lock()
        return lock

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A new message: answered in private chats, and in groups when it addresses the bot."""
        message = update.message
        if message is None or not groups.addressed(message, context.bot.username, context.bot.id):
            return
        event = message_event(message, context.bot.username)
        if event is None:
            return
        hint = message.from_user.language_code if message.from_user else None
        quote = None if groups.is_private(message) else message.message_id
        if self.staff is not None:
            user_id = message.from_user.id if message.from_user else None
            admin = await self.staff.admin_reply(event, user_id, groups.is_private(message), self.health)
            if admin is not None:
                async with self._lock(message.chat_id):
                    await self.send(context, message.chat_id, Outgoing(admin, None))
                return
        await self.answer(context, message.chat_id, event, hint, quote)

    async def on_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button press: the query is answered first (whatever happens next), then the engine answers."""
        query = update.callback_query
        if query is None:
            return
        await self.answer_query(query)
        event = press_event(query)
        message = query.message
        if event is None or message is None:
            return
        await self.answer(context, message.chat.id, event, query.from_user.language_code, None,
                          pressed=message.message_id)

    async def answer_query(self, query: CallbackQuery) -> None:
        """Stop the button's spinner (once per query); failures are logged, never raised."""
        if query.id in self._answered:
            return
        self._answered[query.id] = None
        while len(self._answered) > MAX_REMEMBERED_QUERIES:
            self._answered.popitem(last=False)
        try:
            await with_retries(query.answer, self.retry, "answerCallbackQuery")
        except TelegramError as exc:
            log.warning("could not answer a button press: %s", exc)

    async def answer(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, event: Event, hint: str | None,
                     quote: int | None, pressed: int | None = None) -> None:
        """Run the engine on the chat's stored state, store the new state and send the replies in order.

        ``pressed``: the message whose button was pressed (its check buttons are removed once used)."""
        async with self._lock(chat_id):
            key = chat_key(chat_id)
            typing = asyncio.create_task(self.typing(context, chat_id, TYPING_AFTER_S))
            try:
                state, replies = self.engine.handle(await self.states.load(key), event, hint)
            finally:
                typing.cancel()
            self.states.save(key, state)
            sent: list[tuple[int, ...]] = []
            for reply in replies:
                ids = []
                for message in outgoing(reply):
                    ids.append((await self.send(context, chat_id, message, quote)).message_id)
                    quote = None
                sent.append(tuple(ids))
            await self.retire_check_buttons(context, chat_id, replies, sent, state.check is not None, pressed)
            self.notify(Exchange(chat_id, event, tuple(replies), tuple(sent)))

    async def retire_check_buttons(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, replies: list[Reply],
                                   sent: list[tuple[int, ...]], in_check: bool, pressed: int | None) -> None:
        """Remove the answer buttons of a check question once it is answered, asked again or the check ended,
        and of an old question whose button was pressed, so only the question now open has buttons."""
        asked = [ids[-1] for reply, ids in zip(replies, sent, strict=True)
                 if ids and reply.trace is not None and reply.trace.decision == "check"]
        question = asked[-1] if asked else None
        about_check = any(r.trace is not None and r.trace.decision in CHECK_DECISIONS for r in replies)
        earlier = self._check_questions.get(chat_id)
        retired = set()
        if earlier is not None and earlier != question and (question is not None or not in_check):
            retired.add(earlier)
        if pressed is not None and pressed != question and about_check:
            retired.add(pressed)
        if question is not None:
            self._check_questions[chat_id] = question
            self._check_questions.move_to_end(chat_id)
            while len(self._check_questions) > MAX_REMEMBERED_CHECKS:
                self._check_questions.popitem(last=False)
        elif not in_check:
            self._check_questions.pop(chat_id, None)
        for message_id in sorted(retired):
            try:
                await with_retries(partial(context.bot.edit_message_reply_markup, chat_id, message_id,
                                           reply_markup=None), self.retry, "editMessageReplyMarkup")
            except TelegramError as exc:  # only the old buttons stay: a press on them gets a kind reply
                log.debug("could not remove old check buttons: %s", type(exc).__name__)

    def notify(self, exchange: Exchange) -> None:
        """Tell every observer; an observer that fails is logged and never stops the chat."""
        for observer in self.observers:
            try:
                observer(exchange)
            except Exception:
                log.exception("an observer failed on a handled message")

    async def typing(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, after: float = 0.0) -> None:
        """Show 'typing…' after ``after`` seconds (best effort: a failure only costs the indicator)."""
        await asyncio.sleep(after)
        try:
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as exc:
            log.debug("no typing indicator: %s", exc)

    async def send(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, message: Outgoing,
                   quote: int | None = None) -> Message:
        """Send one message, retrying transient errors; in groups the first one quotes the user's message."""
        reply_to = ReplyParameters(quote, allow_sending_without_reply=True) if quote is not None else None

        async def call() -> Message:
            return await context.bot.send_message(chat_id, message.text, reply_markup=message.reply_markup,
                                                  reply_parameters=reply_to)

        return await with_retries(call, self.retry, "sendMessage")

    def error_text(self, chat_id: int) -> str:
        """The 'something went wrong' message in the chat's language, or in both languages."""
        try:
            state = self.states.peek(chat_key(chat_id))
            if state is None or state.lang is None:
                return FALLBACK_ERROR
            return Texts(self.engine.content, state.lang)("error")
        except Exception:  # the store or the content may be what failed
            return FALLBACK_ERROR

    def health(self) -> str:
        """Storage faults since start, for /stats (empty when there were none)."""
        parts = []
        for writer in [self.states.writer, *self.writers]:
            parts += [f"{kind} ×{count} ({writer.name})" for kind, count in sorted(writer.faults.items())]
        if self.states.read_faults:
            parts.append(f"slow or failed reads ×{self.states.read_faults} (chat states)")
        if self.skipped_updates():
            parts.append(f"unreadable updates skipped ×{self.skipped_updates()}")
        return ("⚠️ Since start: " + ", ".join(parts)) if parts else ""

    def close(self) -> None:
        """Make the writes still queued (chat states, the staff log) and stop their threads."""
        self.states.close()
        if self.staff is not None:
            self.staff.close()
