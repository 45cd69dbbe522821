"""``doctor`` and ``jira fields`` against the fake Jira on 127.0.0.1 (in-process CLI)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from testing.fake_jira import FakeJira
from testing.fake_jira_data import CAMPAIGN_LAUNCH, CUSTOM, custom_field
from tests.conftest import REPO_ROOT, RunCli

CANARY = "CANARY-doctor-4e1b"
EXAMPLE = REPO_ROOT / "examples" / "campaigns" / "winter-newsletter.yaml"
ALL_CHECKS = (
    "project file",
    "credentials",
    "site",
    "account",
    "project",
    "issue type",
    "fields",
    "transitions",
    "on-call",
)
ONCALL = (
    "oncall:\n  provider: fixed\n  name: Dana Ops\n  email: dana@example.com\n"
    "  jira_account_id: 5b10ac8d82e05b22cc7d4ef5\n  jira_user_name: dana\n"
)


def project(workdir: Path, fake: FakeJira, extra: str = "", *, deployment: str = "") -> None:
    kind = deployment or ("cloud" if fake.cloud else "data-center")
    text = f"jira:\n  site: {fake.url}\n  deployment: {kind}\n  project: OPS\n{extra}{ONCALL}"
    (workdir / "campaign-guard.yaml").write_text(text, encoding="utf-8")


def env(workdir: Path) -> dict[str, str | None]:
    return {
        "JIRA_EMAIL": "bot@example.com",
        "JIRA_API_TOKEN": CANARY,
        "JIRA_PAT": CANARY,
        "CAMPAIGN_GUARD_CACHE_DIR": str(workdir / "cache"),
    }


def statuses(out: str) -> dict[str, str]:
    """Check name → status word, from doctor's text output."""
    found: dict[str, str] = {}
    for line in out.splitlines():
        mark, _, rest = line.partition("  ")
        name = rest.strip().split("  ")[0]
        found[name] = mark.strip()
    return found


def test_doctor_all_ok_lists_every_check(cli: RunCli, workdir: Path, fake: FakeJira) -> None:
    project(workdir, fake, "  fields: {launch: Launch date, verdict: customfield_10055}\n")
    (workdir / "spec.yaml").write_bytes(EXAMPLE.read_bytes())
    assert cli("submit", "spec.yaml", env=env(workdir))[0] == 0
    code, out, err = cli("doctor", env=env(workdir))
    assert (code, err) == (0, "")
    assert statuses(out) == dict.fromkeys(ALL_CHECKS, "ok")
    assert "launch → Launch date (customfield_10050)" in out
    assert "from OPS-1: Start review, Approve, Reject" in out
    assert ("Jira Cloud" if fake.cloud else "Jira Server") in out
    assert CANARY not in out
    assert fake.problems == []


def test_doctor_without_a_campaign_ticket_warns_and_passes(
    cli: RunCli, workdir: Path, fake: FakeJira
) -> None:
    project(workdir, fake)
    code, out, _ = cli("doctor", env=env(workdir))
    assert code == 0
    assert statuses(out)["transitions"] == "warn"
    assert "no review fields mapped" in out


def test_doctor_names_the_wrong_deployment(cli: RunCli, workdir: Path, fake: FakeJira) -> None:
    wrong = "data-center" if fake.cloud else "cloud"
    project(workdir, fake, deployment=wrong)
    code, out, _ = cli("doctor", env=env(workdir))
    assert code == 3
    right = "cloud" if fake.cloud else "data-center"
    assert f"set jira.deployment: {right}" in out
    assert statuses(out)["site"] == "FAIL"


def test_doctor_stops_at_refused_credentials(cli: RunCli, workdir: Path, fake: FakeJira) -> None:
    project(workdir, fake)
    fake.status("GET", "/rest/api/2/myself", 401, {})
    code, out, _ = cli("doctor", env=env(workdir))
    assert code == 3
    found = statuses(out)
    assert found["account"] == "FAIL"
    assert ("JIRA_API_TOKEN" if fake.cloud else "JIRA_PAT") in out
    assert {found[n] for n in ("project", "issue type", "fields", "transitions")} == {"skip"}
    assert CANARY not in out


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ("  issue_type: Nope\n", ("issue type", "jira.issue_type: project OPS has no issue")),
        ("  fields: {launch: Launch day}\n", ("fields", "jira.fields.launch: no field")),
        ("  fields: {launch: Expected traffic}\n", ("fields", "jira.fields.launch: 'Expected")),
    ],
)
def test_doctor_names_the_setting_to_fix(
    cli: RunCli, workdir: Path, fake: FakeJira, extra: str, named: tuple[str, str]
) -> None:
    check, text = named
    project(workdir, fake, extra)
    code, out, _ = cli("doctor", env=env(workdir))
    assert code == 3
    assert statuses(out)[check] == "FAIL"
    assert text in out


SAVE_HINT = "`campaign-guard jira fields --save` would make every first submit skip"
SAVED_LAUNCH = "  fields:\n    launch: {id: customfield_10050, type: datetime}  # Launch date\n"


