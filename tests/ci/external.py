"""Programs some tests need from outside the project: in CI they must be there."""

from __future__ import annotations

import importlib.util
import os
import shutil
from typing import NoReturn

import pytest


def require_program(name: str) -> str:
    """The path of program ``name`` on ``PATH``; see :func:`missing` when there is none."""
    __tracebackhide__ = True
    found = shutil.which(name)
    if found is None:
        missing(f"{name} is not installed (not found on PATH)")
    return found


def require_module(name: str) -> None:
    """Python package ``name`` must be importable here; see :func:`missing`."""
    __tracebackhide__ = True
    if importlib.util.find_spec(name) is None:
        missing(f"the Python package {name} is not installed (pip install -e '.[dev]')")


def missing(message: str) -> NoReturn:
    """Fail in CI (the ``CI`` variable is set), where the set-up provides what the test
    needs; skip elsewhere."""
    __tracebackhide__ = True
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI must provide it")
    pytest.skip(message)
