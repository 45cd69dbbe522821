"""``campaign-guard submit`` end to end: the installed script against the fake Jira.

The contract: ``submit SPEC --json`` exits 0 with one JSON object on stdout (``action``
created/updated/unchanged, ``key``, ``url``); on failure it exits 3 with nothing on
stdout and exactly one ``error:`` line on stderr. The issue is found again by its
``cg-…`` label, carries the submitted snapshot as the entity property
``campaign-guard.submission``, and no fault makes a second issue or a second comment.

The fault, canary, hostile-name and setup cases each run all at once (module fixtures
with :func:`~tests.e2e.conftest.in_parallel`), one fake Jira per case.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from campaign_guard.jira.jql import campaign_label
from campaign_guard.jira.markup import wiki_escape
from campaign_guard.jira.ticket import OnCall, ticket_text
from campaign_guard.lint.policy import DEFAULT_LEAD_TIME_BUSINESS_DAYS
from campaign_guard.loadmodel.engine import estimate
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.capacity import CapacityProfile
from campaign_guard.spec.load import load_model
from testing.fake_jira import FakeJira, HeaderValue, running
from testing.fake_jira_data import CUSTOM, DANA_ACCOUNT_ID
from tests.e2e.conftest import (
    BUDGET,
    EMAIL,
    MAPPING,
    PROCESS_SLACK,
    PROFILE,
    SPEC,
    WALL_LIMIT,
    Project,
    Run,
    create_routes,
    in_parallel,
    search_path,
)

PROPERTY = "campaign-guard.submission"
ISSUE = "/rest/api/2/issue"
CREATEMETA = [
    "GET /rest/api/2/issue/createmeta/OPS/issuetypes",
    "GET /rest/api/2/issue/createmeta/OPS/issuetypes/10050",
]
ISO_OFFSET = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)\Z")
DANA = "Dana Ops <dana@example.com>"


def _body(run: Run, route: str) -> dict[str, Any]:
    (request,) = [r for r in run.requests if r.route == route]
    data = json.loads(request.body)
    assert isinstance(data, dict)
    return data


def _comments(fake: FakeJira) -> int:
    return sum(len(c) for c in fake.comments.values())


def _only_warnings(run: Run) -> None:
    """A successful run (not under --debug) says nothing on stderr but warnings."""
    assert all(line.startswith("warning: ") for line in run.stderr.splitlines()), run.stderr


# --- 1. create, unchanged, updated ------------------------------------------------------------


def test_issue_type_by_id_keeps_a_cold_create_within_four_requests(
    fake: FakeJira, tmp_path: Path
) -> None:
    project = Project(tmp_path / "project", fake)
    project.write_config(fields=MAPPING, jira={"issue_type": "10050"})
    created = project.submit()
    assert created.result()["action"] == "created"
    assert created.routes == [
        "GET /rest/api/2/issue/createmeta/OPS/issuetypes/10050",
        *create_routes(fake.cloud),
    ]
    assert _body(created, f"POST {ISSUE}")["fields"]["issuetype"] == {"id": "10050"}
    assert fake.problems == []


@pytest.mark.parametrize("mapped", [False, True], ids=["plain", "mapped"])
def test_create_then_unchanged_then_updated(fake: FakeJira, tmp_path: Path, mapped: bool) -> None:
    project = Project(tmp_path / "project", fake)
    project.write_config(fields=MAPPING if mapped else None)

    created = project.submit()
    result = created.result()
    _only_warnings(created)
    url = f"{fake.url}/browse/OPS-1"
    assert {k: result[k] for k in ("action", "key", "url")} == {
        "action": "created",
        "key": "OPS-1",
        "url": url,
    }
    cold = CREATEMETA if mapped else []
    assert sorted(created.routes) == sorted(cold + create_routes(fake.cloud))
    assert created.routes[-2:] == create_routes(fake.cloud)[-2:]
    assert len(created.routes) <= 4 + len(cold)
    assert created.seconds < WALL_LIMIT
    (search,) = [r for r in created.requests if r.route == f"GET {search_path(fake.cloud)}"]
    # the snapshot and the reviewer's decision, in the one search (Cloud takes up to 5)
    both = f"{PROPERTY},campaign-guard.decision"
    assert search.query.get("properties") == ([both] if fake.cloud else None)
    create_body = _body(created, f"POST {ISSUE}")
    assert [p["key"] for p in create_body["properties"]] == [PROPERTY]
    assert list(fake.issues) == ["OPS-1"]
    fields = fake.issues["OPS-1"]["fields"]
    if fake.cloud:
        assert create_body["fields"]["assignee"] == {"accountId": DANA_ACCOUNT_ID}
        assert fields["assignee"]["accountId"] == DANA_ACCOUNT_ID
    else:
        assert create_body["fields"]["assignee"] == {"name": "dana"}
        assert fields["assignee"]["name"] == "dana"
    assert fields["assignee"]["displayName"] == "Dana Ops"
    (attachment,) = fake.attachments["OPS-1"]
    assert attachment["filename"] == SPEC
    assert attachment["content"] == (project.root / SPEC).read_bytes()
    snapshot = fake.properties["OPS-1"][PROPERTY]
    assert isinstance(snapshot, dict)
    assert snapshot
    if mapped:
        assert ISO_OFFSET.match(fields["customfield_10050"]), fields["customfield_10050"]
        traffic = fields["customfield_10051"]
        assert isinstance(traffic, int | float)
        assert not isinstance(traffic, bool)
        assert traffic > 0
        assert fields["customfield_10055"]["value"] in ("OK", "Scale up", "Overload")
    else:
        assert not any(name.startswith("customfield_") for name in fields)

    unchanged = project.submit(debug=True)
    assert unchanged.result()["action"] == "unchanged"
    assert unchanged.result()["key"] == "OPS-1"
    # Data Center's search returns no entity properties: the snapshot is read from the issue
    read_back = [] if fake.cloud else [f"GET {ISSUE}/OPS-1"]
    assert unchanged.routes == [f"GET {search_path(fake.cloud)}", *read_back]
    assert len(unchanged.routes) <= (1 if fake.cloud else 2)
    for route in unchanged.routes:  # --debug logs each request's method and path
        assert route in unchanged.stderr
    search = unchanged.requests[0]
    if fake.cloud:  # the issue this machine created is named for a consistent search
        assert search.query["reconcileIssues"] == [fake.issues["OPS-1"]["id"]]
    else:
        assert set(search.query) <= {"jql", "fields", "maxResults"}
    assert (len(fake.issues), _comments(fake)) == (1, 0)

    project.edit_spec("list_size: 50k", "list_size: 80k")
    updated = project.submit()
    assert {k: updated.result()[k] for k in ("action", "key", "url")} == {
        "action": "updated",
        "key": "OPS-1",
        "url": url,
    }
    _only_warnings(updated)
    assert updated.routes == [
        f"GET {search_path(fake.cloud)}",
        *read_back,
        f"PUT {ISSUE}/OPS-1",
        f"POST {ISSUE}/OPS-1/comment",
    ]
    assert len(updated.routes) <= (3 if fake.cloud else 4)
    edit_body = _body(updated, f"PUT {ISSUE}/OPS-1")
    assert [p["key"] for p in edit_body["properties"]] == [PROPERTY]
    assert fake.properties["OPS-1"][PROPERTY] != snapshot
    assert (len(fake.issues), _comments(fake)) == (1, 1)
    (comment,) = fake.comments["OPS-1"]
    assert comment["body"].startswith("h3. Campaign spec updated:")  # what changed, not
    assert "50,000" in comment["body"]  # "re-submitted": the old value is known
    assert "80,000" in comment["body"]
    assert "list of 80,000" in fake.issues["OPS-1"]["fields"]["description"]
    assert fake.problems == []

    if mapped:  # a second campaign in a fresh project folder reads the cached screen
        other = Project(tmp_path / "other", fake, cache=project.cache)
        other.write_config(fields=MAPPING)
        other.rename("Spring Newsletter 2028", "spring-newsletter-2028")
        second = other.submit()
        assert second.result()["key"] == "OPS-2"
        assert second.routes == create_routes(fake.cloud, "OPS-2")
        assert "customfield_10051" in fake.issues["OPS-2"]["fields"]
        assert fake.problems == []


# --- 2 and 3. faults, and the canary token through them -----------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    cloud: bool
    arrange: Callable[[FakeJira], None]
    code: int
    says: str = ""
    """What the error line must contain (exit 3)."""
    update: bool = False
    """Submit once and change the spec first: the fault hits the re-submit."""
    resubmit: bool = False
    """Submit once right after arranging the fault, then again (the run checked)."""
    action: str = ""
    """The run's action when it is not ``created`` (or ``updated`` with ``update``)."""
    project_cloud: bool | None = None
    """The deployment the project file names, when it is not the fake's."""
    check: Callable[[Outcome], None] | None = None


