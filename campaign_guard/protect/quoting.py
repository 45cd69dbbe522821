"""Names from campaign specs written into proxy configuration, safely.

Endpoint paths come from campaign specs (``/api/it's;{here}`` passes the spec's
check) and service names from the profile: hostile input as far as a configuration
file is concerned. Every value a template interpolates comes through here: quoted for
the configuration language, or reduced to letters, digits and ``_``; comments are
kept to one printable line.
"""

from __future__ import annotations

import re

_PARAM_RE = re.compile(r"\{[^/{}]*\}")
_UNPRINTABLE_RE = re.compile(r"[^\x20-\x7e]")
_NAME_RE = re.compile(r"[^a-z0-9]+")


def comment(text: str) -> str:
    """``text`` as one line of printable ASCII, fit to follow a ``#``."""
    return _UNPRINTABLE_RE.sub("?", text)


def name(text: str, prefix: str = "cg_") -> str:
    """``text`` as an identifier both nginx and HAProxy accept: ``cg_`` + [a-z0-9_]."""
    return prefix + (_NAME_RE.sub("_", text.lower()).strip("_")[:40] or "x")


def is_template(path: str) -> bool:
    """Whether ``path`` has ``{param}`` segments (then it is matched by a pattern)."""
    return _PARAM_RE.search(path) is not None


def path_regex(path: str) -> str:
    """An anchored regular expression matching ``path``, ``{param}`` = one segment."""
    parts = _PARAM_RE.split(path)
    literal = [re.sub(r"([^A-Za-z0-9/_-])", r"\\\1", part) for part in parts]
    return "^" + "[^/]+".join(literal) + "/?$"


def nginx_string(value: str) -> str:
    """``value`` as an nginx double-quoted string (``\\`` and ``"`` escaped)."""
    if _UNPRINTABLE_RE.search(value):
        raise ValueError("nginx strings here are printable ASCII")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def haproxy_word(value: str) -> str:
    """``value`` as one HAProxy word in single quotes (no ``$`` expansion, no escapes);
    a ``'`` is closed, escaped and reopened: ``'it'\\''s'``."""
    if _UNPRINTABLE_RE.search(value):
        raise ValueError("HAProxy words here are printable ASCII")
    return "'" + value.replace("'", "'\\''") + "'"
