"""``protect edge`` on files: read the specs and the profile, size the limits, render.

What ``campaign-guard protect edge`` does before it prints anything; the findings of
the plan are placed at their line in the spec or profile they concern. No printing and
no exiting: files with problems raise :class:`ProblemsFound`, a missing profile a
:class:`UsageError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from campaign_guard.errors import UsageError
from campaign_guard.estimation import finding_json, read_with_profile
from campaign_guard.lint.findings import Finding, Level
from campaign_guard.lint.policy import finding
from campaign_guard.loadmodel.engine import estimate
from campaign_guard.protect import numbers
from campaign_guard.protect.edge import EdgePlan, Limit, plan_edge
from campaign_guard.spec.capacity import CapacityProfile
from campaign_guard.spec.load import Loaded

EDGE_TARGETS = ("nginx", "haproxy", "ingress-nginx", "aws-waf")


@dataclass(frozen=True)
class EdgeResult:
    """The limits, their files by name, and the findings placed in their files."""

    plan: EdgePlan
    files: dict[str, str]
    """File name → content, in the order they are printed."""
    findings: list[Finding]

    @property
    def failed(self) -> bool:
        """Whether an endpoint was left without a limit (an error finding)."""
        return any(f.level == Level.ERROR for f in self.findings)


def check_target(target: str) -> str:
    if target not in EDGE_TARGETS:
        raise UsageError(f"--target must be one of {', '.join(EDGE_TARGETS)}, not '{target[:20]}'")
    return target


def protect_files(
    files: Sequence[str],
    capacity: Path | None,
    target: str,
    *,
    enforce: bool = False,
    access_log: str | None = None,
) -> EdgeResult:
    """The ``target`` configuration limiting the endpoints of the specs in ``files``."""
    check_target(target)
    specs, loaded, profile = read_with_profile(
        files,
        capacity,
        "protect edge needs a capacity profile: give --capacity FILE (or set "
        "CAMPAIGN_GUARD_CAPACITY)",
    )
    values = [s.value for s in specs if s.value is not None]
    plan = plan_edge(values, profile, estimate(values, profile), enforce=enforce)
    rendered = render_files(plan, target, access_log)
    placed = _placed([*plan.findings, *rendered.findings], specs, loaded)
    return EdgeResult(plan, rendered.files, placed)


@dataclass(frozen=True)
class Rendered:
    """One target's files, and what it could not express of the plan."""

    files: dict[str, str]
    """File name → content, in the order they are printed."""
    findings: list[numbers.Finding] = field(default_factory=list)
    """The target's own findings (a limit it cannot express, a setting it lacks), besides
    the plan's."""


def render_files(plan: EdgePlan, target: str, access_log: str | None = None) -> Rendered:
    """``plan`` as ``target``'s files, by name, and the target's own findings."""
    if target == "nginx":
        from campaign_guard.protect.nginx import DEFAULT_ACCESS_LOG, render_nginx

        return Rendered(render_nginx(plan, access_log or DEFAULT_ACCESS_LOG))
    if target == "ingress-nginx":
        from campaign_guard.protect.ingress import render_ingress

        return Rendered(*render_ingress(plan))
    if target == "aws-waf":
        from campaign_guard.protect.waf_files import render_waf

        return Rendered(*render_waf(plan))
    from campaign_guard.protect.haproxy import render_haproxy

    return Rendered(render_haproxy(plan))


def _placed(
    found: Sequence[numbers.Finding], specs: Sequence[Loaded[Any]], profile: Loaded[CapacityProfile]
) -> list[Finding]:
    by_id = {s.value.campaign_id: s for s in specs if s.value is not None}
    placed = []
    for item in found:
        where = profile if item.campaign_id is None else by_id[item.campaign_id]
        level = Level.ERROR if item.level == "error" else Level.WARNING
        placed.append(finding(where, item.loc, item.code, item.message, level))
    return placed


def edge_json(result: EdgeResult) -> dict[str, Any]:
    """The limits, every number with the sentences saying where it came from, the
    findings, and the files."""
    plan = result.plan
    return {
        "profile": plan.profile,
        "mode": "enforce" if plan.enforce else "dry-run",
        "nodes": plan.nodes,
        "in_front": plan.front.in_front,
        "trusted_proxies": list(plan.front.trusted),
        "endpoints": [
            {
                "endpoint": e.endpoint,
                "service": e.service,
                "numbers": e.numbers,
                "per_client": _limit_json(e.client),
                "endpoint_wide": _limit_json(e.whole),
            }
            for e in plan.endpoints
        ],
        "findings": [{**finding_json(f), "level": str(f.level)} for f in result.findings],
        "files": result.files,
    }


def _limit_json(limit: Limit) -> dict[str, Any]:
    return {
        "zone": limit.name,
        "rate": limit.rate.text,
        "rate_per_second": limit.rate.per_second,
        "burst": limit.burst,
        "delay": "nodelay" if limit.delay is None else limit.delay,
        "zone_mb": limit.zone_mb,
        "states": limit.states,
        "why": limit.why,
    }