@dataclass(frozen=True)
class Outcome:
    case: Case
    fake: FakeJira
    project: Project
    run: Run


def _on_search(
    code: int, headers: Mapping[str, HeaderValue] | None = None, times: int = 1
) -> Callable[[FakeJira], None]:
    def arrange(fake: FakeJira) -> None:
        fake.status("GET", search_path(fake.cloud), code, headers, times=times)

    return arrange


def _retry_at_date(seconds: float) -> Callable[[FakeJira], None]:
    """429 with Retry-After as an HTTP date ``seconds`` after the answer is sent."""

    def when() -> str:
        return format_datetime(datetime.now(timezone.utc) + timedelta(seconds=seconds), usegmt=True)

    return _on_search(429, {"Retry-After": when})


def _everything(code: int) -> Callable[[FakeJira], None]:
    def arrange(fake: FakeJira) -> None:
        fake.status("*", "*", code, times=100)

    return arrange


def _on_create(
    code: int, headers: Mapping[str, HeaderValue] | None = None, times: int = 1
) -> Callable[[FakeJira], None]:
    """The create is answered ``code`` without being applied, ``times`` times."""

    def arrange(fake: FakeJira) -> None:
        fake.status("POST", ISSUE, code, headers, times=times)

    return arrange


def _echo(code: int) -> Callable[[FakeJira], None]:
    """The search is refused with the credentials quoted back, raw and base64."""

    def arrange(fake: FakeJira) -> None:
        fake.echo_credentials("GET", search_path(fake.cloud), code)

    return arrange


