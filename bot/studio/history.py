"""Every save the studio makes: who, when, which files, the change as a readable diff, and the texts to undo it.

Kept as JSON lines in ``studio-history.jsonl`` in the data folder ($FAQBOT_DATA_DIR), readable by its owner only
(mode 0600). Each line is appended whole; a line cut short by a crash is skipped when the file is read.
"""

from __future__ import annotations

import datetime as dtm
import difflib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE_NAME = "studio-history.jsonl"


@dataclass(frozen=True)
class FileChange:
    """One file's text before and after a save."""

    path: str
    before: str
    after: str

    def diff(self) -> str:
        """The change as a unified diff (what staff read in the history)."""
        return "".join(difflib.unified_diff(self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
                                            fromfile=f"a/{self.path}", tofile=f"b/{self.path}"))


@dataclass(frozen=True)
class Entry:
    """One save."""

    id: int
    who: str
    when: str
    what: str
    files: tuple[FileChange, ...]
    undo_of: int | None = None

    def diff(self) -> str:
        """All files' changes as one diff."""
        return "".join(f.diff() for f in self.files)

    def summary(self) -> dict[str, Any]:
        """The entry for the history page (without the full texts)."""
        return {"id": self.id, "who": self.who, "when": self.when, "what": self.what, "undo_of": self.undo_of,
                "files": [f.path for f in self.files], "diff": self.diff()}


def _now() -> str:
    return dtm.datetime.now(dtm.UTC).astimezone().isoformat(timespec="seconds")


class History:
    """The history file of one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE_NAME
        self._lock = threading.Lock()

    def entries(self) -> list[Entry]:
        """Every save, oldest first."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        out = []
        for line in lines:
            try:
                raw = json.loads(line)
                out.append(Entry(int(raw["id"]), str(raw["who"]), str(raw["when"]), str(raw["what"]),
                                 tuple(FileChange(str(f["path"]), str(f["before"]), str(f["after"]))
                                       for f in raw["files"]),
                                 raw.get("undo_of")))
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a crash
        return out

    def get(self, entry_id: int) -> Entry | None:
        """One save by its number."""
        return next((e for e in self.entries() if e.id == entry_id), None)

    def record(self, who: str, what: str, files: list[FileChange], undo_of: int | None = None) -> Entry:
        """Append a save; the file is created readable by its owner only."""
        with self._lock:
            entries = self.entries()
            entry = Entry((entries[-1].id if entries else 0) + 1, who, _now(), what, tuple(files), undo_of)
            line = json.dumps({"id": entry.id, "who": who, "when": entry.when, "what": what, "undo_of": undo_of,
                               "files": [{"path": f.path, "before": f.before, "after": f.after} for f in files]},
                              ensure_ascii=False)
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.fchmod(fd, 0o600)
                os.write(fd, (line + "\n").encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
            return entry
