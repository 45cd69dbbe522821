"""Edge rate limits for the endpoints campaigns send people to, as data.

For each endpoint of the campaign specs that the capacity profile routes to a service
(a *protected* endpoint) there are two limits, each enforced by every edge proxy:

* an **endpoint-wide cap**: what the service takes at its target utilisation, minus
  its baseline at the launch hour, split among the endpoints the campaigns send to it
  by their expected share of the campaigns' load on it, divided by the number of
  proxies (each keeps its own counters);
* a **per-client cap**, sized so that everyone who may share one public address
  (carrier-grade NAT, an office) still gets through.

Every number carries the sentences that say where it came from; the renderers
(:mod:`~campaign_guard.protect.nginx`, :mod:`~campaign_guard.protect.haproxy`) write
them as comments above each directive. What cannot be protected is a finding, never a
limit that blocks everything. Pure: no printing, no files.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from campaign_guard.loadmodel.engine import Estimate, TargetEstimate
from campaign_guard.protect.front import Front, front_of
from campaign_guard.protect.numbers import Finding, RateText, down, per_node, plain, rate_text
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.capacity import CapacityProfile, Service
from campaign_guard.spec.edge import Edge
from campaign_guard.spec.routes import Route

CLIENT_WINDOW_S = 10.0
"""Seconds in which one person sends a visit's requests to an endpoint (the form's
submission and its validation calls): an assumption, see docs/protect.md."""
STATES_PER_MB = 8000
"""States one megabyte of an nginx ``limit_req_zone`` keeps on 64-bit platforms (nginx
documentation, ngx_http_limit_req_module: "One megabyte zone can keep about 16
thousand 64-byte states or about 8 thousand 128-byte states")."""
MAX_ZONE_MB = 256
"""Largest zone written: when a zone is full nginx evicts the least recently used
state (same documentation), so a bigger zone buys little."""
_SLUG_RE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Limit:
    """One rate limit on one proxy: ``rate`` with ``burst`` extra, maybe queued."""

    name: str
    """Zone (nginx) or stick-table (HAProxy) name: letters, digits and ``_`` only."""
    rate: RateText
    burst: int
    delay: int | None
    """Excess requests passed on at once; the rest of ``burst`` waits its turn.
    ``None``: all of ``burst`` at once (nginx ``nodelay``)."""
    states: int
    """Distinct keys the zone must hold."""
    zone_mb: int
    why: dict[str, list[str]]
    """For ``rate``, ``burst``, ``delay`` and ``zone``: the sentences saying where each
    came from."""


@dataclass(frozen=True)
class Protected:
    """One endpoint and its two limits."""

    endpoint: str
    method: str
    path: str
    service: str
    client: Limit
    whole: Limit
    numbers: dict[str, float]
    """The figures behind the limits, for ``--json``."""


@dataclass(frozen=True)
class EdgePlan:
    """Every protected endpoint, what is in front of the proxies, and the findings."""

    endpoints: list[Protected]
    front: Front
    nodes: int
    enforce: bool
    profile: str
    findings: list[Finding] = field(default_factory=list)


def plan_edge(
    specs: Sequence[CampaignSpec],
    profile: CapacityProfile,
    estimate: Estimate,
    *,
    enforce: bool = False,
) -> EdgePlan:
    """The edge limits of every endpoint ``specs`` name, against ``profile``."""
    edge = profile.edge if profile.edge is not None else Edge()
    front, findings = front_of(profile.edge)
    targets = {(t.kind, t.name): t for t in estimate.targets}
    routed: dict[str, tuple[Route, list[CampaignSpec]]] = {}
    for spec in specs:
        if not spec.endpoints:
            findings.append(_no_endpoints(spec))
        for index, endpoint in enumerate(spec.endpoints):
            route = profile.route_for_endpoint(endpoint)
            if route is None:
                findings.append(_no_route(spec, index, endpoint))
            else:
                routed.setdefault(endpoint, (route, []))[1].append(spec)
    by_service: dict[str, list[str]] = {}
    launching: dict[str, dict[str, CampaignSpec]] = {}
    for endpoint, (route, users) in routed.items():
        by_service.setdefault(route.service, []).append(endpoint)
        launching.setdefault(route.service, {}).update((u.campaign_id, u) for u in users)
    endpoints: list[Protected] = []
    context = _Context(
        profile, edge, targets, by_service, {k: list(v.values()) for k, v in launching.items()}
    )
    for endpoint in sorted(routed):
        route, users = routed[endpoint]
        result = _protect(context, endpoint, route, users)
        if isinstance(result, Finding):
            findings.append(result)
        else:
            endpoints.append(result)
    return EdgePlan(endpoints, front, edge.nodes, enforce, profile.name, findings)


def _no_endpoints(spec: CampaignSpec) -> Finding:
    return Finding(
        spec.campaign_id,
        (),
        "edge-no-endpoints",
        "this campaign names no API endpoints (endpoints:), so there is nothing to limit "
        "for it; its landing pages are not rate limited",
        "warning",
    )


def _no_route(spec: CampaignSpec, index: int, endpoint: str) -> Finding:
    return Finding(
        spec.campaign_id,
        ("endpoints", index),
        "edge-no-route",
        f"the capacity profile has no route for {endpoint}, so no limit can be sized for "
        "it and none is written (ask DevOps to add the route)",
    )


@dataclass(frozen=True)
class _Context:
    profile: CapacityProfile
    edge: Edge
    targets: dict[tuple[str, str], TargetEstimate]
    by_service: dict[str, list[str]]
    """The protected endpoints on each service."""
    launching: dict[str, list[CampaignSpec]]
    """The campaigns that use a protected endpoint of each service: the baseline at
    the busiest of their launch hours is taken off the service's capacity once, for
    all its endpoints, so their caps add up to no more than it has to spare."""


@dataclass(frozen=True)
class _Sizing:
    """An endpoint's part of its service, on one proxy."""

    rate: RateText
    per_node: float
    left: float
    share: float
    share_why: str
    spare: _Service


@dataclass(frozen=True)
class _Service:
    """What a service can give the campaigns' endpoints at the launch hour."""

    at_target: float
    headroom: float
    baseline: float
    when: str


def _service(service: Service, users: Sequence[CampaignSpec], profile: CapacityProfile) -> _Service:
    full = service.requests_per_second_per_instance * service.instances
    at_target = full * service.target_utilisation
    baseline, when = 0.0, "no baseline in the profile: taken as 0"
    if service.baseline is not None:
        for spec in users:
            local = spec.launch.start.astimezone(profile.zone)
            value = service.baseline.at(local.hour, weekend=local.weekday() >= 5)
            if value >= baseline:
                baseline, when = value, _launch_hour(spec.campaign_id, local)
    return _Service(at_target, full - at_target, baseline, when)


def _launch_hour(campaign_id: str, local: datetime) -> str:
    return (
        f"the baseline at {local:%a %H}:00 ({campaign_id}'s launch hour; the highest of "
        "the launches)"
    )


def _protect(
    context: _Context, endpoint: str, route: Route, users: list[CampaignSpec]
) -> Protected | Finding:
    profile, edge, targets = context.profile, context.edge, context.targets
    sharing = context.by_service[route.service]
    service = profile.services[route.service]
    spare = _service(service, context.launching[route.service], profile)
    first = users[0]
    loc = ("endpoints", first.endpoints.index(endpoint))
    left = spare.at_target - spare.baseline
    if left <= 0:
        return Finding(
            first.campaign_id,
            loc,
            "edge-below-baseline",
            f"{route.service} takes {plain(spare.at_target)} requests/s at its target "
            f"utilisation but already gets {plain(spare.baseline)} at the launch hour, so "
            f"no limit for {endpoint} would leave room for the campaign; scale "
            f"{route.service} first (no limit is written)",
        )
    share, share_why = _share(endpoint, route.service, sharing, targets)
    whole_rate = per_node(left * share, edge.nodes)
    rate = rate_text(whole_rate)
    if rate is None:
        return Finding(
            first.campaign_id,
            loc,
            "edge-rate-zero",
            f"{endpoint}'s share of {route.service} is {plain(whole_rate * 60)} requests a "
            "minute per proxy, less than one: a limit would block every request, so none "
            "is written (give the service more capacity or the proxies fewer nodes)",
        )
    slug = _slug(endpoint)
    peak = targets.get(("endpoint", endpoint))
    per_person = _per_person(route)
    sizing = _Sizing(rate, whole_rate, left, share, share_why, spare)
    whole = _whole_limit(slug, sizing, service, edge)
    client = _client_limit(slug, rate, per_person, edge, peak)
    method, _, path = endpoint.partition(" ")
    numbers = {
        "service_at_target": spare.at_target,
        "baseline_at_launch": spare.baseline,
        "share": share,
        "endpoint_cap": left * share,
        "nodes": float(edge.nodes),
        "per_node": whole_rate,
        "requests_per_person": per_person,
        "clients_per_address": float(edge.clients_per_address),
    }
    return Protected(endpoint, method, path, route.service, client, whole, numbers)


def _share(
    endpoint: str, service: str, sharing: list[str], targets: dict[tuple[str, str], TargetEstimate]
) -> tuple[float, str]:
    """``endpoint``'s part of what ``service`` can give the campaigns, and why."""
    peaks = {e: _peak(targets.get(("endpoint", e))) for e in sharing}
    found = targets.get(("service", service))
    campaigns = _peak(found) - found.baseline_at_peak if found is not None else 0.0
    total = max(campaigns, sum(peaks.values()))
    if total <= 0:
        share = 1.0 / len(sharing)
        return share, f"split evenly among the {len(sharing)} endpoints on {service}"
    share = peaks[endpoint] / total
    why = (
        f"its share of the campaigns' load on {service}: its expected peak "
        f"{plain(peaks[endpoint])} requests/s of {plain(total)}"
    )
    if campaigns > sum(peaks.values()):
        why += " (the service's campaign peak; pages and other calls take the rest)"
    return share, why


def _peak(target: TargetEstimate | None) -> float:
    return target.peak["expected"].value if target is not None else 0.0


def _per_person(route: Route) -> float:
    """Requests one person sends to the endpoint in a visit."""
    for value in (route.requests_per_submission, route.requests_per_visit):
        if value is not None and value > 0:
            return value
    return 1.0


def _slug(endpoint: str) -> str:
    text = _SLUG_RE.sub("_", endpoint.lower()).strip("_")[:16].strip("_")
    digest = hashlib.sha256(endpoint.encode("utf-8")).hexdigest()[:6]
    return f"cg_{text}_{digest}"


def _whole_limit(slug: str, sizing: _Sizing, service: Service, edge: Edge) -> Limit:
    rate, spare, share = sizing.rate, sizing.spare, sizing.share
    wait = edge.max_queue_delay.total_seconds()
    queued = down(rate.per_second * wait)
    at_once = min(down(per_node(spare.headroom * share, edge.nodes)), 10 * max(queued, 1))
    burst = max(1, at_once + queued)
    delay: int | None = at_once if queued > 0 else None
    why = {
        "rate": [
            f"{plain(spare.at_target)} requests/s: the service at its target utilisation "
            f"({service.instances} instances x {plain(service.requests_per_second_per_instance)}"
            f" x {service.target_utilisation:.0%})",
            f"minus {plain(spare.baseline)}: {spare.when}",
            f"= {plain(sizing.left)} for the campaigns; x {plain(share * 100)} %, "
            + sizing.share_why,
            f"/ {edge.nodes} proxies (each counts on its own) = {plain(sizing.per_node)}/s, "
            f"written {rate.text} (rounded down)",
        ],
        "burst": [
            f"{queued} queued: what {rate.text} passes in the {plain(wait)} s a request may "
            "wait (edge.max_queue_delay)",
            f"+ {at_once} at once: the service's margin between its target utilisation and "
            "100 %, for this endpoint and proxy, absorbs them within a second",
        ],
        "delay": [_delay_why(delay, queued, wait)],
        "zone": ["one key (the endpoint itself): the smallest zone, 1m"],
    }
    return Limit(f"{slug}_all", rate, burst, delay, 1, 1, why)


def _client_limit(
    slug: str, whole: RateText, per_person: float, edge: Edge, peak: TargetEstimate | None
) -> Limit:
    people = edge.clients_per_address
    wanted = people * per_person / CLIENT_WINDOW_S
    rate = rate_text(min(wanted, whole.per_second)) or whole
    burst = max(math.ceil(per_person), math.ceil(rate.per_second))
    high = peak.peak["high"].value if peak is not None else 0.0
    states = max(1, math.ceil(high / per_person * 60))
    zone_mb = min(MAX_ZONE_MB, max(1, math.ceil(states / STATES_PER_MB)))
    capped = " (capped at the endpoint-wide rate)" if wanted > whole.per_second else ""
    why = {
        "rate": [
            f"{people} people may share one address (edge.clients_per_address; carrier-grade "
            "NAT, docs/protect.md) x {0} requests each in {1:.0f} s = {2}/s{3}, written "
            "{4}".format(plain(per_person), CLIENT_WINDOW_S, plain(wanted), capped, rate.text)
        ],
        "burst": [
            f"{burst}: a visit's {plain(per_person)} requests, or a second at {rate.text}, "
            "whichever is more, arrive together from a browser"
        ],
        "delay": [
            "nodelay: people behind one address are not made to wait; a client over its "
            "share is refused at once"
        ],
        "zone": [
            f"{states:,} addresses: a minute of visitors at the high estimate's peak "
            f"({plain(high)} requests/s / {plain(per_person)} per visit x 60 s); "
            f"{STATES_PER_MB:,} per MB on 64-bit (nginx docs), at least 1m"
            + (
                f", at most {MAX_ZONE_MB}m (full zones evict the oldest)"
                if zone_mb == MAX_ZONE_MB
                else ""
            )
        ],
    }
    return Limit(f"{slug}_ip", rate, burst, None, states, zone_mb, why)


def _delay_why(delay: int | None, queued: int, wait: float) -> str:
    if delay is None:
        return "nodelay: the queue would hold less than one request, so the burst passes at once"
    if delay == 0:
        return (
            f"no delay=: the service has no margin to take extra requests at once, so all "
            f"{queued} wait their turn, at most {plain(wait)} s"
        )
    return (
        f"delay={delay}: those {delay} pass at once, the other {queued} wait at most "
        f"{plain(wait)} s (smoothing the spike to the service's rate)"
    )