def _drip_search(fake: FakeJira) -> None:
    fake.drip("GET", search_path(fake.cloud), 0.2, times=100)


def _drip_create(fake: FakeJira) -> None:
    """The create lands and its answer drips: the search finds the issue, no second POST."""
    fake.drip("POST", ISSUE, 0.2)


def _index_lag(fake: FakeJira) -> None:
    fake.index_lag(60)  # far longer than the runs: only a reconciled search finds it


def _reset_create(fake: FakeJira) -> None:
    fake.commit_then_reset("POST", ISSUE)


def _hang_create(fake: FakeJira) -> None:
    fake.commit_then_hang("POST", ISSUE, 3.0)  # past the 1 s timeout


def _reset_then_lag(searches: int) -> Callable[[FakeJira], None]:
    """The create's answer is lost, and the index shows the new issue only after
    ``searches`` more searches (the one before the create counts)."""

    def arrange(fake: FakeJira) -> None:
        fake.commit_then_reset("POST", ISSUE)
        fake.search_lag(1 + searches)

    return arrange


def _reset_comment(fake: FakeJira) -> None:
    fake.commit_then_reset("POST", f"{ISSUE}/OPS-1/comment")


def _bad_gateway_on_edit(fake: FakeJira) -> None:
    fake.status("PUT", f"{ISSUE}/OPS-1", 502)


def _nothing(_fake: FakeJira) -> None:
    """No fault: the project file is what is wrong."""


def _waited(seconds: float) -> Callable[[Outcome], None]:
    """The search was retried no sooner than Retry-After said."""

    def check(outcome: Outcome) -> None:
        searches = [r for r in outcome.run.requests if r.route.startswith("GET /rest/api/")]
        assert searches[0].status == 429
        assert searches[1].at - searches[0].at >= seconds - 0.1

    return check


def _searched_again(outcome: Outcome) -> None:
    """The create was not re-sent: the re-search found the issue it made."""
    routes = outcome.run.routes
    assert routes.count(f"POST {ISSUE}") == 1
    assert routes.count(f"GET {search_path(outcome.fake.cloud)}") >= 2
    assert len(outcome.fake.attachments["OPS-1"]) == 1


def _polled(outcome: Outcome) -> None:
    """The first re-search came back empty; the next one, a poll interval later, found it."""
    _searched_again(outcome)
    searches = [r for r in outcome.run.requests if r.route.startswith("GET /rest/api/3/search")]
    assert len(searches) == 3
    assert searches[2].at - searches[1].at >= 1.0


def _posted(times: int) -> Callable[[Outcome], None]:
    """The create was sent ``times`` times (429 is not applied) and made one issue."""

    def check(outcome: Outcome) -> None:
        assert outcome.run.routes.count(f"POST {ISSUE}") == times
        assert [r.status for r in outcome.run.requests if r.route == f"POST {ISSUE}"][-1] == 201
        assert list(outcome.fake.issues) == ["OPS-1"]

    return check


def _gave_up_at_once(outcome: Outcome) -> None:
    """A Retry-After past the budget: no wait, no second try, nothing filed."""
    assert outcome.run.routes == [f"GET {search_path(outcome.fake.cloud)}", f"POST {ISSUE}"]
    assert outcome.run.seconds < BUDGET / 2
    assert outcome.fake.issues == {}


def _rerun_files_one(outcome: Outcome) -> None:
    """Nothing was filed; the re-run the message asks for files exactly one ticket."""
    assert outcome.fake.issues == {}
    assert outcome.run.routes.count(f"POST {ISSUE}") == 1
    again = outcome.project.submit()
    assert again.result()["action"] == "created"
    assert list(outcome.fake.issues) == ["OPS-1"]


