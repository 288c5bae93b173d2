"""Reading the content folder from disk: only regular files inside it, within the size limits, never blocking.

Whatever is in the folder (a named pipe, a link to a device, a link loop, a huge file), reading it costs at most
the limits below and ends in text or in a problem for staff; nothing here raises for what a file is.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from bot.content.problems import Problem

#: The most one content file may hold, and all content files together (today's content is about 0.4 MB).
MAX_FILE_BYTES = 1_000_000
MAX_TOTAL_BYTES = 10_000_000

CONTENT_SUFFIXES = (".yaml", ".yml")
OTHER_LANGUAGES_FILE = "answers/other_languages.yaml"  # replies for messages in languages the bot does not speak
SOURCE_FOLDER = "docs/sources"
SOURCE_SUFFIXES = (".txt",)

#: Opening never waits for a writer (a named pipe swapped in after the check) and never follows a link.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_READ_CHUNK = 65536


@dataclass
class ContentFiles:
    """The texts of the content files that could be read, and a problem for each one that could not."""

    texts: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)  # paths not read: their content is unknown


def size_text(size: int, limit: int | None = None) -> str:
    """A size as staff read it ('1.4 MB', '250 KB'); exact bytes when rounding would hide that it is over ``limit``."""
    mb = f"{size / 1_000_000:.1f}".removesuffix(".0")
    text = f"{mb} MB" if size >= 1_000_000 else f"{max(size // 1000, 1)} KB"
    if limit is not None and size > limit and text == size_text(limit):
        text += f" ({size:,} bytes)"
    return text


def _names(folder: Path, suffixes: tuple[str, ...]) -> list[str]:
    """File names in ``folder`` with one of ``suffixes``; hidden names (editors' lock and backup files) are skipped."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(n for n in names if n.endswith(suffixes) and not n.startswith("."))


def content_paths(root: Path) -> list[str]:
    """Relative paths of every content file under ``root``, not yet checked: intents/*.yaml,
    answers/<lang>/*.yaml, answers/other_languages.yaml and docs/sources/*.txt (also .yml)."""
    paths = [f"intents/{name}" for name in _names(root / "intents", CONTENT_SUFFIXES)]
    try:
        languages = sorted(n for n in os.listdir(root / "answers") if not n.startswith("."))
    except OSError:
        languages = []
    for lang in languages:
        if os.path.isdir(root / "answers" / lang):
            paths += [f"answers/{lang}/{name}" for name in _names(root / "answers" / lang, CONTENT_SUFFIXES)]
    paths += [f"answers/{name}" for name in _names(root / "answers", CONTENT_SUFFIXES)
              if f"answers/{name}" == OTHER_LANGUAGES_FILE]
    paths += [f"{SOURCE_FOLDER}/{name}" for name in _names(root / SOURCE_FOLDER, SOURCE_SUFFIXES)]
    return paths


def _problem(path: str, message: str, fix: str) -> Problem:
    return Problem(path, 1, message, fix)


def _not_a_file(path: str, mode: int) -> Problem:
    """The problem for anything that is not a regular file (a folder, a named pipe, a device, a socket)."""
    if stat.S_ISDIR(mode):
        return _problem(path, "this is a folder, not a file",
                        f"rename the folder: a name ending in .{path.rsplit('.', 1)[-1]} is for content files only")
    kind = ("a named pipe" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "not a normal file")
    return _problem(path, f"this is not a normal file ({kind}), so it is not read",
                    "delete it and save the content as a normal text file")


def _too_big(path: str, size: int | None) -> Problem:
    limit = size_text(MAX_FILE_BYTES)
    said = f"is {size_text(size, MAX_FILE_BYTES)}" if size is not None else f"holds more than {limit}"
    return _problem(path, f"this file {said}; a content file may be at most {limit}",
                    "split it into smaller files, or remove it if it is not content")


def _unreadable(path: str, exc: OSError) -> Problem:
    if isinstance(exc, PermissionError):
        return _problem(path, "the bot is not allowed to read this file",
                        f"make it readable for everyone (for example: chmod a+r {path})")
    return _problem(path, f"this file cannot be read ({exc.strerror or exc})",
                    "save it again as a normal text file, or remove it")


def _check(root: Path, real_root: Path, path: str) -> tuple[Path, int] | Problem | None:
    """The real location and size of a regular file inside the content folder, or the problem; None if it is gone."""
    full = root / path
    try:
        info = os.stat(full)  # follows links; never opens anything
    except OSError as exc:
        try:
            is_link = stat.S_ISLNK(os.lstat(full).st_mode)
        except OSError:
            return None  # removed since the folder was listed (an editor saving): it is simply not there
        if is_link and exc.errno == errno.ELOOP:
            return _problem(path, "this is a link that leads back to itself (a loop)",
                            "delete the link and put the file itself here")
        if is_link and exc.errno == errno.ENOENT:
            return _problem(path, "this is a link to a file that does not exist",
                            "delete the link, or put the file itself here")
        return _unreadable(path, exc)
    real = Path(os.path.realpath(full))
    if not real.is_relative_to(real_root):
        return _problem(path, f"this is a link to something outside the content folder ({real})",
                        "put the file itself here instead of a link")
    if not stat.S_ISREG(info.st_mode):
        return _not_a_file(path, info.st_mode)
    if info.st_size > MAX_FILE_BYTES:
        return _too_big(path, info.st_size)
    return real, info.st_size


def _read(path: str, real: Path) -> tuple[str, int] | Problem:
    """The text of one checked file, reading at most one byte more than the limit (files can change meanwhile)."""
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except OSError as exc:
        return _unreadable(path, exc)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # swapped for something else since it was checked
            return _not_a_file(path, info.st_mode)
        chunks: list[bytes] = []
        left = MAX_FILE_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, _READ_CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        return _unreadable(path, exc)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > MAX_FILE_BYTES:
        return _too_big(path, None)
    try:
        return data.decode("utf-8"), len(data)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Problem(path, line, "this line has characters that are not UTF-8 text",
                       "save the file as UTF-8 text (in your editor: save as, encoding UTF-8)")


def read_content(root: Path) -> ContentFiles:
    """Read every content file under ``root``; each file that cannot be read safely is a problem, never an error."""
    out = ContentFiles()
    real_root = Path(os.path.realpath(root))
    found: dict[str, tuple[Path, int]] = {}
    for path in content_paths(root):
        checked = _check(root, real_root, path)
        if isinstance(checked, Problem):
            out.problems.append(checked)
            out.refused.add(path)
        elif checked is not None:
            found[path] = checked
    total = sum(size for _, size in found.values())
    if total > MAX_TOTAL_BYTES:
        biggest = max(found, key=lambda p: found[p][1])
        out.problems.append(_problem(
            biggest, f"the content files are {size_text(total)} together, more than the limit of "
                     f"{size_text(MAX_TOTAL_BYTES)} (this file, the biggest, is {size_text(found[biggest][1])})",
            "remove files that are not content from intents/, answers/ and docs/sources/"))
        out.refused.update(found)
        return out
    read = 0
    for path, (real, _) in found.items():
        if read > MAX_TOTAL_BYTES:  # files grew since they were checked: stop, the load fails anyway
            out.refused.add(path)
            continue
        result = _read(path, real)
        if isinstance(result, Problem):
            out.problems.append(result)
            out.refused.add(path)
        else:
            out.texts[path], size = result
            read += size
            if read > MAX_TOTAL_BYTES:
                out.problems.append(_problem(
                    path, f"the content files grew to more than {size_text(MAX_TOTAL_BYTES)} together while they "
                          "were read", "remove files that are not content from intents/, answers/ and docs/sources/"))
    return out
