"""JQL built only from validated values: the project key and the campaign's label.

Free text never reaches a JQL query. The dedup search finds a campaign's issue by a
label derived from its id (``cg-`` + 16 hex digits), inside one always-quoted project.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from campaign_guard.errors import ConfigError
from campaign_guard.jira.settings import PROJECT_KEY

if TYPE_CHECKING:
    from campaign_guard.spec.campaign import CampaignSpec

CAMPAIGN_LABEL = "marketing-campaign"
"""The label every campaign ticket carries (the review queue searches for it)."""
_LABEL = re.compile(r"cg-[0-9a-f]{16}\Z")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def validate_project_key(key: str) -> str:
    """``key`` if it is a Jira project key (``OPS``, ``MKT_2``), else a :class:`ConfigError`.

    Jira's default rule: an uppercase letter, then uppercase letters, digits or
    underscores, at most 10 characters in all.
    """
    if not isinstance(key, str) or not PROJECT_KEY.match(key):
        shown = repr(key)[:40]
        raise ConfigError(
            f"jira.project: {shown} is not a Jira project key; use the key shown in the "
            "project's issue keys, like OPS (2-10 uppercase letters, digits or _, "
            "starting with a letter)"
        )
    return key


def quote(value: str) -> str:
    """``value`` as a double-quoted JQL string (Atlassian's ``encodeAsQuotedString``).

    Raises :class:`ValueError` for control characters other than newline, CR and tab.
    """
    bad = _CONTROL.search(value)
    if bad is not None:
        raise ValueError(f"control character U+{ord(bad.group()):04X} cannot be quoted in JQL")
    return '"' + "".join(_ESCAPES.get(char, char) for char in value) + '"'


def campaign_label(campaign_id: str) -> str:
    """The label that marks a campaign's issue: ``cg-`` + sha256(NFC id)[:16]."""
    normal = unicodedata.normalize("NFC", campaign_id)
    return "cg-" + hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


def id_reminder(spec: CampaignSpec) -> str | None:
    """What to tell the marketer when the label comes from the name, not an ``id:``
    (said by a real submit and by a dry run)."""
    if spec.id is not None:
        return None
    return (
        f"the spec has no id, so the ticket is found by the campaign's name; add "
        f"`id: {spec.campaign_id}` so renaming the campaign keeps the same ticket"
    )


def is_campaign_label(label: str) -> bool:
    return _LABEL.match(label) is not None


def dedup_jql(project_key: str, label: str) -> str:
    """``project = "KEY" AND labels = "cg-…"``: the search for a campaign's issue."""
    validate_project_key(project_key)
    if not is_campaign_label(label):
        raise ValueError(f"{label[:40]!r} is not a campaign label (cg- and 16 hex digits)")
    return f"project = {quote(project_key)} AND labels = {quote(label)}"


def labels_jql(project_key: str, labels: Sequence[str]) -> str:
    """``project = "KEY" AND labels in ("cg-…", …) ORDER BY key ASC``: the search for
    several campaigns' issues at once (only campaign labels; a ValueError for others)."""
    validate_project_key(project_key)
    if not labels:
        raise ValueError("no campaign labels to search for")
    for label in labels:
        if not is_campaign_label(label):
            raise ValueError(f"{label[:40]!r} is not a campaign label (cg- and 16 hex digits)")
    listed = ", ".join(quote(label) for label in labels)
    return f"project = {quote(project_key)} AND labels in ({listed}) ORDER BY key ASC"


def newest_labelled_jql(project_key: str, label: str) -> str:
    """``project = "KEY" AND labels = "label" ORDER BY created DESC``, for any plain label."""
    validate_project_key(project_key)
    if not label or any(ch.isspace() for ch in label) or _CONTROL.search(label):
        raise ValueError(f"{label[:40]!r} is not a Jira label")
    return f"project = {quote(project_key)} AND labels = {quote(label)} ORDER BY created DESC"
