"""The edge limits as ingress-nginx annotations: an Ingress per endpoint, and the
controller's ConfigMap keys.

ingress-nginx is retired: Kubernetes SIG Network and the Security Response Committee
announced on 2025-11-11 ("Ingress NGINX Retirement: What You Need to Know",
kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/) best-effort maintenance until
March 2026, then no releases, bug fixes or security fixes. The files say so first.

What the annotations become (kubernetes/ingress-nginx v1.15.1,
``internal/ingress/annotations/ratelimit/main.go`` and
``internal/ingress/controller/template/template.go``): one zone of 5 MB per Ingress,
keyed on the client's address (``limit_req_zone $binary_remote_addr zone=…:5m
rate=Nr/s``), and ``limit_req zone=… burst=limit×multiplier nodelay`` in each of its
locations; the limits are per controller replica (docs/user-guide/nginx-configuration/
annotations.md, "Rate Limiting"). There is no endpoint-wide cap (the global rate limit
was removed in v1.12), no Retry-After without snippets (off by default), no dry run.
Pure: no printing, no files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from campaign_guard.protect.edge import EdgePlan, Limit, Protected
from campaign_guard.protect.numbers import Finding, down, plain
from campaign_guard.protect.quoting import comment, is_template, path_regex

PREFIX = "nginx.ingress.kubernetes.io/"
"""The annotations' prefix (annotations.md)."""
ZONE_MB = 5
"""The size of every zone the controller writes (``defSharedSize`` in ratelimit/main.go):
about 40,000 addresses at 8,000 per MB (nginx docs, ngx_http_limit_req_module)."""
INGRESS_CLASS = "nginx"
"""The IngressClass the official chart creates (charts/ingress-nginx/values.yaml,
``controller.ingressClassResource.name``)."""
STRICT_PATH = re.compile(r"^/[A-Za-z0-9._\-/]*$")
"""The paths the controller accepts with ``pathType: Exact`` while ConfigMap
``strict-validate-path-type`` is true, its default since v1.12
(internal/ingress/inspector/rules.go ``validPathType``); any other path needs
``ImplementationSpecific``."""
RETIRED = (
    "ingress-nginx is RETIRED. Kubernetes SIG Network and the Security Response "
    "Committee announced on 2025-11-11 best-effort maintenance until March 2026, then "
    "no releases, no bug fixes and no security fixes "
    "(https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/). Plan the move to "
    "a Gateway API implementation, e.g. Envoy Gateway (BackendTrafficPolicy rateLimit) "
    "or Traefik (the RateLimit middleware)."
)
CANNOT_EXPRESS = (
    "No endpoint-wide cap: the annotations count requests per client address only. The "
    "global rate limit was removed in v1.12 and snippets (configuration-snippet) are off "
    "by default, so each endpoint's cap below must be enforced elsewhere (a CDN or WAF "
    "rule, or the service itself).",
    "Every method is counted: an Ingress path cannot tell POST from GET, so the limit "
    "applies to all requests to the path.",
    "No Retry-After on refusals: adding a header needs a snippet; clients get a bare 429.",
    "No dry run: there is no switch that only logs, so the dry run leaves the limits "
    "commented out.",
    "Limits per controller replica: each replica keeps its own counters (edge.nodes = the "
    "number of replicas). With a HorizontalPodAutoscaler the effective limit changes with "
    "the replica count.",
    "Whole numbers only: limit-rps (or limit-rpm under one a second) and a whole burst "
    "multiplier; the burst is the limit x the multiplier, rounded down to fit the plan "
    "(at least the limit itself: a burst of 0 does not load).",
    f"Zones are {ZONE_MB} MB (about 40,000 addresses); when full, nginx evicts the least "
    "recently used.",
)


@dataclass(frozen=True)
class Annotated:
    """The per-client limit as the annotations write it."""

    unit: Literal["rps", "rpm"]
    limit: int
    multiplier: int
    why: list[str]

    @property
    def burst(self) -> int:
        """The controller's burst: the limit x the multiplier (ratelimit/main.go)."""
        return self.limit * self.multiplier


