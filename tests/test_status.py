"""``status`` against Jira answered by ``responses`` (Cloud and Data Center): the JQL,
the chunks, every state, the oldest of several tickets, and no secret in any error."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from campaign_guard.config.project import ProjectConfig
from campaign_guard.config.settings import Settings
from campaign_guard.jira.decision import DECISION_KEY, Decision, DecisionRecord
from campaign_guard.jira.jira_http import JiraError
from campaign_guard.jira.jql import campaign_label, labels_jql
from campaign_guard.jira.snapshot import PROPERTY_KEY, Snapshot
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.load import load_model
from campaign_guard.status import (
    CHUNK,
    LocalSpec,
    campaign_status,
    chunks,
    find_tickets,
    spec_status,
)
from testing.jira_contract import recording
from tests.conftest import REPO_ROOT
from tests.jira.review_support import CANARY, gateway, site

EXAMPLE = REPO_ROOT / "examples" / "campaigns" / "winter-newsletter.yaml"
TEXT = EXAMPLE.read_text(encoding="utf-8")
DIGEST = "d" * 64


def _local(
    text: str = TEXT, path: str = "campaigns/winter.yaml", tmp: Path | None = None
) -> LocalSpec:
    spec = load_model(EXAMPLE, CampaignSpec, str(EXAMPLE)).value if text == TEXT else None
    if spec is None:
        assert tmp is not None
        file = tmp / "spec.yaml"
        file.write_text(text, encoding="utf-8")
        spec = load_model(file, CampaignSpec, str(file)).value
    assert spec is not None
    return LocalSpec(path, spec)


def _decision(verdict: str = "approve", digest: str = DIGEST, who: str = "Dana Ops") -> Any:
    decision = Decision(verdict, who, "2027-11-02T09:14:00+00:00", digest, reason="r")  # type: ignore[arg-type]
    return DecisionRecord(decision).to_json()


def _issue(
    n: int,
    label: str,
    *,
    spec_text: str | None = TEXT,
    decision: Any = None,
    labels: tuple[str, ...] = ("marketing-campaign",),
    snapshot: bool = True,
) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    if snapshot:
        properties[PROPERTY_KEY] = Snapshot(
            "winter-newsletter-2027", {}, DIGEST, spec_text=spec_text
        ).to_json()
    if decision is not None:
        properties[DECISION_KEY] = decision
    return {
        "id": str(10000 + n),
        "key": f"OPS-{n}",
        "fields": {
            "summary": f"Campaign {n}",
            "status": {"name": "In Review", "statusCategory": {"key": "indeterminate"}},
            "labels": [label, *labels],
        },
        "properties": properties,
    }


def _params(url: str | None) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url or "").query))


def _cloud_status(issues: list[dict[str, Any]], local: LocalSpec) -> Any:
    url = site(True) + "/rest/api/3/search/jql"
    with recording(cloud=True) as rsps:
        rsps.get(url, json={"issues": issues, "isLast": True})
        found, _, _ = find_tickets(gateway(True), "OPS", [local.label])
    return spec_status(local, found[local.label], site(True))


# --- the search -----------------------------------------------------------------------


def test_the_jql_names_the_project_and_the_labels_quoted() -> None:
    a, b = campaign_label("a"), campaign_label("b")
    assert labels_jql("OPS", [a, b]) == (
        f'project = "OPS" AND labels in ("{a}", "{b}") ORDER BY key ASC'
    )
    with pytest.raises(ValueError, match="not a campaign label"):
        labels_jql("OPS", ['x") OR project is not EMPTY OR labels in ("y'])
    with pytest.raises(ValueError, match="no campaign labels"):
        labels_jql("OPS", [])


def test_chunks_keep_order_and_drop_repeats() -> None:
    assert chunks(["a", "b", "a", "c"], 2) == [["a", "b"], ["c"]]
    with pytest.raises(ValueError, match="at least 1"):
        chunks(["a"], 0)


def test_cloud_one_search_per_50_specs_with_the_properties() -> None:
    labels = [campaign_label(f"campaign-{n}") for n in range(120)]
    url = site(True) + "/rest/api/3/search/jql"
    with recording(cloud=True) as rsps:
        for _ in range(3):
            rsps.get(url, json={"issues": [], "isLast": True})
        found, searches, requests = find_tickets(gateway(True), "OPS", labels)
        calls = [_params(c.request.url) for c in rsps.calls]
    assert (len(searches), requests) == (3, 3)
    assert [c["jql"].count('"cg-') for c in calls] == [CHUNK, CHUNK, 20]
    assert all(c["properties"] == f"{PROPERTY_KEY},{DECISION_KEY}" for c in calls)
    assert calls[2]["jql"] == labels_jql("OPS", labels[100:])
    assert all(len(c["jql"]) < 1400 for c in calls)
    assert found == {label: [] for label in labels}


def test_dc_reads_each_found_tickets_properties() -> None:
    label = campaign_label("winter-newsletter-2027")
    issue = _issue(1, label)
    url = site(False) + "/rest/api/2/search"
    with recording(cloud=False) as rsps:
        bare = {k: v for k, v in issue.items() if k != "properties"}
        rsps.get(url, json={"startAt": 0, "maxResults": 100, "total": 1, "issues": [bare]})
        rsps.get(f"{site(False)}/rest/api/2/issue/OPS-1", json=issue)
        found, _, requests = find_tickets(gateway(False), "OPS", [label])
        first = _params(rsps.calls[0].request.url)
    assert "properties" not in first
    assert requests == 2
    (item,) = found[label]
    assert item.submission is not None


# --- the states -------------------------------------------------------------------------


def test_no_ticket() -> None:
    status = _cloud_status([], _local())
    assert (status.state, status.key, status.todo) == (
        "no ticket",
        None,
        "run `campaign-guard submit campaigns/winter.yaml`",
    )


def test_waiting_approved_rejected_changes_requested() -> None:
    local = _local()
    label = local.label
    assert _cloud_status([_issue(1, label)], local).state == "waiting for review"
    approved = _cloud_status([_issue(1, label, decision=_decision())], local)
    assert (approved.state, approved.reviewer, approved.decided_at) == (
        "approved",
        "Dana Ops",
        "2027-11-02T09:14:00+00:00",
    )
    assert approved.url == f"{site(True)}/browse/OPS-1"
    rejected = _cloud_status([_issue(1, label, decision=_decision("reject"))], local)
    assert rejected.state == "rejected"
    asked = _cloud_status([_issue(1, label, decision=_decision("request-changes"))], local)
    assert asked.state == "changes requested"


def test_a_decision_on_an_earlier_submission() -> None:
    local = _local()
    stale = _decision(digest="e" * 64)
    assert _cloud_status([_issue(1, local.label, decision=stale)], local).state == (
        "approval out of date"
    )
    stale_reject = _decision("reject", digest="e" * 64)
    assert _cloud_status([_issue(1, local.label, decision=stale_reject)], local).state == (
        "waiting for review"
    )


def test_changed_since_submit_is_a_change_of_the_spec_not_of_its_bytes(tmp_path: Path) -> None:
    edited = _local(TEXT.replace("name: Winter Newsletter 2027", "name: Winter News"), tmp=tmp_path)
    issues = [_issue(1, edited.label, decision=_decision())]
    assert _cloud_status(issues, edited).state == "changed since submit"
    commented = _local("# a comment\n" + TEXT.replace(": ", ":  "), tmp=tmp_path)
    assert _cloud_status(issues, commented).state == "approved"


def test_a_ticket_that_keeps_no_spec_is_not_compared() -> None:
    local = _local()
    status = _cloud_status([_issue(1, local.label, spec_text=None, decision=_decision())], local)
    assert (status.state, status.spec_checked) == ("approved", False)
    bare = _cloud_status([_issue(1, local.label, snapshot=False)], local)
    assert bare.state == "changed since submit"


def test_the_oldest_ticket_counts_and_a_lost_campaign_label_is_still_found() -> None:
    local = _local()
    newer = _issue(9, local.label, labels=())
    older = _issue(3, local.label, decision=_decision())
    status = _cloud_status([newer, older], local)
    assert (status.key, status.state, status.duplicates) == ("OPS-3", "approved", ("OPS-9",))
    alone = _cloud_status([newer], local)
    assert alone.key == "OPS-9"


def test_another_projects_issue_is_left_out() -> None:
    local = _local()
    other = dict(_issue(1, local.label), key="SEC-1")
    assert _cloud_status([other], local).state == "no ticket"


# --- the use case -------------------------------------------------------------------------


def _settings(tmp_path: Path, cloud: bool) -> Settings:
    jira = {"site": site(cloud), "project": "OPS"}
    if not cloud:
        jira["deployment"] = "data-center"
    config = ProjectConfig.model_validate({"jira": jira})
    return Settings(3, tmp_path / "campaign-guard.yaml", project=config)


@pytest.mark.parametrize("cloud", [True, False], ids=["cloud", "dc"])
def test_a_refused_search_shows_no_secret(tmp_path: Path, cloud: bool) -> None:
    env = (
        {"JIRA_EMAIL": "bot@example.com", "JIRA_API_TOKEN": CANARY}
        if cloud
        else {"JIRA_PAT": CANARY}
    )
    url = site(cloud) + ("/rest/api/3/search/jql" if cloud else "/rest/api/2/search")
    with recording(cloud=cloud) as rsps:
        rsps.get(url, status=401, json={"errorMessages": [f"token {CANARY} refused"]})
        with pytest.raises(JiraError) as refused:
            campaign_status(
                _settings(tmp_path, cloud),
                [_local()],
                environ=env,
                connect=lambda s, c, started=None: gateway(cloud),
            )
    assert CANARY not in str(refused.value)
    assert refused.value.exit_code == 3


def test_the_report_counts_its_requests(tmp_path: Path) -> None:
    local = _local()
    url = site(True) + "/rest/api/3/search/jql"
    env = {"JIRA_EMAIL": "bot@example.com", "JIRA_API_TOKEN": CANARY}
    with recording(cloud=True) as rsps:
        rsps.get(url, json={"issues": [_issue(1, local.label)], "isLast": True})
        report = campaign_status(
            _settings(tmp_path, True),
            [local, _local(path="again.yaml")],
            environ=env,
            connect=lambda s, c, started=None: gateway(True),
        )
    assert report.requests == 1
    assert [s.state for s in report.specs] == ["waiting for review"] * 2
    assert report.jql == (labels_jql("OPS", [local.label]),)
    assert CANARY not in repr(report.to_json())
