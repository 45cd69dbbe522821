"""This machine's time zone, as an IANA name (``America/New_York``), when it can be told.

``init`` offers it as the launch's time zone instead of guessing UTC. The name comes
from, in order:

1. ``TZ``, when set: a zone name (``Europe/Paris``, ``:Europe/Paris``) or the path of a
   zone file (``/usr/share/zoneinfo/Europe/Paris``). It overrides the system setting,
   so a ``TZ`` that names no zone (a POSIX rule such as ``CET-1CEST``) means "unknown";
2. the target of the ``/etc/localtime`` link (Linux, macOS): ``…/zoneinfo/Europe/Paris``;
3. ``/etc/timezone`` (Debian and Ubuntu, where ``/etc/localtime`` may be a copy).

Anything else (Windows, a copied ``/etc/localtime`` without ``/etc/timezone``) is
unknown: ``None``, and the caller asks or says which option to give.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

LOCALTIME = Path("/etc/localtime")
TIMEZONE_FILE = Path("/etc/timezone")

# Files in the zone database that are no zone a person would name.
_NOT_ZONES = frozenset(("localtime", "posixrules", "Factory"))
_MARKER = "zoneinfo/"


def machine_zone(
    environ: Mapping[str, str],
    *,
    localtime: Path = LOCALTIME,
    timezone_file: Path = TIMEZONE_FILE,
) -> str | None:
    """This machine's IANA time zone name, or ``None`` when it cannot be told."""
    setting = environ.get("TZ")
    if setting:
        return _zone_name(setting.removeprefix(":"))
    linked = _linked_zone(localtime)
    if linked is not None:
        return linked
    try:
        lines = timezone_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return _zone_name(lines[0]) if lines else None


def _linked_zone(localtime: Path) -> str | None:
    """The zone ``localtime`` links to, if it is a link to a zone file."""
    try:
        if not localtime.is_symlink():
            return None
        # The link as written first: on macOS the folder it points into is a link too.
        return _zone_name(os.readlink(localtime)) or _zone_name(os.path.realpath(localtime))
    except OSError:
        return None


def _zone_name(text: str) -> str | None:
    """``text`` as a known IANA zone name: itself, or the part of a zone file's path
    after ``zoneinfo/`` (``posix/`` and ``right/`` dropped); ``None`` if it is none."""
    name = text.strip()
    if _MARKER in name:
        name = name.rsplit(_MARKER, 1)[1]
        for prefix in ("posix/", "right/"):
            name = name.removeprefix(prefix)
    if not name or name.startswith("/") or name in _NOT_ZONES:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return name
