"""The conversation engine: one event and the chat's state in, the new state and the replies out."""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from bot.content.model import SMALL_TALK_GROUP, CheckOption, CheckStep, Content, GuidedCheck
from bot.engine import checks, language
from bot.engine.answers import (
    CONTACT,
    answer_reply,
    clarify_reply,
    crisis_reply,
    fallback_reply,
    referral_reply,
    small_talk_reply,
    trace,
)
from bot.engine.buttons import FEEDBACK, MENU, NONE_OF_THESE, RESUME, STOP, Codec, Press
from bot.engine.context import TopicWords
from bot.engine.events import CommandIn, Event, PressIn, TextIn, from_text
from bot.engine.feedback import feedback_reply, feedback_row, wants_feedback
from bot.engine.menu import group_reply, language_reply, menu_reply, other_language_reply
from bot.engine.replies import Button, Reply, Trace, finish
from bot.engine.safety import asks_to_return, crisis_phrases, find_crisis, without_crisis_words, words_of
from bot.engine.state import MAX_MISSES, ChatState
from bot.engine.texts import Texts
from bot.html import escape
from bot.nlu.result import Understanding

#: Commands in the order Telegram shows them; each needs a description under `commands:` per language.
COMMANDS = ("start", "menu", "help", "language", "contact", "privacy", "cancel")
ALIASES = {"taal": "language", "lang": "language", "hulp": "help", "stop": "cancel"}

Result = tuple[ChatState, list[Reply]]
RETURN_GROUP = "return"  # the voluntary-return topics: never offered to someone who says they will not go back
CRISIS_FOLLOW_UP_CONFIDENCE = 0.6  # after a crisis reply: how sure the matcher must be of a return question ...
CRISIS_OTHER_TOPIC_CONFIDENCE = 0.95  # ... and of any other topic
TYPED_ANSWER_YIELDS_TO = 0.9  # in a check, a loosely read answer gives way to a question this clear


def command_name(name: str) -> str:
    """The command meant by ``name``: aliases resolved, '/', '@botname' and case ignored."""
    raw = name.strip().lstrip("/").split("@", 1)[0].lower()
    return ALIASES.get(raw, raw)


class Understands(Protocol):
    """What the engine needs from bot.nlu.Understander (tests may pass a fake with the same methods)."""

    def understand(self, text: str, prior: str | None = None) -> Understanding: ...

    def detect_language(self, text: str, prior: str | None = None) -> tuple[str, bool]: ...


