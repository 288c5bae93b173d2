"""Problems found in staff content, written for the person who must fix them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import total_ordering
from typing import Literal

Severity = Literal["error", "warning"]


@total_ordering
@dataclass(frozen=True)
class Problem:
    """One problem in a content file: where it is, what is wrong and how to fix it.

    Problems sort by file and line, except that a file that cannot be read at all (``cause``: a YAML syntax error)
    comes first: what else is reported may only follow from it.
    """

    path: str
    line: int
    message: str
    fix: str
    severity: Severity = "error"
    cause: bool = False

    def _key(self) -> tuple[bool, str, int, str, str, str]:
        return not self.cause, self.path, self.line, self.message, self.fix, self.severity

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        label = "" if self.severity == "error" else "warning: "
        return f"{self.path}:{self.line}: {label}{self.message} - {self.fix}"


class ContentError(Exception):
    """Raised when content cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__(f"{len(errors)} problem(s) in the content:\n" + "\n".join(map(str, errors)))
