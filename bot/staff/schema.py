"""The staff tables in the bot's data file: their migrations, random row keys, and masking stored texts again.

Never edit a migration that has shipped: files that ran it will not run it again. Add a new one instead.
"""

from __future__ import annotations

import secrets

from bot.staff.masking import MASKING_VERSION, mask
from bot.store import Migration, Store

MAX_TEXT = 500  # characters of a masked question that are kept

MIGRATIONS: tuple[Migration, ...] = (
    Migration("staff_0001_review_log_and_usage", (
        "CREATE TABLE review_log (id INTEGER PRIMARY KEY, day TEXT NOT NULL, lang TEXT NOT NULL, "
        "decision TEXT NOT NULL, text TEXT, candidates TEXT NOT NULL DEFAULT '[]', intent TEXT)",
        "CREATE INDEX review_log_day ON review_log (day)",
        # intent '' stands for 'no intent': NULLs would never conflict, so the counts would not add up
        "CREATE TABLE usage (day TEXT NOT NULL, lang TEXT NOT NULL, intent TEXT NOT NULL DEFAULT '', "
        "decision TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (day, lang, intent, decision))",
    )),
    # Review rows had increasing ids, so their order was the order questions came in: rows get random keys
    # (in a table stored in key order), and usage rows are stored in key order instead of arrival order.
    Migration("staff_0002_unlinkable_rows", (
        "CREATE TABLE review_log_random (id INTEGER PRIMARY KEY, day TEXT NOT NULL, lang TEXT NOT NULL, "
        "decision TEXT NOT NULL, text TEXT, candidates TEXT NOT NULL DEFAULT '[]', intent TEXT)",
        "INSERT INTO review_log_random (id, day, lang, decision, text, candidates, intent) "
        "SELECT random(), substr(day, 1, 10), lang, decision, text, candidates, intent FROM review_log",
        "DROP TABLE review_log",
        "ALTER TABLE review_log_random RENAME TO review_log",
        "CREATE INDEX review_log_day ON review_log (day)",
        "CREATE TABLE usage_by_key (day TEXT NOT NULL, lang TEXT NOT NULL, intent TEXT NOT NULL DEFAULT '', "
        "decision TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (day, lang, intent, decision)) WITHOUT ROWID",
        "INSERT INTO usage_by_key SELECT day, lang, intent, decision, count FROM usage",
        "DROP TABLE usage",
        "ALTER TABLE usage_by_key RENAME TO usage",
    )),
    # Counts get the kind of message (bot.staff.kinds), so that commands and button presses are not counted as
    # questions; earlier counts keep kind '' ("counted before kinds were kept").
    Migration("staff_0003_usage_kinds", (
        "CREATE TABLE usage_kinds (day TEXT NOT NULL, lang TEXT NOT NULL, intent TEXT NOT NULL DEFAULT '', "
        "decision TEXT NOT NULL, kind TEXT NOT NULL DEFAULT '', count INTEGER NOT NULL, "
        "PRIMARY KEY (day, lang, intent, decision, kind)) WITHOUT ROWID",
        "INSERT INTO usage_kinds (day, lang, intent, decision, kind, count) "
        "SELECT day, lang, intent, decision, '', count FROM usage",
        "DROP TABLE usage",
        "ALTER TABLE usage_kinds RENAME TO usage",
    )),
)
#: Recorded (like a migration) once the stored texts were masked with the rules of MASKING_VERSION.
REMASKED = Migration(f"staff_remask_v{MASKING_VERSION}", ())


def random_key() -> int:
    """A review row's key: random, so keys say nothing about when a row was written."""
    return secrets.randbits(63)


def masked_text(text: str) -> str:
    """What is kept of a question: masked, on one line, at most MAX_TEXT characters."""
    return " ".join(mask(text).split())[:MAX_TEXT]


def remask(store: Store) -> int:
    """Mask the stored texts again with the current rules, once per masking version; returns how many changed."""
    with store.transaction() as db:
        if db.execute("SELECT 1 FROM schema_migrations WHERE name = ?", (REMASKED.name,)).fetchone():
            return 0
        rows = db.execute("SELECT id, text FROM review_log WHERE text IS NOT NULL").fetchall()
        changed = [(new, key) for key, text in rows if (new := masked_text(text)) != text]
        db.executemany("UPDATE review_log SET text = ? WHERE id = ?", changed)
    store.migrate((REMASKED,))  # after the update: a crash in between only masks the texts once more
    return len(changed)
