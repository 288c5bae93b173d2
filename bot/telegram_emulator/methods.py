"""The Bot API methods the emulator implements, and the request dispatcher (auth, faults, errors)."""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import Any

from .errors import (
    MESSAGE_CANT_BE_EDITED,
    MESSAGE_NOT_MODIFIED,
    MESSAGE_TO_EDIT_NOT_FOUND,
    NOT_FOUND,
    NOT_UTF8,
    QUERY_ID_INVALID,
    UNAUTHORIZED,
    WEBHOOK_CONFLICT,
    BotApiError,
    bad_request,
)
from .models import ApiCall, CallbackAnswer, ChatAction, WebhookConfig
from .params import Params, normalize, utf8_encodable
from .rules import (
    CHAT_ACTIONS,
    COMMAND_SCOPES,
    MAX_CALLBACK_ANSWER_LENGTH,
    check_commands,
    check_description,
    check_language_code,
    check_reply_markup,
    inline_markup,
    normalize_parse_mode,
    render_text,
)
from .state import EmulatorState
from .store import ChatRecord, StoredMessage

Handler = Callable[[Params], Awaitable[Any]]
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def strip_reply(payload: dict[str, Any]) -> dict[str, Any]:
    """A message payload as it appears nested in ``reply_to_message`` (no further nesting)."""
    nested = copy.deepcopy(payload)
    nested.pop("reply_to_message", None)
    return nested


