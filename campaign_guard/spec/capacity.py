"""The capacity profile: what the platform can take, written by DevOps.

One YAML file (``kind: capacity-profile``) describes the ``services`` that answer
requests and how far they scale, the ``data_stores`` that take writes, the ``routes``
that say which service (and store) a landing page or API endpoint reaches, and an
optional ``ingestion`` queue that takes lead writes off the request path. The estimator
compares a campaign's load against it; ``lint`` checks it like a campaign spec.

Pattern matching lives in :mod:`campaign_guard.spec.routes`. Each default cites its
source (the load-model reference, section "Funnel").
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from datetime import timedelta, tzinfo
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from campaign_guard.spec.campaign import time_zone
from campaign_guard.spec.routes import (
    endpoint_matches,
    endpoint_pattern_error,
    is_page_pattern,
    normal_endpoint,
    page_matches,
    page_pattern_error,
    pattern_key,
)
from campaign_guard.spec.types import HTTP_METHODS, Amount, Count, Duration, PlainText, Rate

KIND = "capacity-profile"
"""The ``kind`` that tells a capacity profile from a campaign spec."""

DEFAULT_CONVERSION_RATE = 0.123
"""Share of landing-page visits that submit the form: 12.3 %, Unbounce conversion
benchmark, Jul 2023 - Jul 2024 (464 M visitors, 57 M conversions; pooled, not a median)."""
REQUESTS_PER_VISIT_CDN = 1.0
"""Origin requests of one page view behind a CDN: the HTML only."""
REQUESTS_PER_VISIT_NO_CDN = 74.0
"""Requests of one page view without a CDN: the median page, HTTP Archive Web Almanac
2019 ("Page Weight"); 71 desktop / 66 mobile in 2024."""

QueueKind = Literal["sqs", "sqs-fifo", "rabbitmq", "kafka", "redis", "other"]
QUEUE_KINDS: tuple[str, ...] = get_args(QueueKind)
HOURS = 24

_STRICT = ConfigDict(extra="forbid", frozen=True)
_AMOUNT: TypeAdapter[float] = TypeAdapter(Amount)


def _error(kind: str, message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, message, context or None)


def _bounded(base: Any, **bounds: float) -> WithJsonSchema:
    """``base``'s JSON Schema with its number form narrowed to ``bounds``."""
    schema = TypeAdapter(base).json_schema()
    number = schema["anyOf"][0]
    if "exclusiveMinimum" in bounds:
        number.pop("minimum", None)
    number.update(bounds)
    return WithJsonSchema(schema)


def _above_zero(reason: str) -> AfterValidator:
    """A check that a figure is more than zero; ``reason`` says why zero makes no sense."""

    def check(value: float) -> float:
        if value <= 0:
            raise _error("invalid_value", "must be more than 0: {reason}", reason=reason)
        return value

    return AfterValidator(check)


def _at_least_one(reason: str) -> AfterValidator:
    def check(value: int) -> int:
        if value < 1:
            raise _error("invalid_value", "must be at least 1: {reason}", reason=reason)
        return value

    return AfterValidator(check)


Positive = Annotated[Amount, _bounded(Amount, exclusiveMinimum=0)]
"""An :data:`Amount` whose schema says more than 0 (the check comes with each field)."""
AtLeastOne = Annotated[Count, _bounded(Count, minimum=1)]
PositiveShare = Annotated[Rate, _bounded(Rate, exclusiveMinimum=0)]


# --- baselines -----------------------------------------------------------------------


def _hourly(value: Any) -> Any:
    """One number for every hour, or a list of exactly 24 (hour 0 to 23)."""
    if isinstance(value, list | tuple):
        if len(value) != HOURS:
            raise _error(
                "invalid_value",
                "needs exactly 24 numbers, one per hour from 0 to 23 (this list has {count}); "
                "or give one number for every hour",
                count=len(value),
            )
        return value
    try:
        return (_AMOUNT.validate_python(value),) * HOURS
    except ValidationError:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise  # a number, but a negative one: that error says so
        raise _error(
            "invalid_value",
            "must be one number for every hour, or a list of 24 numbers (hours 0 to 23), "
            "like 40 or [30, 25, ...]",
        ) from None


