"""The Jinja2 environment every rendered text comes from, and its filters.

Templates live in the repository's top-level ``templates/`` folder, which the wheel
ships as ``campaign_guard/templates``; a project may override the ticket templates
with its own folder (``templates:``). User text only ever enters a template as a
variable: templates are never compiled from user input.

Every template, built-in or the project's, renders in Jinja2's immutable sandbox: it
can read the values it is given and call their harmless methods, but cannot reach
Python's internals (``__globals__``, ``os``), change a value, or run other code. What
one template writes is capped at :data:`MAX_OUTPUT` characters, and ``*`` and ``**``
refuse to make anything larger, so a mistake in a template fails in one line instead
of filling the memory. Template files are read only when they are regular files of
at most :data:`MAX_TEMPLATE_BYTES`.
"""

from __future__ import annotations

import functools
import json
import os
import posixpath
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from campaign_guard.files import open_regular

MAX_OUTPUT = 1_000_000
"""Most characters one template may write."""
MAX_TEMPLATE_BYTES = 256 * 1024
"""Largest template file read."""
MAX_POWER_BITS = 10_000
"""Largest whole number ``**`` may make (about 3,000 digits)."""


def templates_dir() -> Path:
    """The built-in templates: inside the installed package, or the repository's folder."""
    installed = Path(__file__).parent / "templates"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "templates"


# Characters JSON leaves alone that YAML reads as line breaks or refuses: DEL, C1 controls
# (U+0085 is a YAML line break), and the Unicode line and paragraph separators.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")


def yaml_string(value: Any) -> str:
    """A YAML double-quoted scalar for ``value`` that reads back exactly as ``value``.

    JSON strings are YAML 1.2 double-quoted scalars; the few characters JSON leaves
    unescaped but YAML would change are escaped too.
    """
    quoted = json.dumps(str(value), ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


class TooLarge(jinja2.TemplateRuntimeError):
    """A template would write, or build, more than the caps allow."""


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, with ``*`` and ``**`` kept to sizes a ticket needs."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
        elif _whole(left) and _whole(right) and right > 0 and _bits(left) * right > MAX_POWER_BITS:
            raise TooLarge(f"{left} ** {right} is too large a number")
        return super().call_binop(context, operator, left, right)


def _bits(value: int) -> int:
    """Bits per factor of a power of ``value`` (0 for 0, 1 and -1, whose powers stay small)."""
    return 0 if abs(value) <= 1 else value.bit_length()


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_repeat(sequence: object, times: object) -> None:
    if isinstance(sequence, (str, list, tuple)) and _whole(times):
        assert isinstance(times, int)
        if len(sequence) * times > MAX_OUTPUT:
            raise TooLarge(f"this `*` would make {len(sequence) * times:,} items or characters")


class _Loader(jinja2.BaseLoader):
    """Templates from ``folders`` (the first that has the name wins): regular files of
    at most :data:`MAX_TEMPLATE_BYTES`, UTF-8 text."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = [str(folder) for folder in folders]

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.folders:
            # posixpath, as Jinja2's own loader: no drive or UNC part can leave the folder
            path = os.path.normpath(posixpath.join(folder, *pieces))
            try:
                with open_regular(path) as handle:
                    raw = handle.read(MAX_TEMPLATE_BYTES + 1)
                    mtime = os.fstat(handle.fileno()).st_mtime
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError as exc:
                raise jinja2.TemplateError(f"cannot read {path}: {exc.strerror or exc}") from None
            return _text(path, raw), path, functools.partial(_unchanged, path, mtime)
        raise jinja2.TemplateNotFound(template)


def _text(path: str, raw: bytes) -> str:
    if len(raw) > MAX_TEMPLATE_BYTES:
        raise jinja2.TemplateError(f"{path} is over {MAX_TEMPLATE_BYTES // 1024} KB")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise jinja2.TemplateError(f"{path}:{line}: not UTF-8 text") from None


def _unchanged(path: str, mtime: float) -> bool:
    try:
        return os.path.getmtime(path) == mtime
    except OSError:
        return False


def environment(*extra_dirs: Path) -> jinja2.Environment:
    """A sandboxed environment that fails on undefined names and never HTML-escapes."""
    env = _Sandbox(
        loader=_Loader([*extra_dirs, templates_dir()]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yaml_string"] = yaml_string
    return env


def render_capped(template: jinja2.Template, context: Mapping[str, Any]) -> str:
    """``template`` rendered with ``context``; :class:`TooLarge` past :data:`MAX_OUTPUT`."""
    pieces: list[str] = []
    size = 0
    for piece in template.generate(context):
        size += len(piece)
        if size > MAX_OUTPUT:
            raise TooLarge(f"the template writes more than {MAX_OUTPUT:,} characters")
        pieces.append(piece)
    return "".join(pieces)


def render(template: str, **context: Any) -> str:
    """Render a built-in template by name."""
    return render_capped(environment().get_template(template), context)
