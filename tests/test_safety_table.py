"""Crisis and referral messages (tests/data/safety.yaml, written without seeing the bot's word lists): each gets
its kind of reply first, in the person's language, and none gets a return answer it did not ask for."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.engine import Engine
from tests.conftest import Chat

TABLE = yaml.safe_load((Path(__file__).parent / "data/safety.yaml").read_text(encoding="utf-8"))["messages"]
#: Known misses, kept visible: these get an IOM answer instead of the referral. strict: the test fails once they
#: are fixed, to be removed. (None left: the Dutch-passport and general job questions now get their referral.)
KNOWN_MISSES: set[str] = set()
RETURN_TOPICS = ("return_eligibility", "return_support", "reintegration", "return_vulnerable", "return_figures")


@pytest.mark.parametrize("item", [pytest.param(m, marks=pytest.mark.xfail(strict=True, reason="known miss"))
                                  if m["text"] in KNOWN_MISSES else m for m in TABLE],
                         ids=[m["text"][:40] for m in TABLE])
@pytest.mark.parametrize("hint", [None, "user-language"])
def test_message_gets_its_kind_of_reply(shipped_engine: Engine, item: dict[str, object], hint: str | None) -> None:
    lang = str(item["lang"])
    chat = Chat(shipped_engine, hint=lang if hint else None)
    replies = chat.send(str(item["text"]))
    first = replies[0].trace
    assert first is not None and first.decision == item["expect"], [(r.trace, r.text[:60]) for r in replies]
    assert first.lang == lang
    if item.get("return_ok") is not True:
        assert not [r for r in replies if r.trace and r.trace.intent in RETURN_TOPICS and r.trace.decision == "answer"]


def test_crisis_replies_give_112_first_where_life_is_in_danger(shipped_engine: Engine) -> None:
    for text in ("I want to kill myself", "mijn man slaat mij", "he is not breathing", "ik wil zelfmoord plegen"):
        chat = Chat(shipped_engine)
        chat.send(text)
        assert "112" in chat.replies[0].text


def test_self_harm_reply_names_113(shipped_engine: Engine) -> None:
    chat = Chat(shipped_engine, hint="nl")
    chat.send("ik wil niet meer leven")
    assert "0800-0113" in chat.replies[0].text