class Engine:
    """Channel-independent conversation logic over one content load (pure: no I/O)."""

    def __init__(self, content: Content, nlu: Understands) -> None:
        self.content = content
        self.nlu = nlu
        self.codec = Codec(content)
        self.crisis = crisis_phrases(content)
        self.topic_words = TopicWords(content)
        self.stop_words = frozenset(" ".join(words_of(w)) for pack in content.packs.values() for w in pack.stop_words)
        self.acknowledgements = frozenset(w for pack in content.packs.values() for w in pack.yes_words
                                          if " " not in w and not w.isdigit())

    def commands(self, lang: str) -> list[tuple[str, str]]:
        """(command, description) pairs for Telegram's command menu in ``lang``."""
        texts = Texts(self.content, lang)
        return [(name, texts.pack.commands[name]) for name in COMMANDS if name in texts.pack.commands]

    def descriptions(self, lang: str) -> tuple[str, str]:
        """(description, short description) of the bot in ``lang``, for the channel's profile."""
        texts = Texts(self.content, lang)
        return texts("description"), texts("short_description")

    def handle(self, state: ChatState | None, event: Event, lang_hint: str | None = None) -> Result:
        """Answer one event; always at least one reply, never an exception."""
        before = state if isinstance(state, ChatState) else ChatState()
        try:
            after, replies = self._handle(self._valid(before), event, lang_hint)
        except Exception as exc:  # the chat must always get an answer; the trace tells staff what broke
            after, replies = before, [self._error(before, f"{type(exc).__name__}: {exc}"[:200])]
        if not replies:
            replies = [self._error(after, "no reply")]
        return after.tidy(), [finish(r) for r in replies]

    # -- dispatch -------------------------------------------------------------------------------

    def _handle(self, state: ChatState, event: Event, hint: str | None) -> Result:
        if isinstance(event, TextIn) and isinstance(parsed := from_text(event.text), CommandIn):
            event = parsed
        if state.lang is None and (lang := language.from_hint(hint, self.content.languages)):
            state = replace(state, lang=lang)
        if state.lang is None:
            return self._first_contact(state, event)
        if isinstance(event, TextIn):
            state, replies = self._text(state, event.text, None)
        elif isinstance(event, PressIn):
            state, replies = self._press(state, event.data)
        elif isinstance(event, CommandIn):
            state, replies = self._command(state, event)
        else:
            texts = Texts(self.content, state.lang or self.content.languages[0])
            replies = [menu_reply(self.content, self.codec, texts, texts("non_text"), "non_text")]
        return state, self._with_resume(state, replies)

    def _first_contact(self, state: ChatState, event: Event) -> Result:
        """No language yet: a language button or a clear first message decides, else greet in all languages.

        A message about danger is answered at once (112 first), in the matcher's best guess of its language.
        """
        langs = self.content.languages
        if isinstance(event, PressIn):
            press = self.codec.decode(event.data) if isinstance(event.data, str) else None
            if press is not None and press.kind == "l" and press.args[0] in langs:
                return self._welcome(language.chosen(state, press.args[0]))
        if isinstance(event, CommandIn) and command_name(event.name) == "language":
            wanted = language.from_hint(event.args, langs)
            if wanted:
                return self._welcome(language.chosen(state, wanted))
            state = replace(state, lang_asked=True)
            return state, [language_reply(self.content, self.codec, "language_choose", None)]
        if isinstance(event, TextIn) and (wanted := language.requested(event.text, self.content)) is not None:
            return self._welcome(language.chosen(state, wanted))
        if isinstance(event, TextIn) and event.text.strip():
            u = self._understand(event.text, None)
            if u.lang not in langs:  # another language: its reply says "in danger? call 112" in that language too
                state = replace(state, lang_asked=True)
                return state, [other_language_reply(self.content, self.codec, u.lang, None)]
            # A crisis or a question for another body is answered at once, in the best guess of the language.
            if u.lang_certain or state.lang_asked or u.topic or find_crisis(event.text, self.crisis):
                lang = u.lang if u.lang in langs else langs[0]
                return self._text(replace(state, lang=lang), event.text, u)
        state = replace(state, lang_asked=True)
        return state, [language_reply(self.content, self.codec, "welcome_bilingual", None)]

    def _welcome(self, state: ChatState) -> Result:
        texts = Texts(self.content, state.lang or self.content.languages[0])
        return state, [menu_reply(self.content, self.codec, texts, texts("welcome"), "start")]

    # -- free text ------------------------------------------------------------------------------

    def _understand(self, text: str, prior: str | None) -> Understanding:
        try:
            return self.nlu.understand(text, prior)  # the NLU cuts long messages itself
        except Exception:  # a matcher failure must not end the conversation
            return Understanding(text, prior or self.content.languages[0], "none", None, 0.0, ())

    def _text(self, state: ChatState, text: str, u: Understanding | None) -> Result:
        langs = self.content.languages
        if not text.strip():
            texts = Texts(self.content, state.lang or langs[0])
            return state, [menu_reply(self.content, self.codec, texts, texts("empty"), "empty")]
        wanted = language.requested(text, self.content) if not checks.current(state, self.content) else None
        if wanted is not None:
            return self._choose_language(state, wanted)
        u = u or self._understand(text, state.lang)
        if u.lang not in langs:  # another language: its reply says "in danger? call 112" in that language too
            return state, [other_language_reply(self.content, self.codec, u.lang, state.lang)]
        hint = language.should_hint(state, u.lang, u.lang_certain, langs)
        state = language.after_message(state, u.lang, u.lang_certain, langs)
        texts = Texts(self.content, state.lang or langs[0])
        replies: list[Reply] = []
        crisis = find_crisis(text, self.crisis)
        if crisis is not None:
            replies.append(crisis_reply(self.content, texts, crisis, u))
            # Only a clear question besides the crisis gets an answer too: match what is left without its words.
            u = self._understand(without_crisis_words(text, self.crisis), state.lang)
        danger = crisis is not None
        now = checks.current(state, self.content)
        if now and not danger and " ".join(words_of(text)) in self.stop_words:
            return self._cancel(state, texts)  # "stop" typed during a check: as /cancel
        option = self._typed_answer(text, u, now, texts.lang, danger) if now else None
        if now and option == checks.DONT_KNOW:
            note = texts("check_dont_know")
            replies.append(checks.question_reply(self.content, self.codec, texts, now[0], now[1].id, note=note))
        elif now and isinstance(option, CheckOption):
            state, reply = checks.choose(state, self.content, self.codec, texts, option)
            replies.append(reply)
        elif not danger and (followed := self._followup(state, texts, u, text)) is not None:
            state, more = followed
            replies += more
        else:
            state, more = self._understood(state, texts, u, danger, text)
            replies += more
        if hint:
            state = replace(state, lang_hinted=True)
            other = Texts(self.content, u.lang)
            replies.append(Reply(other("language_hint"), (), trace(other, "language", u)))
        return state, replies

    def _typed_answer(self, text: str, u: Understanding, now: tuple[GuidedCheck, CheckStep], lang: str,
                      danger: bool = False) -> CheckOption | str | None:
        """The answer a typed message gives to the open step, ``checks.DONT_KNOW``, or None (a new question).

        After a crisis reply (``danger``) only a clear answer counts ("yes, I was a victim of trafficking"), or a
        phrase of the step's own ``typed:`` list in a longer message ("... made me work for free ...").
        An answer read loosely from a longer message gives way to a clear question of its own; a short
        message that is no question and no answer picks "other" where the step has it (a country not listed)."""
        check, step = now
        typed = checks.typed_option(text, self.content, check, step, lang)
        if danger:  # after a crisis reply, the check goes on only with a clear answer or one the step itself lists
            return typed.option if typed is not None and (typed.sure or typed.phrase) else None
        # A "question" about the check's own topic ("I want to go home" to "Is it your own choice?") answers it.
        asked = self.content.intents.get(u.intent or "")
        own = self.content.intents.get(check.intent)
        same_topic = asked is not None and own is not None and asked.group == own.group
        clear_question = u.decision == "answer" and u.confidence >= TYPED_ANSWER_YIELDS_TO and not same_topic
        if typed is not None and typed.dont_know:
            return checks.DONT_KNOW
        if typed is not None and typed.option is not None and (typed.sure or not clear_question):
            return typed.option
        other = next((o for o in step.options if o.key == checks.OTHER), None)
        answered = self.content.intents.get(u.intent or "") if u.decision == "answer" else None
        if typed is None and other is not None and checks.short_answer(text) and (
                answered is None or (len(words_of(text)) <= 2 and answered.group != SMALL_TALK_GROUP)):
            return other
        return None

    def _understood(self, state: ChatState, texts: Texts, u: Understanding, danger: bool, text: str = "") -> Result:
        """Replies for the matcher's decision: an answer, a 'did you mean', a referral, or the fallback.

        After a crisis reply only a clear in-scope answer follows, and never a return answer to a message that
        says it does not want to go back."""
        now = checks.current(state, self.content)
        intent = self.content.intents.get(u.intent or "")
        if danger and intent is not None and not self._clear_besides_crisis(intent.group, u, text):
            intent = None
        if u.decision == "answer" and intent is not None:
            if intent.group == SMALL_TALK_GROUP:
                reply = small_talk_reply(self.content, self.codec, texts, intent.id, u)
            else:
                reply = answer_reply(self.content, self.codec, texts, intent.id, u, skip_check=state.check)
                if reply is not None and wants_feedback(self.content, intent.id):
                    reply = replace(reply, buttons=(*reply.buttons, feedback_row(self.codec, intent.id)))
            if reply is not None:
                topic = None if intent.group == SMALL_TALK_GROUP else intent.id
                return replace(state, misses=0, topic=topic or state.topic), [reply]
        if danger:
            return replace(state, misses=0), []
        if u.decision == "clarify" and (reply := clarify_reply(self.codec, texts, u)) is not None:
            return state, [reply]
        if u.topic and (reply := referral_reply(self.content, texts, u.topic, u)) is not None:
            return replace(state, misses=0), [reply]
        if now is not None:
            note = texts("check_pick")
            return state, [checks.question_reply(self.content, self.codec, texts, now[0], now[1].id, note=note)]
        if self._acknowledges(text):  # "ok", "yes", "👍": no question, and nothing misunderstood
            return replace(state, misses=0), [menu_reply(self.content, self.codec, texts, texts("acknowledged"),
                                                         "acknowledged")]
        return self._miss(state, texts, u)

    def _acknowledges(self, text: str) -> bool:
        """Only yes-words ("ok", "ja", "yes"), or only signs such as 👍 and no question mark."""
        words = words_of(text)
        if words:
            return all(w in self.acknowledgements for w in words)
        return bool(text.strip()) and "?" not in text and any(not c.isascii() for c in text)

    @staticmethod
    def _clear_besides_crisis(group: str, u: Understanding, text: str) -> bool:
        """After a crisis reply, only a clear question gets an answer too: a return topic only when the person
        asks to go back (and says no "not"), another topic only when the matcher is sure; never small talk."""
        if group == SMALL_TALK_GROUP:
            return False
        if group == RETURN_GROUP:
            return asks_to_return(text) and u.confidence >= CRISIS_FOLLOW_UP_CONFIDENCE
        return u.confidence >= CRISIS_OTHER_TOPIC_CONFIDENCE

    def _followup(self, state: ChatState, texts: Texts, u: Understanding, text: str) -> Result | None:
        """A short message read within the chat's last topic (bot.engine.context); None: the normal reading stands."""
        now = checks.current(state, self.content)
        topic = self.content.intents.get(state.topic or (now[0].intent if now else ""))
        if topic is None:
            return None
        anchor = self._anchor(topic.id, texts)
        reading = self.topic_words.read(topic, texts.lang, text, u,
                                        lambda: self._understand(f"{text} {anchor}", state.lang))
        if reading is None:
            return None
        if reading.missing:
            return replace(state, misses=0), [self._missing_detail(texts, reading.intent, u)]
        reply = answer_reply(self.content, self.codec, texts, reading.intent, reading.understanding,
                             decision="followup", skip_check=state.check)
        return (replace(state, misses=0, topic=reading.intent), [reply]) if reply is not None else None

    def _anchor(self, intent: str, texts: Texts) -> str:
        """The topic's name and keywords, added to a follow-up to match it within the topic."""
        answer = texts.answer(intent)
        keywords = self.content.intents[intent].keywords.get(texts.lang, ())
        return " ".join([answer.title if answer else "", *keywords[:4]])

    def _missing_detail(self, texts: Texts, intent: str, u: Understanding) -> Reply:
        """'My information about <topic> does not say that', with the topic's answer and the contact answer."""
        answer = texts.answer(intent)
        title = answer.title if answer else intent
        rows: list[tuple[Button, ...]] = [(Button(title, data=self.codec.intent(intent)),)]
        contact = texts.answer(CONTACT)
        if intent != CONTACT and contact is not None:
            rows.append((Button(contact.title, data=self.codec.intent(CONTACT)),))
        rows.append((Button(texts("menu_button"), data=MENU),))
        return Reply(texts("followup_missing", topic=escape(title)), tuple(rows),
                     trace(texts, "missing_detail", u, intent, answer.source if answer else None))

    def _miss(self, state: ChatState, texts: Texts, u: Understanding | None) -> Result:
        state = replace(state, misses=min(state.misses + 1, MAX_MISSES))
        return state, [fallback_reply(self.content, self.codec, texts, state.misses, u)]

    # -- buttons --------------------------------------------------------------------------------

    def _press(self, state: ChatState, data: str) -> Result:
        texts = Texts(self.content, state.lang or self.content.languages[0])
        press = self.codec.decode(data) if isinstance(data, str) else None
        result = self._pressed(state, texts, press) if press else None
        return result or (state, [self._stale(texts)])

    def _pressed(self, state: ChatState, texts: Texts, press: Press) -> Result | None:
        content, codec = self.content, self.codec
        arg = press.args[0] if press.args else ""
        now = checks.current(state, content)
        if press.kind == MENU:
            return state, [menu_reply(content, codec, texts, texts("menu"))]
        if press.kind == "g":
            reply = group_reply(content, codec, texts, arg)
            return (state, [reply]) if reply else None
        if press.kind == "i" and arg in content.intents:
            answer = answer_reply(content, codec, texts, arg, skip_check=state.check)
            return (replace(state, misses=0, topic=arg), [answer]) if answer else None
        if press.kind == "c" and arg in content.checks:
            state, reply = checks.start(state, content, codec, texts, content.checks[arg])
            return state, [reply]
        if press.kind == "a":
            return self._check_press(state, texts, press)
        if press.kind == RESUME and now is not None:
            return state, [checks.question_reply(content, codec, texts, now[0], now[1].id)]
        if press.kind == STOP:
            return self._cancel(state, texts)
        if press.kind == NONE_OF_THESE:
            return self._miss(state, texts, None)
        if press.kind == "l" and arg in content.languages:
            return self._choose_language(state, arg)
        if press.kind == FEEDBACK:
            return state, [feedback_reply(content, texts, arg, press.args[1])]
        return None

    def _check_press(self, state: ChatState, texts: Texts, press: Press) -> Result:
        """An answer button: follow it if it belongs to the question now open, else say it is old."""
        check_id, step_id, key = press.args
        now = checks.current(state, self.content)
        if now is not None and now[0].id == check_id and now[1].id == step_id:
            option = next((o for o in now[1].options if o.key == key), None)
            if option is not None:
                state, reply = checks.choose(state, self.content, self.codec, texts, option)
                return state, [reply]
        if now is not None:
            return state, [checks.question_reply(self.content, self.codec, texts, now[0], now[1].id,
                                                 note=texts("stale_check"))]
        rows: tuple[tuple[Button, ...], ...] = ((Button(texts("menu_button"), data=MENU),),)
        check = self.content.checks.get(check_id)
        ctexts = checks.check_texts(self.content, check, texts.lang) if check else None
        if check is not None and ctexts is not None:
            rows = ((Button(texts("check_button", title=ctexts.title), data=self.codec.check(check.id)),), *rows)
        return state, [Reply(texts("stale_check_ended"), rows, trace(texts, "stale"))]

    # -- commands -------------------------------------------------------------------------------

    def _command(self, state: ChatState, event: CommandIn) -> Result:
        raw = event.name.strip().lstrip("/").split("@", 1)[0].lower()
        name = command_name(raw)
        texts = Texts(self.content, state.lang or self.content.languages[0])
        content, codec = self.content, self.codec
        if name == "start":
            state = replace(state, check=None, step=None, misses=0, topic=None)
            state, replies = self._welcome(state)
            return self._deep_link(state, texts, event.args.strip(), replies)
        if name in ("help", "menu"):
            return state, [menu_reply(content, codec, texts, texts(name), name)]
        if name == "language":
            wanted = language.from_hint(event.args, content.languages)
            if wanted:
                return self._choose_language(state, wanted)
            return state, [language_reply(content, codec, "language_choose", state.lang)]
        if name == "contact":
            reply = answer_reply(content, codec, texts, CONTACT, decision="command")
            return state, [reply or Reply(texts("fallback_human"), (), trace(texts, "command"))]
        if name == "privacy":
            return state, [Reply(texts("privacy"), (), trace(texts, "command"))]
        if name == "cancel":
            return self._cancel(state, texts)
        shown = escape("/" + raw[:32]) if raw else "/"
        listed = ", ".join("/" + c for c in COMMANDS)
        text = texts("unknown_command", command=shown, commands=listed)
        return state, [menu_reply(content, codec, texts, text, "unknown_command")]

    def _deep_link(self, state: ChatState, texts: Texts, args: str, replies: list[Reply]) -> Result:
        """/start <check or intent id> (from a t.me link) opens that check or answer after the welcome."""
        if args in self.content.checks:
            state, reply = checks.start(state, self.content, self.codec, texts, self.content.checks[args])
            replies.append(reply)
        elif args in self.content.intents and (answer := answer_reply(self.content, self.codec, texts, args)):
            replies.append(answer)
        return state, replies

    def _cancel(self, state: ChatState, texts: Texts) -> Result:
        key = "check_stopped" if state.check else "nothing_to_stop"
        state = replace(state, check=None, step=None)
        return state, [menu_reply(self.content, self.codec, texts, texts(key), "cancel")]

    def _choose_language(self, state: ChatState, lang: str) -> Result:
        state = language.chosen(state, lang)
        texts = Texts(self.content, lang)
        return state, [menu_reply(self.content, self.codec, texts, texts("language_set"), "language")]

    # -- helpers --------------------------------------------------------------------------------

    def _valid(self, state: ChatState) -> ChatState:
        """The state with references the current content no longer has removed."""
        if state.lang is not None and state.lang not in self.content.languages:
            state = replace(state, lang=None, lang_locked=False)
        if checks.current(state, self.content) is None:
            state = replace(state, check=None, step=None)
        return state.tidy()

    def _with_resume(self, state: ChatState, replies: list[Reply]) -> list[Reply]:
        """While a check waits for an answer, every other reply offers to continue or stop it."""
        if checks.current(state, self.content) is None or not replies:
            return replies
        if any(b.data == STOP for r in replies for row in r.buttons for b in row):
            return replies
        texts = Texts(self.content, state.lang or self.content.languages[0])
        row = (Button(texts("check_resume"), data=RESUME), Button(texts("check_stop"), data=STOP))
        last = replies[-1]
        return [*replies[:-1], replace(last, buttons=(*last.buttons, row))]

    def _stale(self, texts: Texts) -> Reply:
        return menu_reply(self.content, self.codec, texts, texts("stale"), "stale")

    def _error(self, state: ChatState, why: str) -> Reply:
        try:
            texts = Texts(self.content, state.lang or self.content.languages[0])
            text, lang = texts("error"), texts.lang
        except Exception:
            text, lang = "Sorry, something went wrong. Please try again.", state.lang or "en"
        return Reply(text, (), Trace(None, "error", 0.0, lang, why))
