"""``BotApiEmulator``: a local Telegram Bot API server plus a Python API to play the user and inspect the bot."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

from .entities import user_text_entities
from .faults import Fault
from .methods import BotApiMethods, strip_reply
from .models import (
    ApiCall,
    CallbackAnswer,
    ChatAction,
    ChatType,
    EventCallback,
    NonTextKind,
    SentMessage,
    WebhookConfig,
)
from .params import utf8_encodable
from .payloads import BotIdentity, default_user_id, non_text_content, user_payload
from .retention import Clock, Retention
from .rules import DESCRIPTION_KINDS
from .server import ApiServer
from .state import CommandTable, DescriptionTable, EmulatorState, PendingCallback
from .store import ChatRecord, StoredMessage

DEFAULT_TOKEN = "123456:TEST-TOKEN"


def _check_text(**texts: str | None) -> None:
    """``ValueError`` for text a Telegram client could never send: not encodable as UTF-8 (a lone surrogate)."""
    for name, text in texts.items():
        if text is not None and not utf8_encodable(text):
            raise ValueError(f"{name} is not valid Unicode text (it cannot be encoded as UTF-8)")


class BotApiEmulator:
    """A fake ``api.telegram.org`` for one bot, on loopback.

    Point python-telegram-bot at it with ``ApplicationBuilder().token(emu.token).base_url(emu.base_url)``.
    The synchronous methods (``send_message``, ``press_button``...) must be called from the thread running
    the event loop the emulator was started in.
    """

    def __init__(self, token: str = DEFAULT_TOKEN, bot_username: str = "iom_faq_bot", *,
                 bot_name: str = "IOM FAQ Bot", webhook_retry_delay: float = 0.2,
                 retention: Retention | None = None, clock: Clock = time.monotonic) -> None:
        self._state = EmulatorState(BotIdentity(token, bot_username, bot_name),
                                    webhook_retry_delay=webhook_retry_delay, retention=retention, clock=clock)
        self._methods = BotApiMethods(self._state)
        self._server = ApiServer(self)
        self._host = "127.0.0.1"
        self._port: int | None = None

    # -- lifecycle ----------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Start serving on ``host:port`` (``port=0`` picks a free port, see :attr:`port`)."""
        self._state.stopping = False
        self._state.updates.reopen()
        self._port = await self._server.start(host, port)
        self._host = host

    async def stop(self) -> None:
        """Release long polls and delayed answers, stop webhook delivery and close the server."""
        self._state.stopping = True
        self._state.updates.close()
        await self._state.webhook.close()
        await self._server.stop()
        self._port = None

    async def __aenter__(self) -> BotApiEmulator:
        if self._port is None:
            await self.start()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The listening port (after :meth:`start`)."""
        if self._port is None:
            raise RuntimeError("the emulator is not running; await emu.start() first")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT/bot``: what PTB's ``base_url`` takes (PTB appends the token)."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}/bot"

    @property
    def api_url(self) -> str:
        """``base_url`` plus the token: append ``/<method>`` for raw HTTP requests."""
        return self.base_url + self.token

    @property
    def token(self) -> str:
        """The only token the emulator accepts."""
        return self._state.identity.token

    @property
    def bot_id(self) -> int:
        """The bot's user id (the token's numeric prefix)."""
        return self._state.identity.bot_id

    @property
    def bot_username(self) -> str:
        """The bot's username (without ``@``)."""
        return self._state.identity.username

    async def handle_request(self, token: str, method: str,
                             params: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API call without HTTP: ``(status, JSON body)``."""
        return await self._methods.handle(token, method, params)

    # -- the user side ------------------------------------------------------------------------------

    def add_chat(self, chat_id: int, *, chat_type: ChatType | None = None, title: str | None = None,
                 first_name: str | None = None) -> dict[str, Any]:
        """Make a chat known (so the bot may write to it) and return it as a Telegram ``Chat``."""
        _check_text(title=title, first_name=first_name)
        return self._state.user_chat(chat_id, chat_type, title=title, first_name=first_name).payload()

    def _user(self, chat: ChatRecord, user_id: int | None, language_code: str | None,
              first_name: str | None) -> dict[str, Any]:
        uid = user_id if user_id is not None else default_user_id(chat.chat_id)
        name = first_name or (chat.first_name if chat.chat_type == "private" and uid == chat.chat_id else None)
        return user_payload(uid, language_code=language_code, first_name=name)

    def _user_message(self, chat_id: int, fields: dict[str, Any], *, user_id: int | None,
                      language_code: str | None, chat_type: ChatType | None, first_name: str | None,
                      reply_to_bot_message_id: int | None = None, text: str | None = None) -> dict[str, Any]:
        chat = self._state.user_chat(chat_id, chat_type, first_name=first_name)
        payload: dict[str, Any] = {
            "message_id": chat.last_message_id + 1,
            "from": self._user(chat, user_id, language_code, first_name),
            "chat": chat.payload(),
            "date": int(time.time()),
            **fields,
        }
        if reply_to_bot_message_id is not None:
            target = self._state.store.get(chat_id, reply_to_bot_message_id)
            if target is None or not target.from_bot:
                raise LookupError(f"no bot message {reply_to_bot_message_id} in chat {chat_id}")
            payload["reply_to_message"] = strip_reply(target.payload)
        chat.last_message_id += 1
        self._state.store.add(StoredMessage(chat_id, chat.last_message_id, from_bot=False, payload=payload,
                                            text=text, reply_to_message_id=reply_to_bot_message_id))
        return self._push({"message": payload})

    def _push(self, body: dict[str, Any]) -> dict[str, Any]:
        update = self._state.updates.push(copy.deepcopy(body))
        self._state.emit("update", update=copy.deepcopy(update))
        return update

    def push_update(self, body: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update as given (``update_id`` is added): for updates the bot may not be able to read."""
        return self._push(body)

    def send_message(self, chat_id: int, text: str, *, user_id: int | None = None, language_code: str | None = "nl",
                     chat_type: ChatType | None = None, reply_to_bot_message_id: int | None = None,
                     first_name: str | None = None) -> dict[str, Any]:
        """The user sends ``text``; returns the queued ``Update``.

        ``/commands`` (also ``/cmd@botname``) get ``bot_command`` entities and ``@usernames`` get
        ``mention`` entities. ``chat_type`` defaults to the chat's known type, else ``private`` for
        positive and ``group`` for negative ids. ``user_id`` defaults to the chat id (``abs`` for groups).
        """
        if not text:
            raise ValueError("Telegram users cannot send empty messages")
        _check_text(text=text, first_name=first_name)
        fields: dict[str, Any] = {"text": text}
        entities = user_text_entities(text)
        if entities:
            fields["entities"] = entities
        return self._user_message(chat_id, fields, user_id=user_id, language_code=language_code,
                                  chat_type=chat_type, first_name=first_name,
                                  reply_to_bot_message_id=reply_to_bot_message_id, text=text)

    def send_non_text(self, chat_id: int, kind: NonTextKind, *, user_id: int | None = None,
                      language_code: str | None = "nl", chat_type: ChatType | None = None,
                      caption: str | None = None) -> dict[str, Any]:
        """The user sends a voice note, photo, sticker, location, document, video, audio or contact."""
        _check_text(caption=caption)
        chat = self._state.user_chat(chat_id, chat_type)
        fields = non_text_content(kind, chat.last_message_id + 1 + abs(chat_id), caption)
        return self._user_message(chat_id, fields, user_id=user_id, language_code=language_code,
                                  chat_type=chat_type, first_name=None)

    def edit_user_message(self, chat_id: int, message_id: int, new_text: str) -> dict[str, Any]:
        """The user edits one of their text messages; returns the ``edited_message`` Update."""
        stored = self._state.store.get(chat_id, message_id)
        if stored is None or stored.from_bot or stored.text is None:
            raise LookupError(f"no user text message {message_id} in chat {chat_id}")
        if not new_text:
            raise ValueError("Telegram users cannot send empty messages")
        _check_text(text=new_text)
        self._state.activity.touch(chat_id)
        payload = copy.deepcopy(stored.payload)
        payload["text"] = new_text
        payload.pop("entities", None)
        entities = user_text_entities(new_text)
        if entities:
            payload["entities"] = entities
        payload["edit_date"] = int(time.time())
        stored.text, stored.payload, stored.edited = new_text, payload, True
        return self._push({"edited_message": payload})

    def press_button(self, chat_id: int, message_id: int, callback_data: str, user_id: int | None = None, *,
                     language_code: str | None = "nl", check_button: bool = True) -> str:
        """The user presses an inline button; returns the callback query id.

        With ``check_button`` the message must currently show a button with ``callback_data``.
        """
        stored = self._state.store.get(chat_id, message_id)
        if stored is None or not stored.from_bot:
            raise LookupError(f"no bot message {message_id} in chat {chat_id}")
        if check_button and callback_data not in stored.sent().callback_data:
            raise ValueError(f"message {message_id} in chat {chat_id} has no button with data {callback_data!r}")
        _check_text(callback_data=callback_data)
        chat = self._state.user_chat(chat_id)
        query_id = self._state.new_callback_id()
        self._state.callback_queries[query_id] = PendingCallback(chat_id, message_id, callback_data)
        self._push({"callback_query": {
            "id": query_id,
            "from": self._user(chat, user_id, language_code, None),
            "message": copy.deepcopy(stored.payload),
            "chat_instance": chat.chat_instance,
            "data": callback_data,
        }})
        return query_id

    # -- what the bot did ---------------------------------------------------------------------------

    def bot_messages(self, chat_id: int | None = None) -> list[SentMessage]:
        """Messages the bot sent (current text after edits), in send order; deleted ones are gone."""
        return self._state.store.bot_messages(chat_id)

    def bot_message(self, chat_id: int, message_id: int) -> SentMessage:
        """One bot message; ``LookupError`` when it does not exist."""
        stored = self._state.store.get(chat_id, message_id)
        if stored is None or not stored.from_bot:
            raise LookupError(f"no bot message {message_id} in chat {chat_id}")
        return stored.sent()

    @property
    def calls(self) -> list[ApiCall]:
        """Every authorised request received, as ``(method, params)``, including failed and faulted ones."""
        return list(self._state.calls)

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every call of ``method`` (case-insensitive)."""
        return [call.params for call in self._state.calls if call.method.lower() == method.lower()]

    @property
    def answered_callbacks(self) -> list[CallbackAnswer]:
        """``answerCallbackQuery`` calls, in order."""
        return list(self._state.answered_callbacks)

    @property
    def chat_actions(self) -> list[ChatAction]:
        """``sendChatAction`` calls, in order."""
        return list(self._state.chat_actions)

    @property
    def commands(self) -> CommandTable:
        """Commands by ``(scope, language_code)``; scope is the scope type, or ``"chat:<id>"`` for chat scopes,
        and language ``""`` means all languages."""
        return {key: list(value) for key, value in self._state.commands.items()}

    @property
    def descriptions(self) -> DescriptionTable:
        """The bot's profile texts by ``(kind, language_code)``: kind ``"description"`` (``setMyDescription``, shown
        in an empty chat) or ``"short_description"`` (``setMyShortDescription``, the profile page); language
        ``""`` is the default for every language without its own text."""
        return dict(self._state.descriptions)

    def description_for(self, language_code: str | None, kind: str = "description") -> str:
        """The ``kind`` of profile text a user whose Telegram app is in ``language_code`` sees (``"pt-br"``
        counts as ``pt``): the text set for that language, else the default one, else ``""``."""
        if kind not in DESCRIPTION_KINDS:
            raise ValueError(f"kind must be one of {sorted(DESCRIPTION_KINDS)}, not {kind!r}")
        table = self._state.descriptions
        language = (language_code or "").split("-")[0].lower()
        return table.get((kind, language)) or table.get((kind, ""), "")

    @property
    def webhook(self) -> WebhookConfig | None:
        """The webhook set by the bot, or ``None`` (long polling)."""
        return self._state.webhook.config

    def webhook_info(self) -> dict[str, Any]:
        """What ``getWebhookInfo`` would answer."""
        return self._state.webhook.info()

    @property
    def delivered_webhook_updates(self) -> list[dict[str, Any]]:
        """Updates the webhook endpoint accepted (2xx), in order."""
        return copy.deepcopy(list(self._state.webhook.delivered))

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates the bot has not confirmed yet."""
        return self._state.updates.pending

    # -- waiting ------------------------------------------------------------------------------------

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0, what: str = "condition") -> None:
        """Wait until ``predicate()`` holds (re-checked on every emulator change); ``TimeoutError`` otherwise."""
        if not await self._state.changed.wait_until(predicate, timeout):
            raise TimeoutError(f"{what} not reached within {timeout}s")

    async def wait_for_bot_messages(self, chat_id: int, count: int = 1, timeout: float = 5.0) -> list[SentMessage]:
        """All bot messages in ``chat_id`` once there are at least ``count``; ``TimeoutError`` listing what came."""
        if not await self._state.changed.wait_until(lambda: len(self.bot_messages(chat_id)) >= count, timeout):
            got = [m.text for m in self.bot_messages(chat_id)]
            raise TimeoutError(f"expected {count} bot message(s) in chat {chat_id} within {timeout}s, "
                               f"got {len(got)}: {got!r}")
        return self.bot_messages(chat_id)

    async def wait_for_callback_answered(self, callback_id: str, timeout: float = 5.0) -> CallbackAnswer:
        """The answer to callback query ``callback_id`` once the bot has sent it."""

        def answer() -> CallbackAnswer | None:
            return next((a for a in self._state.answered_callbacks if a.callback_query_id == callback_id), None)

        if not await self._state.changed.wait_until(lambda: answer() is not None, timeout):
            raise TimeoutError(f"callback query {callback_id} not answered within {timeout}s")
        result = answer()
        assert result is not None
        return result

    async def wait_for_chat_action(self, chat_id: int, action: str = "typing", timeout: float = 5.0) -> ChatAction:
        """The first ``sendChatAction`` of ``action`` in ``chat_id``."""
        wanted = ChatAction(chat_id, action)
        await self.wait_until(lambda: wanted in self._state.chat_actions, timeout, f"chat action {wanted}")
        return wanted

    async def wait_for_updates_consumed(self, timeout: float = 5.0) -> None:
        """Wait until the bot has confirmed (or received by webhook) every queued update."""
        await self.wait_until(lambda: not self._state.updates.pending, timeout, "all updates confirmed")

    # -- subscribers, faults, reset -----------------------------------------------------------------

    def subscribe(self, callback: EventCallback) -> Callable[[], None]:
        """Call ``callback(event)`` for every event; returns an unsubscribe function.

        Event ``type`` is one of ``message_sent``, ``message_edited``, ``message_deleted``, ``chat_action``,
        ``callback_answered``, ``commands_changed``, ``description_changed`` (bot side), ``update`` (user side),
        ``chat_forgotten`` and ``reset``.
        """
        return self._state.events.subscribe(callback)

    def unsubscribe(self, callback: EventCallback) -> None:
        """Stop calling ``callback``."""
        self._state.events.unsubscribe(callback)

    def inject_fault(self, method: str, *, status: int | None = 429, retry_after: int = 1, times: int = 1,
                     delay: float = 0.0, description: str | None = None) -> None:
        """Make the next ``times`` calls of ``method`` (``"*"``: any method) fail with ``status``.

        429 answers ``Too Many Requests: retry after N`` with ``parameters.retry_after``; 5xx answer the
        standard reason (``Internal Server Error``, ``Bad Gateway``...). ``delay`` seconds pass before the
        answer; ``status=None`` with a delay answers normally, just late. A faulted call has no effect.
        """
        self._state.faults.add(method, status=status, retry_after=retry_after, times=times, delay=delay,
                               description=description)

    @property
    def faults(self) -> list[Fault]:
        """Faults not used up yet."""
        return self._state.faults.pending

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        self._state.faults.clear()

    def reset(self) -> None:
        """Forget updates, messages, calls, callbacks, chat actions and faults.

        Known chats, commands, descriptions, the webhook and the id counters are kept, so a running bot is
        unaffected.
        """
        self._state.reset()

    # -- forgetting chats ---------------------------------------------------------------------------

    @property
    def retention(self) -> Retention:
        """What the emulator keeps (idle time and number of chats, messages per chat, records)."""
        return self._state.retention

    @property
    def chat_ids(self) -> list[int]:
        """The chats the emulator knows, least recently active first."""
        return list(self._state.activity)

    def forget_chat(self, chat_id: int) -> bool:
        """Forget a chat now, with its messages, pending updates and button presses (``False``: not known).

        The bot then gets "chat not found" for it; a new message from the user starts it again, with message
        ids above the old ones.
        """
        return self._state.forget_chat(chat_id)

    def forget_idle_chats(self) -> None:
        """Forget the chats idle for longer than ``retention.chat_idle_s`` now (this also happens on every call
        and whenever a new chat starts)."""
        self._state.sweep()
