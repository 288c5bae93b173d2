"""Finding the line that causes a YAML syntax error, which is often not the line where the parser gives up.

An outdented ``nl:`` is only noticed at the next ``en:``, which may be 150 lines further down; a key moved to the
left makes the parser stop at the line after it. The parser's own report gives two lines: where the block it was
reading starts (``context``) and where it gave up (``problem``). The cause lies between them, so each line there
whose indentation differs from the line before it is tried with the indentation of its neighbours: the line whose
repair lets the parser read furthest (preferably to the end of the window) is the cause. Among equally good
repairs, a line indented off the file's step (3 spaces where every other indent is even) is the likeliest, then
the parser's own line, then the first one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what YAML counts as the end of a line
WINDOW = 400  # lines before the parser's line that may hold the cause
AHEAD = 30  # lines after the parser's line a repair must read to count as a full repair
MAX_TRIES = 80  # re-parses at most (each costs a few ms for the largest file)


@dataclass(frozen=True)
class Indentation:
    """The cause of a syntax error: a line indented with ``spaces`` that reads well with ``better``."""

    line: int
    spaces: int
    better: int


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _significant(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _reads_to(lines: list[str], limit: int) -> int:
    """The 1-based line where parsing the first ``limit`` lines fails, or ``limit + 1`` when they read well."""
    try:
        yaml.compose("\n".join(lines[:limit]), Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark.line + 1 if mark is not None else 1
    except yaml.YAMLError:
        return 1
    return limit + 1


def _step(lines: list[str]) -> int:
    """The file's usual indentation step (2 for most files): the most common increase between lines."""
    indents = [_indent(line) for line in lines if _significant(line)]
    steps = Counter(b - a for a, b in zip(indents, indents[1:], strict=False) if b > a)
    return steps.most_common(1)[0][0] if steps else 2


def find_indentation(text: str, problem_line: int, context_line: int | None) -> Indentation | None:
    """The line whose indentation causes the syntax error the parser reported at ``problem_line``, or None."""
    lines = _LINE_BREAK.split(text)
    if not 1 <= problem_line <= len(lines):
        return None
    first = max(1, problem_line - WINDOW, context_line or 1)
    limit = min(len(lines), problem_line + AHEAD)
    numbers = [n for n in range(1, len(lines) + 1) if _significant(lines[n - 1])]
    tries: list[tuple[int, int, int]] = []  # (reads to, line, better indentation)
    candidates = _candidates(lines, numbers, first, problem_line)
    for number in candidates:
        for better in _alternatives(lines, numbers, number):
            if len(tries) >= MAX_TRIES:
                break
            changed = lines.copy()
            changed[number - 1] = " " * better + lines[number - 1].lstrip(" ")
            tries.append((_reads_to(changed, limit), number, better))
    if not tries:
        return None
    best = max(reach for reach, _, _ in tries)
    if best <= problem_line:
        return None  # no single line's indentation explains it
    step = _step(lines)
    winners = [(number, better) for reach, number, better in tries if reach == best]

    def rank(item: tuple[int, int]) -> tuple[bool, bool, int]:
        number, _ = item
        return _indent(lines[number - 1]) % step == 0, number != problem_line, number

    number, better = min(winners, key=rank)
    return Indentation(number, _indent(lines[number - 1]), better)


def _candidates(lines: list[str], numbers: list[int], first: int, problem_line: int) -> list[int]:
    """Lines from ``first`` to ``problem_line`` whose indentation differs from the line before or after them."""
    found = {problem_line}
    indents = [_indent(lines[n - 1]) for n in numbers]
    for position, number in enumerate(numbers):
        if number > problem_line:
            break
        if number < first:
            continue
        neighbours = indents[max(position - 1, 0):position + 2]
        if any(indent != indents[position] for indent in neighbours):
            found.add(number)
    return sorted(found, key=lambda n: (n != problem_line, -n))


def _alternatives(lines: list[str], numbers: list[int], number: int) -> list[int]:
    """Indentations to try for a line: those of the lines before and after it, and one step in from before."""
    position = numbers.index(number) if number in numbers else None
    before = _indent(lines[numbers[position - 1] - 1]) if position else 0
    after = _indent(lines[numbers[position + 1] - 1]) if position is not None and position + 1 < len(numbers) else 0
    own = _indent(lines[number - 1])
    options = [before, after, before + 2, max(before - 2, 0)]
    return [n for n in dict.fromkeys(options) if n != own]


def find_keyless_text(text: str, problem_line: int) -> int | None:
    """The first line of a text that runs over several lines without a key (a deleted ``welcome: |-``), when
    the parser stops at a ':' inside it (``problem_line``); else None."""
    before: yaml.Token | None = None
    last: yaml.Token | None = None
    try:
        for token in yaml.scan(text, Loader=_LOADER):
            before, last = last, token
    except yaml.MarkedYAMLError:
        pass
    if not isinstance(last, yaml.ScalarToken) or not last.plain or last.start_mark.line + 1 >= problem_line:
        return None
    if before is not None and before.end_mark.line == last.start_mark.line:
        return None  # a value after its key ('intent: x') that a line indented too far continues
    return int(last.start_mark.line) + 1