def _found_by_reconcile(outcome: Outcome) -> None:
    """The issue made a moment ago was found though the index has not caught up."""
    (search,) = outcome.run.requests
    assert search.query["reconcileIssues"] == [outcome.fake.issues["OPS-1"]["id"]]
    assert list(outcome.fake.issues) == ["OPS-1"]


def _commented_once(outcome: Outcome) -> None:
    assert outcome.run.routes.count(f"POST {ISSUE}/OPS-1/comment") == 1
    assert len(outcome.fake.comments["OPS-1"]) == 1


def _cases() -> list[Case]:
    """Each fault once per deployment; the gateway errors (the same code path, told apart
    only by status) on Cloud, with one of them on Data Center's search too."""
    cases: list[Case] = []
    for cloud in (True, False):
        name = "cloud" if cloud else "dc"
        token = "JIRA_API_TOKEN" if cloud else "JIRA_PAT"
        seconds = _on_search(429, {"Retry-After": "1"})
        again = "run `campaign-guard submit campaign.yaml` again in a minute"
        cases += [
            Case(
                f"{name}-429-twice-on-create",
                cloud,
                _on_create(429, {"Retry-After": "1"}, times=2),
                0,
                check=_posted(3),
            ),
            Case(f"{name}-502-on-create", cloud, _on_create(502), 3, again, check=_rerun_files_one),
            Case(f"{name}-reset-after-create", cloud, _reset_create, 0, check=_searched_again),
            Case(f"{name}-hang-after-create", cloud, _hang_create, 0, check=_searched_again),
            Case(f"{name}-429-seconds", cloud, seconds, 0, check=_waited(1)),
            Case(f"{name}-429-http-date", cloud, _retry_at_date(2), 0, check=_waited(1)),
            Case(f"{name}-503-on-search", cloud, _on_search(503), 0),
            Case(f"{name}-401", cloud, _everything(401), 3, says=token),
            Case(f"{name}-403", cloud, _everything(403), 3, says=token),
        ]
    return [
        *cases,
        Case("cloud-502-on-search", True, _on_search(502), 0),
        Case("cloud-credentials-echoed", True, _echo(400), 3, says="HTTP 400"),
        Case("cloud-slow-drip-search", True, _drip_search, 3, says="did not answer GET"),
        Case("dc-slow-drip-create", False, _drip_create, 0, check=_searched_again),
        Case("dc-credentials-echoed", False, _echo(400), 3, says="HTTP 400"),
        Case("cloud-504-on-search", True, _on_search(504), 0),
        Case("cloud-503-every-time", True, _on_search(503, times=100), 3, says="503"),
        Case("cloud-reset-then-index-lag", True, _reset_then_lag(1), 0, check=_polled),
        Case(
            "cloud-reset-then-lag-past-budget",
            True,
            _reset_then_lag(9),
            3,
            says="run `campaign-guard submit campaign.yaml` again in a minute",
        ),
        Case(
            "cloud-429-for-an-hour",
            True,
            _on_create(429, {"Retry-After": "3600"}),
            3,
            says="asked to wait 60 min",
            check=_gave_up_at_once,
        ),
        Case(
            "cloud-submit-twice-while-the-index-lags",
            True,
            _index_lag,
            0,
            resubmit=True,
            action="unchanged",
            check=_found_by_reconcile,
        ),
        Case(
            "cloud-410-old-search", True, _nothing, 3, says="jira.deployment", project_cloud=False
        ),
        Case(
            "cloud-reset-after-comment", True, _reset_comment, 0, update=True, check=_commented_once
        ),
        Case("dc-502-on-edit", False, _bad_gateway_on_edit, 0, update=True, check=_commented_once),
    ]


CASES = _cases()


def _play(case: Case, fake: FakeJira, project: Project, debug: bool) -> Outcome:
    if case.update:
        assert project.submit().code == 0
        project.edit_spec("list_size: 50k", "list_size: 80k")
    case.arrange(fake)
    if case.resubmit:
        assert project.submit().code == 0
    return Outcome(case, fake, project, project.submit(debug=debug))


def _play_all(root: Path, *, debug: bool) -> Iterator[dict[str, Outcome]]:
    with contextlib.ExitStack() as stack:
        jobs = []
        for case in CASES:
            fake = stack.enter_context(running(cloud=case.cloud))
            token = f"CANARY-{secrets.token_hex(16)}"
            project = Project(root / case.id, fake, cloud=case.project_cloud, token=token)
            jobs.append(functools.partial(_play, case, fake, project, debug))
        yield {outcome.case.id: outcome for outcome in in_parallel(jobs, workers=6)}


@pytest.fixture(scope="module")
def fault_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    yield from _play_all(tmp_path_factory.mktemp("faults"), debug=False)


