"""campaign-guard: no big marketing campaign launches without a capacity review.

The Python API is :mod:`campaign_guard.api`; its names are available here too
(``import campaign_guard as cg; cg.lint_paths(["campaigns/"])``), loaded on first use.
"""

from __future__ import annotations

import time as _time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from campaign_guard import api as api
    from campaign_guard.api import *  # noqa: F403

__version__ = "0.2.0"

STARTED = _time.monotonic()
"""When this process started (``time.monotonic()``), as near as Python code can tell:
commands that wait on Jira count their time budget from here, start-up included."""


def __getattr__(name: str) -> object:
    """The API's names (:mod:`campaign_guard.api`), imported on first use (PEP 562)."""
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    api = importlib.import_module("campaign_guard.api")
    if name == "api":
        return api
    if name not in api.__all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(api, name)
