"""The capacity profile: what the platform can take, written by DevOps.

One YAML file (``kind: capacity-profile``) describes the ``services`` that answer
requests and how far they scale, the ``data_stores`` that take writes, the ``routes``
that say which service (and store) a landing page or API endpoint reaches, and an
optional ``ingestion`` queue that takes lead writes off the request path. The estimator
compares a campaign's load against it; ``lint`` checks it like a campaign spec.

The ``Route`` model, its pattern matching and its defaults (each citing its source) live
in :mod:`campaign_guard.spec.routes`.
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
from pydantic_core import InitErrorDetails

from campaign_guard.spec.campaign import time_zone
from campaign_guard.spec.edge import Edge
from campaign_guard.spec.field_errors import STRICT, custom_error, detail, raise_details
from campaign_guard.spec.queue_settings import QueueSettings
from campaign_guard.spec.routes import EndpointPattern, Name, Route, endpoint_matches, pattern_key
from campaign_guard.spec.types import Amount, Count, Duration, PlainText, Rate

KIND = "capacity-profile"
"""The ``kind`` that tells a capacity profile from a campaign spec."""

QueueKind = Literal["sqs", "sqs-fifo", "rabbitmq", "kafka", "redis", "other"]
QUEUE_KINDS: tuple[str, ...] = get_args(QueueKind)
HOURS = 24

_AMOUNT: TypeAdapter[float] = TypeAdapter(Amount)


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
            raise custom_error("invalid_value", "must be more than 0: {reason}", reason=reason)
        return value

    return AfterValidator(check)


def _at_least_one(reason: str) -> AfterValidator:
    def check(value: int) -> int:
        if value < 1:
            raise custom_error("invalid_value", "must be at least 1: {reason}", reason=reason)
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
            raise custom_error(
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
        raise custom_error(
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

    model_config = STRICT

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

    model_config = STRICT

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
            raise_details(
                self,
                [
                    detail(
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

    model_config = STRICT

    writes_per_second: Annotated[
        Positive, _above_zero("a store that takes no writes has no capacity")
    ] = Field(description="Writes per second the store sustains, from load tests.")
    baseline: Baseline | None = Field(
        None, description="Writes per second it gets by hour of day, without campaigns."
    )


# --- the ingestion queue ---------------------------------------------------------------


def _queue_kind(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in QUEUE_KINDS:
        return value.strip().lower()
    raise custom_error(
        "invalid_value",
        "unknown queue '{name}'{hint}",
        **_unknown(str(value), QUEUE_KINDS, "queues"),
    )


class Ingestion(BaseModel):
    """A queue between the signup endpoints and the database, drained by workers."""

    model_config = STRICT

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
    settings: QueueSettings | None = Field(
        None, description="The queue's and its consumers' settings, checked by `protect queue`."
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
    edge: Edge | None = Field(
        None, description="The proxies that enforce rate limits (`protect edge`), if any."
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        time_zone(value)
        return value

    @model_validator(mode="after")
    def _references(self) -> CapacityProfile:
        raise_details(self, [*self._route_errors(), *self._ingestion_errors()])
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
                yield detail(
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
                yield detail(
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


def _reference(loc: tuple[str | int, ...], name: str, known: Iterable[str]) -> InitErrorDetails:
    """A route naming a service or store the profile does not define. The error type is
    ``unknown_reference`` (reported as ``invalid-value`` until the messages map it)."""
    what, where = ("service", "services") if loc[-1] == "service" else ("data store", "data_stores")
    message = "unknown {what} '{name}'{hint}"
    return detail(
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
