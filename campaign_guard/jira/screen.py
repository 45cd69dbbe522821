"""The project's create screen for the campaign issue type, read once and cached.

Reading it costs two requests (the issue types, then the type's fields), so it is kept
in a small JSON file per project and issue type in the site's cache folder
(:mod:`~campaign_guard.jira.cache`). ``campaign-guard jira fields`` and ``doctor``
refresh it; ``submit`` forgets it when Jira rejects a mapped field, so the next run
reads it again. A cache that cannot be read or written is ignored: it only saves
requests.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from campaign_guard.jira.cache import cache_dir, digest, read_json, site_dir, write_json
from campaign_guard.jira.fields import CreateScreen, pick_issue_type, screen_from_meta
from campaign_guard.jira.settings import JiraSettings


class MetaGateway(Protocol):
    def issue_types(self, project_key: str) -> list[dict[str, Any]]: ...

    def create_fields(self, project_key: str, issue_type_id: str) -> list[dict[str, Any]]: ...


def screen_file(folder: Path, settings: JiraSettings) -> Path:
    """The screen's file under the cache root ``folder``."""
    name = digest(settings.project, settings.issue_type.casefold())
    return site_dir(folder, settings.site) / f"screen-{name}.json"


def cached_file(environ: Mapping[str, str], settings: JiraSettings) -> Path:
    """Where this machine keeps the screen of ``settings``' project and issue type."""
    return screen_file(cache_dir(environ), settings)


def fetch_screen(gateway: MetaGateway, settings: JiraSettings) -> CreateScreen:
    """Read the create screen from Jira: two requests, or one when ``jira.issue_type`` is
    the issue type's id (then the list of issue types is not needed)."""
    if settings.issue_type.isdigit():
        type_id = settings.issue_type
    else:
        types = gateway.issue_types(settings.project)
        type_id = pick_issue_type(settings.project, types, settings.issue_type)
    fields = gateway.create_fields(settings.project, type_id)
    return screen_from_meta(settings.project, type_id, settings.issue_type, fields)


def cached_screen(
    gateway: MetaGateway, settings: JiraSettings, path: Path | None, *, refresh: bool = False
) -> CreateScreen:
    """The create screen from ``path`` when it is there, else from Jira (then stored)."""
    if path is not None and not refresh:
        stored = stored_screen(path, settings)
        if stored is not None:
            return stored
    screen = fetch_screen(gateway, settings)
    if path is not None:
        _write(path, screen)
    return screen


def stored_screen(path: Path, settings: JiraSettings) -> CreateScreen | None:
    """The cached screen, without asking Jira (None when there is none yet)."""
    stored = _read(path)
    return stored if stored is not None and stored.project == settings.project else None


def forget(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _read(path: Path) -> CreateScreen | None:
    stored, _ = read_json(path)
    try:
        return CreateScreen.from_json(stored)
    except (ValueError, KeyError, TypeError):
        return None


def _write(path: Path, screen: CreateScreen) -> None:
    write_json(path, screen.to_json())
