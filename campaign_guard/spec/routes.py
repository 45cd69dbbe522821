"""Routes of a capacity profile: which part of the platform a page or call reaches.

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

The :class:`Route` model at the end ties a pattern to the service (and data store) it
reaches; :mod:`campaign_guard.spec.capacity` holds the profile around it. Each default
cites its source (the load-model reference, section "Funnel").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import InitErrorDetails

from campaign_guard.spec.field_errors import STRICT, custom_error, detail, raise_details
from campaign_guard.spec.globs import Glob, compile_glob
from campaign_guard.spec.types import HTTP_METHODS, Amount, Rate, hidden_character

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
    glob = _page_glob(pattern)
    return key is not None and glob is not None and glob.matches(key)


def endpoint_matches(pattern: str, endpoint: str) -> bool:
    """Whether ``endpoint`` (``METHOD /path``) matches the endpoint ``pattern``."""
    key = endpoint_key(endpoint)
    compiled = _endpoint_glob(pattern)
    if key is None or compiled is None:
        return False
    method, glob = compiled
    return key[0] == method and glob.matches(key[1])


@functools.lru_cache(maxsize=512)
def _page_glob(pattern: str) -> Glob | None:
    key = page_key(pattern)
    return None if key is None else compile_glob(key, params=False)


@functools.lru_cache(maxsize=512)
def _endpoint_glob(pattern: str) -> tuple[str, Glob] | None:
    key = endpoint_key(pattern)
    if key is None:
        return None
    return key[0], compile_glob(key[1], params=True)


# --- the route model -------------------------------------------------------------------

DEFAULT_CONVERSION_RATE = 0.123
"""Share of landing-page visits that submit the form: 12.3 %, Unbounce conversion
benchmark, Jul 2023 - Jul 2024 (464 M visitors, 57 M conversions; pooled, not a median)."""
REQUESTS_PER_VISIT_CDN = 1.0
"""Origin requests of one page view behind a CDN: the HTML only."""
REQUESTS_PER_VISIT_NO_CDN = 74.0
"""Requests of one page view without a CDN: the median page, HTTP Archive Web Almanac
2019 ("Page Weight"); 71 desktop / 66 mobile in 2024."""


def _route_pattern(value: str) -> str:
    if is_page_pattern(value):
        problem = page_pattern_error(value)
        if problem is not None:
            raise custom_error("invalid_value", problem)
        return value.strip()
    return _endpoint_pattern(value)


def _endpoint_pattern(value: str) -> str:
    problem = endpoint_pattern_error(value)
    if problem is not None:
        raise custom_error("endpoint_format", problem)
    return normal_endpoint(value)


_METHODS = "|".join(HTTP_METHODS)
RoutePattern = Annotated[
    str,
    Field(max_length=2000),
    AfterValidator(_route_pattern),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": rf"^(https?://\S+|({_METHODS}) /\S*)$",
            "examples": ["https://www.example.com/winter*", "POST /api/signup"],
        }
    ),
]
"""A page pattern (``https://www.example.com/winter*``) or an endpoint pattern."""
EndpointPattern = Annotated[
    str,
    Field(max_length=2000),
    AfterValidator(_endpoint_pattern),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": rf"^({_METHODS}) /\S*$",
            "examples": ["POST /api/signup", "GET /api/products/{id}"],
        }
    ),
]
"""``METHOD /path`` where ``{name}`` stands for one path segment and ``*`` for any rest."""
Name = Annotated[str, Field(min_length=1, max_length=64)]


class Route(BaseModel):
    """Which service (and data store) a landing page or an API endpoint reaches."""

    model_config = STRICT

    match: RoutePattern = Field(
        description="A landing-page address (`*` matches any text; scheme, query and "
        "trailing slash are ignored), or an endpoint as METHOD /path (`{id}` matches one "
        "path segment, `*` any rest). The first route that matches wins."
    )
    service: Name = Field(description="The service that answers these requests.")
    requests_per_visit: Amount | None = Field(
        None,
        description="Requests one visit sends to the service. Pages default to 1 with a "
        "CDN (the HTML only), else 74 (HTTP Archive median page, 2019). An endpoint "
        "route gives this or `requests_per_submission`.",
    )
    requests_per_submission: Amount | None = Field(
        None,
        description="Endpoint routes only: requests sent when a visitor submits the form "
        "(the POST plus validation or captcha calls).",
    )
    conversion_rate: Rate = Field(
        DEFAULT_CONVERSION_RATE,
        description="With `requests_per_submission`: share of visits that submit. Default "
        "12.3% (Unbounce landing-page benchmark, Jul 2023 - Jul 2024: pooled over all "
        "its visitors, not a typical page's rate; give your own).",
    )
    data_store: Name | None = Field(None, description="The data store these requests write to.")
    writes_per_request: Amount = Field(
        0.0, description="Writes one request makes to `data_store` (default 0)."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Route:
        raise_details(self, list(self._shape_errors()))
        return self

    def _shape_errors(self) -> Iterator[InitErrorDetails]:
        given = self.model_fields_set
        if self.is_page:
            for name in ("requests_per_submission", "conversion_rate"):
                if name in given:
                    yield detail(
                        (name,),
                        getattr(self, name),
                        "a page route cannot have `{name}`; form submissions reach an "
                        "endpoint route (METHOD /path)",
                        name=name,
                    )
        elif self.requests_per_visit is not None and self.requests_per_submission is not None:
            yield detail(
                ("requests_per_submission",),
                self.requests_per_submission,
                "give `requests_per_visit` (called on every visit) or "
                "`requests_per_submission` (called when a visitor submits the form), not both",
            )
        elif self.requests_per_visit is None and self.requests_per_submission is None:
            yield detail(
                (),
                self.match,
                "this endpoint route needs `requests_per_visit` (called on every visit) or "
                "`requests_per_submission` (called when a visitor submits the form)",
                kind="missing_field",
            )
        elif "conversion_rate" in given and self.requests_per_submission is None:
            yield detail(
                ("conversion_rate",),
                self.conversion_rate,
                "`conversion_rate` applies only with `requests_per_submission`",
            )
        if self.writes_per_request > 0 and self.data_store is None:
            yield detail(
                ("writes_per_request",),
                self.writes_per_request,
                "needs `data_store:` naming the store these writes go to",
                kind="missing_field",
            )

    @property
    def is_page(self) -> bool:
        """Whether this route matches landing pages (else API endpoints)."""
        return is_page_pattern(self.match)

    @property
    def on_submission(self) -> bool:
        """Whether the endpoint is called when a visitor submits the form."""
        return self.requests_per_submission is not None

    def effective_requests_per_visit(self, cdn: bool) -> float:
        """Requests one visit sends to the service: as given, else for a page 1 behind a
        CDN and 74 without (HTTP Archive median page, 2019). 0 for endpoints called on
        submission (see ``requests_per_submission`` and ``conversion_rate``)."""
        if self.requests_per_visit is not None:
            return self.requests_per_visit
        if self.is_page:
            return REQUESTS_PER_VISIT_CDN if cdn else REQUESTS_PER_VISIT_NO_CDN
        return 0.0

    def matches_page(self, url: str) -> bool:
        return self.is_page and page_matches(self.match, url)

    def matches_endpoint(self, endpoint: str) -> bool:
        return not self.is_page and endpoint_matches(self.match, endpoint)
