"""Project settings in one typed place, with a stated precedence.

Precedence, highest first: command-line flag > environment variable > project file >
built-in default. The project file is found in the current folder or the nearest parent
that has one: ``campaign-guard.yaml``, or else a ``pyproject.toml`` with a
``[tool.campaign-guard]`` table (a ``pyproject.toml`` without one is passed over).
The search stops at the repository root or at ``$HOME`` (see :func:`search_folders`),
and the file found, and its templates folder, must be the user's own
(:mod:`campaign_guard.config.trust`): the project file decides where the credentials go.
Secrets are never read from the project file or from flags: only from the environment.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from campaign_guard.config.pyproject import (
    PYPROJECT_FILE,
    PyProjectTable,
    load_table,
    read_table,
)
from campaign_guard.config.trust import Trust
from campaign_guard.errors import ConfigError
from campaign_guard.lint.policy import DEFAULT_LEAD_TIME_BUSINESS_DAYS

CONFIG_FILE = "campaign-guard.yaml"
ENV_LEAD_TIME = "CAMPAIGN_GUARD_LEAD_TIME_DAYS"
ENV_CAPACITY = "CAMPAIGN_GUARD_CAPACITY"

if TYPE_CHECKING:  # the models load with the first project file: lint without one skips them
    from campaign_guard.config.project import ProjectConfig
    from campaign_guard.jira.settings import JiraSettings
    from campaign_guard.lint.rule import Setting
    from campaign_guard.oncall.change_settings import ChangeEventSettings
    from campaign_guard.oncall.settings import OnCallSettings


@dataclass(frozen=True)
class Settings:
    """The settings in force for one run, and where the project file was."""

    lead_time_business_days: int
    config_path: Path | None
    capacity: Path | None = None
    """The capacity profile, if any setting names one."""
    project: ProjectConfig | None = None
    """The project file's settings, when there is one."""
    template_dir: Path | None = None
    """The project's template folder (``templates:``), checked to exist."""

    @property
    def rule_levels(self) -> Mapping[str, Setting]:
        """The project file's rule levels (``lint.rules``), by code."""
        return self.project.lint.rules if self.project else {}

    @property
    def jira(self) -> JiraSettings | None:
        """The project file's ``jira:`` section, if any."""
        return self.project.jira if self.project else None

    @property
    def oncall(self) -> OnCallSettings | None:
        """The project file's ``oncall:`` section, if any."""
        return self.project.oncall if self.project else None

    @property
    def change_events(self) -> ChangeEventSettings | None:
        """The ``pagerduty.change_events`` settings when they send on approval."""
        section = self.project.pagerduty if self.project else None
        if section is None or not section.change_events.on_approve:
            return None
        return section.change_events


def find_config(start: Path, home: Path | None = None) -> Path | None:
    """The project file in ``start`` or the nearest parent that has one, among
    :func:`search_folders`.

    In each folder ``campaign-guard.yaml`` wins; otherwise a ``pyproject.toml`` with a
    ``[tool.campaign-guard]`` table. A ``pyproject.toml`` that mentions campaign-guard
    but cannot be read as TOML is a :class:`ConfigError` (it may hold the settings).
    """
    found = _locate(start, home)
    return found[0] if found else None


def search_folders(start: Path, home: Path | None) -> list[Path]:
    """Where the project file is looked for, nearest first.

    ``start``, then its parents up to the nearest repository root (a folder holding
    ``.git``) or ``home``, whichever comes first, both included. When neither is above
    ``start``, or the way up crosses a folder every user may write to (``/tmp``), only
    ``start`` is searched: a file someone planted in a shared parent is never found.
    """
    real_home = os.path.realpath(home) if home is not None else None
    folders = [start]
    folder = start
    while not (folder / ".git").exists() and os.path.realpath(folder) != real_home:
        parent = folder.parent
        if parent == folder or _writable_by_all(parent):
            return [start]
        folders.append(parent)
        folder = parent
    return folders


def _writable_by_all(folder: Path) -> bool:
    try:
        return bool(os.stat(folder).st_mode & stat.S_IWOTH)
    except OSError:
        return True


def _locate(start: Path, home: Path | None) -> tuple[Path, PyProjectTable | None] | None:
    """The project file, and its table when it is a ``pyproject.toml`` (read once)."""
    for folder in search_folders(start, home):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate, None
        pyproject = folder / PYPROJECT_FILE
        table = read_table(pyproject) if pyproject.is_file() else None
        if table is not None:
            return pyproject, table
    return None


def load_project_config(path: Path, read: PyProjectTable | None = None) -> ProjectConfig:
    """Load the project file strictly; any problem is a :class:`ConfigError` at file:line.

    A file named ``pyproject.toml`` is read as TOML (its ``[tool.campaign-guard]``
    table, or ``read`` when the search already read it); any other as
    campaign-guard's strict YAML.
    """
    from campaign_guard.config.project import ProjectConfig

    if path.name == PYPROJECT_FILE:
        return load_table(path, ProjectConfig, read)
    from campaign_guard.spec.load import load_model

    loaded = load_model(path, ProjectConfig)
    if loaded.value is None:
        first = loaded.problems[0]
        where = f"{path}:{first.line}:{first.column}" if first.line else str(path)
        field = f"{first.field}: " if first.field else ""
        raise ConfigError(f"{where}: {field}{first.message}")
    assert isinstance(loaded.value, ProjectConfig)
    return loaded.value


def resolve(
    *,
    lead_time: int | None = None,
    capacity: Path | None = None,
    environ: Mapping[str, str],
    cwd: Path,
    trust: Trust | None = None,
) -> Settings:
    """Combine flag, environment, project file and defaults, in that order.

    The project file is searched for from ``cwd`` up to the repository root or
    ``$HOME`` (``environ``'s), and used only if ``trust`` (by default, the current user
    and ``CAMPAIGN_GUARD_TRUST``) allows it; so is its templates folder.
    """
    trust = trust if trust is not None else Trust.of(environ, cwd)
    home = environ.get("HOME")
    found = _locate(cwd, Path(home) if home else None)
    path = found[0] if found else None
    if path is not None:
        trust.check_project_file(path)
    project = load_project_config(*found) if found else None
    days = project.lint.lead_time_business_days if project else DEFAULT_LEAD_TIME_BUSINESS_DAYS
    env_value = environ.get(ENV_LEAD_TIME)
    if env_value is not None:
        try:
            days = int(env_value)
        except ValueError:
            raise ConfigError(
                f"{ENV_LEAD_TIME} must be a whole number of business days, not '{env_value[:20]}'"
            ) from None
        if not 0 <= days <= 60:
            raise ConfigError(f"{ENV_LEAD_TIME} must be between 0 and 60")
    if lead_time is not None:
        days = lead_time
    return Settings(
        days,
        path,
        _capacity(capacity, environ, project, path),
        project,
        _template_dir(project, path, trust),
    )


def _capacity(
    flag: Path | None, environ: Mapping[str, str], project: ProjectConfig | None, path: Path | None
) -> Path | None:
    if flag is not None:
        return flag
    if environ.get(ENV_CAPACITY):
        return Path(environ[ENV_CAPACITY])
    if project is not None and project.estimate.capacity is not None and path is not None:
        return path.parent / project.estimate.capacity
    return None


def _template_dir(project: ProjectConfig | None, path: Path | None, trust: Trust) -> Path | None:
    if project is None or project.templates is None or path is None:
        return None
    folder = path.parent / project.templates
    if not folder.is_dir():
        raise ConfigError(f"templates: no such folder '{project.templates}' (relative to {path})")
    trust.check_templates(folder)
    return folder