def test_doctor_offers_to_save_fields_mapped_by_name(
    cli: RunCli, workdir: Path, fake: FakeJira
) -> None:
    project(workdir, fake, "  fields: {launch: Launch date, verdict: customfield_10055}\n")
    code, out, _ = cli("doctor", "--json", env=env(workdir))
    checks = {c["name"]: c for c in json.loads(out)}
    assert code == 0
    assert checks["fields"]["status"] == "ok"
    assert SAVE_HINT in checks["fields"]["message"]
    assert checks["issue type"]["message"] == "'Marketing Campaign Launch' (id 10050)"


def test_doctor_checks_saved_fields_against_jira(
    cli: RunCli, workdir: Path, fake: FakeJira
) -> None:
    project(workdir, fake, "  issue_type: 10050\n" + SAVED_LAUNCH)
    code, out, _ = cli("doctor", env=env(workdir))
    assert code == 0
    assert statuses(out)["fields"] == "ok"
    assert "launch → Launch date (customfield_10050, saved)" in out
    assert "issue type    id 10050" in out
    assert SAVE_HINT not in out
    for entry in fake.screens[CAMPAIGN_LAUNCH]:
        if entry["fieldId"] == "customfield_10050":
            entry["schema"] = {"type": "date", "custom": CUSTOM + "datepicker"}
    code, out, _ = cli("doctor", env=env(workdir))
    assert code == 3
    assert statuses(out)["fields"] == "FAIL"
    assert (
        "jira.fields.launch: the saved field customfield_10050 differs from Jira's 'Launch date' "
        "(saved: datetime; in Jira: date); run `campaign-guard jira fields --save`"
    ) in out


def test_doctor_reports_required_fields_it_cannot_fill(
    cli: RunCli, workdir: Path, fake: FakeJira
) -> None:
    fake.screens[CAMPAIGN_LAUNCH].append(
        custom_field(10099, "Cost centre", "string", "textfield", required=True)
    )
    project(workdir, fake)
    code, out, _ = cli("doctor", env=env(workdir))
    assert code == 3
    assert "required fields campaign-guard does not fill: Cost centre (customfield_10099)" in out


def test_doctor_without_a_project_file_offers_the_starter(
    cli: RunCli, workdir: Path, fake: FakeJira
) -> None:
    code, out, _ = cli("doctor", "--json", env=env(workdir))
    assert code == 3
    checks = json.loads(out)
    assert checks[0]["name"] == "project file"
    assert checks[0]["status"] == "fail"
    offer = "`campaign-guard init --kind project` writes a campaign-guard.yaml to fill in"
    assert offer in checks[0]["message"]
    assert "README" not in checks[0]["message"]
    assert {c["status"] for c in checks[1:]} == {"skip"}

    # The offer, taken: the next step is the jira: section, which the starter explains.
    assert cli("init", "--kind", "project")[0] == 0
    code, out, _ = cli("doctor", env=env(workdir))
    assert code == 3
    assert out.startswith(
        f"FAIL  project file  {workdir / 'campaign-guard.yaml'}: no jira: section"
    )
    starter = (workdir / "campaign-guard.yaml").read_text(encoding="utf-8")
    jira = re.search(r"(?m)^# jira:\n(#   .*\n)+", starter)
    assert jira is not None
    filled = "".join(line[2:] + "\n" for line in jira.group().splitlines())
    filled = filled.replace("https://example.atlassian.net", fake.url)
    kind = "cloud" if fake.cloud else "data-center"
    filled += f"  deployment: {kind}\n"
    (workdir / "campaign-guard.yaml").write_text(starter.replace(jira.group(), filled), "utf-8")
    code, out, _ = cli("doctor", env=env(workdir))
    assert statuses(out)["project file"] == "ok"
    assert statuses(out)["project"] == "ok"


def test_jira_fields_shows_the_mapping_and_refreshes_the_cache(
    cli: RunCli, workdir: Path, fake: FakeJira
) -> None:
    project(workdir, fake, "  fields: {launch: Launch date, expected_traffic: customfield_10051}\n")
    code, out, err = cli("jira", "fields", env=env(workdir))
    assert (code, err) == (0, "")
    assert "  launch            Launch date (customfield_10050, datetime)" in out
    assert "  verdict           not mapped" in out
    assert "customfield_10055    Load verdict" in out
    assert len(list((workdir / "cache").rglob("screen-*.json"))) == 1
    code, out, _ = cli("jira", "fields", "--json", env=env(workdir))
    report = json.loads(out)
    assert report["mapping"]["expected_traffic"]["type"] == "number"
    assert report["mapping"]["verdict"] is None
    assert report["issue_type"] == {"id": CAMPAIGN_LAUNCH, "name": "Marketing Campaign Launch"}
    assert fake.problems == []


def test_jira_fields_unknown_field_is_one_line(cli: RunCli, workdir: Path, fake: FakeJira) -> None:
    project(workdir, fake, "  fields: {verdict: Verdict}\n")
    code, out, err = cli("jira", "fields", env=env(workdir))
    assert (code, out) == (3, "")
    assert err.startswith("error: jira.fields.verdict: no field 'Verdict'")
    assert err.count("\n") == 1
