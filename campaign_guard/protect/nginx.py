"""The edge limits as nginx configuration: one file for ``http {}``, one for ``server {}``.

The zones (``limit_req_zone``) must be loaded with the locations that use them, or
nginx stops with "zero size shared memory zone"; both files come from one plan and
are tested together with ``nginx -t``. Directive syntax: ngx_http_limit_req_module,
ngx_http_realip_module, ngx_http_headers_module, ngx_http_map_module.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from campaign_guard.protect.edge import EdgePlan, Limit, Protected
from campaign_guard.protect.quoting import comment, is_template, name, nginx_string, path_regex

DEFAULT_ACCESS_LOG = "/var/log/nginx/campaign-guard-limits.log"

CANNOT_EXPRESS = (
    "Limits per proxy only: each nginx keeps its own zones (no shared state), so the "
    "endpoint-wide cap is divided by edge.nodes and is exact only when the load "
    "balancer spreads requests evenly.",
    "A rate is a whole number of requests a second or a minute; rates are rounded down.",
    "Retry-After is a fixed number of seconds (the time one request's slot takes to "
    "free up), not the client's actual wait.",
)


def retry_after(endpoint: Protected) -> int:
    """Seconds until one request's slot frees at the tighter of the two rates."""
    slowest = min(endpoint.client.rate.per_second, endpoint.whole.rate.per_second)
    return max(1, math.ceil(1.0 / slowest))


def plan_context(plan: EdgePlan, cannot: tuple[str, ...]) -> dict[str, object]:
    """What every template of ``plan`` is given besides its endpoints."""
    return {
        "plan": plan,
        "front": plan.front,
        "trusted": list(plan.front.trusted),
        "cannot": cannot,
        "findings": [comment(f"{f.code}: {f.message}") for f in plan.findings],
        "profile": comment(plan.profile),
    }


def render_nginx(plan: EdgePlan, access_log: str = DEFAULT_ACCESS_LOG) -> dict[str, str]:
    """``plan`` as the two nginx files, by name: ``nginx-http.conf`` for the ``http {}``
    context and ``nginx-server.conf`` for the ``server {}`` that serves the endpoints
    (each ``include``-d there)."""
    from campaign_guard.render import render

    context = {
        **plan_context(plan, CANNOT_EXPRESS),
        "endpoints": [_endpoint(e) for e in plan.endpoints],
        "access_log": nginx_string(access_log),
    }
    return {
        "nginx-http.conf": render("protect/nginx-http.conf.j2", **context),
        "nginx-server.conf": render("protect/nginx-server.conf.j2", **context),
    }


def common(endpoint: Protected, quote: Callable[[str], str]) -> dict[str, object]:
    """What both proxies' templates say of ``endpoint``; ``path`` quoted by ``quote``,
    as a regular expression when ``regex`` (a path with ``{param}`` segments)."""
    regex = is_template(endpoint.path)
    return {
        "title": comment(f"{endpoint.endpoint} (service {endpoint.service})"),
        "method": endpoint.method,  # one of HTTP_METHODS: letters only
        "regex": regex,
        "path": quote(path_regex(endpoint.path) if regex else endpoint.path),
        "retry_after": retry_after(endpoint),
    }


def _endpoint(endpoint: Protected) -> dict[str, object]:
    return {
        **common(endpoint, nginx_string),
        "upstream": name(endpoint.service),
        "service": comment(endpoint.service),
        "retry_var": f"${endpoint.whole.name[:-4]}_retry",
        "client": _limit(endpoint.client),
        "whole": _limit(endpoint.whole),
    }


def _limit(limit: Limit) -> dict[str, object]:
    if limit.delay is None:
        mode = "nodelay"
    elif limit.delay == 0:
        mode = ""
    else:
        mode = f"delay={limit.delay}"
    return {
        "name": limit.name,
        "var": f"${limit.name}_k",
        "rate": limit.rate.text,
        "burst": limit.burst,
        "mode": mode,
        "zone_mb": limit.zone_mb,
        "states": limit.states,
        "why": {k: [comment(line) for line in v] for k, v in limit.why.items()},
    }
