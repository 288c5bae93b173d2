"""Admin commands for staff in Telegram (/stats, /reload): who is an admin, and the texts they get.

Pure helpers; the Telegram adapter does the gating. It answers /stats and /reload only when
``admin_command(name, user_id, ids, private)`` returns the command: for anyone else (or in a group) it hands
the command to the engine as usual, which answers "I don't know the command" like for any unknown command.
So nobody learns that admin commands exist, and they never appear in Telegram's command menu.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping, Sequence

from bot.html import MAX_MESSAGE_LENGTH, escape, visible_length
from bot.live import ReloadResult
from bot.staff.grouping import Group, group_questions
from bot.staff.kinds import COMMAND, PRESS
from bot.staff.review_log import StaffLog
from bot.staff.stats import ANSWERED, UNANSWERED, Stats, percent

log = logging.getLogger(__name__)

ADMIN_IDS_ENV = "FAQBOT_ADMIN_IDS"
ADMIN_COMMANDS = ("stats", "reload")
STATS_DAYS = 7
TOP = 5
MAX_PROBLEM = 300  # characters of one problem shown in Telegram


def admin_ids(environ: Mapping[str, str] = os.environ) -> frozenset[int]:
    """Telegram user ids in ``$FAQBOT_ADMIN_IDS`` (comma or space separated); bad ones are skipped with a warning."""
    ids: set[int] = set()
    for entry in re.split(r"[\s,;]+", environ.get(ADMIN_IDS_ENV, "")):
        if not entry:
            continue
        if entry.isdigit() and int(entry) > 0:
            ids.add(int(entry))
        else:
            log.warning("%s: %r is not a Telegram user id (a positive whole number) and is ignored",
                        ADMIN_IDS_ENV, entry[:40])
    return frozenset(ids)


def is_admin(user_id: int | None, ids: frozenset[int]) -> bool:
    """True when ``user_id`` is one of the admins (None, a missing sender, never is)."""
    return user_id is not None and user_id in ids


def admin_command(name: str, user_id: int | None, ids: frozenset[int], private: bool) -> str | None:
    """'stats' or 'reload' when an admin sent that command in a private chat; else None (a normal command)."""
    command = name.strip().lstrip("/").split("@", 1)[0].lower()
    if command in ADMIN_COMMANDS and private and is_admin(user_id, ids):
        return command
    return None


def stats_html(stats: Stats, groups: Sequence[Group] = (), top: int = TOP) -> str:
    """A short Telegram HTML summary: counts, the most answered intents and the most asked unanswered questions."""
    total = stats.total()
    lines = [f"📊 <b>Last {stats.days} days</b> ({stats.first_day} – {stats.last_day})"]
    if not total:
        return "\n".join([*lines, "Nothing was counted yet."])
    questions, answered = stats.questions(), stats.questions(*ANSWERED)
    lines += [
        f"Questions: {questions} · ✅ answered: {answered} ({percent(answered, questions)})",
        f"❓ did you mean: {stats.questions('clarify')} · ❌ not understood: {stats.questions('none')}",
        f"Commands: {stats.of_kind(COMMAND)} · button presses: {stats.of_kind(PRESS)}",
        f"👍 {stats.total('feedback_up')} · 👎 {stats.total('feedback_down')}",
    ]
    intents = [row for row in stats.by_intent() if row[1]][:top]
    if intents:
        lines += ["", "<b>Most answered</b>"]
        lines += [f"{n}. <code>{escape(intent)}</code> – {a}" + (f" (👎 {down})" if down else "")
                  for n, (intent, a, _, _, down) in enumerate(intents, 1)]
    if groups:
        lines += ["", "<b>Not answered, most asked</b>"]
        lines += [f"{n}. {escape(g.example[:80])} ×{g.count} ({escape(g.lang)})" for n, g in enumerate(groups[:top], 1)]
    lines += ["", "More: <code>faqbot review</code> and <code>faqbot stats</code>"]
    return "\n".join(lines)


def stats_message(staff_log: StaffLog, days: int = STATS_DAYS) -> str:
    """The /stats reply: the summary of the last ``days`` days (purging old rows first)."""
    staff_log.purge()
    stats = Stats(staff_log.first_day(days), staff_log.today().isoformat(), tuple(staff_log.usage(days)))
    items = [i for i in staff_log.review_items(days) if i.decision in UNANSWERED]
    return stats_html(stats, group_questions(items))


def reload_html(result: ReloadResult) -> str:
    """The /reload reply: whether new content is serving, and each problem as file:line, cut to fit one message."""
    errors = [p for p in result.problems if p.severity == "error"]
    warnings = [p for p in result.problems if p.severity != "error"]
    if result.ok:
        head = "✅ Content reloaded." if result.changed else "✅ Content unchanged."
        if warnings:
            head += f" {len(warnings)} warning(s):"
    else:
        head = (f"❌ Content NOT reloaded: {len(errors)} problem(s). The bot keeps using the last good content. "
                f"Fix these and send /reload again:")
    lines = [head]
    shown = errors + warnings
    for n, problem in enumerate(shown):
        label = "" if problem.severity == "error" else "warning: "
        text = f"{label}{problem.message} – {problem.fix}"
        line = f"• <code>{escape(problem.path)}:{problem.line}</code> {escape(text[:MAX_PROBLEM])}"
        rest = len(shown) - n - 1
        more = f"… and {rest + 1} more: run <code>faqbot check</code> to see them all."
        if visible_length("\n".join([*lines, line, more if rest else ""])) > MAX_MESSAGE_LENGTH:
            lines.append(more)
            break
        lines.append(line)
    return "\n".join(lines)
