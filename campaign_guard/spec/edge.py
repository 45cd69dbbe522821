"""The capacity profile's ``edge:`` section: the proxies that enforce rate limits.

``campaign-guard protect edge`` writes nginx or HAProxy rate limits for the endpoints
campaigns send people to. It needs to know how many proxies enforce them (each keeps its
own counters, so a site-wide cap is divided among them), what stands in front of them
(a CDN or load balancer hides the client's address behind its own), and which
addresses of that front may be trusted to say who the client is. Each default cites its
source; docs/protect.md explains them.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, WithJsonSchema

from campaign_guard.spec.field_errors import STRICT, custom_error
from campaign_guard.spec.numbers import Count
from campaign_guard.spec.types import Duration

InFront = Literal["cloudflare", "cloudfront", "lb", "none"]
IN_FRONT: tuple[str, ...] = get_args(InFront)

DEFAULT_CLIENTS_PER_ADDRESS = 64
"""People who may share one public IPv4 address behind carrier-grade NAT: 64,512
usable ports in blocks of 1,024 per subscriber (a common port-block size; RFC 6888
REQ-4 asks for per-subscriber port limits, RFC 7422 describes port-block allocation)
gives 63, rounded up to 64."""
DEFAULT_MAX_QUEUE_DELAY = timedelta(seconds=1)
"""The longest a request may wait in the rate limiter's queue: 1 s, the limit for a
person's flow of thought to stay uninterrupted (Nielsen, "Response Times: The 3
Important Limits", 1993, after Miller 1968)."""


def _in_front(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in IN_FRONT:
        return value.strip().lower()
    raise custom_error(
        "invalid_value",
        "must be one of {choices}: what sits in front of the proxies",
        choices=", ".join(IN_FRONT),
    )


def _cidr(value: str) -> str:
    try:
        network = ipaddress.ip_network(value.strip(), strict=True)
    except ValueError:
        raise custom_error(
            "invalid_value",
            "must be an address range like 10.0.0.0/8 or 2400:cb00::/32 (with no host bits set)",
        ) from None
    if network.prefixlen == 0:
        raise custom_error(
            "invalid_value",
            "trusting every address lets any client claim to be someone else (it sends "
            "its own X-Forwarded-For); list only your CDN's or load balancer's ranges",
        )
    return str(network)


Cidr = Annotated[
    str,
    Field(max_length=64),
    AfterValidator(_cidr),
    WithJsonSchema({"type": "string", "examples": ["10.0.0.0/8", "2400:cb00::/32"]}),
]


def _at_least_one(value: int) -> int:
    if value < 1:
        raise custom_error("invalid_value", "must be at least 1: {reason}", reason="a count")
    return value


class Edge(BaseModel):
    """The proxies in front of the services that enforce campaign rate limits."""

    model_config = STRICT

    nodes: Annotated[Count, AfterValidator(_at_least_one)] = Field(
        1,
        description="How many proxies (nginx or HAProxy instances) share the traffic and "
        "each enforce the limits; each keeps its own counters, so an endpoint's cap is "
        "divided by this number. Default 1.",
    )
    in_front: Annotated[InFront | None, BeforeValidator(_in_front)] = Field(
        None,
        description="What sits in front of the proxies: cloudflare, cloudfront, lb (a load "
        "balancer that adds X-Forwarded-For) or none (clients connect directly). Without "
        "it, limits per client may count a whole CDN as one client.",
    )
    trusted_proxies: list[Cidr] = Field(
        default_factory=list,
        max_length=200,
        description="Address ranges of that CDN or load balancer, trusted to say who the "
        "client is (never 0.0.0.0/0).",
    )
    clients_per_address: Annotated[Count, AfterValidator(_at_least_one)] = Field(
        DEFAULT_CLIENTS_PER_ADDRESS,
        description="People who may share one public address (carrier-grade NAT, offices). "
        "Default 64: one IPv4 address in 1,024-port blocks per subscriber.",
    )
    max_queue_delay: Duration = Field(
        DEFAULT_MAX_QUEUE_DELAY,
        description="The longest a request may wait in the limiter's queue before it is "
        "passed on (default 1s, the limit for a person's flow of thought).",
    )
