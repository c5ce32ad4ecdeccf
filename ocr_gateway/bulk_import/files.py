"""Which files an import reads: every PDF or image under the paths, in a stable order.

A folder is walked recursively; a file in it is a candidate when its name ends in a PDF or
image suffix (case-insensitive), anything else is ignored and counted. Hidden entries (a
name starting with ".": ``.git``, ``.DS_Store``, thumbnail caches) are skipped unseen, and
symlinked folders are not followed (a link loop cannot make the walk endless). A file named
on the command line is always a candidate, whatever its suffix: its content decides.
Candidates are sorted by path and each file is read once however often it is named. A
folder that cannot be listed is a problem of the run (reported, counted as failed), not its end.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

DOCUMENT_SUFFIXES = frozenset(
    {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp", ".gif"}
)


class NoSuchPath(Exception):
    """A path on the command line that is neither a file nor a folder."""


@dataclass(frozen=True, slots=True)
class Candidate:
    path: Path  # absolute, symlinks of the folders above it as given
    shown: str  # as the user will recognise it: the path given, then the way down


@dataclass(slots=True)
class Found:
    candidates: list[Candidate] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (folder, why)


def find_files(paths: Sequence[str]) -> Found:
    """The candidates under ``paths`` (see the module docstring); raises ``NoSuchPath``."""
    seen: dict[Path, Candidate] = {}
    found = Found()
    for given in paths:
        root = Path(given)
        if root.is_dir():
            for shown in _walk(root, found):
                _add(seen, Path(shown))
        elif root.is_file():
            _add(seen, root)
        else:
            raise NoSuchPath(f"{given}: no such file or folder")
    found.candidates = sorted(seen.values(), key=lambda c: c.shown)
    found.ignored.sort()
    return found


def _walk(root: Path, found: Found) -> Iterable[str]:
    def unreadable(error: OSError) -> None:
        found.unreadable.append((str(error.filename), error.strerror or str(error)))

    for folder, folders, names in os.walk(root, onerror=unreadable):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            shown = os.path.join(folder, name)
            if Path(name).suffix.lower() in DOCUMENT_SUFFIXES:
                yield shown
            else:
                found.ignored.append(shown)


def _add(seen: dict[Path, Candidate], path: Path) -> None:
    absolute = path.absolute()
    key = path.resolve()
    if key not in seen:
        seen[key] = Candidate(absolute, str(path))
