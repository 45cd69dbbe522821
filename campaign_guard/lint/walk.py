"""Walking folders and expanding glob patterns, in bounded time whatever the tree holds.

``os.walk`` says nothing of a folder it cannot read, and ``glob`` follows every link:
a link back to a parent folder, or to ``/``, makes ``campaigns/**/*.yaml`` run for ever.
Here:

* a folder that cannot be listed is a :class:`UsageError` naming it (as a missing path
  is), never a silent "Checked 0 files";
* each folder is entered at most once (by its device and inode), so no link loop can
  make a walk endless;
* a folder walk does not follow links to folders (as ``os.walk``); a pattern follows a
  link to a folder only when the folder is inside the pattern's own root (the part
  before the first wildcard), so a link to ``/`` or to a parent is passed over.

Names starting with a dot are skipped unless the pattern's part starts with a dot,
as ``glob`` does.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
from collections.abc import Iterator

from campaign_guard.errors import UsageError

_SEPARATORS = re.compile(r"[/\\]+" if os.sep == "\\" else "/+")


def folder_files(folder: str) -> Iterator[str]:
    """Every file below ``folder`` (not in hidden folders), folders in name order,
    each folder's files before its sub-folders (``os.walk``'s order)."""
    seen: set[tuple[int, int]] = set()
    pending = [folder]
    while pending:
        current = pending.pop()
        if not _first_visit(current, seen):
            continue
        folders: list[str] = []
        for entry in _entries(current):
            if not _is_folder(entry):
                yield entry.path
            elif not entry.name.startswith(".") and not entry.is_symlink():
                folders.append(entry.path)
        pending.extend(reversed(folders))


def expand(pattern: str) -> list[str]:
    """The paths that match ``pattern`` (``*``, ``?``, ``[...]``, and ``**`` for any
    number of folders), like ``glob.glob(pattern, recursive=True)``."""
    parts = _SEPARATORS.split(pattern)
    fixed = 0
    while fixed < len(parts) - 1 and not glob.has_magic(parts[fixed]):
        fixed += 1
    root = "/".join(parts[:fixed]) if fixed else ""
    if parts[0] == "" and fixed == 1:
        root = "/"
    rest = _collapse(parts[fixed:])
    start = root or os.curdir
    if not os.path.isdir(start):
        return []
    walk = _Expansion(os.path.realpath(start))
    return sorted(set(walk.match(start, root, rest)))


def _collapse(parts: list[str]) -> list[str]:
    """``**/**`` matches what ``**`` matches: keep one."""
    kept: list[str] = []
    for part in parts:
        if not (part == "**" and kept and kept[-1] == "**"):
            kept.append(part)
    return kept


class _Expansion:
    """One pattern's expansion: the root links may not leave, the folders already seen."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.seen: set[tuple[int, int, int]] = set()

    def match(self, folder: str, shown: str, parts: list[str]) -> Iterator[str]:
        """The paths below ``folder`` (written ``shown``) that ``parts`` match."""
        part, rest = parts[0], parts[1:]
        if part == "**":
            yield from self._any_depth(folder, shown, rest)
        elif not glob.has_magic(part):
            path = os.path.join(folder, part)
            if not rest:
                if os.path.lexists(path):
                    yield _join(shown, part)
            elif os.path.isdir(path) and self._may_enter(path, os.path.islink(path)):
                yield from self.match(path, _join(shown, part), rest)
        else:
            for entry in _entries(folder):
                if not _matches(entry.name, part):
                    continue
                if not rest:
                    yield _join(shown, entry.name)
                elif _is_folder(entry) and self._may_enter(entry.path, entry.is_symlink()):
                    yield from self.match(entry.path, _join(shown, entry.name), rest)

    def _any_depth(self, folder: str, shown: str, rest: list[str]) -> Iterator[str]:
        """``**`` then ``rest``: ``rest`` here and in every folder below, each folder
        once. Real folders come first, so a file is named by its real folders rather
        than through a link; links to folders inside the root are followed after."""
        real = [(folder, shown)]
        links: list[tuple[str, str]] = []
        while real or links:
            current, name = real.pop() if real else links.pop(0)
            if not self._first_visit(current, len(rest)):
                continue
            if rest:
                yield from self.match(current, name, rest)
            for entry in _entries(current):
                if entry.name.startswith("."):
                    continue
                below = _join(name, entry.name)
                if not rest:  # a trailing ** matches files and folders alike
                    yield below
                if not _is_folder(entry):
                    continue
                if not entry.is_symlink():
                    real.append((entry.path, below))
                elif self._may_enter(entry.path, link=True):
                    links.append((entry.path, below))

    def _first_visit(self, folder: str, depth: int) -> bool:
        try:
            info = os.stat(folder)
        except OSError:
            return False
        key = (info.st_dev, info.st_ino, depth)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def _may_enter(self, folder: str, link: bool) -> bool:
        """A real folder, or a link to a folder inside the root."""
        if not link:
            return True
        target = os.path.realpath(folder)
        return target == self.root or target.startswith(self.root.rstrip(os.sep) + os.sep)


def _entries(folder: str) -> list[os.DirEntry[str]]:
    """``folder``'s entries in name order; a folder that cannot be read is an error."""
    try:
        with os.scandir(folder) as listing:
            return sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UsageError(f"cannot read the folder '{folder}': {reason}") from None


def _first_visit(folder: str, seen: set[tuple[int, int]]) -> bool:
    try:
        info = os.stat(folder)
    except OSError:
        return True  # _entries says why it cannot be read
    key = (info.st_dev, info.st_ino)
    if key in seen:
        return False
    seen.add(key)
    return True


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _matches(name: str, part: str) -> bool:
    if name.startswith(".") and not part.startswith("."):
        return False
    return fnmatch.fnmatch(name, part)


def _join(shown: str, name: str) -> str:
    return os.path.join(shown, name) if shown else name
