"""Golden-file comparison shared by the tests.

``assert_golden(actual, path)`` fails when ``actual`` differs from the file at ``path``,
or when that file does not exist. Run the tests with ``CG_UPDATE_GOLDEN=1`` to (re)write
the golden files instead, then review the diff before committing it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

UPDATE_VARIABLE = "CG_UPDATE_GOLDEN"


def assert_golden(actual: str, path: Path) -> None:
    """Compare ``actual`` with the UTF-8 golden file at ``path``, byte for byte."""
    __tracebackhide__ = True
    if os.environ.get(UPDATE_VARIABLE) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    if not path.is_file():
        pytest.fail(f"golden file {path} is missing; run with {UPDATE_VARIABLE}=1 to create it")
    # Bytes, not read_text(): universal newlines would hide a stray CR.
    expected = path.read_bytes().decode("utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=str(path),
            tofile="actual",
        )
        pytest.fail(
            f"output differs from {path} (run with {UPDATE_VARIABLE}=1 if intended):\n"
            + "".join(repr(line)[1:-1] + "\n" for line in diff)
        )
