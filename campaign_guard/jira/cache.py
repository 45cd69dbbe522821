"""The folder where campaign-guard keeps what it learnt from a Jira site.

One folder per site under ``CAMPAIGN_GUARD_CACHE_DIR`` (else
``$XDG_CACHE_HOME/campaign-guard``, else ``~/.cache/campaign-guard``): the create screen
(:mod:`~campaign_guard.jira.screen`) and the issues created lately
(:mod:`~campaign_guard.jira.recent`). Everything here only saves requests or time, so
a file that cannot be read or written never stops a command: readers get ``None`` and
writers get the error to mention.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENV_CACHE_DIR = "CAMPAIGN_GUARD_CACHE_DIR"


def cache_dir(environ: Mapping[str, str]) -> Path:
    if environ.get(ENV_CACHE_DIR):
        return Path(environ[ENV_CACHE_DIR])
    if environ.get("XDG_CACHE_HOME"):
        return Path(environ["XDG_CACHE_HOME"]) / "campaign-guard"
    return Path.home() / ".cache" / "campaign-guard"


def site_dir(folder: Path, site: str) -> Path:
    """The folder of one Jira site (named by a digest of its address) under ``folder``."""
    return folder / f"jira-{digest(site)}"


def digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def read_json(path: Path) -> tuple[Any, str | None]:
    """The JSON value in ``path`` (None when there is no file), and why it is unusable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, _why(exc)
    try:
        return json.loads(raw.decode("utf-8")), None
    except ValueError:  # UnicodeDecodeError included
        return None, "not valid JSON"


def write_json(path: Path, value: Any) -> str | None:
    """Replace ``path`` with ``value`` in one step (never half-written); why it failed."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(value, out)  # ASCII: a name Jira sent with a lone surrogate fits too
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return _why(exc)
    return None


def _why(exc: Exception) -> str:
    """The reason without the path (the caller names the file)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return type(exc).__name__
