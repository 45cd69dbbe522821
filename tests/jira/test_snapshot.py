"""The submission snapshot stored on the issue, and the comments a re-submit posts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from campaign_guard.jira.comment import change_comment, marker, resubmitted_comment
from campaign_guard.jira.markup import wiki_escape
from campaign_guard.jira.snapshot import (
    COMPARED,
    MAX_BYTES,
    PROPERTY_KEY,
    VERSION,
    Snapshot,
    issue_digest,
)

Fields = dict[str, str | tuple[str, ...] | None]

HOSTILE = "[evil|http://x] {code}x{code} [~admin]"


def review(**changes: str | tuple[str, ...] | None) -> Fields:
    base: Fields = {
        "name": "Winter Newsletter 2027",
        "launch": "Tue 7 Dec 2027 09:00 EST to Fri 10 Dec 2027 09:00 EST",
        "channels": ("email (Newsletter): list of 50,000", "push: 200,000 recipients"),
        "targets": ("https://www.example.com/winter", "GET /api/products/featured"),
        "data_fields": (),
        "estimate": "Today's capacity holds.",
    }
    base.update(changes)
    return base


def snapshot(**changes: str | tuple[str, ...] | None) -> Snapshot:
    return Snapshot("winter-newsletter-2027", review(**changes), "ab" * 32)


def stored(**changes: Any) -> dict[str, Any]:
    value = snapshot().to_json()
    value.update(changes)
    return value


def last_line(text: str) -> str:
    return text.rstrip("\n").rsplit("\n", 1)[-1]


# --- Snapshot JSON ------------------------------------------------------------------


def test_property_key_and_version() -> None:
    assert PROPERTY_KEY == "campaign-guard.submission"
    assert snapshot().to_json()["version"] == VERSION


def test_to_json_turns_tuples_into_lists() -> None:
    value = snapshot().to_json()
    assert value == {
        "version": VERSION,
        "campaign_id": "winter-newsletter-2027",
        "issue_digest": "ab" * 32,
        "fields": {
            "name": "Winter Newsletter 2027",
            "launch": "Tue 7 Dec 2027 09:00 EST to Fri 10 Dec 2027 09:00 EST",
            "channels": ["email (Newsletter): list of 50,000", "push: 200,000 recipients"],
            "targets": ["https://www.example.com/winter", "GET /api/products/featured"],
            "data_fields": [],
            "estimate": "Today's capacity holds.",
        },
    }


@pytest.mark.parametrize("estimate", ["Today's capacity holds.", None])
def test_snapshot_survives_a_json_round_trip(estimate: str | None) -> None:
    original = snapshot(estimate=estimate)
    back = Snapshot.from_json(json.loads(json.dumps(original.to_json())))
    assert back == original
    assert back is not None
    assert back.complete
    assert isinstance(back.fields["channels"], tuple)
    assert back.fields["estimate"] == estimate


@pytest.mark.parametrize("value", [None, "snapshot", 1, ["version", 1], ("a", "b")])
def test_from_json_rejects_non_mappings(value: object) -> None:
    assert Snapshot.from_json(value) is None


@pytest.mark.parametrize("version", [None, 0, 2, "1", True, 1.0])
def test_from_json_rejects_another_version(version: object) -> None:
    assert Snapshot.from_json(stored(version=version)) is None
    without = stored()
    del without["version"]
    assert Snapshot.from_json(without) is None


@pytest.mark.parametrize(
    "changes",
    [
        {"campaign_id": None},
        {"campaign_id": 42},
        {"campaign_id": ["winter"]},
        {"issue_digest": None},
        {"issue_digest": 123},
        {"issue_digest": {"sha256": "x"}},
    ],
)
def test_from_json_rejects_wrong_types(changes: dict[str, Any]) -> None:
    assert Snapshot.from_json(stored(**changes)) is None


def test_from_json_without_fields_keeps_only_the_digest() -> None:
    value = stored()
    del value["fields"]
    back = Snapshot.from_json(value)
    assert back is not None
    assert back.campaign_id == "winter-newsletter-2027"
    assert back.issue_digest == "ab" * 32
    assert back.fields == {}
    assert back.complete is False


def _fields_with(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = dict(stored()["fields"])
    fields.update(changes)
    return fields


def _fields_without(key: str) -> dict[str, Any]:
    fields: dict[str, Any] = dict(stored()["fields"])
    del fields[key]
    return fields


@pytest.mark.parametrize(
    "fields",
    [
        None,
        "name",
        ["name", "launch"],
        _fields_with(name=None),
        _fields_with(name=7),
        _fields_with(launch=["Tue"]),
        _fields_with(channels="email"),
        _fields_with(channels=["email", 3]),
        _fields_with(targets=None),
        _fields_with(data_fields=[["nested"]]),
        _fields_with(estimate=12),
        _fields_with(estimate=["holds"]),
        _fields_without("targets"),
        _fields_without("launch"),
    ],
)
def test_from_json_with_malformed_fields_is_incomplete(fields: object) -> None:
    back = Snapshot.from_json(stored(fields=fields))
    assert back is not None
    assert back.issue_digest == "ab" * 32
    assert back.fields == {}
    assert back.complete is False


def test_from_json_ignores_unknown_field_keys() -> None:
    back = Snapshot.from_json(stored(fields=_fields_with(extra="ignored")))
    assert back is not None
    assert back.complete
    assert "extra" not in back.fields


def test_missing_estimate_reads_as_none() -> None:
    back = Snapshot.from_json(stored(fields=_fields_without("estimate")))
    assert back is not None
    assert back.complete
    assert back.fields["estimate"] is None


def test_complete_needs_every_compared_field() -> None:
    assert snapshot().complete
    partial = Snapshot("c", {k: v for k, v in review().items() if k != "launch"}, "d")
    assert partial.complete is False
    assert set(COMPARED) == set(review())


def test_oversized_snapshot_drops_fields_but_keeps_the_digest() -> None:
    many = tuple(f"field_{i:05d} (personal data; purpose: marketing)" for i in range(1000))
    big = snapshot(data_fields=many)
    value = big.to_json()
    assert len(json.dumps(value, ensure_ascii=False).encode()) <= MAX_BYTES
    assert value["fields"] is None
    assert value["issue_digest"] == "ab" * 32
    assert value["campaign_id"] == "winter-newsletter-2027"
    back = Snapshot.from_json(json.loads(json.dumps(value)))
    assert back is not None
    assert back.issue_digest == "ab" * 32
    assert back.complete is False


def test_the_size_limit_counts_utf8_bytes_not_characters() -> None:
    # 12,000 characters, 36,000 bytes in UTF-8.
    wide = snapshot(name="€" * 12_000).to_json()
    assert wide["fields"] is None
    # 12,000 ASCII characters fit.
    narrow = snapshot(name="e" * 12_000).to_json()
    assert narrow["fields"] is not None
    assert narrow["fields"]["name"] == "e" * 12_000


# --- issue_digest -------------------------------------------------------------------

ISSUE = {
    "summary": "Winter Newsletter 2027 (Tue 7 Dec 2027)",
    "description": "h3. Campaign",
    "labels": ["campaign-winter", "marketing-campaign"],
    "duedate": "2027-11-23",
    "customfield_1": {"value": "OK"},
}


def test_issue_digest_is_a_sha256_hex() -> None:
    digest = issue_digest(ISSUE)
    assert len(digest) == 64
    assert all(c in "0123456789abcdef" for c in digest)
    assert issue_digest(ISSUE) == digest


def test_issue_digest_ignores_key_order() -> None:
    reordered = dict(reversed(list(ISSUE.items())))
    reordered["customfield_1"] = {"value": "OK"}
    assert list(reordered) != list(ISSUE)
    assert issue_digest(reordered) == issue_digest(ISSUE)
    nested_a = {"f": {"a": 1, "b": 2}}
    nested_b = {"f": {"b": 2, "a": 1}}
    assert issue_digest(nested_a) == issue_digest(nested_b)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("summary", "Winter Newsletter 2027 (Wed 8 Dec 2027)"),
        ("description", "h3. Campaign "),
        ("labels", ["marketing-campaign", "campaign-winter"]),
        ("duedate", "2027-11-24"),
        ("customfield_1", {"value": "Scale up"}),
        ("customfield_1", None),
    ],
)
def test_issue_digest_changes_with_any_value(key: str, value: object) -> None:
    changed = {**ISSUE, key: value}
    assert issue_digest(changed) != issue_digest(ISSUE)


def test_issue_digest_changes_with_an_added_field() -> None:
    assert issue_digest({**ISSUE, "components": [{"name": "Web"}]}) != issue_digest(ISSUE)


# --- change_comment -----------------------------------------------------------------


def test_change_comment_is_none_when_nothing_changed() -> None:
    assert change_comment("Winter", review(), review(), submission="s1") is None


def test_change_comment_ignores_the_order_of_list_items() -> None:
    old = review()
    channels = old["channels"]
    assert isinstance(channels, tuple)
    new = review(channels=tuple(reversed(channels)))
    assert change_comment("Winter", old, new, submission="s1") is None


@pytest.mark.parametrize(("before", "after"), [("Holds.", None), (None, "Holds.")])
def test_change_comment_an_estimate_on_one_side_is_no_change(
    before: str | None, after: str | None
) -> None:
    old, new = review(estimate=before), review(estimate=after)
    assert change_comment("Winter", old, new, submission="s1") is None
    missing = {k: v for k, v in review().items() if k != "estimate"}
    assert change_comment("Winter", missing, review(), submission="s1") is None


def test_change_comment_an_estimate_on_both_sides_is_compared() -> None:
    old, new = review(estimate="Holds."), review(estimate="Scale web to 8.")
    text = change_comment("Winter", old, new, submission="s1")
    assert text is not None
    assert "*Estimate*" in text
    assert "* was: Holds." in text
    assert "* now: Scale web to 8." in text


def test_change_comment_lists_removed_and_added_items() -> None:
    old = review(targets=("https://www.example.com/winter", "GET /api/a"))
    new = review(targets=("GET /api/a", "POST /api/b"), launch="Wed 8 Dec 2027 09:00 EST")
    text = change_comment("Winter Newsletter 2027", old, new, submission="sub-42")
    assert text is not None
    assert text.startswith("h3. Campaign spec updated: Winter Newsletter 2027\n")
    assert "*Landing pages and API endpoints*" in text
    assert f"* removed: {wiki_escape('https://www.example.com/winter')}" in text
    assert f"* added: {wiki_escape('POST /api/b')}" in text
    assert wiki_escape("GET /api/a") not in text  # on both sides: not listed
    assert "*Launch*" in text
    assert "* was: Tue 7 Dec 2027 09:00 EST to Fri 10 Dec 2027 09:00 EST" in text
    assert "* now: Wed 8 Dec 2027 09:00 EST" in text
    # Unchanged fields are left out, and the fields keep the compared order.
    assert "*Campaign name*" not in text
    assert "*Expected traffic*" not in text
    assert text.index("*Launch*") < text.index("*Landing pages and API endpoints*")


def test_change_comment_ends_with_the_escaped_marker() -> None:
    old, new = review(), review(name="Winter Newsletter 2028")
    text = change_comment("Winter Newsletter 2028", old, new, submission="sub-42")
    assert text is not None
    assert text.endswith("\n\n_campaign\\-guard submission sub\\-42_\n")
    assert last_line(text) == f"_{wiki_escape(marker('sub-42'))}_"
    assert "sub-42" in marker("sub-42")


def test_change_comment_escapes_user_values() -> None:
    old, new = review(), review(data_fields=(HOSTILE,))
    text = change_comment(HOSTILE, old, new, submission="s1")
    assert text is not None
    assert f"h3. Campaign spec updated: {wiki_escape(HOSTILE)}" in text
    assert f"* added: {wiki_escape(HOSTILE)}" in text
    assert "[evil|" not in text
    assert "{code}" not in text
    assert "[~admin]" not in text


def test_change_comment_uses_the_project_template_folder(tmp_path: Path) -> None:
    (tmp_path / "ticket-comment.jira.j2").write_text(
        "PROJECT TEMPLATE for {{ name }}\n"
        "{% for change in changes %}"
        "{{ change.title }}: {{ change.after | join(', ') }}\n"
        "{% endfor %}",
        encoding="utf-8",
    )
    old, new = review(), review(data_fields=(HOSTILE,))
    text = change_comment(HOSTILE, old, new, submission="sub-7", template_dir=tmp_path)
    assert text is not None
    assert text.startswith(f"PROJECT TEMPLATE for {wiki_escape(HOSTILE)}\n")
    assert f"New data fields: {wiki_escape(HOSTILE)}" in text
    assert "{code}" not in text
    assert "Campaign spec updated" not in text
    assert last_line(text) == f"_{wiki_escape(marker('sub-7'))}_"


def test_change_comment_without_template_dir_uses_the_built_in_one(tmp_path: Path) -> None:
    (tmp_path / "ticket-comment.jira.j2").write_text("PROJECT TEMPLATE\n", encoding="utf-8")
    text = change_comment("W", review(), review(name="W2"), submission="s1")
    assert text is not None
    assert "PROJECT TEMPLATE" not in text
    assert text.startswith("h3. Campaign spec updated: W\n")


# --- resubmitted_comment ------------------------------------------------------------


def test_resubmitted_comment_lists_every_field() -> None:
    fields = review(data_fields=("phone (personal data)",))
    text = resubmitted_comment("Winter Newsletter 2027", fields, submission="sub-9")
    assert text.startswith("h3. Campaign spec re-submitted: Winter Newsletter 2027\n")
    titles = [
        "*Campaign name*",
        "*Launch*",
        "*Expected traffic*",
        "*Landing pages and API endpoints*",
        "*New data fields*",
        "*Estimate*",
    ]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "* Winter Newsletter 2027" in text
    assert f"* {wiki_escape('https://www.example.com/winter')}" in text
    assert f"* {wiki_escape('GET /api/products/featured')}" in text
    assert f"* {wiki_escape('email (Newsletter): list of 50,000')}" in text
    assert "* phone \\(personal data\\)" in text
    assert "* Today's capacity holds." in text
    assert "* none" not in text
    assert last_line(text) == f"_{wiki_escape(marker('sub-9'))}_"
    assert text.endswith("_\n")


def test_resubmitted_comment_shows_none_for_empty_lists() -> None:
    text = resubmitted_comment("W", review(data_fields=(), targets=()), submission="s1")
    lines = text.splitlines()
    for title in ("*New data fields*", "*Landing pages and API endpoints*"):
        at = lines.index(title)
        assert lines[at + 1] == "* none"
    assert text.count("* none") == 2


def test_resubmitted_comment_skips_a_missing_estimate() -> None:
    fields = review(estimate=None, data_fields=("size",))
    text = resubmitted_comment("W", fields, submission="s1")
    assert "*Estimate*" not in text
    assert "* none" not in text  # skipped, not shown as empty
    assert "*New data fields*\n* size\n" in text


def test_resubmitted_comment_escapes_user_values() -> None:
    text = resubmitted_comment(HOSTILE, review(targets=(HOSTILE,)), submission="s1")
    assert text.startswith(f"h3. Campaign spec re-submitted: {wiki_escape(HOSTILE)}\n")
    assert f"* {wiki_escape(HOSTILE)}" in text
    assert "[evil|" not in text
    assert "{code}" not in text


def test_change_comment_shows_a_removed_repeat() -> None:
    old, new = review(targets=("a", "a")), review(targets=("a",))
    text = change_comment("Winter", old, new, submission="s1")
    assert text is not None
    assert "* removed: a\n" in text


def test_an_older_snapshot_with_extra_keys_still_reads() -> None:
    """Snapshots written by earlier versions (``attachment_missing``) still compare."""
    old = Snapshot.from_json(stored(attachment_missing=True))
    assert old is not None
    assert old.issue_digest == snapshot().issue_digest