@pytest.fixture(scope="module")
def canary_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    yield from _play_all(tmp_path_factory.mktemp("canary"), debug=True)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fault(case: Case, fault_runs: dict[str, Outcome]) -> None:
    outcome = fault_runs[case.id]
    run, fake = outcome.run, outcome.fake
    assert run.seconds <= BUDGET + PROCESS_SLACK  # whatever Jira does, start-up included
    assert run.code == case.code, run.stderr
    assert len(fake.issues) <= 1
    assert all(len(comments) <= 1 for comments in fake.comments.values())
    if case.code == 0:
        result = run.result()
        _only_warnings(run)
        expected = case.action or ("updated" if case.update else "created")
        assert result["action"] == expected
        assert (result["key"], list(fake.issues)) == ("OPS-1", ["OPS-1"])
    else:
        assert case.says in run.error()
        assert "Traceback" not in run.stderr
    if case.check is not None:
        case.check(outcome)
    if case.project_cloud is None:
        assert fake.problems == []
    else:  # the contract flags the old search on Cloud, as Jira does
        assert fake.problems
        assert all("/rest/api/2/search" in p and "410" in p for p in fake.problems)


def _secret_forms(project: Project) -> list[str]:
    token = project.token
    basic = base64.b64encode(f"{EMAIL}:{token}".encode()).decode()
    return [
        token,
        token.removeprefix("CANARY-"),
        basic,
        f"Basic {basic}",
        f"Bearer {token}",
        base64.b64encode(token.encode()).decode(),
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_canary_token_is_never_shown(case: Case, canary_runs: dict[str, Outcome]) -> None:
    outcome = canary_runs[case.id]
    run, project = outcome.run, outcome.project
    assert run.code == case.code, run.stderr
    assert run.seconds <= BUDGET + PROCESS_SLACK
    shown = run.stdout + run.stderr
    for secret in _secret_forms(project):
        assert secret not in shown
    sent = [r.headers.get("Authorization", "") for r in run.requests]
    expected = _secret_forms(project)[3 if project.cloud else 4]
    assert sent
    assert all(header == expected for header in sent)  # the canary really went to Jira
    for route in run.routes:  # --debug shows every request's method and path
        assert route in run.stderr
    assert "Traceback" not in run.stderr


# --- 4. hostile campaign names ---------------------------------------------------------------

HOSTILE = {
    "jql-quotes": 'x" OR project = "OTHER',
    "wiki-link": "[link|http://evil.example]",
    "code-macro": "{code}rm -rf /{code}",
    "image": "!img.png!",
    "mention": "[~admin] please",
}
REJECTED = {
    "newline": ("Line one\nline two", "contains a line break"),
    "bidi": ("Sale \u202e7202", "U+202E"),
}


def _named(root: Path, fake: FakeJira, name: str) -> Run:
    project = Project(root, fake)
    project.rename(name)
    return project.submit()


@pytest.fixture(scope="module")
def hostile_runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, tuple[FakeJira, Path, Run]]]:
    root = tmp_path_factory.mktemp("hostile")
    names = {**HOSTILE, **{case: name for case, (name, _) in REJECTED.items()}}
    with contextlib.ExitStack() as stack:
        fakes = {case: stack.enter_context(running(cloud=True)) for case in names}
        runs = in_parallel(
            [
                functools.partial(_named, root / case, fakes[case], name)
                for case, name in names.items()
            ]
        )
        yield {case: (fakes[case], root / case, run) for case, run in zip(names, runs, strict=True)}


def _expected_ticket(spec_path: Path) -> tuple[CampaignSpec, str, str]:
    """The spec, summary and description campaign-guard makes of it, computed here."""
    spec = load_model(spec_path, CampaignSpec).value
    profile = load_model(PROFILE, CapacityProfile).value
    assert spec is not None
    assert profile is not None
    ticket = ticket_text(
        spec,
        estimate([spec], profile),
        spec_file_name=SPEC,
        lead_time_business_days=DEFAULT_LEAD_TIME_BUSINESS_DAYS,
        on_call=OnCall(now=DANA, at_launch=DANA),
    )
    return spec, ticket.summary, ticket.description


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_name_is_quoted_and_escaped(
    case: str, hostile_runs: dict[str, tuple[FakeJira, Path, Run]]
) -> None:
    fake, root, run = hostile_runs[case]
    name = HOSTILE[case]
    assert run.result()["action"] == "created"
    spec, summary, description = _expected_ticket(root / SPEC)
    assert spec.name == name
    label = campaign_label(spec.campaign_id)
    assert re.fullmatch(r"cg-[0-9a-f]{16}", label)
    searches = [r for r in run.requests if r.route == "GET /rest/api/3/search/jql"]
    assert len(searches) == 1
    assert searches[0].query["jql"] == [f'project = "OPS" AND labels = "{label}"']
    stored = fake.issues["OPS-1"]["fields"]
    assert stored["summary"] == summary
    assert stored["description"] == description
    assert wiki_escape(name) in stored["description"]
    if wiki_escape(name) != name:
        assert name not in stored["description"]
    assert fake.problems == []


