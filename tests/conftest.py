"""Shared fixtures: the shipped content, a small engine content set, a fake matcher and a chat driver."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("PTB_TIMEDELTA", "1")  # as bot/channels/telegram does; tests build RetryAfter themselves

from bot.content import Content, load_content, parse_files
from bot.engine import Button, ChatState, CommandIn, Engine, Event, NonTextIn, PressIn, Reply, TextIn, from_text
from bot.html import plain_text
from bot.nlu import Candidate, Decision, Understander, Understanding

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True, scope="session")
def _private_data_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterable[None]:
    """The local channels keep the staff log in $FAQBOT_DATA_DIR: never in the repository's ./data during tests."""
    old = os.environ.get("FAQBOT_DATA_DIR")
    os.environ["FAQBOT_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))
    yield
    if old is None:
        os.environ.pop("FAQBOT_DATA_DIR", None)
    else:
        os.environ["FAQBOT_DATA_DIR"] = old


# -- the shipped content ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def shipped_content() -> Content:
    """The repository's content, loaded once (fails with every problem when it does not load)."""
    return load_content(REPO)


@pytest.fixture(scope="session")
def shipped_engine(shipped_content: Content) -> Engine:
    """The engine over the shipped content with the real matcher."""
    return Engine(shipped_content, Understander(shipped_content))


# -- a small content set for deterministic engine tests ---------------------------------------------
# The engine's own files (messages, language packs, guided checks) are the real ones from the repository;
# intents and answers are stubs, so these tests do not depend on the topic content or the matcher.

STUB_INTENTS = {
    # id: (group, related)
    "return_eligibility": ("return", ["return_support", "return_vulnerable", "contact"]),
    "return_support": ("return", ["return_eligibility"]),
    "return_vulnerable": ("return", ["return_support"]),
    "family_reunification": ("family", ["contact"]),
    "labour_mobility": ("work", []),
    "diaspora_cd4d": ("diaspora", ["diaspora_ed4d"]),
    "diaspora_ed4d": ("diaspora", ["diaspora_cd4d"]),
    "about_iom": ("about", ["contact"]),
    "contact": ("about", ["about_iom"]),
    "greeting": ("smalltalk", []),
    "thanks": ("smalltalk", []),
    "goodbye": ("smalltalk", []),
    "help": ("smalltalk", []),
    "human": ("smalltalk", ["contact"]),
}
ENGINE_FILES = ("intents/checks.yaml", "answers/nl/checks.yaml", "answers/en/checks.yaml",
                "answers/nl/messages.yaml", "answers/en/messages.yaml",
                "answers/nl/language.yaml", "answers/en/language.yaml",
                "answers/nl/crisis.yaml", "answers/en/crisis.yaml")


def stub_title(intent: str, lang: str) -> str:
    """The stub answer title of an intent (a button label)."""
    return f"{intent.replace('_', ' ').capitalize()} ({lang})"


def stub_text(intent: str, lang: str) -> str:
    """A phrase that appears in the stub answer of an intent."""
    return f"answer {intent} in {lang}"


def stub_files() -> dict[str, str]:
    """The engine's real files plus stub intents and answers."""
    files = {path: (REPO / path).read_text(encoding="utf-8") for path in ENGINE_FILES}
    for lang in ("nl", "en"):  # the register the crisis replies refer to; the stub has no off-topic kinds
        register = (REPO / f"answers/{lang}/referrals.yaml").read_text(encoding="utf-8")
        files[f"answers/{lang}/referrals.yaml"] = register.split("\nkinds:")[0]
    lines = ["intents:"]
    for intent, (group, related) in STUB_INTENTS.items():
        lines += [f"  - id: {intent}", f"    group: {group}", "    examples:",
                  f"      nl: [nl vraag {intent}]", f"      en: [en question {intent}]"]
        if related:
            lines.append(f"    related: [{', '.join(related)}]")
    lines += ["  - id: out_of_scope", "    group: out_of_scope", "    examples:",
              "      nl: [weerbericht]", "      en: [weather]"]
    files["intents/stub.yaml"] = "\n".join(lines) + "\n"
    for lang in ("nl", "en"):
        answers = ["answers:"]
        for intent in STUB_INTENTS:
            answers += [f"  - intent: {intent}", f"    title: {stub_title(intent, lang)}", "    source: stub",
                        f"    text: <b>{intent}</b> {stub_text(intent, lang)}"]
            if intent in ("contact", "human", "return_vulnerable"):
                answers += ["    buttons:", f"      - label: Site {lang}", "        url: https://www.iom-nederland.nl/"]
        files[f"answers/{lang}/stub.yaml"] = "\n".join(answers) + "\n"
    return files


@pytest.fixture(scope="session")
def mini_content() -> Content:
    """The stub content set (must load without errors)."""
    content, problems = parse_files(stub_files())
    assert content is not None, "\n".join(map(str, problems))
    return content


# -- a fake matcher ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Said:
    """What the fake matcher makes of one message."""

    lang: str
    decision: Decision = "answer"
    intent: str | None = None
    candidates: tuple[str, ...] = ()
    certain: bool = True
    also: str | None = None


class FakeNLU:
    """The Understander interface over a fixed table; any other message is 'none' in the prior language."""

    def __init__(self, table: dict[str, Said], default_lang: str = "en") -> None:
        self.table = table
        self.default_lang = default_lang

    def detect_language(self, text: str, prior: str | None = None) -> tuple[str, bool]:
        said = self.table.get(text)
        return (said.lang, said.certain) if said else (prior or self.default_lang, False)

    def understand(self, text: str, prior: str | None = None) -> Understanding:
        lang, certain = self.detect_language(text, prior)
        said = self.table.get(text)
        if said is None:
            return Understanding(text, lang, "none", None, 0.0, (), certain)
        names = said.candidates or ((said.intent,) if said.intent else ())
        candidates = tuple(Candidate(name, 0.9 - i / 10) for i, name in enumerate(names))
        score = candidates[0].score if candidates else 0.0
        return Understanding(text, lang, said.decision, said.intent, score, candidates, certain, also=said.also)


def fake_table() -> dict[str, Said]:
    """Clear questions in both languages, used by the engine tests."""
    table: dict[str, Said] = {}
    for intent in STUB_INTENTS:
        table[f"nl vraag {intent}"] = Said("nl", intent=intent)
        table[f"en question {intent}"] = Said("en", intent=intent)
    table.update({
        "hallo": Said("nl", intent="greeting"), "hello": Said("en", intent="greeting"),
        "bedankt": Said("nl", intent="thanks"), "thanks": Said("en", intent="thanks"),
        "doei": Said("nl", intent="goodbye"), "bye": Said("en", intent="goodbye"),
        "help": Said("en", intent="help", certain=False), "hulp": Said("nl", intent="help"),
        "mens": Said("nl", intent="human"), "a person please": Said("en", intent="human"),
        "terug hulp": Said("nl", "clarify", None, ("return_support", "return_eligibility", "return_vulnerable",
                                                 "contact")),
        "return help": Said("en", "clarify", None, ("return_support", "return_eligibility", "out_of_scope")),
        "sick and who can go back": Said("en", intent="return_vulnerable", also="return_eligibility"),
        "wat is het weer": Said("nl", "none", None, ("out_of_scope",)),
        "what is the weather": Said("en", "none", None, ("out_of_scope",)),
        "vaag": Said("nl", "none", certain=False),
        "ok": Said("en", "none", certain=False),
    })
    return table


@pytest.fixture(scope="session")
def mini_engine(mini_content: Content) -> Engine:
    """The engine over the stub content with the fake matcher."""
    return Engine(mini_content, FakeNLU(fake_table()))


# -- driving a chat ---------------------------------------------------------------------------------


class Chat:
    """A chat like a channel runs it: the state is stored as JSON between events; presses are by label.

    Steps: 'text', '/command args', 'press:<button label>', 'data:<raw callback data>', 'nontext:<kind>'.
    """

    def __init__(self, engine: Engine, hint: str | None = None, state: ChatState | None = None) -> None:
        self.engine = engine
        self.hint = hint
        self.stored: str | None = state.to_json() if state else None
        self.replies: list[Reply] = []

    @property
    def state(self) -> ChatState:
        return ChatState.from_json(self.stored)

    def event(self, step: str) -> Event:
        if step.startswith("press:"):
            label = step[len("press:"):]
            found = [b for b in self.buttons() if b.label == label]
            assert found, f"no button {label!r}; buttons are {[b.label for b in self.buttons()]}"
            assert found[0].data is not None, f"{label!r} is a link button"
            return PressIn(found[0].data)
        if step.startswith("data:"):
            return PressIn(step[len("data:"):])
        if step.startswith("nontext:"):
            return NonTextIn(step[len("nontext:"):])
        return from_text(step)

    def send(self, step: str | Event) -> list[Reply]:
        event = step if isinstance(step, TextIn | PressIn | CommandIn | NonTextIn) else self.event(step)
        state = ChatState.from_json(self.stored) if self.stored else None
        new_state, self.replies = self.engine.handle(state, event, self.hint)
        assert ChatState.from_json(new_state.to_json()) == new_state
        self.stored = new_state.to_json()
        return self.replies

    def run(self, steps: Iterable[str]) -> list[Reply]:
        for step in steps:
            self.send(step)
        return self.replies

    def buttons(self) -> list[Button]:
        return [b for r in self.replies for row in r.buttons for b in row]

    def labels(self) -> list[str]:
        return [b.label for b in self.buttons()]

    def text(self) -> str:
        """Everything the user reads in the last replies, as plain text."""
        return "\n\n".join(plain_text(r.text) for r in self.replies)


def texts_of(replies: Iterable[Reply]) -> list[str]:
    """The plain texts of replies."""
    return [plain_text(r.text) for r in replies]
