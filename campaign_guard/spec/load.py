"""Read a campaign spec file: bytes → strict YAML → validated :class:`CampaignSpec`.

Every later command (lint, estimate, submit) starts here, so a file that fails gives the
same problems, at the same places, everywhere.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from campaign_guard.files import open_regular
from campaign_guard.spec import codes
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.messages import Problem, problems_from_errors
from campaign_guard.spec.yamlload import MAX_BYTES, Document, YamlError, load

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """The outcome of reading one file: the validated value, or the problems that stopped it."""

    path: str
    value: M | None
    document: Document | None
    problems: list[Problem] = field(default_factory=list)

    def position(self, loc: Sequence[str | int]) -> tuple[int, int]:
        """Line and column of what ``loc`` names (``0, 0`` when nothing was parsed)."""
        if self.document is None:
            return 0, 0
        located = self.document.locate(loc)
        return located.line, located.column


LoadedSpec = Loaded[CampaignSpec]


def read_capped(path: Path) -> bytes:
    """The file's bytes, refusing (without reading them) files over :data:`MAX_BYTES`,
    and anything but a regular file (a pipe or a device would never end)."""
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_BYTES:
            raise YamlError(
                codes.TOO_LARGE,
                f"the file is {size / 1024:,.0f} KB; a campaign-guard file must be under "
                f"{MAX_BYTES // 1024} KB (is this the right file?)",
            )
        return handle.read(MAX_BYTES + 1)


def load_spec(path: Path, display: str | None = None) -> LoadedSpec:
    """Load and validate the campaign spec at ``path`` (``display`` names it in output)."""
    return load_model(path, CampaignSpec, display)


def load_model(path: Path, model: type[M], display: str | None = None) -> Loaded[M]:
    """Load ``path`` strictly and validate it against ``model``."""
    name = display if display is not None else str(path)
    document, problems = load_document(path)
    if document is None:
        return Loaded(name, None, None, problems)
    return validate_document(document, model, name)


def load_document(path: Path) -> tuple[Document | None, list[Problem]]:
    """Read and strictly parse ``path``: the document, or the problem that stopped it."""
    try:
        raw = read_capped(path)
    except YamlError as exc:
        return None, [_problem(exc)]
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return None, [Problem(0, 0, codes.UNREADABLE, "", f"cannot read the file: {reason}")]
    return parse(raw)


def parse(raw: bytes) -> tuple[Document | None, list[Problem]]:
    """Strictly parse ``raw``: the document, or the problem that stopped it."""
    try:
        return load(raw), []
    except YamlError as exc:
        return None, [_problem(exc)]


def _problem(exc: YamlError) -> Problem:
    return Problem(exc.line, exc.column, exc.code, "", exc.message)


def validate_document(document: Document, model: type[M], name: str) -> Loaded[M]:
    """Validate an already loaded ``document`` against ``model`` (``name`` names the file)."""
    from pydantic import ValidationError

    try:
        value = model.model_validate(document.data)
    except ValidationError as exc:
        errors: list[Any] = exc.errors(include_url=False, include_input=False)
        problems = problems_from_errors(errors, document, field_names(model))
        return Loaded(name, None, document, problems)
    return Loaded(name, value, document)


def field_names(model: type[BaseModel]) -> set[str]:
    """Every field name of ``model`` and the models inside it (for "did you mean")."""
    names: set[str] = set()
    pending: list[type[BaseModel]] = [model]
    seen: set[type[BaseModel]] = set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for name, info in current.model_fields.items():
            names.add(name)
            pending.extend(_models_in(info.annotation))
    return names


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]