@pytest.mark.parametrize("case", list(REJECTED))
def test_name_with_hidden_characters_is_refused_before_jira(
    case: str, hostile_runs: dict[str, tuple[FakeJira, Path, Run]]
) -> None:
    fake, _, run = hostile_runs[case]
    assert (run.code, run.stdout) == (1, "")
    assert REJECTED[case][1] in run.stderr
    assert "Traceback" not in run.stderr
    assert run.requests == []
    assert fake.issues == {}


# --- 5. setup problems name the setting to fix ---------------------------------------------------


@dataclass(frozen=True)
class Setup:
    id: str
    cloud: bool
    prepare: Callable[[Project], None]
    says: str
    offline: bool = False
    """Found before any request is sent."""
    issues: int = 0


def _config(**jira: Any) -> Callable[[Project], None]:
    def prepare(project: Project) -> None:
        project.write_config(fields=jira.pop("fields", None), jira=jira)

    return prepare


def _without(*names: str) -> Callable[[Project], None]:
    def prepare(project: Project) -> None:
        for name in names:
            del project.env[name]

    return prepare


def _no_jira_section(project: Project) -> None:
    project.write_config(with_jira=False)


def _stale_screen(project: Project) -> None:
    """Submit with a mapping (the screen is cached), then Jira's field changes type."""
    project.write_config(fields={"expected_traffic": "Expected traffic"})
    assert project.submit().code == 0
    for entry in project.fake.screens["10050"]:
        if entry["fieldId"] == "customfield_10051":
            entry["schema"] = {"type": "string", "custom": CUSTOM + "textfield", "customId": 10051}
    project.rename("Spring Newsletter 2028", "spring-newsletter-2028")


SETUPS = [
    Setup("no-jira-section", True, _no_jira_section, "jira:", offline=True),
    Setup("cloud-no-api-token", True, _without("JIRA_API_TOKEN"), "JIRA_API_TOKEN", offline=True),
    Setup("cloud-no-email", True, _without("JIRA_EMAIL"), "JIRA_EMAIL", offline=True),
    Setup("dc-no-pat", False, _without("JIRA_PAT"), "JIRA_PAT", offline=True),
    Setup("cloud-unknown-project", True, _config(project="NOPE"), "jira.project"),
    Setup(
        "dc-unknown-project-mapped", False, _config(project="NOPE", fields=MAPPING), "jira.project"
    ),
    Setup("cloud-unknown-issue-type", True, _config(issue_type="Nope"), "jira.issue_type"),
    Setup(
        "dc-unknown-issue-type-mapped",
        False,
        _config(issue_type="Nope", fields=MAPPING),
        "jira.issue_type",
    ),
    Setup(
        "cloud-unknown-field",
        True,
        _config(fields={"launch": "No such field"}),
        "jira.fields.launch",
    ),
    Setup(
        "dc-verdict-on-a-number",
        False,
        _config(fields={"verdict": "Expected traffic"}),
        "jira.fields.verdict",
    ),
    Setup(
        "cloud-value-jira-rejects", True, _stale_screen, "jira.fields.expected_traffic", issues=1
    ),
]


def _set_up(setup: Setup, project: Project) -> tuple[Project, Run]:
    setup.prepare(project)
    return project, project.submit()


@pytest.fixture(scope="module")
def setup_runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, tuple[Project, Run]]]:
    root = tmp_path_factory.mktemp("setup")
    with contextlib.ExitStack() as stack:
        jobs = [
            functools.partial(
                _set_up,
                setup,
                Project(root / setup.id, stack.enter_context(running(cloud=setup.cloud))),
            )
            for setup in SETUPS
        ]
        yield {setup.id: done for setup, done in zip(SETUPS, in_parallel(jobs), strict=True)}


@pytest.mark.parametrize("setup", SETUPS, ids=[s.id for s in SETUPS])
def test_setup_problem_names_the_setting(
    setup: Setup, setup_runs: dict[str, tuple[Project, Run]]
) -> None:
    project, run = setup_runs[setup.id]
    assert run.code == 3, run.stderr
    line = run.error()
    assert setup.says in line
    assert run.seconds < WALL_LIMIT
    assert len(project.fake.issues) == setup.issues
    if setup.offline:
        assert run.requests == []
    assert project.fake.problems == []
    if setup.id == "cloud-value-jira-rejects":
        assert run.routes[-1] == f"POST {ISSUE}"  # Jira itself refused the value
        assert list(project.cache.rglob("screen-*.json")) == []  # the stale screen is forgotten


