"""Errors a model's validator places on one of its fields, in pydantic's own form.

Shared by the capacity profile and its routes: a check that spans several fields (a
route naming a service the profile lacks) reports at the field that is wrong, so the
loader can show that field's line.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

STRICT = ConfigDict(extra="forbid", frozen=True)
"""Unknown keys are errors; a loaded model is never changed."""


def custom_error(kind: str, message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, message, context or None)


def detail(
    loc: tuple[str | int, ...], value: Any, message: str, kind: str = "invalid_value", **ctx: Any
) -> InitErrorDetails:
    return InitErrorDetails(type=custom_error(kind, message, **ctx), loc=loc, input=value)


def raise_details(model: BaseModel, details: list[InitErrorDetails]) -> None:
    """Raise ``details`` as errors at their own fields (pydantic prefixes the outer path)."""
    if details:
        raise ValidationError.from_exception_data(type(model).__name__, details)
