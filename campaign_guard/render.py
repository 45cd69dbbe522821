"""The Jinja2 environment every rendered text comes from, and its filters.

Templates live in the repository's top-level ``templates/`` folder, which the wheel
ships as ``campaign_guard/templates``. User text only ever enters a template as a
variable: templates are never compiled from user input.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jinja2


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


def environment(*extra_dirs: Path) -> jinja2.Environment:
    """An environment that fails on undefined names and never HTML-escapes."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*extra_dirs, templates_dir()]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yaml_string"] = yaml_string
    return env


def render(template: str, **context: Any) -> str:
    """Render a built-in template by name."""
    return environment().get_template(template).render(**context)