# --- 6. Cloud's search lags behind a create --------------------------------------------------


def test_two_machines_within_the_lag_make_two_tickets_and_the_next_submit_names_it(
    tmp_path: Path,
) -> None:
    """What the README says cannot be guaranteed, and how the next submit heals it."""
    with running(cloud=True) as fake:
        fake.index_lag(60)
        laptop = Project(tmp_path / "laptop", fake)
        runner = Project(tmp_path / "ci", fake)  # another machine: another cache folder
        assert laptop.submit().result()["action"] == "created"
        assert laptop.submit().result()["action"] == "unchanged"  # this machine knows it
        assert runner.submit().result()["key"] == "OPS-2"  # that one cannot know yet
        fake.catch_up()
        healed = laptop.submit().result()
        assert (healed["key"], healed["duplicates"]) == ("OPS-1", ["OPS-2"])
        assert fake.problems == []


# --- 7. the cache of recent creates is only a help -------------------------------------------


def _corrupt(project: Project) -> None:
    path = _recent_file(project)
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"version": 1, "site": \xff truncated')


def _other_site(project: Project) -> None:
    path = _recent_file(project)
    path.parent.mkdir(parents=True)
    other = {"id": "99999", "key": "OPS-9", "project": "OPS", "label": "cg-x", "at": 1.0}
    stored = {"version": 1, "site": "https://other.atlassian.net", "created": [other]}
    path.write_text(json.dumps(stored), encoding="utf-8")


def _unwritable(project: Project) -> None:
    project.cache.write_text("a file where the cache folder should be", encoding="utf-8")


def _recent_file(project: Project) -> Path:
    from campaign_guard.jira.recent import recent_file

    return recent_file(project.cache, project.fake.url)


CACHE_PROBLEMS = {
    "corrupt": (_corrupt, "cannot be read (not valid JSON); it was replaced"),
    "other-site": (_other_site, "belongs to another Jira site; it was replaced"),
    "unwritable": (_unwritable, "cannot be written (Not a directory): a submit run again"),
}


def _with_cache_problem(root: Path, case: str) -> tuple[Project, Run, Run]:
    fake = FakeJira(cloud=True)
    fake.start()  # stopped by the fixture
    fake.index_lag(60)
    project = Project(root / case, fake)
    CACHE_PROBLEMS[case][0](project)
    return project, project.submit(), project.submit()


@pytest.fixture(scope="module")
def cache_runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, tuple[Project, Run, Run]]]:
    root = tmp_path_factory.mktemp("cache")
    done = in_parallel([functools.partial(_with_cache_problem, root, c) for c in CACHE_PROBLEMS])
    yield dict(zip(CACHE_PROBLEMS, done, strict=True))
    for project, _, _ in done:
        project.fake.stop()


@pytest.mark.parametrize("case", list(CACHE_PROBLEMS))
def test_a_cache_problem_is_one_warning_and_loses_nothing(
    case: str, cache_runs: dict[str, tuple[Project, Run, Run]]
) -> None:
    project, first, second = cache_runs[case]
    assert first.result()["action"] == "created"
    (warning,) = first.stderr.splitlines()
    assert warning.startswith("warning: ")
    assert CACHE_PROBLEMS[case][1] in warning
    assert "Traceback" not in first.stderr
    if case == "unwritable":  # the guarantee is lost for this create, as the warning says
        assert second.result()["key"] == "OPS-2"
        assert project.cache.read_text(encoding="utf-8").startswith("a file where")
    else:  # the file was mended: the next submit finds the new ticket at once
        assert second.result()["action"] == "unchanged"
        assert second.stderr == ""
        stored = json.loads(_recent_file(project).read_text(encoding="utf-8"))
        assert [c["key"] for c in stored["created"]] == ["OPS-1"]
    assert project.fake.problems == []


# --- 8. on a terminal, what it waits for ------------------------------------------------------


def test_a_terminal_sees_what_submit_waits_for(tmp_path: Path) -> None:
    """stderr on a terminal: a status line names the wait; stdout stays clean JSON."""
    import os
    import pty
    import subprocess

    from tests.conftest import console_script

    with running(cloud=True) as fake:
        project = Project(tmp_path / "project", fake)
        fake.status("POST", ISSUE, 429, {"Retry-After": "2"})
        leader, follower = pty.openpty()
        env = {**project.env, "TERM": "xterm", "COLUMNS": "120"}
        with subprocess.Popen(
            [str(console_script()), "submit", SPEC, "--json"],
            cwd=project.root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=follower,
        ) as process:
            os.close(follower)
            shown = b""
            with contextlib.suppress(OSError):  # EIO once the process has closed it
                while chunk := os.read(leader, 4096):
                    shown += chunk
            out = process.stdout.read() if process.stdout else b""
            assert process.wait(timeout=30) == 0
        os.close(leader)
        assert json.loads(out)["action"] == "created"
        text = shown.decode("utf-8", "replace")
        assert "Jira did not answer POST /rest/api/2/issue (HTTP 429); trying again in 2 s" in text
        assert list(fake.issues) == ["OPS-1"]


