"""Time zone names that look right and are not: legacy names and abbreviations.

``EST`` is a zone in the IANA database, but a fixed one: UTC-5 all year. A New York
campaign written with it launches an hour late from March to November. ``PST`` is no
zone at all. Both are said with the zone that follows daylight saving time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Legacy:
    """A zone name that exists but is not what people mean by it."""

    zone: str
    """The zone to write instead, e.g. ``America/New_York``."""
    reason: str
    """Why, completing "'EST' ...": "is UTC-5 all year, ..."."""
    otherwise: str = ""
    """Another zone someone writing the name may mean, in words."""


_FIXED = "all year: it never switches to daylight saving time"
_OLD = "is a legacy name, kept for old systems"

LEGACY: dict[str, Legacy] = {
    "EST": Legacy("America/New_York", f"is UTC-5 {_FIXED}"),
    "MST": Legacy(
        "America/Denver", f"is UTC-7 {_FIXED}", "America/Phoenix for Arizona, which stays at UTC-7"
    ),
    "HST": Legacy("Pacific/Honolulu", _OLD),
    "GMT": Legacy("Europe/London", f"is UTC+0 {_FIXED}", "UTC if you mean UTC"),
    "EST5EDT": Legacy("America/New_York", _OLD),
    "CST6CDT": Legacy("America/Chicago", _OLD),
    "MST7MDT": Legacy("America/Denver", _OLD),
    "PST8PDT": Legacy("America/Los_Angeles", _OLD),
}
"""Legacy zone names, with the zone that follows the local clocks."""

ABBREVIATIONS: dict[str, str] = {
    "EDT": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "MDT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage",
    "AKDT": "America/Anchorage",
    "BST": "Europe/London",
}
"""Abbreviations people write for a zone, which are no zone names at all."""


def legacy_warning(name: str) -> str | None:
    """What to say about the legacy zone ``name`` (None for a zone that is fine)."""
    legacy = LEGACY.get(name)
    if legacy is None:
        return None
    otherwise = f" (or {legacy.otherwise})" if legacy.otherwise else ""
    return (
        f"'{name}' {legacy.reason}; write {legacy.zone}, which follows the local clocks "
        f"through the year{otherwise}"
    )


def abbreviation_hint(name: str) -> str:
    """``; write America/Los_Angeles (...)`` when ``name`` is an abbreviation, else ``""``."""
    zone = ABBREVIATIONS.get(name.strip().upper())
    return "" if zone is None else f"; write {zone} (it follows daylight saving time)"


AREAS = frozenset(
    (
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
        "Etc",
    )
)
"""The first part of every Region/City name of the IANA database (``Etc``: ``Etc/UTC``)."""

_NAME_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+-")

OLD_NAMES: dict[str, str] = {
    "US/Eastern": "America/New_York",
    "US/Central": "America/Chicago",
    "US/Mountain": "America/Denver",
    "US/Arizona": "America/Phoenix",
    "US/Pacific": "America/Los_Angeles",
    "US/Alaska": "America/Anchorage",
    "US/Hawaii": "Pacific/Honolulu",
    "Canada/Eastern": "America/Toronto",
    "Canada/Pacific": "America/Vancouver",
    "GB": "Europe/London",
    "Japan": "Asia/Tokyo",
    "Zulu": "UTC",
    "UCT": "UTC",
    "Universal": "UTC",
    "Greenwich": "UTC",
}
"""Old names of the zone database's ``backward`` file, with the Region/City to write."""


def region_city_problem(name: str) -> str | None:
    """Why ``name``, a zone this machine knows, is still no name to write (None if fine).

    Only ``UTC``, the legacy names of :data:`LEGACY` (warned about elsewhere) and
    Region/City names (``America/New_York``, ``America/Argentina/Salta``, ``Etc/UTC``)
    mean the same on every machine: ``localtime`` is whatever this machine is set to,
    and ``posixrules``, ``Factory`` or ``posix/...`` are files of the database, not zones.
    Checked by hand, character by character (no pattern), on a name of at most 64.
    """
    if name == "UTC" or name in LEGACY or _is_region_city(name):
        return None
    if name == "localtime":
        return (
            "'localtime' is whatever the machine reading the file is set to, so the same "
            "file would mean another time elsewhere; write the zone itself, like "
            "America/New_York or Europe/Paris"
        )
    instead = OLD_NAMES.get(name)
    write = f"write {instead}" if instead else "write one like America/New_York or Europe/Paris"
    return f"'{name[:60]}' is not a Region/City name of the IANA time zone database; {write}"


def _is_region_city(name: str) -> bool:
    parts = name.split("/")
    return (
        2 <= len(parts) <= 3
        and parts[0] in AREAS
        and all(part[:1].isalpha() and set(part) <= _NAME_CHARACTERS for part in parts[1:])
    )
