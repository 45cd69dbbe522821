"""The Python API, through its public names only: what a script or a notebook would do."""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import pytest

import campaign_guard as cg
from campaign_guard import api
from campaign_guard.errors import ExitCode, UsageError
from testing.fake_jira import running
from tests.conftest import REPO_ROOT, RunCli, run_command

EXAMPLES = REPO_ROOT / "examples"
SPECS = sorted((EXAMPLES / "campaigns").glob("*.yaml"))
WINTER = EXAMPLES / "campaigns" / "winter-newsletter.yaml"
PROFILE = EXAMPLES / "capacity" / "production.yaml"
AS_OF = "2027-01-04T09:00Z"


@pytest.fixture
def at_root(repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(repo_root)
    return repo_root


def test_the_package_offers_the_api_names() -> None:
    assert cg.lint_paths is api.lint_paths
    assert cg.SubmissionPlan is api.SubmissionPlan
    assert cg.api is api
    with pytest.raises(AttributeError, match="no attribute 'lint_path'"):
        cg.lint_path  # noqa: B018


def test_every_name_of_the_api_is_there_and_typed_for_mypy() -> None:
    for name in api.__all__:
        assert getattr(api, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        api.nothing  # noqa: B018
    # Each name loaded on first use is imported from the same module for mypy.
    tree = ast.parse(Path(api.__file__).read_text(encoding="utf-8"))
    typed = {
        alias.name: node.module
        for block in tree.body
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert typed == api._LAZY


def test_importing_the_api_imports_no_core_module() -> None:
    program = (
        "import sys, campaign_guard as cg; cg.api; "
        "print(sorted(m for m in sys.modules if m.startswith('campaign_guard')))"
    )
    done = run_command([sys.executable, "-c", program], REPO_ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(
        ["campaign_guard", "campaign_guard.api", "campaign_guard.choices", "campaign_guard.errors"]
    )


def test_lint_an_example_folder(at_root: Path) -> None:
    result = cg.lint_paths([EXAMPLES / "campaigns"], as_of=AS_OF)
    assert (sorted(result.files), result.findings) == ([str(p) for p in SPECS], [])
    assert cg.lint_report(result, "json", strict=True).startswith("{")


def test_lint_returns_the_problems_and_says_them_as_lint_does(workdir: Path) -> None:
    (workdir / "broken.yaml").write_text("schema_version: 1\nname: [unclosed\n", encoding="utf-8")
    result = cg.lint_paths(["broken.yaml"])
    assert [f.code for f in result.findings] == ["yaml-syntax"]
    assert cg.fails(result.findings, strict=False)
    assert cg.findings_text(result.findings).startswith("broken.yaml:3:1: error ")


def test_lint_refuses_a_moment_without_an_offset(at_root: Path) -> None:
    with pytest.raises(UsageError, match="time zone offset"):
        cg.lint_paths([WINTER], as_of="2027-01-04T09:00")


def test_estimate_an_example_against_the_example_profile(cli: RunCli, at_root: Path) -> None:
    run = cg.estimate_paths([WINTER], capacity=PROFILE)
    assert isinstance(run, api.EstimateRun)
    assert run.profile_path == str(PROFILE)
    assert run.estimate.profile is not None
    assert [c.name for c in run.estimate.campaigns] == ["Winter Newsletter 2027"]
    code, out, _ = cli("estimate", str(WINTER), "--capacity", str(PROFILE), "--json")
    assert code == 0
    assert json.loads(out) == json.loads(json.dumps(api.estimate_json(run)))
    assert cg.fail_on_reasons(run, "never") == ""


def test_fail_on_fails_on_uncounted_load_unless_allowed(workdir: Path) -> None:
    spec = WINTER.read_text(encoding="utf-8").replace("  - POST /api/", "  - POST /nowhere/")
    (workdir / "spec.yaml").write_text(spec, encoding="utf-8")
    run = cg.estimate_paths(["spec.yaml"], capacity=PROFILE, fail_on="overload")
    assert run.uncounted, "the endpoint without a route should be uncounted"
    reasons = cg.fail_on_reasons(run, "overload")
    assert "part of the load was not counted" in reasons
    assert run.uncounted[0].line in reasons
    assert cg.fail_on_reasons(run, "overload", allow_uncounted=True) == ""
    with pytest.raises(UsageError, match="--fail-on must be one of"):
        cg.fail_on_reasons(run, "sometimes")


def test_a_spec_with_problems_raises_problems_found(workdir: Path) -> None:
    (workdir / "spec.yaml").write_text("schema_version: 1\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(api.ProblemsFound) as raised:
        cg.estimate_paths(["spec.yaml"])
    assert raised.value.exit_code is ExitCode.FINDINGS
    assert [f.path for f in raised.value.findings] == ["spec.yaml"]
    with pytest.raises(api.ProblemsFound):
        cg.load_spec(workdir / "spec.yaml")


def test_load_a_spec_and_a_profile() -> None:
    assert cg.load_spec(WINTER).name == "Winter Newsletter 2027"
    assert isinstance(cg.load_profile(PROFILE), api.CapacityProfile)
    with pytest.raises(UsageError, match="capacity profile not found"):
        cg.load_profile(EXAMPLES / "nothing.yaml")


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_the_plan_is_what_the_dry_run_shows(cli: RunCli, at_root: Path, spec: Path) -> None:
    plan = cg.plan_submission(spec, capacity=PROFILE)
    code, out, _ = cli("submit", str(spec), "--dry-run", "--json", "--capacity", str(PROFILE))
    assert code == 0
    preview = plan.preview()
    assert json.loads(out) == preview
    ticket = plan.ticket(None)  # no on-call section: nobody to assign
    assert (ticket.summary, ticket.description) == (preview["summary"], preview["description"])


def test_the_plan_with_the_example_project_file(
    cli: RunCli, repo_root: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(repo_root / "examples")
    environ = {"CAMPAIGN_GUARD_CACHE_DIR": str(tmp_path)}
    plan = cg.plan_submission(Path("campaigns/winter-newsletter.yaml"), environ=environ)
    preview = plan.preview()
    assert preview["project"] == "OPS"
    assert preview["assignee"]
    code, out, _ = cli(
        "submit", "campaigns/winter-newsletter.yaml", "--dry-run", "--json", env=environ
    )
    assert code == 0
    assert json.loads(out) == preview


def test_a_missing_spec_is_a_usage_error(workdir: Path) -> None:
    with pytest.raises(UsageError, match=r"no such file: 'nothing\.yaml'"):
        cg.plan_submission(Path("nothing.yaml"))


def test_submit_a_plan_to_jira(workdir: Path) -> None:
    (workdir / "spec.yaml").write_bytes(WINTER.read_bytes())
    with running(cloud=True) as fake:
        (workdir / "campaign-guard.yaml").write_text(
            f"jira:\n  site: {fake.url}\n  deployment: cloud\n  project: OPS\n"
            "oncall:\n  provider: fixed\n  name: Dana Ops\n  email: dana@example.com\n"
            "  jira_account_id: 5b10ac8d82e05b22cc7d4ef5\n",
            encoding="utf-8",
        )
        environ = {
            "JIRA_EMAIL": "bot@example.com",
            "JIRA_API_TOKEN": "token",
            "CAMPAIGN_GUARD_CACHE_DIR": str(workdir / "cache"),
        }
        plan = cg.plan_submission(Path("spec.yaml"), environ=environ)
        filed = cg.submit_plan(plan)
        assert (filed.result.action, filed.result.key) == ("created", "OPS-1")
        assert filed.assignee is not None
        assert filed.assignee.name == "Dana Ops"
        issue = fake.issues["OPS-1"]["fields"]
        assert issue["summary"] == plan.preview()["summary"]
        assert cg.submit_plan(plan).result.action == "unchanged"
        assert fake.problems == []


def test_schema() -> None:
    schema = json.loads(cg.schema_text("capacity"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "campaign-guard capacity profile"
    assert json.loads(cg.schema_text())["title"] == "campaign-guard campaign spec"
    with pytest.raises(UsageError, match="--kind must be one of: campaign, capacity"):
        cg.schema_text("profile")


def test_doctor_without_jira_settings(workdir: Path) -> None:
    checks = cg.doctor_checks(environ={})
    assert (checks[0].name, checks[0].status) == ("project file", "fail")
    assert "campaign-guard init --kind project" in checks[0].message
    assert {c.status for c in checks[1:]} == {"skip"}
    assert cg.doctor_failed(checks)


def test_settings_read_the_project_file(workdir: Path) -> None:
    (workdir / "campaign-guard.yaml").write_text(
        "lint:\n  lead_time_business_days: 7\n", encoding="utf-8"
    )
    assert cg.settings().lead_time_business_days == 7
    assert cg.settings(lead_time=2).lead_time_business_days == 2


def test_the_readme_example_runs(repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1
    done = run_command([sys.executable, "-c", blocks[0]], repo_root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "no problems",
        "Today's capacity holds: the busiest part, web, peaks at 62% of its 70% target (43% of "
        "its full capacity), even at the high estimate.",
        "passes --fail-on overload",
        "Campaign launch: Winter Newsletter 2027 (Tue 7 Dec 2027)",
    ]
