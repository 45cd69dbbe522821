"""Route patterns of a capacity profile: which part of the platform a page or call reaches.

A pattern is one of two kinds:

* a **page pattern**, a web address such as ``https://www.example.com/winter*``.
  Matching ignores the scheme, the query and the fragment, trailing slashes and the case
  of the host name; ``*`` matches any run of characters (``/`` included).
* an **endpoint pattern**, ``METHOD /path`` such as ``GET /api/products/{id}``. The
  method must be the same; ``{name}`` matches exactly one path segment and ``*`` any
  rest of the path. Trailing slashes are ignored here too.

A pattern ending in ``/*`` also matches the address without that part:
``https://www.example.com/*`` matches the home page, ``GET /api/products/*`` matches
``GET /api/products``.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

from campaign_guard.spec.types import HTTP_METHODS, hidden_character

_PATH_RE = re.compile(r"/[A-Za-z0-9\-._~!$&'()*+,;=:@%/{}]*\Z")
_PARAM_RE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_.-]*\}")
_DEFAULT_PORTS = (80, 443)


def is_page_pattern(text: str) -> bool:
    """Whether ``text`` is written as a web address (rather than ``METHOD /path``)."""
    return text.strip().lower().startswith(("http://", "https://"))


def page_pattern_error(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable page pattern, in plain words; ``None`` if it is."""
    text = pattern.strip()
    if hidden_character(text) is not None or " " in text or page_key(text) is None:
        return "must be a web address like https://www.example.com/winter* (`*` for any text)"
    parts = urlsplit(text)
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        return (
            "a page pattern is matched without the query (?...) and fragment (#...) of the "
            "address; remove them"
        )
    return None


def endpoint_key(endpoint: str) -> tuple[str, str] | None:
    """``"post /api/signup/"`` → ``("POST", "/api/signup")``; ``None`` if malformed."""
    parts = endpoint.split()
    if len(parts) != 2 or parts[0].upper() not in HTTP_METHODS or not _PATH_RE.match(parts[1]):
        return None
    return parts[0].upper(), parts[1].rstrip("/") or "/"


def endpoint_pattern_error(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable endpoint pattern, in plain words; ``None`` if it is."""
    key = endpoint_key(pattern)
    if key is None:
        return (
            "write an endpoint pattern as METHOD /path, like 'POST /api/signup' or "
            f"'GET /api/products/{{id}}' (method one of {', '.join(HTTP_METHODS)})"
        )
    if "{" in _PARAM_RE.sub("", key[1]) or "}" in _PARAM_RE.sub("", key[1]):
        return "write a path parameter as {name}, like /api/products/{id}"
    return None


def normal_endpoint(pattern: str) -> str:
    """An endpoint (pattern) as written in profiles: upper-case method, one space."""
    parts = pattern.split()
    return f"{parts[0].upper()} {parts[1]}" if len(parts) == 2 else pattern.strip()


def page_key(url: str) -> str | None:
    """What page matching compares: ``host[:port]/path``, host in lower case, no scheme,
    query, fragment or trailing slash. ``None`` if ``url`` is no http(s) address."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname  # lower case already
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    if port is not None and port not in _DEFAULT_PORTS:
        host = f"{host}:{port}"
    return host + parts.path.rstrip("/")


def pattern_key(pattern: str) -> str:
    """What two patterns are compared by, to find duplicates."""
    if is_page_pattern(pattern):
        return page_key(pattern) or pattern.strip()
    key = endpoint_key(pattern)
    return pattern.strip() if key is None else f"{key[0]} {key[1]}"


def page_matches(pattern: str, url: str) -> bool:
    """Whether the page ``url`` matches the page ``pattern``."""
    key = page_key(url)
    regex = _page_regex(pattern)
    return key is not None and regex is not None and regex.fullmatch(key) is not None


def endpoint_matches(pattern: str, endpoint: str) -> bool:
    """Whether ``endpoint`` (``METHOD /path``) matches the endpoint ``pattern``."""
    key = endpoint_key(endpoint)
    compiled = _endpoint_regex(pattern)
    if key is None or compiled is None:
        return False
    method, regex = compiled
    return key[0] == method and regex.fullmatch(key[1]) is not None


@functools.lru_cache(maxsize=512)
def _page_regex(pattern: str) -> re.Pattern[str] | None:
    key = page_key(pattern)
    return None if key is None else re.compile(_wildcards(key, params=False))


@functools.lru_cache(maxsize=512)
def _endpoint_regex(pattern: str) -> tuple[str, re.Pattern[str]] | None:
    key = endpoint_key(pattern)
    if key is None:
        return None
    return key[0], re.compile(_wildcards(key[1], params=True))


def _wildcards(text: str, *, params: bool) -> str:
    """A regular expression for ``text``: ``*`` is any run, ``{name}`` one segment."""
    tail = ""
    if text.endswith("/*"):
        text, tail = text[:-2], "(?:/.*)?"
    special = r"(\{[^/{}]*\}|\*)" if params else r"(\*)"
    pieces = []
    for piece in re.split(special, text):
        if piece == "*":
            pieces.append(".*")
        elif params and piece.startswith("{") and piece.endswith("}"):
            pieces.append("[^/]+")
        else:
            pieces.append(re.escape(piece))
    return "".join(pieces) + tail
