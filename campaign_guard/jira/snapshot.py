"""What a submit recorded on the issue, so the next submit can say what changed.

The snapshot is stored on the Jira issue as the entity property
``campaign-guard.submission`` (set in the same create or edit request as the fields, and
read back by the label search's ``properties`` parameter), so a re-submit needs no
extra request to learn what was submitted last time (and an unchanged re-submit writes
nothing).

A snapshot holds the five review fields and the estimate's headline as plain text (what
the change comment compares), and a digest of everything the issue shows (what decides
whether the fields need writing at all). Since the review command it also keeps the
estimate's verdict word (``ok``, ``scale``, ``overload``) and the spec's text, so
``review`` can estimate the campaign again against today's capacity profile with no
request beyond the search; both are optional (snapshots written before have neither,
and older versions of the tool ignore them), and the spec's text is left out when the
property would grow past Jira's cap. Anyone with edit rights can change an entity
property, so :meth:`Snapshot.from_json` treats it as untrusted input.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PROPERTY_KEY = "campaign-guard.submission"
VERSION = 1
MAX_BYTES = 30_000
"""Jira caps an entity property at 32 KB; larger snapshots keep only their digests."""

COMPARED = ("name", "launch", "channels", "targets", "data_fields", "estimate")
"""The compared fields, in the order the comment lists them."""
LISTS = frozenset({"channels", "targets", "data_fields"})


@dataclass(frozen=True)
class Snapshot:
    """One submit's review fields and the digest of the issue's fields."""

    campaign_id: str
    fields: Mapping[str, str | tuple[str, ...] | None]
    """``COMPARED`` keys: strings, tuples of strings for ``LISTS``, ``estimate`` may be None."""
    issue_digest: str
    """sha256 of the issue fields campaign-guard writes (summary, description, ...)."""
    verdict: str | None = None
    """The estimate's verdict word when submitted (``ok``, ``scale``, ``overload``)."""
    spec_text: str | None = None
    """The spec file's text when submitted (None: not kept, or an older snapshot)."""

    def to_json(self) -> dict[str, Any]:
        value: dict[str, Any] = {
            "version": VERSION,
            "campaign_id": self.campaign_id,
            "issue_digest": self.issue_digest,
            "fields": {k: list(v) if isinstance(v, tuple) else v for k, v in self.fields.items()},
        }
        if self.verdict is not None:
            value["verdict"] = self.verdict
        if self.spec_text is not None:
            value["spec"] = self.spec_text
            if _size(value) > MAX_BYTES:
                del value["spec"]  # too big to keep: review cannot estimate it again
        if _size(value) > MAX_BYTES:
            value["fields"] = None  # too big to keep: the next submit compares digests only
        return value

    @classmethod
    def from_json(cls, value: object) -> Snapshot | None:
        """The snapshot in a stored property, or None when it is missing or not ours."""
        if not isinstance(value, Mapping):
            return None
        version = value.get("version")
        if type(version) is not int or version != VERSION:  # not True, not 1.0
            return None
        campaign_id, digest = value.get("campaign_id"), value.get("issue_digest")
        if not isinstance(campaign_id, str) or not isinstance(digest, str):
            return None
        fields = _fields(value.get("fields"))
        verdict, spec = value.get("verdict"), value.get("spec")
        return cls(
            campaign_id,
            fields if fields is not None else {},
            digest,
            verdict=verdict if isinstance(verdict, str) and len(verdict) <= 40 else None,
            spec_text=spec if isinstance(spec, str) else None,
        )

    @property
    def complete(self) -> bool:
        """True when the review fields were kept (not only the digest)."""
        return all(key in self.fields for key in COMPARED)


def _size(value: Mapping[str, Any]) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode())


def issue_digest(fields: Mapping[str, Any]) -> str:
    """A stable digest of the issue fields campaign-guard writes."""
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _fields(raw: object) -> dict[str, str | tuple[str, ...] | None] | None:
    if not isinstance(raw, Mapping):
        return None
    out: dict[str, str | tuple[str, ...] | None] = {}
    for key in COMPARED:
        item = raw.get(key)
        if key in LISTS:
            if not isinstance(item, list) or not all(isinstance(x, str) for x in item):
                return None
            out[key] = tuple(item)
        elif key == "estimate" and item is None:
            out[key] = None
        elif isinstance(item, str):
            out[key] = item
        else:
            return None
    return out
