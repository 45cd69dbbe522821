"""Values checked against a shape of a botocore service model vendored under tests/data
(each file names its source and version): types, required and known members, lengths,
patterns, enums and ranges."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent / "data"


def load_model(name: str) -> dict[str, Any]:
    """The vendored model ``tests/data/<name>``."""
    model: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return model


def _python(pattern: str) -> str:
    """A botocore (Java) pattern for Python's re: Java writes the characters above
    U+FFFF as a range of UTF-16 surrogate pairs."""
    return pattern.replace("\\uD800\\uDC00-\\uDBFF\\uDFFF", "\\U00010000-\\U0010FFFF")


def check_shape(value: Any, model: dict[str, Any], shape_name: str) -> None:
    """``value`` against the shape ``shape_name`` of ``model``; an AssertionError says
    where it does not fit."""
    shape = model["shapes"][shape_name]
    kind = shape["type"]
    if kind == "structure":
        assert isinstance(value, dict), (shape_name, value)
        assert set(shape.get("required", [])) <= set(value), (shape_name, value)
        assert set(value) <= set(shape["members"]), (shape_name, set(value))
        for key, member in value.items():
            check_shape(member, model, shape["members"][key]["shape"])
    elif kind == "list":
        assert isinstance(value, list), (shape_name, value)
        assert shape.get("min", 0) <= len(value) <= shape.get("max", len(value))
        for item in value:
            check_shape(item, model, shape["member"]["shape"])
    elif kind == "string":
        assert isinstance(value, str), (shape_name, value)
        assert shape.get("min", 0) <= len(value) <= shape.get("max", len(value)), shape_name
        assert re.fullmatch(_python(shape.get("pattern", ".*")), value, re.DOTALL), shape_name
        assert value in shape.get("enum", [value]), (shape_name, value)
    elif kind in {"integer", "long"}:
        assert isinstance(value, int), (shape_name, value)
        assert not isinstance(value, bool)
        assert shape.get("min", value) <= value <= shape.get("max", value), (shape_name, value)
    elif kind == "boolean":
        assert isinstance(value, bool), (shape_name, value)
    elif kind == "blob":
        # written as text for the AWS CLI with --cli-binary-format raw-in-base64-out
        assert isinstance(value, str), (shape_name, value)
        assert all(ord(c) < 256 for c in value), shape_name
    elif kind == "timestamp":
        # The documented form: YYYY-MM-DDThh:mm:ssZ, in UTC.
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value)
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    else:
        pytest.fail(f"no check for {kind}")
