"""The studio's work on the content folder: drafts of edits, checks before saving, saves, undo.

Nothing invalid is ever written: every save builds the whole content from the edited texts with bot.content (the
same checks as `faqbot check`) and writes only when there is no error.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from bot.content import Content, Problem, parse_files
from bot.content.files import read_content
from bot.engine import Engine
from bot.live import LiveBot
from bot.nlu import Understander
from bot.studio import atomic
from bot.studio.edits import Edit, EditError, apply
from bot.studio.fields import problems_json
from bot.studio.history import Entry, FileChange, History

NOTHING_TO_SAVE = "Nothing to save: no changes."
TRY_CACHE = 4  # engines kept for Try it (building one takes about a second)


@dataclass(frozen=True)
class Draft:
    """The content files with edits applied (in memory), and what checking them found."""

    texts: dict[str, str]
    changed: dict[str, str]
    content: Content | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        """True when the edited content has no errors."""
        return self.content is not None


@dataclass
class SaveResult:
    """What a save did: the entry recorded, or why nothing was written."""

    saved: bool
    entry: Entry | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None

    def json(self) -> dict[str, Any]:
        """For the page."""
        return {"ok": self.saved, "saved": self.saved, "entry": self.entry.summary() if self.entry else None,
                "problems": self.problems, "error": self.error}


class Workspace:
    """Edits, checks and saves the content folder of a running LiveBot; records every save in ``history``."""

    def __init__(self, live: LiveBot, history: History) -> None:
        self.live = live
        self.root = live.root
        self.history = history
        self._saving = threading.Lock()
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._engines_lock = threading.Lock()

    def texts(self) -> dict[str, str]:
        """The content files as they are on disk now."""
        return read_content(self.root).texts

    def draft(self, edits: list[Edit], texts: dict[str, str] | None = None) -> Draft:
        """The content with ``edits`` applied, checked; EditError when an edit cannot be applied."""
        files = read_content(self.root)
        base = dict(files.texts if texts is None else texts)
        changed = apply(self.live.content, base, edits)
        merged = {**base, **changed}
        content, problems = parse_files(merged, files.refused)
        if files.problems:
            content, problems = None, sorted(set(problems + files.problems))
        return Draft(merged, changed, content, problems)

    def engine_for(self, edits: list[Edit]) -> tuple[Engine | None, list[dict[str, Any]]]:
        """An engine over the edited (unsaved) content for Try it, or the problems that stop it."""
        if not edits:
            return self.live.engine, []
        key = json.dumps(edits, sort_keys=True, ensure_ascii=False) + repr(sorted(self.texts().items()))
        with self._engines_lock:
            if key in self._engines:
                self._engines.move_to_end(key)
                return self._engines[key], []
        draft = self.draft(edits)
        if draft.content is None:
            return None, problems_json(draft.problems, draft.texts)
        engine = Engine(draft.content, Understander(draft.content))
        with self._engines_lock:
            self._engines[key] = engine
            while len(self._engines) > TRY_CACHE:
                self._engines.popitem(last=False)
        return engine, []

    def save(self, edits: list[Edit], who: str, what: str) -> SaveResult:
        """Check the edited content and, only when it has no errors, write the changed files and record the save."""
        with self._saving:
            try:
                draft = self.draft(edits)
            except EditError as exc:
                return SaveResult(False, error=str(exc))
            return self._write(draft, who, what)

    def _write(self, draft: Draft, who: str, what: str, undo_of: int | None = None) -> SaveResult:
        errors = [p for p in draft.problems if p.severity == "error"]
        if errors or draft.content is None:
            return SaveResult(False, problems=problems_json(errors, draft.texts),
                              error=f"Not saved: {len(errors)} problem(s) to fix first. Nothing was written.")
        if not draft.changed:
            return SaveResult(False, error=NOTHING_TO_SAVE)
        before = self.texts()
        atomic.write_all(self.root, draft.changed)
        entry = self.history.record(who, what, [FileChange(p, before.get(p, ""), t) for p, t in draft.changed.items()],
                                    undo_of)
        warnings = [p for p in draft.problems if p.severity == "warning"]
        return SaveResult(True, entry, problems_json(warnings, draft.texts))

    def undo(self, entry_id: int, who: str) -> SaveResult:
        """A new save that puts back the texts from before save ``entry_id`` (checked like any save)."""
        with self._saving:
            entry = self.history.get(entry_id)
            if entry is None:
                return SaveResult(False, error=f"There is no save number {entry_id}.")
            now = self.texts()
            for change in entry.files:
                if now.get(change.path) != change.after:
                    return SaveResult(False, error=f"{change.path} has changed since save {entry_id}; undo the later "
                                                   "saves first (newest first).")
            files = read_content(self.root)
            texts = {**files.texts, **{c.path: c.before for c in entry.files}}
            content, problems = parse_files(texts, files.refused)
            changed = {c.path: c.before for c in entry.files}
            draft = Draft(texts, changed, content, problems)
            return self._write(draft, who, f"undo of save {entry_id}: {entry.what}", undo_of=entry_id)