_NUMBER_SCHEMA = {"type": "number", "minimum": 0}
Hourly = Annotated[
    tuple[Amount, ...],
    BeforeValidator(_hourly),
    WithJsonSchema(
        {
            "anyOf": [
                _NUMBER_SCHEMA,
                {"type": "array", "items": _NUMBER_SCHEMA, "minItems": 24, "maxItems": 24},
            ]
        }
    ),
]
"""A rate for each hour of the day: one number, or 24 (read as 24 in the model)."""


class Baseline(BaseModel):
    """The everyday rate, by hour of day in the profile's time zone, before any campaign."""

    model_config = _STRICT

    weekday: Hourly = Field(
        description="Rate on Monday to Friday: one number for every hour, or exactly 24 "
        "numbers for the hours 0 to 23."
    )
    weekend: Hourly | None = Field(
        None, description="Rate on Saturday and Sunday, in the same form (default: `weekday`)."
    )

    def at(self, hour: int, weekend: bool) -> float:
        """The rate at ``hour`` (0 to 23) on a weekend day or a weekday."""
        if not 0 <= hour < HOURS:
            raise ValueError(f"hour must be 0 to 23, not {hour}")
        hours = self.weekend if weekend and self.weekend is not None else self.weekday
        return hours[hour]


# --- services and data stores ----------------------------------------------------------


class Service(BaseModel):
    """A group of identical instances that answers requests (a deployment, an ASG)."""

    model_config = _STRICT

    requests_per_second_per_instance: Annotated[
        Positive, _above_zero("an instance that takes no requests gives the service no capacity")
    ] = Field(description="Requests per second one instance sustains at 100 %, from load tests.")
    instances: Count = Field(description="Instances running now (0 if it scales from zero).")
    max_instances: Annotated[
        AtLeastOne, _at_least_one("with no instance at all the service has no capacity")
    ] = Field(description="The autoscaling maximum (at least `instances`).")
    scale_up_lead_time: Duration = Field(
        timedelta(minutes=5),
        description="How long a new instance takes to take traffic, from the scaling "
        "decision (e.g. 10m).",
    )
    target_utilisation: Annotated[
        PositiveShare, _above_zero("a service aimed at 0 % may take no traffic at all")
    ] = Field(
        0.7, description="Share of capacity autoscaling aims at, e.g. 70% (more than 0, at most 1)."
    )
    baseline: Baseline | None = Field(
        None, description="Requests per second the service gets by hour of day, without campaigns."
    )

    @model_validator(mode="after")
    def _max_covers_now(self) -> Service:
        if self.max_instances < self.instances:
            _raise(
                self,
                [
                    _detail(
                        ("max_instances",),
                        self.max_instances,
                        "must be at least `instances` ({instances}): the autoscaling maximum "
                        "cannot be below what runs now",
                        instances=self.instances,
                    )
                ],
            )
        return self

    @property
    def capacity_now(self) -> float:
        """Requests per second the running instances take at 100 %."""
        return self.requests_per_second_per_instance * self.instances

    @property
    def capacity_max(self) -> float:
        """Requests per second at the autoscaling maximum, at 100 %."""
        return self.requests_per_second_per_instance * self.max_instances


class DataStore(BaseModel):
    """A database (or other store) that takes the writes of signups and orders."""

    model_config = _STRICT

    writes_per_second: Annotated[
        Positive, _above_zero("a store that takes no writes has no capacity")
    ] = Field(description="Writes per second the store sustains, from load tests.")
    baseline: Baseline | None = Field(
        None, description="Writes per second it gets by hour of day, without campaigns."
    )


# --- routes ----------------------------------------------------------------------------


def _route_pattern(value: str) -> str:
    if is_page_pattern(value):
        problem = page_pattern_error(value)
        if problem is not None:
            raise _error("invalid_value", problem)
        return value.strip()
    return _endpoint_pattern(value)