def annotated(client: Limit) -> Annotated:
    """``client`` as ``limit-rps`` (or ``limit-rpm`` under one a second) and the whole
    burst multiplier whose burst comes closest to the plan's without going over it."""
    per_second = client.rate.per_second
    if per_second >= 1:
        unit: Literal["rps", "rpm"] = "rps"
        limit = down(per_second)
        rate = f"{plain(per_second)}/s per client, written limit-rps {limit}"
        if limit != per_second:
            rate += " (the annotation takes whole requests a second: rounded down)"
    else:
        unit, limit = "rpm", down(per_second * 60)
        rate = (
            f"{plain(per_second)}/s per client is under one a second: limit-rpm {limit} "
            "(limit-rps 0 would turn the limit off)"
        )
    # at least 1: a multiplier of 0 makes "burst=0", which nginx refuses ("invalid burst
    # value", ngx_http_limit_req_module), so the controller's configuration would not load
    multiplier = max(1, client.burst // limit)
    burst = (
        f"limit-burst-multiplier {multiplier}: the controller's burst is limit-{unit} x "
        f"the multiplier = {limit * multiplier}"
    )
    if limit * multiplier <= client.burst:
        burst += f", the largest that does not go over the plan's burst of {client.burst}"
    else:
        burst += (
            f", over the plan's burst of {client.burst}: the smallest the controller can "
            "write (a multiplier of 0 would make a burst nginx refuses)"
        )
    return Annotated(unit, limit, multiplier, [rate, *client.why["rate"], burst])


def render_ingress(plan: EdgePlan) -> tuple[dict[str, str], list[Finding]]:
    """``plan`` as the two ingress-nginx files, by name (``ingress-nginx-annotations.yaml``:
    an Ingress per endpoint; ``ingress-nginx-configmap.yaml``: the controller's keys),
    and what the annotations cannot express of it."""
    from campaign_guard.protect.nginx import plan_context
    from campaign_guard.render import render

    context = {
        **plan_context(plan, CANNOT_EXPRESS),
        "retired": RETIRED,
        "endpoints": [_endpoint(e) for e in plan.endpoints],
        "cidrs": ",".join(plan.front.trusted),
    }
    files = {
        "ingress-nginx-annotations.yaml": render(
            "protect/ingress-nginx-annotations.yaml.j2", **context
        ),
        "ingress-nginx-configmap.yaml": render(
            "protect/ingress-nginx-configmap.yaml.j2", **context
        ),
    }
    return files, ingress_findings(plan)


def _endpoint(endpoint: Protected) -> dict[str, object]:
    numbers = annotated(endpoint.client)
    regex = needs_pattern(endpoint.path)
    return {
        "title": comment(f"{endpoint.endpoint} (service {endpoint.service})"),
        "service": comment(endpoint.service),
        "method": endpoint.method,
        "name": endpoint.client.name.removesuffix("_ip").replace("_", "-"),
        "regex": regex,
        # the controller writes a regular expression path as location ~* "^<path>"
        "path": path_regex(endpoint.path)[1:] if regex else endpoint.path,
        "annotations": {
            **({f"{PREFIX}use-regex": "true"} if regex else {}),
            f"{PREFIX}limit-{numbers.unit}": str(numbers.limit),
            f"{PREFIX}limit-burst-multiplier": str(numbers.multiplier),
        },
        "why": [comment(line) for line in numbers.why],
        "zone_mb": endpoint.client.zone_mb,
        "cap": endpoint.whole.rate.text,
        "cap_why": [comment(line) for line in endpoint.whole.why["rate"]],
    }


def needs_pattern(path: str) -> bool:
    """Whether ``path`` is written as a pattern (``use-regex``): it has ``{param}``
    segments, or characters ``pathType: Exact`` refuses."""
    return is_template(path) or STRICT_PATH.match(path) is None


def ingress_findings(plan: EdgePlan) -> list[Finding]:
    """What the annotations cannot do of ``plan``: one finding each, for the whole plan."""
    if not plan.endpoints:
        return []
    caps = ", ".join(f"{e.endpoint} {e.whole.rate.text}" for e in plan.endpoints[:5])
    more = f" and {len(plan.endpoints) - 5} more" if len(plan.endpoints) > 5 else ""
    found = [
        _finding(
            "ingress-no-endpoint-cap",
            "ingress-nginx limits each visitor's address, not an endpoint as a whole: the "
            f"caps that protect the services are not written (per replica: {caps}{more}); "
            "set them in your CDN or WAF, or in the service",
        ),
        _finding(
            "ingress-no-retry-after",
            "ingress-nginx cannot tell refused visitors when to try again (no Retry-After "
            "header without configuration snippets, which are off by default)",
        ),
    ]
    if plan.enforce:
        found.append(
            _finding(
                "ingress-no-dry-run",
                "ingress-nginx has no dry run: these limits refuse requests from the moment "
                "the Ingresses are applied",
            )
        )
    else:
        found.append(
            _finding(
                "ingress-no-dry-run",
                "ingress-nginx has no dry run, so the limits are written commented out and "
                "nothing is limited yet; run again with --enforce to write them switched on",
            )
        )
    found += _shapes(plan.endpoints)
    return found


def _shapes(endpoints: Sequence[Protected]) -> list[Finding]:
    found = []
    regex = [e.endpoint for e in endpoints if needs_pattern(e.path)]
    if regex:
        found.append(
            _finding(
                "ingress-use-regex",
                f"{', '.join(regex[:5])}: matched by a pattern (use-regex), which makes every "
                "path of the same host, on every Ingress, a case-insensitive pattern; check "
                "the host's other paths before applying",
            )
        )
    over = [e for e in endpoints if annotated(e.client).burst > e.client.burst]
    if over:
        found.append(
            _finding(
                "ingress-burst-over",
                f"{', '.join(e.endpoint for e in over[:5])}: the limit per visitor is under one "
                "request a second, so it is written per minute, and the smallest burst "
                "ingress-nginx can write is a minute's worth "
                f"({', '.join(str(annotated(e.client).burst) for e in over[:5])} requests at "
                "once, more than the plan's)",
            )
        )
    return found


def _finding(code: str, message: str) -> Finding:
    return Finding(None, ("edge",), code, message, "warning")
