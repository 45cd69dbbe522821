"""``duplicate-id``: two spec files describe a campaign with the same id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from campaign_guard.lint.findings import Finding, Level
from campaign_guard.lint.rule import CAMPAIGN, Rule
from campaign_guard.spec.load import LoadedSpec
from campaign_guard.spec.messages import format_path

RULE = Rule(
    "duplicate-id",
    Level.ERROR,
    "Two spec files describe a campaign with the same id.",
    "Each campaign's ticket is found again by its id: the `id:` line, or else a slug of "
    "its `name`. Two files with the same id would file, and update, one ticket for two "
    "campaigns. This happens most often when a file is copied to start a new campaign. "
    "Give each campaign its own `id` (or name).",
    bad=f"# file: spring-sale.yaml\n{CAMPAIGN}# file: spring-sale-copy.yaml\n{CAMPAIGN}",
    good=(
        f"# file: spring-sale.yaml\n{CAMPAIGN}# file: summer-sale.yaml\n"
        + CAMPAIGN.replace("name: Spring Sale", "name: Summer Sale")
    ),
)


@dataclass(frozen=True)
class IdSite:
    """Where a file states its campaign id: all the duplicate check keeps of a file."""

    campaign_id: str
    path: str
    loc: tuple[str]
    line: int
    column: int


def id_site(loaded: LoadedSpec) -> IdSite | None:
    """The campaign id of a valid spec and the line it comes from (``id``, else ``name``)."""
    spec = loaded.value
    if spec is None:
        return None
    loc = ("id",) if spec.id else ("name",)
    return IdSite(spec.campaign_id, loaded.path, loc, *loaded.position(loc))


def check_files(sites: Sequence[IdSite]) -> list[Finding]:
    """Two files describing the same campaign id (each file gets a finding)."""
    by_id: dict[str, list[IdSite]] = {}
    for site in sites:
        by_id.setdefault(site.campaign_id, []).append(site)
    findings: list[Finding] = []
    for campaign_id, same in by_id.items():
        if len(same) < 2:
            continue
        for site in same:
            others = ", ".join(f"{o.path}:{o.line}" for o in same if o is not site)
            message = (
                f"campaign id '{campaign_id}' is also used by {others}; give each campaign "
                "its own `id` (or name)"
            )
            findings.append(
                Finding(
                    site.path,
                    site.line,
                    site.column,
                    RULE.level,
                    RULE.code,
                    message,
                    format_path(site.loc),
                )
            )
    return findings
