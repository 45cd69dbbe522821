"""file_issue against an in-memory Jira: one issue per campaign, whatever happens."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from campaign_guard.jira.comment import compared_fields, resubmitted_comment
from campaign_guard.jira.filing import (
    IssueGateway,
    Submission,
    SubmitResult,
    file_issue,
)
from campaign_guard.jira.jira_http import (
    Attached,
    IssueRef,
    JiraError,
    OutcomeUnknown,
    RerunSubmit,
)
from campaign_guard.jira.jql import campaign_label
from campaign_guard.jira.settings import JiraSettings
from campaign_guard.jira.snapshot import PROPERTY_KEY, Snapshot
from campaign_guard.jira.ticket import TicketText, ticket_text
from campaign_guard.loadmodel.engine import estimate
from campaign_guard.oncall.base import OnCallPerson
from campaign_guard.retry import Deadline
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.capacity import CapacityProfile
from campaign_guard.spec.load import load_model
from tests.conftest import REPO_ROOT

WINTER = REPO_ROOT / "examples" / "campaigns" / "winter-newsletter.yaml"
PRODUCTION = REPO_ROOT / "examples" / "capacity" / "production.yaml"
SPEC_NAME = "winter-newsletter.yaml"
SPEC_BYTES = b"name: Winter Newsletter 2027\n"

CLOUD = JiraSettings(
    site="https://example.atlassian.net", project="OPS", labels=["q4-2027"], components=["Web"]
)
DC = JiraSettings(site="https://jira.example.com", project="OPS")
PERSON = OnCallPerson(
    name="Ada Ops", email="ada@example.com", jira_account_id="5b10ac", jira_user_name="ada"
)
WRITES = ("create", "comment", "update", "attach", "set_property", "delete_property")


# --- the in-memory Jira ---------------------------------------------------------------


@dataclass
class FakeIssue:
    key: str
    id: str
    fields: dict[str, Any]
    properties: dict[str, Any] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    hidden_for: int = 0
    """Searches that still miss this issue (eventual consistency)."""


class FakeJira:
    """Records every call; can lose a create's answer and lag its search results.

    ``dc``: searches return no entity properties (Data Center's cannot); ``issue`` does.
    """

    def __init__(
        self,
        *,
        dc: bool = False,
        unknown_create: bool = False,
        lag_searches: int = 0,
        fail_search_after_unknown: bool = False,
        fail_create: bool = False,
        fail_attach: bool = False,
        lose_comment_answer: int = 0,
        fail_comment: bool = False,
        lose_attach_answer: int = 0,
    ) -> None:
        self.dc = dc
        self.issues: list[FakeIssue] = []
        self.calls: list[tuple[str, Any]] = []
        self.reconciled: list[tuple[str, ...]] = []
        self.unknown_create = unknown_create
        self.lag_searches = lag_searches
        self.fail_search_after_unknown = fail_search_after_unknown
        self.fail_create = fail_create
        self.fail_attach = fail_attach
        self.lose_comment_answer = lose_comment_answer
        """Comments that land but whose answer is lost (OutcomeUnknown)."""
        self.fail_comment = fail_comment
        self.lose_attach_answer = lose_attach_answer
        """Attachments that land but whose answer is lost (OutcomeUnknown)."""
        self._next = 10100

    def add(self, labels: list[str], *, key_number: int | None = None) -> FakeIssue:
        self._next += 1
        number = key_number if key_number is not None else self._next - 10000
        issue = FakeIssue(f"OPS-{number}", str(self._next), {"labels": list(labels)})
        self.issues.append(issue)
        return issue

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def writes(self) -> list[str]:
        return [name for name in self.names() if name in WRITES]

    def _issue(self, key: str) -> FakeIssue:
        return next(issue for issue in self.issues if issue.key == key)

    # the IssueGateway methods

    def find_campaign_issues(
        self,
        project_key: str,
        label: str,
        properties: Sequence[str] = (),
        reconcile: Sequence[str] = (),
    ) -> list[IssueRef]:
        self.calls.append(("search", (project_key, label)))
        self.reconciled.append(tuple(reconcile))
        if self.fail_search_after_unknown and "create" in self.names():
            raise JiraError("Jira did not answer GET /rest/api/3/search/jql")
        found: list[IssueRef] = []
        for issue in reversed(self.issues):  # newest first, like an unordered search
            if issue.hidden_for > 0 and issue.id not in reconcile:
                issue.hidden_for -= 1
                continue
            if label in issue.fields["labels"]:
                shown = {k: v for k, v in issue.properties.items() if k in properties}
                labels = tuple(issue.fields["labels"])
                found.append(
                    IssueRef(
                        issue.key,
                        issue.id,
                        labels,
                        properties=None if self.dc else shown,
                        attachments=_attached(issue),
                    )
                )
        return found

    def issue(self, key: str, properties: Sequence[str] = ()) -> IssueRef:
        self.calls.append(("issue", key))
        issue = self._issue(key)
        shown = {k: v for k, v in issue.properties.items() if k in properties}
        labels = tuple(issue.fields["labels"])
        return IssueRef(issue.key, issue.id, labels, properties=shown, attachments=_attached(issue))

    def create_issue(
        self, fields: Mapping[str, Any], properties: Mapping[str, Any] | None = None
    ) -> IssueRef:
        self.calls.append(("create", dict(fields)))
        if self.fail_create:
            raise JiraError("Jira answered HTTP 400 to POST /rest/api/2/issue")
        issue = self.add(list(fields["labels"]))
        issue.fields = dict(fields)
        issue.properties.update(properties or {})
        if self.unknown_create:  # committed, then the connection dropped
            issue.hidden_for = self.lag_searches
            raise OutcomeUnknown(
                "POST /rest/api/2/issue failed with HTTP 502 after it was sent", problem="HTTP 502"
            )
        return IssueRef(issue.key, issue.id, tuple(fields["labels"]))

    def add_comment(self, key: str, body: str) -> str:
        self.calls.append(("comment", (key, body)))
        if self.fail_comment:
            raise JiraError("Jira answered HTTP 400 to POST /rest/api/2/issue/X/comment")
        self._issue(key).comments.append(body)
        if self.lose_comment_answer > 0:
            self.lose_comment_answer -= 1
            raise OutcomeUnknown("POST comment failed with ConnectionError after it was sent")
        return "1"

    def comment_bodies(self, key: str, newest: int = 50) -> list[str]:
        self.calls.append(("comments", key))
        return list(reversed(self._issue(key).comments))[:newest]

    def update_fields(
        self, key: str, fields: Mapping[str, Any], properties: Mapping[str, Any] | None = None
    ) -> None:
        self.calls.append(("update", (key, dict(fields))))
        self._issue(key).fields.update(fields)
        self._issue(key).properties.update(properties or {})

    def set_property(self, key: str, name: str, value: Any) -> None:
        self.calls.append(("set_property", (key, name)))
        self._issue(key).properties[name] = value

    def delete_property(self, key: str, name: str) -> None:
        self.calls.append(("delete_property", (key, name)))
        self._issue(key).properties.pop(name, None)

    def attach(self, key: str, filename: str, content: bytes) -> None:
        self.calls.append(("attach", (key, filename)))
        if self.fail_attach:
            raise OutcomeUnknown("POST attachments failed with ConnectionError")
        self._issue(key).attachments.append((filename, content))
        if self.lose_attach_answer > 0:
            self.lose_attach_answer -= 1
            raise OutcomeUnknown("POST attachments failed with ConnectionError")


def _attached(issue: FakeIssue) -> tuple[Attached, ...]:
    return tuple(Attached(name, len(content)) for name, content in issue.attachments)


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []

    def deadline(self, budget: float = 60.0) -> Deadline:
        return Deadline(budget, self.t, self.now)

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


# --- helpers --------------------------------------------------------------------------


def winter(**changes: Any) -> CampaignSpec:
    loaded = load_model(WINTER, CampaignSpec, str(WINTER))
    assert loaded.value is not None, loaded.problems
    if not changes:
        return loaded.value
    data: dict[str, Any] = loaded.value.model_dump(exclude_none=True)
    data.update(changes)
    return CampaignSpec.model_validate(data)


def production() -> CapacityProfile:
    loaded = load_model(PRODUCTION, CapacityProfile, str(PRODUCTION))
    assert loaded.value is not None, loaded.problems
    return loaded.value


def ticket(spec: CampaignSpec, settings: JiraSettings = CLOUD) -> TicketText:
    return ticket_text(
        spec,
        None,
        spec_file_name=SPEC_NAME,
        lead_time_business_days=10,
        extra_labels=settings.labels,
    )


def submission(
    spec: CampaignSpec,
    settings: JiraSettings = CLOUD,
    person: OnCallPerson | None = PERSON,
    profile: CapacityProfile | None = None,
) -> Submission:
    result = estimate([spec], profile) if profile is not None else None
    return Submission(
        campaign_id=spec.campaign_id,
        name=spec.name,
        ticket=ticket(spec, settings),
        review=compared_fields(spec, result),
        spec_file_name=SPEC_NAME,
        spec_bytes=SPEC_BYTES,
        person=person,
    )


def submit(
    jira: FakeJira,
    spec: CampaignSpec,
    *,
    settings: JiraSettings = CLOUD,
    person: OnCallPerson | None = PERSON,
    clock: FakeClock | None = None,
    reconcile: Sequence[str] = (),
) -> SubmitResult:
    clock = clock or FakeClock()
    gateway: IssueGateway = jira
    return file_issue(
        gateway,
        settings,
        submission(spec, settings, person),
        deadline=clock.deadline(),
        reconcile=reconcile,
        sleep=clock.sleep,
    )


def existing(jira: FakeJira, spec: CampaignSpec, *extra: str) -> FakeIssue:
    return jira.add([campaign_label(spec.campaign_id), "marketing-campaign", *extra])


# --- create ---------------------------------------------------------------------------


def test_first_submit_creates_once_with_cloud_fields() -> None:
    jira, spec = FakeJira(), winter()
    result = submit(jira, spec)
    label = campaign_label(spec.campaign_id)
    text = ticket(spec)
    assert jira.names() == ["search", "create", "attach"]
    assert jira.calls[0] == ("search", ("OPS", label))
    assert jira.calls[1][1] == {
        "project": {"key": "OPS"},
        "issuetype": {"name": "Marketing Campaign Launch"},
        "summary": text.summary,
        "description": text.description,
        "labels": [label, "marketing-campaign", "q4-2027"],
        "duedate": "2027-12-07",
        "components": [{"name": "Web"}],
        "assignee": {"accountId": "5b10ac"},
    }
    assert jira.issues[0].attachments == [(SPEC_NAME, SPEC_BYTES)]
    key = jira.issues[0].key
    assert result == SubmitResult(
        action="created",
        key=key,
        url=f"https://example.atlassian.net/browse/{key}",
        issue_id=jira.issues[0].id,
        requests=3,
        assigned=True,
    )


def test_data_center_assigns_by_user_name() -> None:
    jira = FakeJira()
    result = submit(jira, winter(), settings=DC)
    fields = jira.calls[1][1]
    assert fields["assignee"] == {"name": "ada"}
    assert "components" not in fields
    assert fields["labels"][1:] == ["marketing-campaign"]
    assert result.assigned
    assert result.url.startswith("https://jira.example.com/browse/OPS-")


@pytest.mark.parametrize(
    ("settings", "person"),
    [
        (CLOUD, OnCallPerson("Bo", "bo@example.com", jira_user_name="bo")),
        (DC, OnCallPerson("Bo", "bo@example.com", jira_account_id="5b10ac")),
        (CLOUD, None),
    ],
)
def test_unassigned_when_the_person_has_no_usable_id(
    settings: JiraSettings, person: OnCallPerson | None
) -> None:
    jira = FakeJira()
    result = submit(jira, winter(), settings=settings, person=person)
    assert "assignee" not in jira.calls[1][1]
    assert not result.assigned
    assert result.requests == 3
    assert len(result.warnings) == (0 if person is None else 1)


def test_create_refused_is_raised_without_polling() -> None:
    jira, clock = FakeJira(fail_create=True), FakeClock()
    with pytest.raises(JiraError, match="HTTP 400"):
        submit(jira, winter(), clock=clock)
    assert jira.names() == ["search", "create"]
    assert clock.sleeps == []


def test_attach_failure_is_a_warning_and_the_next_submit_attaches() -> None:
    jira = FakeJira(fail_attach=True)
    result = submit(jira, winter())
    assert result.action == "created"
    # the attach answer was lost twice: looked for in between, never there
    assert jira.names() == ["search", "create", "attach", "issue", "attach"]
    assert len(result.warnings) == 1
    assert SPEC_NAME in result.warnings[0]

    jira.fail_attach = False
    jira.calls.clear()
    again = submit(jira, winter())
    assert again.action == "updated"  # the search shows no attachment: it is added
    assert jira.writes() == ["attach"]
    assert jira.issues[0].attachments == [(SPEC_NAME, SPEC_BYTES)]
    assert jira.issues[0].comments == []
    jira.calls.clear()
    assert submit(jira, winter()).action == "unchanged"
    assert jira.names() == ["search"]


def test_an_issue_left_without_its_spec_gets_it_with_the_next_change() -> None:
    jira = FakeJira()
    submit(jira, winter())
    jira.issues[0].attachments.clear()  # stopped (Ctrl-C) between create and attach
    jira.calls.clear()
    changed = winter(name="Winter Newsletter 2027 XL", id="winter-newsletter-2027")
    assert submit(jira, changed).action == "updated"
    assert jira.writes() == ["attach", "update", "comment"]
    assert len(jira.issues[0].attachments) == 1


def test_an_attach_whose_answer_was_lost_is_not_sent_twice() -> None:
    jira = FakeJira(lose_attach_answer=1)
    result = submit(jira, winter())
    assert result.warnings == ()
    assert jira.names() == ["search", "create", "attach", "issue"]
    assert jira.issues[0].attachments == [(SPEC_NAME, SPEC_BYTES)]


# --- uncertain create: never POSTed twice, found by the search ------------------------


def test_uncertain_create_found_after_two_polls() -> None:
    jira, clock = FakeJira(unknown_create=True, lag_searches=2), FakeClock()
    result = submit(jira, winter(), clock=clock)
    assert result.action == "created"
    assert len(jira.issues) == 1
    assert result.key == jira.issues[0].key
    assert jira.names() == ["search", "create", "search", "search", "search", "attach"]
    assert clock.sleeps == [5.0, 5.0]
    assert jira.issues[0].attachments == [(SPEC_NAME, SPEC_BYTES)]
    assert result.requests == 6


def test_uncertain_create_never_found_fails_after_one_post_before_the_deadline() -> None:
    jira, clock = FakeJira(unknown_create=True, lag_searches=10_000), FakeClock()
    with pytest.raises(RerunSubmit, match=r"may or may not have been filed") as info:
        submit(jira, winter(), clock=clock)
    assert not isinstance(info.value, OutcomeUnknown)
    assert "HTTP 502" in info.value.reason
    assert info.value.with_command("`campaign-guard submit x.yaml`").endswith(
        "run `campaign-guard submit x.yaml` again in a minute: it looks for the ticket "
        "first, so it never files a second one"
    )
    assert jira.writes() == ["create"]
    assert sum(clock.sleeps) == 59.0  # the last search leaves a second before the deadline
    assert jira.names().count("search") == 1 + 13  # before the create, then at 0, 5, ..., 59 s
    assert len(jira.issues) == 1

    # Re-running is safe: once the search sees the issue, no second POST.
    jira.issues[0].hidden_for = 0
    again = submit(jira, winter())
    assert again.key == jira.issues[0].key
    # the lost create stored the snapshot: only the spec, never attached, is added
    assert again.action == "updated"
    assert jira.writes() == ["create", "attach"]
    assert jira.names().count("create") == 1


def test_search_failure_while_polling_says_rerun_is_safe() -> None:
    jira = FakeJira(unknown_create=True, lag_searches=1, fail_search_after_unknown=True)
    with pytest.raises(RerunSubmit, match=r"searching for it failed.*run submit again"):
        submit(jira, winter())
    assert jira.writes() == ["create"]


def test_uncertain_create_that_raced_keeps_the_oldest() -> None:
    jira, spec = FakeJira(unknown_create=True, lag_searches=0), winter()
    jira.add([campaign_label(spec.campaign_id)], key_number=3).id = "10050"  # a rival run's
    jira.issues[0].hidden_for = 1  # the first search missed it too
    result = submit(jira, spec)
    assert result.action == "created"
    assert result.key == "OPS-3"
    assert result.duplicates == (jira.issues[1].key,)


# --- re-submit ------------------------------------------------------------------------


def test_first_submit_stores_the_snapshot_on_the_issue() -> None:
    jira, spec = FakeJira(), winter()
    submit(jira, spec)
    stored = Snapshot.from_json(jira.issues[0].properties[PROPERTY_KEY])
    assert stored is not None
    assert stored.campaign_id == spec.campaign_id
    assert stored.fields == compared_fields(spec, None)


def test_resubmit_with_changes_comments_once_and_updates() -> None:
    # An explicit id keeps the label (and so the issue) when the name changes.
    jira, old = FakeJira(), winter(id="winter-2027")
    submit(jira, old)
    issue = jira.issues[0]
    issue.fields["labels"].append("added-by-hand")
    new = winter(id="winter-2027", name="Winter Newsletter 2027 (extended)")
    jira.calls.clear()
    result = submit(jira, new)
    assert jira.writes() == ["update", "comment"]
    assert result == SubmitResult(
        action="updated",
        key=issue.key,
        url=f"https://example.atlassian.net/browse/{issue.key}",
        issue_id=issue.id,
        requests=3,
        commented=True,
    )
    assert len(issue.comments) == 1
    assert issue.comments[0].startswith("h3. Campaign spec updated:")
    assert "extended" in issue.comments[0]
    text = ticket(new)
    assert issue.fields["summary"] == text.summary
    assert issue.fields["description"] == text.description
    assert issue.fields["duedate"] == text.due_date
    assert issue.fields["labels"] == [
        campaign_label(new.campaign_id),
        "marketing-campaign",
        "q4-2027",
        "added-by-hand",
    ]
    stored = Snapshot.from_json(issue.properties[PROPERTY_KEY])
    assert stored is not None
    assert stored.fields["name"] == new.name


def test_resubmit_unchanged_writes_nothing() -> None:
    jira, spec = FakeJira(), winter()
    submit(jira, spec)
    jira.calls.clear()
    result = submit(jira, winter())
    assert jira.names() == ["search"]
    assert result.action == "unchanged"
    assert result.key == jira.issues[0].key
    assert result.requests == 1
    assert jira.issues[0].comments == []


def test_a_change_outside_the_review_fields_updates_without_a_comment() -> None:
    jira, spec = FakeJira(), winter()
    submit(jira, spec)
    jira.calls.clear()
    result = submit(jira, winter(notes="Ask Sam about the banner."))
    assert (result.action, result.commented) == ("updated", False)
    assert jira.writes() == ["update"]
    assert "Ask Sam about the banner." in jira.issues[0].fields["description"]
    assert jira.issues[0].comments == []


def test_a_first_estimate_is_not_a_change_but_new_traffic_is() -> None:
    jira, spec = FakeJira(), winter()
    gateway: IssueGateway = jira
    deadline = FakeClock().deadline()
    file_issue(gateway, CLOUD, submission(spec), deadline=deadline)
    file_issue(gateway, CLOUD, submission(spec, profile=production()), deadline=deadline)
    assert len(jira.issues[0].comments) == 0  # no estimate before: not a change
    fewer = winter(traffic=[{**spec.traffic[0].model_dump(exclude_none=True), "list_size": 5}])
    file_issue(gateway, CLOUD, submission(fewer, profile=production()), deadline=deadline)
    assert len(jira.issues[0].comments) == 1
    assert "*Expected traffic*" in jira.issues[0].comments[0]


def test_resubmit_without_a_stored_snapshot_comments_resubmitted() -> None:
    jira, spec = FakeJira(), winter()
    issue = existing(jira, spec)
    result = submit(jira, spec)
    assert result.action == "updated"
    assert jira.writes() == ["attach", "update", "comment"]
    assert issue.comments[0].startswith("h3. Campaign spec re-submitted: Winter Newsletter 2027")
    assert issue.attachments == [(SPEC_NAME, SPEC_BYTES)]  # it had none
    for title in ("*Launch*", "*Expected traffic*", "*New data fields*\n* none"):
        assert title in issue.comments[0]
    assert PROPERTY_KEY in issue.properties


@pytest.mark.parametrize(
    "stored",
    [None, "text", {"version": 99}, {"version": 1, "campaign_id": 3, "issue_digest": "x"}],
)
def test_a_tampered_snapshot_is_treated_as_unknown(stored: object) -> None:
    jira, spec = FakeJira(), winter()
    issue = existing(jira, spec)
    issue.properties[PROPERTY_KEY] = stored
    submit(jira, spec)
    assert issue.comments[0].startswith("h3. Campaign spec re-submitted:")


def test_resubmitted_comment_includes_the_estimate_headline() -> None:
    spec = winter()
    fields = compared_fields(spec, estimate([spec], production()))
    body = resubmitted_comment(spec.name, fields, submission="abc")
    assert "\n*Estimate*\n* " in body
    assert body.endswith("_campaign\\-guard submission abc_\n")


def test_a_comment_whose_answer_was_lost_is_not_posted_twice() -> None:
    jira, spec = FakeJira(), winter()
    submit(jira, spec)
    jira.lose_comment_answer = 1
    jira.calls.clear()
    result = submit(jira, winter(name="Winter Newsletter 2027 XL", id=spec.campaign_id))
    assert result.action == "updated"
    assert jira.names() == ["search", "update", "comment", "comments"]
    assert len(jira.issues[0].comments) == 1


def test_a_failed_comment_puts_the_old_snapshot_back_so_a_rerun_posts_it() -> None:
    jira, spec = FakeJira(), winter()
    submit(jira, spec)
    before = dict(jira.issues[0].properties)
    changed = winter(name="Winter Newsletter 2027 XL", id=spec.campaign_id)
    jira.fail_comment = True
    with pytest.raises(RerunSubmit, match=r"change comment could not be posted.*again to post"):
        submit(jira, changed)
    assert jira.issues[0].properties == before
    jira.fail_comment = False
    again = submit(jira, changed)
    assert (again.action, again.commented) == ("updated", True)
    assert len(jira.issues[0].comments) == 1


def test_two_existing_issues_keep_the_oldest() -> None:
    jira, spec = FakeJira(), winter()
    oldest = existing(jira, spec)
    newer = existing(jira, spec)
    result = submit(jira, spec)
    assert result.key == oldest.key
    assert result.duplicates == (newer.key,)
    assert jira.writes() == ["attach", "update", "comment"]
    assert oldest.comments
    assert not newer.comments


def test_oldest_is_by_jira_id_not_search_order() -> None:
    jira, spec = FakeJira(), winter()
    first = existing(jira, spec)
    second = existing(jira, spec)
    first.id, second.id = "20000", "9999"  # numeric, not string, comparison
    result = submit(jira, spec)
    assert result.key == second.key
    assert result.duplicates == (first.key,)


# --- hostile input --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        '" OR project = "SECRET',
        "x') ORDER BY created -- ",
        "labels = cg-0000000000000000",
        "ünïcødé 雪 🎄",
        "\\\"\\'",
    ],
)
def test_hostile_campaign_names_search_once_by_label(name: str) -> None:
    jira, spec = FakeJira(), winter(name=name)
    spec = spec.model_copy(update={"id": None})
    result = submit(jira, spec)
    searches = [args for call, args in jira.calls if call == "search"]
    assert len(searches) == 1
    project, label = searches[0]
    assert project == "OPS"
    assert re.fullmatch(r"cg-[0-9a-f]{16}", label)
    assert label == campaign_label(spec.campaign_id)
    assert result.action == "created"
    assert jira.names().count("create") == 1


# --- Data Center: the search returns no entity properties ------------------------------


def test_dc_reads_the_snapshot_from_the_issue_and_writes_nothing_when_unchanged() -> None:
    jira, spec = FakeJira(dc=True), winter()
    submit(jira, spec, settings=DC)
    jira.calls.clear()
    result = submit(jira, winter(), settings=DC)
    assert jira.names() == ["search", "issue"]
    assert (result.action, result.requests) == ("unchanged", 2)
    assert jira.issues[0].comments == []


def test_dc_update_says_what_changed_in_one_comment() -> None:
    jira, spec = FakeJira(dc=True), winter()
    submit(jira, spec, settings=DC)
    jira.calls.clear()
    changed = winter(name="Winter Newsletter 2027 XL", id=spec.campaign_id)
    result = submit(jira, changed, settings=DC)
    assert jira.names() == ["search", "issue", "update", "comment"]
    assert (result.action, result.requests, result.commented) == ("updated", 4, True)
    (comment,) = jira.issues[0].comments
    assert comment.startswith("h3. Campaign spec updated:")


def test_dc_reads_only_the_oldest_of_several_issues() -> None:
    jira, spec = FakeJira(dc=True), winter()
    oldest, _ = existing(jira, spec), existing(jira, spec)
    submit(jira, spec, settings=DC)
    assert [args for call, args in jira.calls if call == "issue"] == [oldest.key]


# --- Cloud: reconciled searches ---------------------------------------------------------


def test_reconcile_ids_reach_the_search_and_find_an_issue_the_index_lags_on() -> None:
    jira, spec = FakeJira(), winter()
    first = submit(jira, spec)
    assert first.issue_id == jira.issues[0].id
    jira.issues[0].hidden_for = 10  # the index has not caught up yet
    jira.calls.clear()
    again = submit(jira, spec, reconcile=(first.issue_id,))
    assert (again.action, again.key) == ("unchanged", first.key)
    assert jira.reconciled[-1] == (first.issue_id,)
    assert jira.names() == ["search"]


def test_the_search_after_a_lost_create_reconciles_nothing() -> None:
    jira, clock = FakeJira(unknown_create=True, lag_searches=1), FakeClock()
    submit(jira, winter(), clock=clock, reconcile=("123",))
    assert jira.reconciled[0] == ("123",)
    assert all(ids == () for ids in jira.reconciled[1:])


# --- a late re-submit of the same spec ------------------------------------------------------


def test_a_late_resubmit_of_the_same_spec_writes_nothing() -> None:
    from dataclasses import replace as with_changes

    jira, spec = FakeJira(), winter()
    submit(jira, spec)
    jira.calls.clear()
    on_time = submission(spec)
    late = with_changes(
        on_time,
        ticket=with_changes(
            on_time.ticket,
            description=on_time.ticket.description + "\n* *Short notice:* …",
            stable_description=on_time.ticket.description,
        ),
    )
    result = file_issue(jira, CLOUD, late, deadline=FakeClock().deadline())
    assert result.action == "unchanged"
    assert jira.writes() == []
    changed = with_changes(late, ticket=with_changes(late.ticket, stable_description="other"))
    assert file_issue(jira, CLOUD, changed, deadline=FakeClock().deadline()).action == ("updated")
    assert "Short notice" in jira.issues[0].fields["description"]


# --- one ticket per campaign, never another campaign's -------------------------------------


def test_names_whose_slug_would_collapse_get_their_own_tickets() -> None:
    jira = FakeJira()
    spring, summer = winter(name="春季 Sale", id=None), winter(name="夏季 Sale", id=None)
    assert spring.campaign_id != summer.campaign_id
    first, second = submit(jira, spring), submit(jira, summer)
    assert (first.action, second.action) == ("created", "created")
    assert first.key != second.key


def test_a_ticket_filed_for_another_campaign_is_never_updated() -> None:
    jira, spec = FakeJira(), winter()
    submit(jira, spec)
    issue = jira.issues[0]
    stored = dict(issue.properties[PROPERTY_KEY])
    issue.properties[PROPERTY_KEY] = {**stored, "campaign_id": "someone-elses-campaign"}
    jira.calls.clear()
    with pytest.raises(JiraError, match=r"filed for another campaign .*someone-elses-campaign"):
        submit(jira, winter(name="Winter Newsletter 2027 XL", id=spec.campaign_id))
    assert jira.writes() == []