def _endpoint_pattern(value: str) -> str:
    problem = endpoint_pattern_error(value)
    if problem is not None:
        raise _error("endpoint_format", problem)
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

    model_config = _STRICT

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
        "12.3% (Unbounce landing-page benchmark, Jul 2023 - Jul 2024).",
    )
    data_store: Name | None = Field(None, description="The data store these requests write to.")
    writes_per_request: Amount = Field(
        0.0, description="Writes one request makes to `data_store` (default 0)."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Route:
        _raise(self, list(self._shape_errors()))
        return self

    def _shape_errors(self) -> Iterator[InitErrorDetails]:
        given = self.model_fields_set
        if self.is_page:
            for name in ("requests_per_submission", "conversion_rate"):
                if name in given:
                    yield _detail(
                        (name,),
                        getattr(self, name),
                        "a page route cannot have `{name}`; form submissions reach an "
                        "endpoint route (METHOD /path)",
                        name=name,
                    )
        elif self.requests_per_visit is not None and self.requests_per_submission is not None:
            yield _detail(
                ("requests_per_submission",),
                self.requests_per_submission,
                "give `requests_per_visit` (called on every visit) or "
                "`requests_per_submission` (called when a visitor submits the form), not both",
            )
        elif self.requests_per_visit is None and self.requests_per_submission is None:
            yield _detail(
                (),
                self.match,
                "this endpoint route needs `requests_per_visit` (called on every visit) or "
                "`requests_per_submission` (called when a visitor submits the form)",
                kind="missing_field",
            )
        elif "conversion_rate" in given and self.requests_per_submission is None:
            yield _detail(
                ("conversion_rate",),
                self.conversion_rate,
                "`conversion_rate` applies only with `requests_per_submission`",
            )
        if self.writes_per_request > 0 and self.data_store is None:
            yield _detail(
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


def _queue_kind(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in QUEUE_KINDS:
        return value.strip().lower()
    raise _error(
        "invalid_value",
        "unknown queue '{name}'{hint}",
        **_unknown(str(value), QUEUE_KINDS, "queues"),
    )


class Ingestion(BaseModel):
    """A queue between the signup endpoints and the database, drained by workers."""

    model_config = _STRICT

    queue: Annotated[QueueKind, BeforeValidator(_queue_kind)] = Field(
        description="The queue: sqs, sqs-fifo, rabbitmq, kafka, redis or other."
    )
    workers: Annotated[AtLeastOne, _at_least_one("with no worker nothing drains the queue")] = (
        Field(description="Workers (consumers) draining the queue.")
    )
    per_worker_rate: Annotated[
        Positive, _above_zero("a worker that drains nothing leaves every message in the queue")
    ] = Field(description="Messages per second one worker drains.")
    routes: list[EndpointPattern] = Field(
        min_length=1,
        max_length=100,
        description="Endpoint patterns whose writes go through the queue (e.g. POST /api/signup).",
    )

    @property
    def capacity(self) -> float:
        """Messages per second all the workers drain together."""
        return self.workers * self.per_worker_rate

    def covers(self, endpoint: str) -> bool:
        """Whether the writes of ``endpoint`` go through the queue."""
        return any(endpoint_matches(pattern, endpoint) for pattern in self.routes)


# --- the profile -----------------------------------------------------------------------


class CapacityProfile(BaseModel):
    """What the platform can take: services, data stores, routes and ingestion queue."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="campaign-guard capacity profile",
        json_schema_extra={"$id": "https://example.invalid/campaign-guard/capacity-profile.json"},
    )

    schema_version: Literal[1] = Field(description="Version of this file format: 1.")
    kind: Literal["capacity-profile"] = Field(
        description="Always `capacity-profile`: tells campaign-guard this is no campaign spec."
    )
    name: PlainText = Field(max_length=120, description="Which platform, e.g. Production (EU).")
    timezone: str = Field(
        max_length=64,
        description="IANA time zone of the `baseline` hours, e.g. Europe/Paris.",
    )
    cdn: StrictBool = Field(
        False,
        description="true if a CDN serves the static assets (images, scripts, styles), "
        "so the origin sees only the HTML of a page.",
    )
    services: dict[Name, Service] = Field(
        min_length=1, max_length=100, description="The services, by name (e.g. web, api)."
    )
    data_stores: dict[Name, DataStore] = Field(
        default_factory=dict, max_length=100, description="The data stores, by name."
    )
    routes: list[Route] = Field(
        min_length=1,
        max_length=500,
        description="Which service each landing page and endpoint reaches; first match wins.",
    )
    ingestion: Ingestion | None = Field(
        None, description="A queue that takes lead writes off the request path, if there is one."
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        time_zone(value)
        return value

    @model_validator(mode="after")
    def _references(self) -> CapacityProfile:
        _raise(self, [*self._route_errors(), *self._ingestion_errors()])
        return self

    def _route_errors(self) -> Iterator[InitErrorDetails]:
        first_at: dict[str, int] = {}
        for index, route in enumerate(self.routes):
            if route.service not in self.services:
                yield _reference(("routes", index, "service"), route.service, self.services)
            if route.data_store is not None and route.data_store not in self.data_stores:
                yield _reference(
                    ("routes", index, "data_store"), route.data_store, self.data_stores
                )
            key = pattern_key(route.match)
            if key in first_at:
                yield _detail(
                    ("routes", index, "match"),
                    route.match,
                    "routes[{first}] already has this pattern; give each pattern once (the "
                    "first match wins, so this route would never be used)",
                    first=first_at[key],
                )
            first_at.setdefault(key, index)

    def _ingestion_errors(self) -> Iterator[InitErrorDetails]:
        if self.ingestion is None:
            return
        endpoints = [route.match for route in self.routes if not route.is_page]
        for index, pattern in enumerate(self.ingestion.routes):
            if not any(endpoint_matches(pattern, endpoint) for endpoint in endpoints):
                yield _detail(
                    ("ingestion", "routes", index),
                    pattern,
                    "'{pattern}' matches none of the endpoint routes{hint}",
                    pattern=pattern,
                    hint=_unknown(pattern, endpoints, "endpoint routes")["hint"],
                )

    @property
    def zone(self) -> tzinfo:
        """The time zone of the baseline hours."""
        return time_zone(self.timezone)

    def route_for_page(self, url: str) -> Route | None:
        """The first page route matching the landing page ``url``, if any."""
        return next((route for route in self.routes if route.matches_page(url)), None)

    def route_for_endpoint(self, endpoint: str) -> Route | None:
        """The first endpoint route matching ``endpoint`` (``METHOD /path``), if any."""
        return next((route for route in self.routes if route.matches_endpoint(endpoint)), None)


# --- errors placed on a field ------------------------------------------------------------


def _detail(
    loc: tuple[str | int, ...], value: Any, message: str, kind: str = "invalid_value", **ctx: Any
) -> InitErrorDetails:
    return InitErrorDetails(type=_error(kind, message, **ctx), loc=loc, input=value)


def _raise(model: BaseModel, details: list[InitErrorDetails]) -> None:
    """Raise ``details`` as errors at their own fields (pydantic prefixes the outer path)."""
    if details:
        raise ValidationError.from_exception_data(type(model).__name__, details)


def _reference(loc: tuple[str | int, ...], name: str, known: Iterable[str]) -> InitErrorDetails:
    """A route naming a service or store the profile does not define. The error type is
    ``unknown_reference`` (reported as ``invalid-value`` until the messages map it)."""
    what, where = ("service", "services") if loc[-1] == "service" else ("data store", "data_stores")
    message = "unknown {what} '{name}'{hint}"
    return _detail(
        loc, name, message, "unknown_reference", what=what, **_unknown(name, known, where)
    )


def _unknown(name: str, known: Iterable[str], label: str) -> dict[str, str]:
    """``name`` (shortened) and a hint: "(did you mean 'web'? services: api, web)"."""
    choices = sorted(set(known))
    short = name if len(name) <= 40 else name[:39] + "…"
    if not choices:
        return {"name": short, "hint": f"; the profile has no {label}"}
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    listed = ", ".join(choices) if len(choices) <= 12 else ", ".join(choices[:12]) + ", …"
    suggestion = f"did you mean '{close[0]}'? " if close else ""
    return {"name": short, "hint": f" ({suggestion}{label}: {listed})"}
