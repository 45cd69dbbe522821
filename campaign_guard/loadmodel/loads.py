"""From traffic flows to loads: what each service, data store and endpoint receives.

A flow says "this many people per second reach this page". The capacity profile's
routes say what one visit (or one form submission) costs each service and data store.
A :class:`Load` is one flow seen from one target, scaled by that cost.

Without a capacity profile, loads are still computed per page and per endpoint with
the published defaults, so a marketer sees the expected traffic anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from campaign_guard.loadmodel.flows import EMAIL_IMAGES, Flow, Note, combined_visits
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.capacity import CapacityProfile
from campaign_guard.spec.routes import DEFAULT_CONVERSION_RATE, Route

TargetKind = Literal["service", "data_store", "page", "endpoint", "queue"]

DEFAULT_CONVERSION = DEFAULT_CONVERSION_RATE
"""Share of landing-page visits that submit a form (see the capacity profile's default)."""

SUBMIT_METHODS = frozenset(("POST", "PUT", "PATCH"))


@dataclass(frozen=True)
class Load:
    """``factor`` × the rate of ``flow``, as received by one target."""

    flow: Flow
    factor: float

    def rate(self, t: float) -> float:
        return self.factor * self.flow.curve.rate(t)


@dataclass
class Target:
    """A service, data store, page or endpoint and the loads it receives."""

    kind: TargetKind
    name: str
    unit: str
    loads: list[Load] = field(default_factory=list)

    def add(self, flow: Flow, factor: float) -> None:
        if factor > 0:
            self.loads.append(Load(flow, factor))


@dataclass
class LoadMap:
    """Every target, keyed by ``(kind, name)``, and the notes made while mapping."""

    targets: dict[tuple[TargetKind, str], Target] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    combined: list[Flow] = field(default_factory=list)
    """Each campaign's visits as one flow (:func:`combined_visits`): what its endpoints
    receive. Sampled with the others."""

    def target(self, kind: TargetKind, name: str, unit: str) -> Target:
        key = (kind, name)
        if key not in self.targets:
            self.targets[key] = Target(kind, name, unit)
        return self.targets[key]


def map_loads(
    specs: Sequence[CampaignSpec],
    flows: Iterable[Flow],
    profile: CapacityProfile | None,
    routes: RouteCache | None = None,
) -> LoadMap:
    """Spread every flow over the targets it reaches (``routes``: lookups already made in
    ``profile``, shared by the scenarios)."""
    by_id = {spec.campaign_id: spec for spec in specs}
    result = LoadMap()
    noted: set[tuple[str, str]] = set()
    if routes is None and profile is not None:
        routes = RouteCache(profile)
    visits: dict[str, list[Flow]] = {}
    for flow in flows:
        spec = by_id[flow.campaign_id]
        if routes is None:
            _without_profile(result, spec, flow)
        else:
            _with_profile(result, spec, flow, routes, noted)
        if flow.kind == "visit":
            visits.setdefault(flow.campaign_id, []).append(flow)
    for campaign_id, found in visits.items():
        spec, combined = by_id[campaign_id], combined_visits(found)
        result.combined.append(combined)
        if routes is None:
            _endpoints_without_profile(result, spec, combined)
        else:
            _endpoints_with_profile(result, spec, combined, routes, noted)
    return result


class RouteCache:
    """The profile's routes, each page and endpoint looked up once."""

    def __init__(self, profile: CapacityProfile) -> None:
        self.profile = profile
        self._pages: dict[str, Route | None] = {}
        self._endpoints: dict[str, Route | None] = {}
        self._queued: dict[str, bool] = {}

    def page(self, url: str) -> Route | None:
        if url not in self._pages:
            self._pages[url] = self.profile.route_for_page(url)
        return self._pages[url]

    def endpoint(self, endpoint: str) -> Route | None:
        if endpoint not in self._endpoints:
            self._endpoints[endpoint] = self.profile.route_for_endpoint(endpoint)
        return self._endpoints[endpoint]

    def queued(self, endpoint: str) -> bool:
        """Whether the ingestion queue takes the writes of ``endpoint``."""
        if endpoint not in self._queued:
            ingestion = self.profile.ingestion
            self._queued[endpoint] = ingestion is not None and ingestion.covers(endpoint)
        return self._queued[endpoint]


def _without_profile(result: LoadMap, spec: CampaignSpec, flow: Flow) -> None:
    if flow.kind in EMAIL_IMAGES:
        return
    if flow.landing_page is not None:
        page = result.target("page", flow.landing_page, "visits/s")
        page.add(flow, 1.0)
        if flow.kind == "scanner":
            page.unit = "requests/s"  # link scanners are no visits: count requests


def _endpoints_without_profile(result: LoadMap, spec: CampaignSpec, visits: Flow) -> None:
    for endpoint in spec.endpoints:
        method = endpoint.split(" ", 1)[0]
        share = DEFAULT_CONVERSION if method in SUBMIT_METHODS else 1.0
        result.target("endpoint", endpoint, "requests/s").add(visits, share)


def _with_profile(
    result: LoadMap,
    spec: CampaignSpec,
    flow: Flow,
    routes: RouteCache,
    noted: set[tuple[str, str]],
) -> None:
    profile = routes.profile
    page_route = None
    if flow.landing_page is not None:
        page_route = routes.page(flow.landing_page)
        if page_route is None:
            index = (
                spec.landing_pages.index(flow.landing_page)
                if (flow.landing_page in spec.landing_pages)
                else 0
            )
            _unknown(result, noted, flow.campaign_id, ("landing_pages", index), flow.landing_page)
    if flow.kind in EMAIL_IMAGES:
        # Images are fetched from the service behind the campaign's first landing page.
        first = spec.landing_pages[0] if spec.landing_pages else None
        route = routes.page(first) if first else None
        if route is not None:
            _add_route(result, routes, route, flow, 1.0)
        return
    if page_route is not None:
        per_visit = (
            1.0 if flow.kind == "scanner" else page_route.effective_requests_per_visit(profile.cdn)
        )
        _add_route(result, routes, page_route, flow, per_visit)


def _endpoints_with_profile(
    result: LoadMap,
    spec: CampaignSpec,
    visits: Flow,
    routes: RouteCache,
    noted: set[tuple[str, str]],
) -> None:
    """The endpoints each visit calls (link scanners fetch the page only: no endpoint)."""
    for index, endpoint in enumerate(spec.endpoints):
        route = routes.endpoint(endpoint)
        if route is None:
            _unknown(result, noted, visits.campaign_id, ("endpoints", index), endpoint)
            continue
        requests = requests_per_visit(route)
        _add_route(result, routes, route, visits, requests, endpoint=endpoint)
        result.target("endpoint", endpoint, "requests/s").add(visits, requests)


def _unknown(
    result: LoadMap,
    noted: set[tuple[str, str]],
    campaign_id: str,
    loc: tuple[str | int, ...],
    what: str,
) -> None:
    """A note that ``what`` has no route (once per campaign)."""
    if (campaign_id, what) not in noted:
        noted.add((campaign_id, what))
        result.notes.append(
            Note(
                campaign_id,
                loc,
                "unknown-route",
                f"the capacity profile has no route for {what}; its load is not counted "
                "(ask DevOps to add it to the profile)",
            )
        )


def requests_per_visit(route: Route) -> float:
    """Requests one visit of the landing page sends to an endpoint's service: on every
    visit, or on a submission (its requests × the share of visits that submit)."""
    if route.requests_per_submission is not None:
        return route.conversion_rate * route.requests_per_submission
    return route.requests_per_visit if route.requests_per_visit is not None else 1.0


def _add_route(
    result: LoadMap,
    routes: RouteCache,
    route: Route,
    flow: Flow,
    requests: float,
    *,
    endpoint: str | None = None,
) -> None:
    result.target("service", route.service, "requests/s").add(flow, requests)
    writes = requests * (route.writes_per_request or 0.0)
    if route.data_store is None or writes <= 0:
        return
    ingestion = routes.profile.ingestion
    if ingestion is not None and endpoint is not None and routes.queued(endpoint):
        result.target("queue", ingestion.queue, "messages/s").add(flow, writes)
    else:
        result.target("data_store", route.data_store, "writes/s").add(flow, writes)