# --- 9. what the marketer is told before filing ---------------------------------------------


def test_a_late_launch_and_uncounted_load_are_said_before_filing(tmp_path: Path) -> None:
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).strftime("%Y-%m-%d")
    with running(cloud=True) as fake:
        project = Project(tmp_path / "project", fake)
        project.edit_spec("start: 2027-12-07 09:00", f"start: {tomorrow} 09:00")
        project.edit_spec("start: 2027-12-07 12:00", f"start: {tomorrow} 12:00")
        project.edit_spec(
            "landing_pages:",
            "  - channel: tv_radio\n    label: Prime time\n    viewers: 2M\n\nlanding_pages:",
        )
        run = project.submit()
        assert run.result()["action"] == "created"
        lines = run.stderr.splitlines()
        late = [line for line in lines if line.endswith("[short-lead-time]")]
        uncounted = [line for line in lines if line.endswith("[no-default]")]
        assert len(late) == len(uncounted) == 1, run.stderr
        assert not [line for line in lines if "[not-estimated]" in line]
        assert re.match(r"campaign\.yaml:\d+:\d+: warning launch\.start: ", late[0])
        assert re.match(r"campaign\.yaml:\d+:\d+: warning traffic\[2\]", uncounted[0])
        description = fake.issues["OPS-1"]["fields"]["description"]
        assert "* *Short notice:* this version was submitted on " in description
        assert '*Not counted in this estimate:* tv\\_radio "Prime time"' in description
        assert "\nh3. Not counted\n* tv\\_radio" in description


# --- 10. the spec is attached exactly once ---------------------------------------------------


def test_an_attach_whose_answer_is_lost_is_not_sent_twice(fake: FakeJira, tmp_path: Path) -> None:
    project = Project(tmp_path / "project", fake)
    fake.commit_then_reset("POST", f"{ISSUE}/OPS-1/attachments")
    run = project.submit()
    assert run.result()["action"] == "created"
    assert run.routes == [*create_routes(fake.cloud), f"GET {ISSUE}/OPS-1"]
    assert len(fake.attachments["OPS-1"]) == 1
    assert fake.problems == []


def test_an_issue_left_without_its_spec_gets_it_on_the_next_submit(
    fake: FakeJira, tmp_path: Path
) -> None:
    project = Project(tmp_path / "project", fake)
    assert project.submit().result()["action"] == "created"
    fake.attachments["OPS-1"].clear()  # as if stopped (Ctrl-C) between create and attach
    healed = project.submit()
    assert healed.result()["action"] == "updated"
    read_back = [] if fake.cloud else [f"GET {ISSUE}/OPS-1"]
    search = f"GET {search_path(fake.cloud)}"
    assert healed.routes == [search, *read_back, f"POST {ISSUE}/OPS-1/attachments"]
    (attachment,) = fake.attachments["OPS-1"]
    assert attachment["content"] == (project.root / SPEC).read_bytes()
    again = project.submit()
    assert again.result()["action"] == "unchanged"
    assert len(again.routes) == (1 if fake.cloud else 2)
    assert fake.problems == []


# --- 11. a hostile file name reaches Jira printable ------------------------------------------


@pytest.mark.parametrize(
    "stem", ["bad\udcff\udcfe", "esc\x1b[31mred", "x\n::warning file=x::pwned"]
)
def test_a_hostile_spec_file_name_is_filed_printable(stem: str, tmp_path: Path) -> None:
    import os

    from tests.conftest import console_script
    from tests.e2e.conftest import run_with_env

    with running(cloud=True) as fake:
        project = Project(tmp_path / "project", fake)
        name = f"{stem}.yaml"
        os.replace(project.root / SPEC, project.root / name)
        done, _ = run_with_env(
            [str(console_script()), "submit", name, "--json"], project.root, project.env
        )
        assert done is not None
        assert done.returncode == 0, done.stderr
        (attachment,) = fake.attachments["OPS-1"]
        assert attachment["filename"].isprintable()
        assert "\\x" in attachment["filename"]
        description = fake.issues["OPS-1"]["fields"]["description"]
        assert all(line.isprintable() for line in description.splitlines())
        assert fake.problems == []
