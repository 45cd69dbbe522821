"""One ticket's review screen: the spec kept on the ticket, estimated again with the open
tickets of its window summed in; what cannot be counted is named; a ticket without a
readable spec is one clear error."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pytest

from campaign_guard.config.project import ProjectConfig
from campaign_guard.config.settings import Settings
from campaign_guard.jira.jira_http import JiraError, SearchPage
from campaign_guard.jira.queue import PROPERTIES
from campaign_guard.jira.settings import JiraSettings
from campaign_guard.jira.snapshot import PROPERTY_KEY, Snapshot
from campaign_guard.oncall.base import OnCallPerson
from campaign_guard.review.ticket import ticket_review
from tests.conftest import REPO_ROOT
from tests.test_reviewing import spec_text

NOW = datetime(2027, 11, 1, 10, 0, tzinfo=timezone.utc)
PROFILE = REPO_ROOT / "examples" / "capacity" / "production.yaml"
DANA = OnCallPerson("Dana Ops", "dana@example.com")


def issue(
    key: str, name: str, spec: str | None, *, due: str, verdict: str = "ok"
) -> dict[str, Any]:
    snapshot = Snapshot(name.lower().replace(" ", "-"), {"name": name}, "d" * 64, verdict, spec)
    return {
        "key": key,
        "id": key[4:],
        "fields": {
            "summary": f"Campaign launch: {name}",
            "status": {"name": "Open", "statusCategory": {"key": "new"}},
            "assignee": {"displayName": "Dana Ops"},
            "labels": ["marketing-campaign"],
            "duedate": due,
        },
        "properties": {PROPERTY_KEY: snapshot.to_json()},
    }


@dataclass
class StubJira:
    """The gateway's reading side, answering from ``issues`` (Cloud: one search page)."""

    issues: dict[str, dict[str, Any]]
    asked: list[str] = field(default_factory=list)
    is_cloud: bool = True

    @property
    def sent(self) -> int:
        return len(self.asked)

    def issue_view(
        self, key: str, fields: Sequence[str], properties: Sequence[str] = ()
    ) -> dict[str, Any]:
        self.asked.append(f"GET {key}")
        assert tuple(properties) == PROPERTIES
        if key not in self.issues:
            raise JiraError("not found", status=404)
        return self.issues[key]

    def search_page(self, jql: str, **_: Any) -> SearchPage:
        self.asked.append(f"SEARCH {jql}")
        return SearchPage(tuple(self.issues.values()))


def settings() -> Settings:
    jira = JiraSettings(site="https://example.atlassian.net", project="OPS")
    return Settings(3, PROFILE, capacity=PROFILE, project=ProjectConfig(jira=jira))


def run(stub: StubJira, key: str = "OPS-7", **kw: Any) -> Any:
    def connect(*_a: Any, **_k: Any) -> StubJira:
        return stub

    environ: Mapping[str, str] = {"JIRA_EMAIL": "bot@example.com", "JIRA_API_TOKEN": "t"}
    return ticket_review(
        settings(),
        key,
        environ=environ,
        now=NOW,
        reader_zone=timezone.utc,
        connect=connect,  # type: ignore[arg-type]
        oncall_at=lambda _at: DANA,
        **kw,
    )


def flash_sales() -> StubJira:
    friday = spec_text("black-friday-flash-sale.yaml")
    push = friday.replace("name: Black Friday Flash Sale", "name: Black Friday App Push")
    push = push.replace("id: black-friday-flash-2027", "id: black-friday-push-2027")
    return StubJira(
        {
            "OPS-7": issue("OPS-7", "Black Friday Flash Sale", friday, due="2027-11-26"),
            "OPS-8": issue("OPS-8", "Black Friday App Push", push, due="2027-11-26"),
            "OPS-10": issue(
                "OPS-10", "Winter Newsletter 2027", spec_text("winter-newsletter.yaml"),
                due="2027-12-07",
            ),
            "OPS-9": issue("OPS-9", "Old Sale", None, due="2027-11-26"),
        }
    )  # fmt: skip


def test_the_overlapping_ticket_is_summed_in_and_the_rest_is_not() -> None:
    stub = flash_sales()
    found = run(stub)
    assert found.row.key == "OPS-7"
    assert found.counted == ("OPS-8",)
    assert found.screen.overlapping == ["Black Friday App Push"]
    assert [n.key for n in found.not_counted] == ["OPS-9"]
    assert "no spec kept on the ticket" in found.not_counted[0].why
    # the combined load is more than the campaign's own: the other one is in it
    alone = run(StubJira({"OPS-7": stub.issues["OPS-7"]}))
    together = {(x.kind, x.name): x.peak for x in found.screen.loads}
    by_itself = {(x.kind, x.name): x.peak for x in alone.screen.loads}
    assert any(together[k] > by_itself[k] * 1.5 for k in by_itself)
    assert found.screen.oncall == DANA
    assert found.screen.ticket_url == "https://example.atlassian.net/browse/OPS-7"
    # one GET of the ticket, one search for the window: nothing else
    assert stub.asked[0] == "GET OPS-7"
    assert len(stub.asked) == 2
    assert "duedate <= " in stub.asked[1]
    assert found.requests == 2


def test_a_ticket_without_a_readable_spec_is_one_clear_error() -> None:
    with pytest.raises(JiraError, match=r"OPS-9: no spec kept on the ticket .*review path/to"):
        run(flash_sales(), "OPS-9")
    broken = flash_sales()
    broken.issues["OPS-7"] = issue("OPS-7", "Black Friday", "name: [unclosed", due="2027-11-26")
    with pytest.raises(JiraError, match="OPS-7: the spec kept on the ticket cannot be read"):
        run(broken)
    assert broken.asked == ["GET OPS-7"]  # nothing searched for a screen that cannot be shown


def test_a_changed_verdict_is_known_to_the_screen() -> None:
    stub = flash_sales()
    stub.issues["OPS-7"] = issue(
        "OPS-7",
        "Black Friday Flash Sale",
        spec_text("black-friday-flash-sale.yaml"),
        due="2027-11-26",
        verdict="ok",
    )
    found = run(stub)
    assert found.row.verdict_then == "ok"
    assert found.row.now.verdict != "ok"
    assert found.row.verdict_changed
