"""The issues this machine created lately, so that the next search finds them at once.

Jira Cloud's issue search is eventually consistent: "after a write operation is
performed, subsequent search operations … may return stale or outdated data … The delay
might vary from a few seconds to minutes" (Atlassian, *Search and reconcile*,
https://developer.atlassian.com/cloud/jira/platform/search-and-reconcile/). A submit run
a second after a create (Enter pressed twice, a CI retry) could search, find nothing,
and file a second ticket. Cloud returns at once every issue whose id the search names
in ``reconcileIssues`` (at most 50), so each create is remembered here, in the site's
cache folder, and the next submit of the same campaign names it.

This only helps the machine that created the issue. The file is bounded (the newest
:data:`KEEP` creates of the last :data:`MAX_AGE_SECONDS`) and never stops a submit: a
file that cannot be read (corrupt, or another site's) is set aside and replaced by the
next create, and one that cannot be written costs this guarantee for that create only.
Either is reported as a warning.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from campaign_guard.jira.cache import read_json, site_dir, write_json

FILE_NAME = "created.json"
VERSION = 1
KEEP = 50
"""Creates kept per site: as many as one search may reconcile."""
MAX_AGE_SECONDS = 24 * 3600.0
"""Older creates are long since in the search index."""


@dataclass(frozen=True)
class Created:
    """One issue this machine created."""

    id: str
    key: str
    project: str
    label: str
    at: float
    """When it was created (``time.time()``)."""


@dataclass(frozen=True)
class Recent:
    """What the file holds for one site, and why it could not be used (if so)."""

    path: Path
    site: str
    created: tuple[Created, ...] = ()
    problem: str | None = None

    def ids(self, project: str, label: str) -> tuple[str, ...]:
        """The ids of the issues created for ``label`` in ``project``, newest first."""
        return tuple(c.id for c in self.created if c.project == project and c.label == label)


def recent_file(folder: Path, site: str) -> Path:
    return site_dir(folder, site) / FILE_NAME


def load(path: Path, site: str, *, now: Callable[[], float] = time.time) -> Recent:
    """The creates remembered for ``site`` (none, with a ``problem``, when unusable)."""
    value, problem = read_json(path)
    if problem is not None:
        return Recent(path, site, problem=f"the cache file {path} cannot be read ({problem})")
    if value is None:
        return Recent(path, site)
    if not isinstance(value, dict) or value.get("version") != VERSION:
        return Recent(path, site, problem=f"the cache file {path} is not one campaign-guard wrote")
    if value.get("site") != site:
        return Recent(path, site, problem=f"the cache file {path} belongs to another Jira site")
    entries = value.get("created")
    created = [c for c in map(_created, entries if isinstance(entries, list) else []) if c]
    return Recent(path, site, tuple(_bounded(created, now())))


def remember(
    recent: Recent, created: Created | None, *, now: Callable[[], float] = time.time
) -> str:
    """Write the file with ``created`` added (or just rewrite it, bounded, when None);
    the empty string, or why it could not be written."""
    added = [] if created is None else [created]
    kept = _bounded([*added, *(c for c in recent.created if c not in added)], now())
    value = {"version": VERSION, "site": recent.site, "created": [asdict(c) for c in kept]}
    problem = write_json(recent.path, value)
    return "" if problem is None else f"the cache file {recent.path} cannot be written ({problem})"


def _bounded(created: Sequence[Created], now: float) -> tuple[Created, ...]:
    fresh = [c for c in created if now - MAX_AGE_SECONDS <= c.at <= now + 60]
    return tuple(sorted(fresh, key=lambda c: c.at, reverse=True)[:KEEP])


def _created(entry: Any) -> Created | None:
    """One entry, or None when it is not one (a hand-edited or damaged file)."""
    if not isinstance(entry, dict):
        return None
    ident, key, project, label, at = (
        entry.get(name) for name in ("id", "key", "project", "label", "at")
    )
    texts = (ident, key, project, label)
    if not all(isinstance(x, str) and 0 < len(x) <= 255 for x in texts):
        return None
    if not isinstance(ident, str) or not ident.isdigit():
        return None
    if isinstance(at, bool) or not isinstance(at, int | float):
        return None
    return Created(str(ident), str(key), str(project), str(label), float(at))
