"""Where a peak comes from: people, link scanners, image prefetch, the email's images
loaded as people open it, the baseline; and what
one visit costs each service.

Both answer "why is this number so high?": a newsletter's landing page often feels the
mail scanners more than the people who click, and without a CDN every visit costs the
origin a whole page of requests (``docs/load-model.md``, "Requests per visit").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from campaign_guard.loadmodel.flows import Flow, FlowKind
from campaign_guard.loadmodel.loads import Load, RouteCache, requests_per_visit
from campaign_guard.loadmodel.timeline import MAX_RATE, Samples
from campaign_guard.spec.campaign import CampaignSpec

Source = Literal["people", "link_scanners", "image_prefetch", "email_opens", "baseline"]
SOURCES: tuple[Source, ...] = (
    "people",
    "link_scanners",
    "image_prefetch",
    "email_opens",
    "baseline",
)
_BY_KIND: dict[FlowKind, Source] = {
    "visit": "people",
    "scanner": "link_scanners",
    "prefetch": "image_prefetch",
    "open": "email_opens",
}


def split(
    loads: Iterable[Load], samples: dict[int, Samples], index: int, total: float, baseline: float
) -> dict[Source, float]:
    """The total at sample ``index`` by source.

    What no load explains is people's: the writes a queue passes on to its data store
    come from form submissions, and only people submit forms.
    """
    parts: dict[Source, float] = dict.fromkeys(SOURCES, 0.0)
    for load in loads:
        sampled = samples[id(load.flow)]
        at = index - sampled.first
        if 0 <= at < len(sampled.unit):
            part = parts[_BY_KIND[load.flow.kind]] + load.factor * sampled.scale * sampled.unit[at]
            parts[_BY_KIND[load.flow.kind]] = min(part, MAX_RATE)  # as the total is
    parts["baseline"] = baseline
    parts["people"] += max(0.0, total - sum(parts.values()))
    return parts


Basis = Literal["profile", "cdn", "no-cdn", "submission"]


@dataclass(frozen=True)
class PerVisit:
    """What one visit of a landing page costs the service behind a page or an endpoint."""

    what: str
    """The page's address or the endpoint (``METHOD /path``)."""
    service: str
    requests: float
    """Requests one visit sends to ``service``."""
    basis: Basis
    """``profile``: the route says; ``cdn``: a page behind a CDN, its HTML only; ``no-cdn``:
    no CDN, the median web page's requests; ``submission``: sent when a visitor submits
    the form, so requests per submission × the share of visits that submit."""
    per_submission: float | None = None
    conversion: float | None = None


def per_visit(
    specs: Sequence[CampaignSpec], flows: Iterable[Flow], routes: RouteCache | None
) -> list[PerVisit]:
    """The cost of a visit behind every page and endpoint the campaigns use (with a profile;
    without one, a visit is one request to its page)."""
    if routes is None:
        return []
    profile = routes.profile
    found: list[PerVisit] = []
    pages = dict.fromkeys(f.landing_page for f in flows if f.landing_page is not None)
    for page in pages:
        route = routes.page(page)
        if route is None:
            continue
        requests = route.effective_requests_per_visit(profile.cdn)
        basis: Basis = "profile"
        if route.requests_per_visit is None:
            basis = "cdn" if profile.cdn else "no-cdn"
        found.append(PerVisit(page, route.service, requests, basis))
    for endpoint in dict.fromkeys(e for spec in specs for e in spec.endpoints):
        route = routes.endpoint(endpoint)
        if route is None:
            continue
        if route.on_submission:
            found.append(
                PerVisit(
                    endpoint,
                    route.service,
                    requests_per_visit(route),
                    "submission",
                    route.requests_per_submission,
                    route.conversion_rate,
                )
            )
        else:
            found.append(PerVisit(endpoint, route.service, requests_per_visit(route), "profile"))
    return found
