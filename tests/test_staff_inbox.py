"""The review inbox: fed by the local chats (sandbox, `faqbot chat`), with 👎, "did you mean" not taken and close
calls; grouped with a topic only when the matcher had it as a real candidate; cleared by resolving a group."""

from __future__ import annotations

import datetime as dtm
import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot.engine.replies import Reply, Trace
from bot.staff.inbox import InboxGroup, ReviewInbox
from bot.staff.review_log import StaffLog
from bot.staff.session import ReviewSession, ReviewSessions
from bot.store import Store

REPO = Path(__file__).resolve().parents[1]
RUNNING = re.compile(r"^Sandbox running: open (http://127\.0\.0\.1:\d+/) in your browser\. Ctrl\+C stops\.$")
TODAY = dtm.datetime.now(dtm.UTC).date().isoformat()


def env_with(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    return {**env, "FAQBOT_DATA_DIR": str(data), "PYTHONPATH": str(REPO)}


def faqbot(data: Path, *args: str, stdin: str = "") -> str:
    result = subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                            cwd=REPO, env=env_with(data), timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def inbox(data: Path) -> list[InboxGroup]:
    with Store.connect(data / "faqbot.sqlite3") as store:
        return ReviewInbox(store).groups()


# -- every local channel feeds the data folder ---------------------------------------------------------------

def test_a_question_asked_only_in_the_sandbox_appears_in_faqbot_review_and_the_inbox(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = subprocess.Popen([sys.executable, "-m", "bot", "sandbox", "--port", "0", "--no-watch"], cwd=REPO,
                            env=env_with(data), text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready, "the sandbox did not start"
        found = RUNNING.match(proc.stdout.readline().strip())
        assert found, proc.stderr.read() if proc.stderr and proc.poll() is not None else "no address"
        url = found.group(1)
        sent = httpx.post(url + "api/send", json={"chat": 7, "text": "can my goldfish fly to mars, call 0612345678",
                                                  "lang": "en"}, headers={"Origin": url.rstrip("/")},
                          trust_env=False, timeout=10)
        assert sent.status_code == 200, sent.text
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (data / "faqbot.sqlite3").exists():
            time.sleep(0.1)
        while time.monotonic() < deadline and not inbox(data):
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(20)
    out = faqbot(data, "review", "--content", str(REPO))
    assert "can my goldfish fly to mars, call [phone]" in out
    assert "0612345678" not in out
    [group] = inbox(data)
    assert (group.lang, group.reason, group.texts, group.count, group.answered_with) == (
        "en", "unanswered", ("can my goldfish fly to mars, call [phone]",), 1, None)
    assert group.first_day == group.last_day == TODAY


def test_faqbot_chat_keeps_unanswered_questions_and_clarifications_not_taken(tmp_path: Path) -> None:
    data = tmp_path / "data"
    faqbot(data, "chat", "--lang", "en", stdin="what is the weather on mars tomorrow\n")
    groups = inbox(data)
    assert [(g.reason, g.texts) for g in groups] == [("unanswered", ("what is the weather on mars tomorrow",))]
    assert groups[0].suggestion is None  # nothing the matcher found was a real candidate
    assert "what is the weather on mars tomorrow" in faqbot(data, "review")


# -- what a chat's session keeps -----------------------------------------------------------------------------

def trace(decision: str, intent: str | None = None, candidates: tuple[tuple[str, float], ...] = (),
          lang: str = "en") -> list[Reply]:
    return [Reply("text", (), Trace(intent, decision, candidates[0][1] if candidates else 0.0, lang, None,
                                    candidates))]


CLOSE = (("return_support", 0.62), ("return_eligibility", 0.58), ("contact", 0.31))
CLEAR = (("return_support", 0.81), ("return_eligibility", 0.40))
WEAK = (("labour_mobility", 0.12), ("contact", 0.05))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.connect(tmp_path / "faqbot.sqlite3")


@pytest.fixture
def session(store: Store) -> ReviewSession:
    return ReviewSession(StaffLog(store, 90))


def reasons(store: Store) -> list[tuple[str, tuple[str, ...], str | None, str | None]]:
    return [(g.reason, g.texts, g.answered_with, g.suggestion) for g in ReviewInbox(store).groups()]


def test_a_did_you_mean_answered_with_something_else_is_not_taken(store: Store, session: ReviewSession) -> None:
    session.record("ticket help please", trace("clarify", None, CLOSE))
    session.record("something else entirely", trace("none", None, WEAK))
    assert reasons(store) == [("clarify_not_taken", ("ticket help please",), None, "return_support"),
                              ("unanswered", ("something else entirely",), None, None)]


def test_none_of_these_makes_the_did_you_mean_not_taken(store: Store, session: ReviewSession) -> None:
    session.record("ticket help please", trace("clarify", None, CLOSE))
    session.record(None, trace("none"))  # the press "None of these"
    assert reasons(store) == [("clarify_not_taken", ("ticket help please",), None, "return_support")]


def test_a_did_you_mean_taken_is_not_in_the_inbox(store: Store, session: ReviewSession) -> None:
    session.record("ticket help please", trace("clarify", None, CLOSE))
    session.record(None, trace("answer", "return_eligibility"))  # pressed one of the topics offered
    assert reasons(store) == []
    assert [i.decision for i in StaffLog(store, 90).review_items(1)] == ["clarify"]  # `faqbot review` shows it


def test_a_close_call_is_kept_and_a_clear_answer_is_not(store: Store, session: ReviewSession) -> None:
    session.record("can iom pay my ticket", trace("answer", "return_support", CLEAR))
    session.record("who pays my ticket home", trace("answer", "return_support", CLOSE))
    assert reasons(store) == [("low_margin", ("who pays my ticket home",), "return_support", "return_eligibility")]


def test_thumbs_down_keeps_the_question_it_answered(store: Store, session: ReviewSession) -> None:
    session.record("i need a lawyer for my case", trace("answer", "diaspora_cd4d", (("diaspora_cd4d", 0.7),
                                                                                     ("other_legal", 0.35))))
    session.record(None, trace("feedback_down", "diaspora_cd4d"))
    assert reasons(store) == [("thumbs_down", ("i need a lawyer for my case",), "diaspora_cd4d", "other_legal")]


def test_thumbs_down_on_a_close_call_is_one_row(store: Store, session: ReviewSession) -> None:
    session.record("who pays my ticket home", trace("answer", "return_support", CLOSE))
    session.record(None, trace("feedback_down", "return_support"))
    assert reasons(store) == [("thumbs_down", ("who pays my ticket home",), "return_support", "return_eligibility")]


def test_sessions_keep_chats_apart(store: Store) -> None:
    sessions = ReviewSessions(StaffLog(store, 90))
    sessions.record(1, "ticket help please", trace("clarify", None, CLOSE))
    sessions.record(2, "hello", trace("answer", "greeting", (("greeting", 0.9),)))  # another chat: not a reply
    assert reasons(store) == []
    sessions.record(1, None, trace("none"))
    assert [r[0] for r in reasons(store)] == ["clarify_not_taken"]


def test_rows_stay_masked_and_unlinkable(store: Store, session: ReviewSession) -> None:
    session.record("who pays my ticket, mail ahmed@example.com", trace("answer", "return_support", CLOSE))
    session.record(None, trace("feedback_down", "return_support"))
    with store.transaction() as db:
        rows = db.execute("SELECT id, day, text FROM review_log").fetchall()
    assert [(day, text) for _, day, text in rows] == [(TODAY, "who pays my ticket, mail [email]")]
    assert rows[0][0] > 2**32  # a random key, not a row number


# -- grouping and resolving ----------------------------------------------------------------------------------

def test_similar_questions_are_one_group_most_asked_first_and_resolve_removes_it(store: Store) -> None:
    staff_log = StaffLog(store, 90)
    for text in ("hoe krijg ik een vliegticket", "hoe krijg ik een vliegticket", "hoe krjg ik een vliegticket?"):
        ReviewSession(staff_log).record(text, trace("none", None, CLOSE, "nl"))
    ReviewSession(staff_log).record("wat is het weer", trace("none", None, WEAK, "nl"))
    inbox = ReviewInbox(store)
    first, second = inbox.groups()
    assert (first.texts, first.count, first.suggestion) == (
        ("hoe krijg ik een vliegticket", "hoe krjg ik een vliegticket?"), 3, "return_support")
    assert (second.texts, second.count, second.suggestion) == (("wat is het weer",), 1, None)
    assert [g.key for g in ReviewInbox(store).groups()] == [first.key, second.key]  # stable
    ReviewInbox(store).resolve(first.key, "added")  # a new inbox (another request) finds the group by its key
    assert [g.texts for g in inbox.groups()] == [("wat is het weer",)]
    inbox.resolve(second.key, "off_topic")
    assert inbox.groups() == []
    with store.transaction() as db:
        assert db.execute("SELECT count(*) FROM review_log").fetchone() == (0,)


def test_resolve_refuses_unknown_keys_and_actions(store: Store) -> None:
    ReviewSession(StaffLog(store, 90)).record("wat is het weer", trace("none", None, WEAK, "nl"))
    inbox = ReviewInbox(store)
    [group] = inbox.groups()
    with pytest.raises(ValueError, match="unknown action 'delete'"):
        inbox.resolve(group.key, "delete")
    with pytest.raises(KeyError):
        inbox.resolve("0123456789abcdef", "dismissed")
    inbox.resolve(group.key, "dismissed")
    with pytest.raises(KeyError):
        inbox.resolve(group.key, "dismissed")


def test_faqbot_review_lists_answers_that_may_be_wrong(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    with Store.connect(tmp_path / "faqbot.sqlite3") as store:
        session = ReviewSession(StaffLog(store, 90))
        session.record("who pays my ticket home", trace("answer", "return_support", CLOSE))
        session.record("i need a lawyer for my case", trace("answer", "diaspora_cd4d", (("diaspora_cd4d", 0.7),)))
        session.record(None, trace("feedback_down", "diaspora_cd4d"))
    assert main(["review", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Answered, but perhaps wrongly" in out
    assert re.search(r"diaspora_cd4d\s+en\s+marked 👎\s+1\s+i need a lawyer for my case", out)
    assert re.search(r"return_support\s+en\s+close call\s+1\s+who pays my ticket home", out)


def test_faqbot_review_lists_details_the_answers_do_not_have(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    with Store.connect(tmp_path / "faqbot.sqlite3") as store:
        session = ReviewSession(StaffLog(store, 90))
        for _ in range(2):
            session.record("hoe lang duurt het, bel me op 0612345678", trace("missing_detail", "family_reunification",
                                                                             lang="nl"))
        session.record("is it free", trace("missing_detail", "return_support"))
    assert main(["review", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Details asked after an answer that the answer does not have" in out
    assert re.search(r"family_reunification\s+nl\s+2\s+hoe lang duurt het", out)
    assert re.search(r"return_support\s+en\s+1\s+is it free", out)
    assert "0612345678" not in out  # masked, as every kept text
