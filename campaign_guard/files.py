"""Opening the files campaign-guard reads: regular files only, never a wait.

``open()`` on a named pipe waits for a writer, and a read from a pipe or a terminal
(``/dev/stdin``) waits for input that may never come. Every file the tool reads (specs,
capacity profiles, the project file, templates) is opened here without waiting
(``O_NONBLOCK``), then refused unless it is a regular file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_FLAGS |= getattr(os, "O_BINARY", 0)


class NotARegularFile(OSError):
    """The path is a folder, a pipe, a device or a socket: nothing to read a file from."""


def kind_of(mode: int) -> str:
    """What a file of ``mode`` is, in words: ``a named pipe``, ``a folder``…"""
    return next((words for test, words in _KINDS if test(mode)), "not a file")


def not_regular(mode: int) -> str:
    """Why a file of ``mode`` is not read: ``not a regular file (it is a named pipe)``."""
    return f"not a regular file (it is {kind_of(mode)})"


def open_regular(path: Path | str) -> BinaryIO:
    """``path`` opened for reading in binary; :class:`NotARegularFile` unless it is a
    regular file (a link is followed). Never waits, whatever ``path`` is."""
    descriptor = os.open(path, _FLAGS)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotARegularFile(errno.EINVAL, not_regular(mode), str(path))
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
