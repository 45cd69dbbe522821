"""``submit --dry-run``: the ticket it would file, with no network."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, RunCli

EXAMPLE = "examples/campaigns/winter-newsletter.yaml"
PROFILE = "examples/capacity/production.yaml"


def in_project(workdir: Path, project_file: str) -> None:
    """The example spec as ``spec.yaml`` and ``project_file`` as campaign-guard.yaml."""
    (workdir / "spec.yaml").write_bytes((REPO_ROOT / EXAMPLE).read_bytes())
    (workdir / "campaign-guard.yaml").write_text(project_file, encoding="utf-8")


@pytest.fixture
def at_root(repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(repo_root)
    return repo_root


def test_dry_run_shows_the_ticket(cli: RunCli, at_root: Path) -> None:
    code, out, err = cli("submit", EXAMPLE, "--dry-run", "--capacity", PROFILE)
    assert (code, err) == (0, "")
    assert out.startswith("Dry run: nothing was sent. The Marketing Campaign Launch ticket")
    assert "Summary:     Campaign launch: Winter Newsletter 2027 (Tue 7 Dec 2027)" in out
    assert "Due date:    2027-12-07" in out
    assert "h3. 4. Landing pages and API endpoints" in out


def test_dry_run_json(cli: RunCli, at_root: Path) -> None:
    code, out, _ = cli("submit", EXAMPLE, "--dry-run", "--json", "--capacity", PROFILE)
    assert code == 0
    preview = json.loads(out)
    assert preview["action"] == "dry-run"
    assert preview["labels"][0].startswith("cg-")
    assert "marketing-campaign" in preview["labels"]
    assert preview["due_date"] == "2027-12-07"
    assert preview["attachment"] == "winter-newsletter.yaml"


def test_without_a_project_file_it_says_what_to_create(
    cli: RunCli, workdir: Path, repo_root: Path
) -> None:
    (workdir / "spec.yaml").write_bytes((repo_root / EXAMPLE).read_bytes())
    code, out, err = cli("submit", "spec.yaml")
    assert (code, out) == (3, "")
    assert err.startswith("error: submit needs a project file with a jira: section")
    assert "`campaign-guard init --kind project` writes a campaign-guard.yaml" in err
    assert err.count("\n") == 1


def test_without_a_jira_section_it_names_the_setting(
    cli: RunCli, workdir: Path, repo_root: Path
) -> None:
    (workdir / "spec.yaml").write_bytes((repo_root / EXAMPLE).read_bytes())
    (workdir / "campaign-guard.yaml").write_text("lint: {lead_time_business_days: 3}\n")
    code, out, err = cli("submit", "spec.yaml")
    assert (code, out) == (3, "")
    assert "campaign-guard.yaml: no jira: section" in err


@pytest.mark.parametrize(
    ("site", "environ", "named"),
    [
        ("https://example.atlassian.net", {}, "JIRA_EMAIL and JIRA_API_TOKEN"),
        ("https://jira.example.com", {"JIRA_API_TOKEN": "x"}, "JIRA_PAT"),
    ],
)
def test_missing_credentials_are_named_before_any_request(
    cli: RunCli, workdir: Path, site: str, environ: dict[str, str], named: str
) -> None:
    (workdir / "spec.yaml").write_bytes((REPO_ROOT / EXAMPLE).read_bytes())
    (workdir / "campaign-guard.yaml").write_text(f"jira: {{site: '{site}', project: OPS}}\n")
    code, out, err = cli("submit", "spec.yaml", env=environ)
    assert (code, out) == (3, "")
    assert named in err


def test_an_invalid_spec_stops_it(cli: RunCli, workdir: Path) -> None:
    (workdir / "bad.yaml").write_text("schema_version: 1\nname: x\n", encoding="utf-8")
    code, out, err = cli("submit", "bad.yaml", "--dry-run")
    assert (code, out) == (1, "")
    assert "bad.yaml" in err
    assert "Fix these first" in err


def test_a_missing_spec_is_a_usage_error(cli: RunCli, workdir: Path) -> None:
    code, _, err = cli("submit", "nope.yaml", "--dry-run")
    assert code == 2
    assert "no such file: 'nope.yaml'" in err


def test_project_settings_name_the_project_and_the_on_call(
    cli: RunCli, repo_root: Path, workdir: Path
) -> None:
    spec = (repo_root / EXAMPLE).read_text(encoding="utf-8")
    (workdir / "spec.yaml").write_text(spec, encoding="utf-8")
    (workdir / "campaign-guard.yaml").write_text(
        "jira:\n  site: https://example.atlassian.net\n  project: OPS\n  labels: [growth]\n"
        "oncall:\n  provider: fixed\n  name: Dana Ops\n  email: dana@example.com\n",
        encoding="utf-8",
    )
    code, out, _ = cli("submit", "spec.yaml", "--dry-run", "--json")
    assert code == 0
    preview = json.loads(out)
    assert preview["project"] == "OPS"
    assert "growth" in preview["labels"]
    assert preview["assignee"] == preview["on_call_at_launch"] == "Dana Ops <dana@example.com>"


def test_dry_run_shows_mapped_fields_from_the_cached_screen(cli: RunCli, workdir: Path) -> None:
    from campaign_guard.jira.fields import CreateScreen, JiraField
    from campaign_guard.jira.screen import screen_file
    from campaign_guard.jira.settings import JiraSettings

    in_project(
        workdir,
        "jira:\n  site: https://example.atlassian.net\n  project: OPS\n"
        "  components: [Web]\n  fields: {launch: Launch date}\n",
    )
    environ = {"CAMPAIGN_GUARD_CACHE_DIR": str(workdir / "cache")}
    code, out, _ = cli("submit", "spec.yaml", "--dry-run", "--json", env=environ)
    assert code == 0
    assert json.loads(out)["fields"].startswith("read from Jira when filed")
    settings = JiraSettings(site="https://example.atlassian.net", project="OPS")
    path = screen_file(workdir / "cache", settings)
    path.parent.mkdir(parents=True)
    launch = JiraField("customfield_10050", "Launch date", "date")
    path.write_text(json.dumps(CreateScreen("OPS", "10050", "x", (launch,)).to_json()))
    code, out, _ = cli("submit", "spec.yaml", "--dry-run", "--json", env=environ)
    preview = json.loads(out)
    assert preview["fields"] == {"Launch date (customfield_10050)": "2027-12-07"}
    assert preview["components"] == ["Web"]
    code, out, _ = cli("submit", "spec.yaml", "--dry-run", env=environ)
    assert 'Field:       Launch date (customfield_10050) = "2027-12-07"' in out


def test_dry_run_shows_saved_fields_without_any_cache(cli: RunCli, workdir: Path) -> None:
    in_project(
        workdir,
        "jira:\n  site: https://example.atlassian.net\n  project: OPS\n  issue_type: 10050\n"
        "  fields:\n    launch: {id: customfield_10050, type: date}  # Launch date\n"
        "    new_data_fields: {id: customfield_10054, type: number}\n",
    )
    environ = {"CAMPAIGN_GUARD_CACHE_DIR": str(workdir / "cache")}
    code, out, _ = cli("submit", "spec.yaml", "--dry-run", "--json", env=environ)
    assert code == 0
    assert json.loads(out)["fields"] == {"customfield_10050": "2027-12-07", "customfield_10054": 0}
    code, out, _ = cli("submit", "spec.yaml", "--dry-run", env=environ)
    assert out.startswith("Dry run: nothing was sent. The ticket of issue type 10050 for project")
    assert 'Field:       customfield_10050 = "2027-12-07"' in out
    assert not (workdir / "cache").exists()


def test_the_example_project_file_drives_a_dry_run(
    cli: RunCli, repo_root: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(repo_root / "examples")
    environ = {"CAMPAIGN_GUARD_CACHE_DIR": str(tmp_path)}
    code, out, err = cli("submit", "campaigns/winter-newsletter.yaml", "--dry-run", env=environ)
    assert (code, err) == (0, "")
    assert "ticket for project OPS:" in out
    assert "Labels:      cg-bdf6b5a03ee2bc25, marketing-campaign, capacity-review" in out
    assert re.search(r"Assignee:    (Dana Ops|Lee Sre) <", out)


def test_a_dry_run_shows_why_nobody_is_on_call(cli: RunCli, workdir: Path) -> None:
    in_project(
        workdir,
        "oncall:\n  provider: rotation\n  timezone: UTC\n"
        "  handoff: {weekday: monday, time: '09:00'}\n  start: 2099-01-05\n"
        "  people: [{name: Dana Ops, email: dana@example.com}]\n",
    )
    code, out, _ = cli("submit", "spec.yaml", "--dry-run")
    assert code == 0
    assert "Assignee:    nobody: the on-call rotation starts at its first handoff" in out


def test_a_broken_project_template_is_one_line_not_a_bug(cli: RunCli, workdir: Path) -> None:
    (workdir / "spec.yaml").write_bytes((REPO_ROOT / EXAMPLE).read_bytes())
    (workdir / "ops").mkdir()
    (workdir / "ops" / "ticket-summary.txt.j2").write_text("{% if %}\n", encoding="utf-8")
    (workdir / "campaign-guard.yaml").write_text("templates: ops\n", encoding="utf-8")
    code, out, err = cli("submit", "spec.yaml", "--dry-run")
    assert (code, out) == (2, "")
    assert err.startswith("error: templates: ")
    assert "ticket-summary.txt.j2:1: " in err
    assert err.count("\n") == 1