class BotApiMethods:
    """Implements the Bot API over :class:`EmulatorState`; :meth:`handle` answers one HTTP request."""

    def __init__(self, state: EmulatorState) -> None:
        self._state = state
        handlers: dict[str, Handler] = {
            "getMe": self.get_me,
            "getUpdates": self.get_updates,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "sendMessage": self.send_message,
            "editMessageText": self.edit_message_text,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "sendChatAction": self.send_chat_action,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "setMyDescription": partial(self.set_description, "description"),
            "getMyDescription": partial(self.get_description, "description"),
            "setMyShortDescription": partial(self.set_description, "short_description"),
            "getMyShortDescription": partial(self.get_description, "short_description"),
            "logOut": self.ok,
            "close": self.ok,
        }
        self._handlers = {name.lower(): (name, handler) for name, handler in handlers.items()}

    @property
    def method_names(self) -> list[str]:
        """The implemented methods (canonical spelling)."""
        return [name for name, _ in self._handlers.values()]

    async def handle(self, token: str, method: str, raw: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer one call: ``(HTTP status, JSON body)``. Method names are case-insensitive."""
        state = self._state
        if token != state.identity.token:
            return 401, BotApiError(401, UNAUTHORIZED).payload()
        entry = self._handlers.get(method.lower())
        name = entry[0] if entry else method
        params = normalize(raw)
        state.calls.append(ApiCall(name, params))
        if entry is None:
            return 404, BotApiError(404, NOT_FOUND).payload()
        if not utf8_encodable(params):  # stored, such text would make every later answer unsendable
            return 400, bad_request(NOT_UTF8).payload()
        state.sweep()
        fault = state.faults.take(name)
        if fault is not None:
            if fault.delay > 0:
                await state.changed.wait_until(lambda: state.stopping, fault.delay)
            error = fault.error()
            if error is not None:
                return error.status, error.payload()
        try:
            result = await entry[1](Params(params, normalized=True))
        except BotApiError as exc:
            return exc.status, exc.payload()
        return 200, {"ok": True, "result": result}

    # -- bot identity and updates -------------------------------------------------------------------

    async def ok(self, params: Params) -> bool:
        """Methods that only need to succeed (``logOut``, ``close``)."""
        return True

    async def get_me(self, params: Params) -> dict[str, Any]:
        """``getMe``."""
        return self._state.identity.get_me()

    async def get_updates(self, params: Params) -> list[dict[str, Any]]:
        """``getUpdates`` with long polling (``timeout`` may be fractional here)."""
        if self._state.webhook.config is not None:
            raise BotApiError(409, WEBHOOK_CONFLICT)
        limit = min(max(params.get_int("limit", 100) or 100, 1), 100)
        return await self._state.updates.poll(
            offset=params.get_int("offset", 0) or 0,
            limit=limit,
            timeout=params.get_float("timeout", 0.0),
            allowed_updates=params.get_str_list("allowed_updates"),
        )

    async def set_webhook(self, params: Params) -> bool:
        """``setWebhook`` (plain http URLs are accepted, since everything runs on loopback)."""
        url = params.get_str("url", "") or ""
        if params.get_bool("drop_pending_updates"):
            self._state.updates.clear()
        if not url:
            await self._state.webhook.configure(None)
            return True
        if not url.startswith(("http://", "https://")):
            raise bad_request("Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get_str("secret_token")
        if secret is not None and not _SECRET.match(secret):
            raise bad_request("Bad Request: secret token contains unallowed characters")
        max_connections = params.get_int("max_connections", 40) or 40
        if not 1 <= max_connections <= 100:
            raise bad_request("Bad Request: bad webhook: max_connections must be between 1 and 100")
        allowed = params.get_str_list("allowed_updates")
        config = WebhookConfig(url, secret, max_connections, tuple(allowed) if allowed is not None else None)
        await self._state.webhook.configure(config)
        return True

    async def delete_webhook(self, params: Params) -> bool:
        """``deleteWebhook``."""
        if params.get_bool("drop_pending_updates"):
            self._state.updates.clear()
        await self._state.webhook.configure(None)
        return True

    async def get_webhook_info(self, params: Params) -> dict[str, Any]:
        """``getWebhookInfo``."""
        return self._state.webhook.info()

    # -- messages -----------------------------------------------------------------------------------

    def _message_payload(self, message: StoredMessage, chat: ChatRecord, *, date: int,
                         edit_date: int | None = None) -> dict[str, Any]:
        text, entities = message.rendered
        payload: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self._state.identity.user(),
            "chat": chat.payload(),
            "date": date,
            "text": text,
        }
        if entities:
            payload["entities"] = copy.deepcopy(entities)
        if message.reply_to_message_id is not None:
            target = self._state.store.get(message.chat_id, message.reply_to_message_id)
            if target is not None:
                payload["reply_to_message"] = strip_reply(target.payload)
        if edit_date is not None:
            payload["edit_date"] = edit_date
        markup = inline_markup(message.reply_markup)
        if markup is not None:
            payload["reply_markup"] = copy.deepcopy(markup)
        return payload

    def _reply_target(self, chat: ChatRecord, params: Params) -> int | None:
        reply = params.get_object("reply_parameters")
        if reply is not None:
            message_id = reply.get("message_id")
            allow_missing = bool(reply.get("allow_sending_without_reply"))
            other_chat = reply.get("chat_id")
            if other_chat not in (None, chat.chat_id):
                raise bad_request("Bad Request: replies to messages in other chats are not supported by the emulator")
        else:
            message_id = params.get_int("reply_to_message_id")
            allow_missing = params.get_bool("allow_sending_without_reply")
        if message_id is None:
            return None
        if not isinstance(message_id, int) or self._state.store.get(chat.chat_id, message_id) is None:
            if allow_missing:
                return None
            raise bad_request("Bad Request: message to be replied not found")
        return message_id

    def _announce(self, event_type: str, message: StoredMessage) -> None:
        self._state.emit(event_type, chat_id=message.chat_id, message_id=message.message_id,
                         message=message.sent().to_dict(), telegram=copy.deepcopy(message.payload))

    async def send_message(self, params: Params) -> dict[str, Any]:
        """``sendMessage`` with Telegram's text, keyboard and reply rules."""
        chat = self._state.resolve(params.get_chat_id())
        parse_mode = normalize_parse_mode(params.get_str("parse_mode"))
        rendered = render_text(params.get_str("text"), parse_mode, params.get_list("entities"))
        markup = check_reply_markup(params.get_json("reply_markup"))
        reply_to = self._reply_target(chat, params)
        chat.last_message_id += 1
        message = StoredMessage(
            chat_id=chat.chat_id, message_id=chat.last_message_id, from_bot=True, payload={},
            text=params.get_str("text"), parse_mode=parse_mode, reply_markup=markup,
            reply_to_message_id=reply_to, rendered=(rendered.text, rendered.entities),
        )
        message.payload = self._message_payload(message, chat, date=int(time.time()))
        self._state.store.add(message)
        self._announce("message_sent", message)
        return copy.deepcopy(message.payload)

    def _editable(self, params: Params) -> tuple[ChatRecord, StoredMessage]:
        if params.has("inline_message_id"):
            raise bad_request(MESSAGE_TO_EDIT_NOT_FOUND)
        chat = self._state.resolve(params.get_chat_id())
        message = self._state.store.get(chat.chat_id, params.require_int("message_id"))
        if message is None:
            raise bad_request(MESSAGE_TO_EDIT_NOT_FOUND)
        if not message.from_bot:
            raise bad_request(MESSAGE_CANT_BE_EDITED)
        return chat, message

    async def edit_message_text(self, params: Params) -> dict[str, Any]:
        """``editMessageText``; like Telegram, omitting ``reply_markup`` removes the inline keyboard."""
        chat, message = self._editable(params)
        parse_mode = normalize_parse_mode(params.get_str("parse_mode"))
        text = params.get_str("text")
        rendered = render_text(text, parse_mode, params.get_list("entities"))
        markup = check_reply_markup(params.get_json("reply_markup"))
        if markup is None and inline_markup(message.reply_markup) is None:
            markup = message.reply_markup
        before = (message.rendered, inline_markup(message.reply_markup))
        if before == ((rendered.text, rendered.entities), inline_markup(markup)):
            raise bad_request(MESSAGE_NOT_MODIFIED)
        message.text, message.parse_mode, message.reply_markup = text, parse_mode, markup
        message.rendered = (rendered.text, rendered.entities)
        message.edited = True
        message.payload = self._message_payload(message, chat, date=message.payload["date"],
                                                edit_date=int(time.time()))
        self._announce("message_edited", message)
        return copy.deepcopy(message.payload)

    async def edit_message_reply_markup(self, params: Params) -> dict[str, Any]:
        """``editMessageReplyMarkup``; no ``reply_markup`` removes the inline keyboard."""
        chat, message = self._editable(params)
        markup = check_reply_markup(params.get_json("reply_markup"))
        if inline_markup(markup) == inline_markup(message.reply_markup):
            raise bad_request(MESSAGE_NOT_MODIFIED)
        message.reply_markup = markup
        message.payload = self._message_payload(message, chat, date=message.payload["date"],
                                                edit_date=message.payload.get("edit_date"))
        self._announce("message_edited", message)
        return copy.deepcopy(message.payload)

    async def delete_message(self, params: Params) -> bool:
        """``deleteMessage``."""
        chat = self._state.resolve(params.get_chat_id())
        message_id = params.require_int("message_id")
        if self._state.store.remove(chat.chat_id, message_id) is None:
            raise bad_request("Bad Request: message to delete not found")
        self._state.emit("message_deleted", chat_id=chat.chat_id, message_id=message_id)
        return True

    # -- callbacks and chat actions -----------------------------------------------------------------

    async def answer_callback_query(self, params: Params) -> bool:
        """``answerCallbackQuery``; each query can be answered once."""
        query_id = params.require_str("callback_query_id")
        pending = self._state.callback_queries.get(query_id)
        if pending is None or pending.answered:
            raise bad_request(QUERY_ID_INVALID)
        text = params.get_str("text")
        if text is not None and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("Bad Request: MESSAGE_TOO_LONG")
        pending.answered = True
        self._state.record_answer(CallbackAnswer(
            callback_query_id=query_id, chat_id=pending.chat_id, message_id=pending.message_id,
            data=pending.data, text=text, show_alert=params.get_bool("show_alert"),
            url=params.get_str("url"), cache_time=params.get_int("cache_time", 0) or 0,
        ))
        return True

    async def send_chat_action(self, params: Params) -> bool:
        """``sendChatAction``."""
        chat = self._state.resolve(params.get_chat_id())
        action = params.require_str("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("Bad Request: wrong parameter action in request")
        self._state.record_chat_action(ChatAction(chat.chat_id, action))
        return True

    # -- commands -----------------------------------------------------------------------------------

    def _command_key(self, params: Params) -> tuple[str, str]:
        scope = params.get_object("scope") or {"type": "default"}
        kind = scope.get("type")
        if not isinstance(kind, str) or kind not in COMMAND_SCOPES:
            raise bad_request("Bad Request: BOT_COMMAND_SCOPE_INVALID")
        key = str(kind)
        if kind in ("chat", "chat_administrators", "chat_member"):
            chat = self._state.resolve(Params(scope).get_chat_id())
            key = f"{kind}:{chat.chat_id}"
            if kind == "chat_member":
                key += f":{Params(scope).require_int('user_id')}"
        return key, check_language_code(params.get_str("language_code"))

    async def set_my_commands(self, params: Params) -> bool:
        """``setMyCommands``; an empty list deletes the commands for that scope and language."""
        commands = check_commands(params.get_json("commands"))
        key = self._command_key(params)
        if commands:
            self._state.commands[key] = commands
        else:
            self._state.commands.pop(key, None)
        self._state.emit("commands_changed", scope=key[0], language_code=key[1],
                         commands=[list(pair) for pair in commands])
        return True

    async def get_my_commands(self, params: Params) -> list[dict[str, str]]:
        """``getMyCommands`` for exactly the given scope and language."""
        pairs = self._state.commands.get(self._command_key(params), [])
        return [{"command": command, "description": description} for command, description in pairs]

    async def delete_my_commands(self, params: Params) -> bool:
        """``deleteMyCommands``."""
        key = self._command_key(params)
        self._state.commands.pop(key, None)
        self._state.emit("commands_changed", scope=key[0], language_code=key[1], commands=[])
        return True

    # -- the bot's profile texts --------------------------------------------------------------------

    async def set_description(self, kind: str, params: Params) -> bool:
        """``setMyDescription`` (``kind`` ``description``: shown in an empty chat) and ``setMyShortDescription``
        (``short_description``: the profile page); an empty or absent text removes it for that language."""
        language = check_language_code(params.get_str("language_code"))
        text = check_description(kind, params.get_str(kind))
        if text:
            self._state.descriptions[(kind, language)] = text
        else:
            self._state.descriptions.pop((kind, language), None)
        self._state.emit("description_changed", kind=kind, language_code=language, text=text)
        return True

    async def get_description(self, kind: str, params: Params) -> dict[str, str]:
        """``getMyDescription`` / ``getMyShortDescription`` for exactly that language (``""``: none set)."""
        language = check_language_code(params.get_str("language_code"))
        return {kind: self._state.descriptions.get((kind, language), "")}
