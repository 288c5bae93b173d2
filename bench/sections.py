"""docs/performance.md is written by several benchmarks: bench/matching.py writes the top, and each other
benchmark owns one section that starts with its marker line and runs to the next marker (or the end)."""

from __future__ import annotations

from pathlib import Path

MARK_PREFIX = "<!-- bench/"


def marker(script: str) -> str:
    """The line that starts the section a benchmark script owns."""
    return f"{MARK_PREFIX}{script}: this section is written by it -->"


def split(text: str) -> tuple[str, dict[str, str]]:
    """The top (before any marker) and each marked section, by its marker line."""
    head, sections = [], {}
    current: str | None = None
    for line in text.splitlines(keepends=True):
        if line.startswith(MARK_PREFIX):
            current = line.strip()
            sections[current] = ""
        elif current is None:
            head.append(line)
        else:
            sections[current] += line
    return "".join(head), sections


def join(head: str, sections: dict[str, str]) -> str:
    parts = [head.rstrip("\n") + "\n"]
    for mark, body in sections.items():
        parts.append(f"\n{mark}\n{body.strip(chr(10))}\n")
    return "".join(parts)


def write_top(path: Path, lines: list[str]) -> None:
    """Replace the top of the page, keeping every benchmark's section."""
    _, sections = split(path.read_text(encoding="utf-8")) if path.exists() else ("", {})
    path.write_text(join("\n".join(lines), sections), encoding="utf-8")


def write_section(path: Path, script: str, lines: list[str]) -> None:
    """Replace (or add at the end) the section of ``script``, keeping everything else."""
    head, sections = split(path.read_text(encoding="utf-8")) if path.exists() else ("# Performance\n", {})
    sections[marker(script)] = "\n".join(lines)
    path.write_text(join(head, sections), encoding="utf-8")
