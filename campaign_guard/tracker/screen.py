"""The project's create screen for the campaign issue type, read once and cached.

Reading it costs two requests (the issue types, then the type's fields), so it is kept
in a small JSON file per site, project and issue type under the cache folder
(``CAMPAIGN_GUARD_CACHE_DIR``, else ``$XDG_CACHE_HOME/campaign-guard``, else
``~/.cache/campaign-guard``). ``campaign-guard jira fields`` and ``doctor`` refresh it;
``submit`` forgets it when Jira rejects a mapped field, so the next run reads it again.
A cache that cannot be read or written is ignored: it only saves requests.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from campaign_guard.jira_settings import JiraSettings
from campaign_guard.tracker.fields import CreateScreen, pick_issue_type, screen_from_meta

ENV_CACHE_DIR = "CAMPAIGN_GUARD_CACHE_DIR"


class MetaGateway(Protocol):
    def issue_types(self, project_key: str) -> list[dict[str, Any]]: ...

    def create_fields(self, project_key: str, issue_type_id: str) -> list[dict[str, Any]]: ...


def cache_dir(environ: Mapping[str, str]) -> Path:
    if environ.get(ENV_CACHE_DIR):
        return Path(environ[ENV_CACHE_DIR])
    if environ.get("XDG_CACHE_HOME"):
        return Path(environ["XDG_CACHE_HOME"]) / "campaign-guard"
    return Path.home() / ".cache" / "campaign-guard"


def screen_file(folder: Path, settings: JiraSettings) -> Path:
    key = "\n".join((settings.site, settings.project, settings.issue_type.casefold()))
    return folder / f"jira-screen-{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"


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
    try:
        return CreateScreen.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(path: Path, screen: CreateScreen) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".screen-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(screen.to_json(), out, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        pass
