"""The comment a re-submit posts: what changed since the last submit, in plain words.

Pure: two snapshots' review fields in, Jira wiki markup out (every user string is
escaped by the wiki environment). Every comment ends with a marker naming the
submission it belongs to, so a comment whose POST lost its answer
can be found instead of posted twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from campaign_guard.jira.markup import wiki_escape
from campaign_guard.jira.snapshot import COMPARED, LISTS
from campaign_guard.jira.ticket import render_template, review_fields
from campaign_guard.loadmodel.engine import Estimate
from campaign_guard.loadmodel.summary import headline
from campaign_guard.spec.campaign import CampaignSpec

_COMMENT = "ticket-comment.jira.j2"
_RESUBMITTED = "ticket-resubmitted.jira.j2"
_TITLES = {
    "name": "Campaign name",
    "launch": "Launch",
    "channels": "Expected traffic",
    "targets": "Landing pages and API endpoints",
    "data_fields": "New data fields",
    "estimate": "Estimate",
}

Fields = Mapping[str, str | tuple[str, ...] | None]


def compared_fields(spec: CampaignSpec, estimate: Estimate | None) -> dict[str, Any]:
    """The fields a change comment compares (and a snapshot keeps), as plain text."""
    values = review_fields(spec, estimate)
    return {
        "name": values["name"],
        "launch": values["launch"],
        "channels": tuple(values["channels"]),
        "targets": tuple(values["targets"]),
        "data_fields": tuple(values["data_fields"]),
        "estimate": None if estimate is None else headline(estimate),
    }


def marker(submission: str) -> str:
    """The last line of every comment: which submission posted it."""
    return f"campaign-guard submission {submission}"


def change_comment(
    name: str,
    old: Fields,
    new: Fields,
    *,
    submission: str,
    template_dir: Path | None = None,
) -> str | None:
    """What changed from ``old`` to ``new``, or None when nothing the review uses did.

    An estimate missing on either side is not a change (it was not run, not removed).
    """
    changes: list[dict[str, Any]] = []
    for key in COMPARED:
        before, after = _as_list(old.get(key)), _as_list(new.get(key))
        if key == "estimate" and (not before or not after):
            continue
        if Counter(before) == Counter(after):
            continue
        listed = key in LISTS
        changes.append(
            {
                "title": _TITLES[key],
                "before_word": "removed" if listed else "was",
                "after_word": "added" if listed else "now",
                "before": list((Counter(before) - Counter(after)).elements()),
                "after": list((Counter(after) - Counter(before)).elements()),
            }
        )
    if not changes:
        return None
    body = render_template(_COMMENT, {"name": name, "changes": changes}, template_dir)
    return with_marker(body, submission)


def resubmitted_comment(
    name: str, fields: Fields, *, submission: str, template_dir: Path | None = None
) -> str:
    """The comment when the previous submission is unknown: the current review fields."""
    sections = [
        {"title": _TITLES[key], "entries": _as_list(fields.get(key))}
        for key in COMPARED
        if key != "estimate" or fields.get(key) is not None
    ]
    body = render_template(_RESUBMITTED, {"name": name, "sections": sections}, template_dir)
    return with_marker(body, submission)


def comment_text(
    old_spec: CampaignSpec,
    new_spec: CampaignSpec,
    old_estimate: Estimate | None,
    new_estimate: Estimate | None,
    *,
    submission: str = "preview",
) -> str | None:
    """What changed between two specs and their estimates (see :func:`change_comment`)."""
    return change_comment(
        new_spec.name,
        compared_fields(old_spec, old_estimate),
        compared_fields(new_spec, new_estimate),
        submission=submission,
    )


def with_marker(body: str, submission: str) -> str:
    """``body`` with the marker line naming ``submission`` last."""
    return f"{body.rstrip()}\n\n_{wiki_escape(marker(submission))}_\n"


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    return [str(value)]


__all__: Sequence[str] = (
    "change_comment",
    "comment_text",
    "compared_fields",
    "marker",
    "resubmitted_comment",
    "with_marker",
)
