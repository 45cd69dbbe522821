"""The edge limits as HAProxy configuration: stick tables, and the frontend's rules.

One file holds a ``backend`` per stick table (load it with a second ``-f``); the other
holds the ``http-request`` lines for the frontend that serves the endpoints. Syntax:
HAProxy 2.6 configuration manual (``stick-table``, ``http-request track-sc0``,
``sc_http_req_rate``, ``http-request return``, which exists since 2.2).
"""

from __future__ import annotations

from campaign_guard.protect.edge import EdgePlan, Limit, Protected
from campaign_guard.protect.nginx import common, plan_context
from campaign_guard.protect.quoting import comment, haproxy_word

CANNOT_EXPRESS = (
    "No burst and no queue: http_req_rate counts requests over a sliding period (1 s, "
    "or 60 s for rates under 20 r/s) and every request over the rate is refused at "
    "once; nginx's burst, delay and nodelay have no counterpart, so HAProxy is the "
    "stricter of the two.",
    "Tables are per process and per proxy unless `peers` are configured: the "
    "endpoint-wide cap is divided by edge.nodes.",
    "The client's address is taken from the last hop only (no recursive search "
    "through several trusted proxies, unlike nginx's real_ip_recursive).",
    "A dry run only logs (captured as REJECTED_DRY_RUN in the request log); there is "
    "no built-in dry-run switch.",
    "Refused requests are counted too (the table is updated before the check), so a "
    "client that keeps retrying stays refused.",
)


def render_haproxy(plan: EdgePlan) -> dict[str, str]:
    """``plan`` as the two HAProxy files, by name: ``haproxy-tables.cfg`` (``backend``
    sections, one stick table each; a file of its own, loaded with ``-f``) and
    ``haproxy-frontend.cfg`` (lines for the frontend that serves the endpoints)."""
    from campaign_guard.render import render

    context = {
        **plan_context(plan, CANNOT_EXPRESS),
        "endpoints": [_endpoint(e) for e in plan.endpoints],
    }
    return {
        "haproxy-tables.cfg": render("protect/haproxy-tables.cfg.j2", **context),
        "haproxy-frontend.cfg": render("protect/haproxy-frontend.cfg.j2", **context),
    }


def _endpoint(endpoint: Protected) -> dict[str, object]:
    return {
        **common(endpoint, haproxy_word),
        "acl": endpoint.whole.name[:-4],
        "client": _limit(endpoint.client),
        "whole": _limit(endpoint.whole),
    }


def _limit(limit: Limit) -> dict[str, object]:
    period = limit.rate.period_s
    return {
        "name": limit.name,
        "period": f"{period}s",
        "expire": f"{max(10, 2 * period)}s",
        "limit": limit.rate.count,
        "size": max(1000, limit.states),
        "rate": limit.rate.text,
        "why": [comment(line) for line in limit.why["rate"]],
    }
