"""Writing content files safely: only files under intents/ and answers/, and never half a file.

Each text goes to a temporary file in the same folder, is flushed to disk (fsync), and only then replaces the file
(``os.replace`` is atomic): a crash at any moment leaves either the old file or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from bot.content.files import CONTENT_SUFFIXES

WRITABLE_FOLDERS = ("intents", "answers")


class NotWritable(Exception):
    """A path the studio may not write: outside intents/ and answers/, or not a content file."""


def target(root: Path, rel: str) -> Path:
    """The file ``rel`` (relative to the content folder) may be written: its full path; else NotWritable."""
    parts = PurePosixPath(rel).parts
    if (not parts or parts[0] not in WRITABLE_FOLDERS or ".." in parts or rel.startswith("/")
            or not rel.endswith(CONTENT_SUFFIXES) or any(p.startswith(".") for p in parts)):
        raise NotWritable(f"{rel} is not a content file under intents/ or answers/")
    full = root / rel
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(full))
    if not real.is_relative_to(real_root / parts[0]):
        raise NotWritable(f"{rel} leads outside the content folder")
    if full.is_symlink():
        raise NotWritable(f"{rel} is a link; the studio only writes normal files")
    return full


def _prepare(path: Path, text: str) -> Path:
    """Write ``text`` to a flushed temporary file next to ``path``; returns the temporary file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def _sync_folder(folder: Path) -> None:
    """Flush the folder entry too, so the rename survives a power cut (not possible on every system)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def replace(tmp: Path, path: Path) -> None:
    """Put a prepared temporary file in place (a separate step so tests can stop a save between the two)."""
    os.replace(tmp, path)


def write_all(root: Path, texts: Mapping[str, str]) -> None:
    """Write every ``{relative path: text}`` atomically: all temporary files first, then each is put in place."""
    targets = {rel: target(root, rel) for rel in texts}
    prepared: list[tuple[Path, Path]] = []
    try:
        for rel, text in texts.items():
            prepared.append((_prepare(targets[rel], text), targets[rel]))
        for tmp, path in prepared:
            replace(tmp, path)
            _sync_folder(path.parent)
    finally:
        for tmp, _ in prepared:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
