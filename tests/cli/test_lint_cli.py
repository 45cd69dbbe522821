"""``campaign-guard lint`` from the command line: exit codes, output, discovery, settings.

Every run checks dates ``--as-of`` a fixed Monday, so the results never depend on today.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.golden import assert_golden

GOLDEN = Path(__file__).parent / "golden"

AS_OF = "2027-01-04T09:00Z"
"""Monday 4 January 2027, 09:00 UTC: the "now" of every run below."""
FAR = "2027-02-01 09:00"
"""Four weeks after AS_OF: beyond any lead time used here."""
FIVE_DAYS = "2027-01-11 09:00"
"""Five business days after AS_OF."""

PRIVACY_FIELD = """
  - name: phone_number
    personal_data: true
    purpose: send the code by SMS"""

BROKEN = "schema_version: 1\nname: [unclosed\n"


def spec(
    name: str = "Test Campaign",
    start: str = FAR,
    *,
    data_fields: str = " []",
    extra: str = "",
) -> str:
    """A campaign spec; valid unless the arguments make it otherwise."""
    return f"""\
schema_version: 1
name: {name}
owner: jane@example.com
{extra}launch:
  timezone: UTC
  start: {start}
  duration: 3d
traffic:
  - channel: email
    list_size: 10k
landing_pages:
  - https://example.com/landing
new_data_fields:{data_fields}
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def paths_in(stdout: str) -> set[str]:
    """The files named by text-format findings."""
    return {re.split(r":\d+:\d+: |: (?:error|warning) ", line)[0] for line in stdout.splitlines()}


# --- exit codes and the summary ------------------------------------------------------


def test_clean_examples_exit_0(cli: RunCli, repo_root: Path, workdir: Path) -> None:
    code, out, err = cli("lint", str(repo_root / "examples" / "campaigns"), "--as-of", AS_OF)
    assert (code, out, err) == (0, "", "Checked 3 files: no problems found.\n")


def test_invalid_spec_exit_1(cli: RunCli, workdir: Path) -> None:
    write(workdir / "bad.yaml", spec().replace("owner: jane@example.com\n", ""))
    code, out, err = cli("lint", "bad.yaml", "--as-of", AS_OF)
    assert code == 1
    assert out.startswith("bad.yaml:1:1: error ")
    assert "owner" in out
    assert out.rstrip("\n").endswith("[missing-field]")
    assert err == "Checked 1 file: 1 error.\n"


def test_missing_path_exit_2(cli: RunCli, workdir: Path) -> None:
    assert cli("lint", "x") == (2, "", "error: no such file or folder: 'x'\n")


def test_missing_path_among_good_ones_still_exit_2(cli: RunCli, workdir: Path) -> None:
    write(workdir / "ok.yaml", spec())
    code, out, err = cli("lint", "ok.yaml", "gone.yaml", "--as-of", AS_OF)
    assert (code, out) == (2, "")
    assert err == "error: no such file or folder: 'gone.yaml'\n"


def test_no_path_is_a_usage_error(cli: RunCli, workdir: Path) -> None:
    code, out, err = cli("lint")
    assert (code, out) == (2, "")
    assert "Missing argument" in err


def test_bad_format_exit_2(cli: RunCli, workdir: Path) -> None:
    write(workdir / "ok.yaml", spec())
    code, out, err = cli("lint", "ok.yaml", "--format", "yaml")
    assert (code, out) == (2, "")
    assert err == (
        "error: unknown format 'yaml'; choose one of: auto, text, json, github, junit, sarif\n"
    )


def test_as_of_without_offset_exit_2(cli: RunCli, workdir: Path) -> None:
    write(workdir / "ok.yaml", spec())
    code, out, err = cli("lint", "ok.yaml", "--as-of", "2027-01-04T09:00")
    assert (code, out) == (2, "")
    assert err == "error: --as-of needs a time zone offset, like 2027-03-01T09:00+01:00\n"


def test_as_of_that_is_no_date_exit_2(cli: RunCli, workdir: Path) -> None:
    write(workdir / "ok.yaml", spec())
    code, out, err = cli("lint", "ok.yaml", "--as-of", "next tuesday")
    assert (code, out) == (2, "")
    assert err == "error: --as-of: 'next tuesday' is not a date and time\n"


@pytest.mark.parametrize("days", ["-1", "61", "three"])
def test_lead_time_flag_out_of_range_exit_2(cli: RunCli, workdir: Path, days: str) -> None:
    write(workdir / "ok.yaml", spec())
    code, out, err = cli("lint", "ok.yaml", "--lead-time", days)
    assert (code, out) == (2, "")
    assert "--lead-time" in err


def test_strict_fails_on_warnings_only(cli: RunCli, workdir: Path) -> None:
    write(workdir / "privacy.yaml", spec(data_fields=PRIVACY_FIELD))
    code, out, err = cli("lint", "privacy.yaml", "--as-of", AS_OF)
    assert code == 0
    assert out.startswith("privacy.yaml:")
    assert " warning new_data_fields[0].personal_data: " in out
    assert out.endswith(" [privacy-review]\n")
    assert err == "Checked 1 file: 1 warning.\n"

    strict = cli("lint", "privacy.yaml", "--as-of", AS_OF, "--strict")
    assert strict == (1, out, err)


def test_strict_fails_on_traffic_the_estimate_cannot_count(cli: RunCli, workdir: Path) -> None:
    paid = "channel: paid_social\n    budget: 10k\n    currency: USD"
    write(workdir / "paid.yaml", spec().replace("channel: email\n    list_size: 10k", paid))
    code, out, err = cli("lint", "paid.yaml", "--as-of", AS_OF)
    assert (code, err) == (0, "Checked 1 file: 1 warning.\n")
    assert out == (
        "paid.yaml:9:5: warning traffic[0].cost_per_click: give `cost_per_click` (or "
        "`impressions` and `click_rate`, or `expected_visits`); campaign-guard has no "
        "published default to turn a budget into visits [uncounted-traffic]\n"
    )
    assert cli("lint", "paid.yaml", "--as-of", AS_OF, "--strict") == (1, out, err)


def test_strict_on_a_clean_spec_still_exit_0(cli: RunCli, workdir: Path) -> None:
    write(workdir / "ok.yaml", spec())
    assert cli("lint", "ok.yaml", "--as-of", AS_OF, "--strict") == (
        0,
        "",
        "Checked 1 file: no problems found.\n",
    )


def test_summary_counts_errors_and_warnings_in_words(cli: RunCli, workdir: Path) -> None:
    write(workdir / "a.yaml", BROKEN)
    write(workdir / "b.yaml", BROKEN)
    write(workdir / "c.yaml", spec("Soon", FIVE_DAYS, data_fields=PRIVACY_FIELD))
    code, _, err = cli("lint", "--lead-time", "10", "a.yaml", "b.yaml", "c.yaml", "--as-of", AS_OF)
    assert code == 1
    assert err == "Checked 3 files: 2 errors, 2 warnings.\n"

    code, _, err = cli("lint", "a.yaml", "--as-of", AS_OF)
    assert (code, err) == (1, "Checked 1 file: 1 error.\n")


def test_more_than_twenty_problems_end_with_one_line_of_its_own_and_all_are_counted(
    cli: RunCli, workdir: Path
) -> None:
    typos = "".join(f"field_{i:02}: 1\n" for i in range(25))
    write(workdir / "many.yaml", spec("Many", extra=typos))
    code, out, err = cli("lint", "many.yaml", "--as-of", AS_OF)
    lines = out.splitlines()
    assert code == 1
    assert len(lines) == 21
    assert all(line.endswith("[unknown-field]") for line in lines[:20])
    assert lines[0].startswith("many.yaml:4:1: error field_00: unknown field")
    assert lines[-1] == (
        "many.yaml: error 5 more problems not shown; fix the ones above first [too-many-problems]"
    )
    assert err == "Checked 1 file: 25 errors.\n"

    code, out, _ = cli("lint", "many.yaml", "--as-of", AS_OF, "--format", "json", "-q")
    assert json.loads(out)["summary"]["errors"] == 25


def test_quiet_drops_the_summary(cli: RunCli, workdir: Path) -> None:
    write(workdir / "bad.yaml", BROKEN)
    code, out, err = cli("lint", "-q", "bad.yaml")
    assert (code, err) == (1, "")
    assert out.startswith("bad.yaml:3:1: error this is not valid YAML: ")


# --- formats and where the report goes --------------------------------------------------


def test_auto_format_in_github_actions_writes_annotations(cli: RunCli, workdir: Path) -> None:
    write(workdir / "bad.yaml", BROKEN)
    write(workdir / "privacy.yaml", spec(data_fields=PRIVACY_FIELD))
    args = ("lint", "bad.yaml", "privacy.yaml", "--as-of", AS_OF)

    code, out, err = cli(*args, env={"GITHUB_ACTIONS": "true"})
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("::error file=bad.yaml,line=3,col=1,")
    assert ",title=campaign-guard yaml-syntax::" in lines[0]
    assert lines[1].startswith("::warning file=privacy.yaml,line=")
    assert ",title=campaign-guard privacy-review::new_data_fields[0].personal_data: " in lines[1]
    assert err == "Checked 2 files: 1 error, 1 warning.\n"

    # Anywhere else, and with an explicit --format, auto is not consulted.
    _, text_out, _ = cli(*args, env={"GITHUB_ACTIONS": "false"})
    assert text_out.startswith("bad.yaml:3:1: error this is not valid YAML: ")
    _, forced, _ = cli(*args, "--format", "text", env={"GITHUB_ACTIONS": "true"})
    assert forced == text_out
    _, github_anywhere, _ = cli(*args, "--format", "github")
    assert github_anywhere == out


def test_output_file_gets_the_report_and_stderr_the_summary(cli: RunCli, workdir: Path) -> None:
    write(workdir / "bad.yaml", BROKEN)
    _, shown, _ = cli("lint", "bad.yaml")

    code, out, err = cli("lint", "bad.yaml", "--output", "report.txt")
    assert (code, out, err) == (1, "", "Checked 1 file: 1 error.\n")
    assert (workdir / "report.txt").read_text(encoding="utf-8") == shown

    code, out, _ = cli("lint", "bad.yaml", "-o", "report.json", "-f", "json")
    assert (code, out) == (1, "")
    assert '"files_checked": 1' in (workdir / "report.json").read_text(encoding="utf-8")


def test_output_file_of_a_clean_run_is_empty(cli: RunCli, workdir: Path) -> None:
    write(workdir / "ok.yaml", spec())
    write(workdir / "report.txt", "stale report\n")
    code, _, _ = cli("lint", "ok.yaml", "-o", "report.txt", "--as-of", AS_OF)
    assert code == 0
    assert (workdir / "report.txt").read_text(encoding="utf-8") == ""


# --- which files are checked -------------------------------------------------------------


def test_folder_walk_skips_hidden_and_config_files(cli: RunCli, workdir: Path) -> None:
    # Every file below is broken, so every file that is checked shows up in the output.
    tree = workdir / "tree"
    for name in (
        "a.yaml",
        "sub/b.yml",
        "sub/deeper/c.yaml",
        ".hidden/d.yaml",
        "sub/.cache/e.yaml",
        ".pre-commit-config.yaml",
        "sub/.f.yml",
        "campaign-guard.yaml",
        "sub/campaign-guard.yml",
    ):
        write(tree / name, BROKEN)
    write(tree / "notes.txt", BROKEN)
    write(tree / "data.json", BROKEN)

    code, out, err = cli("lint", "tree")
    assert code == 1
    assert paths_in(out) == {"tree/a.yaml", "tree/sub/b.yml", "tree/sub/deeper/c.yaml"}
    assert err == "Checked 3 files: 3 errors.\n"


def test_quoted_glob_is_expanded_by_lint(cli: RunCli, workdir: Path) -> None:
    for name in ("campaigns/a.yaml", "campaigns/q1/b.yaml", "campaigns/q1/c.yml", "other/d.yaml"):
        write(workdir / name, BROKEN)
    write(workdir / "campaigns/q1/notes.txt", BROKEN)
    write(workdir / "campaigns/.hidden/e.yaml", BROKEN)

    code, out, err = cli("lint", "campaigns/**/*.yaml")
    assert code == 1
    assert paths_in(out) == {"campaigns/a.yaml", "campaigns/q1/b.yaml"}
    assert err == "Checked 2 files: 2 errors.\n"

    _, out, _ = cli("lint", "campaigns/q1/*")
    assert paths_in(out) == {"campaigns/q1/b.yaml", "campaigns/q1/c.yml"}


def test_glob_matching_nothing_exit_2(cli: RunCli, workdir: Path) -> None:
    write(workdir / "campaigns/notes.txt", BROKEN)
    assert cli("lint", "campaigns/*.yaml") == (
        2,
        "",
        "error: no spec files match 'campaigns/*.yaml'\n",
    )


def test_explicitly_named_file_is_checked_whatever_its_name(cli: RunCli, workdir: Path) -> None:
    write(workdir / "spec.txt", BROKEN)
    write(workdir / ".hidden.yaml", spec())
    code, out, err = cli("lint", "spec.txt", ".hidden.yaml", "--as-of", AS_OF)
    assert code == 1
    assert paths_in(out) == {"spec.txt"}
    assert err == "Checked 2 files: 1 error.\n"


def test_a_file_named_twice_is_checked_once(cli: RunCli, workdir: Path) -> None:
    write(workdir / "campaigns/a.yaml", spec())
    assert cli("lint", "campaigns", "campaigns/a.yaml", "campaigns/", "--as-of", AS_OF) == (
        0,
        "",
        "Checked 1 file: no problems found.\n",
    )


def test_the_same_file_reached_two_ways_is_checked_once(cli: RunCli, workdir: Path) -> None:
    write(workdir / "d/a.yaml", spec())
    assert cli("lint", "d", "./d/a.yaml", "--as-of", AS_OF) == (
        0,
        "",
        "Checked 1 file: no problems found.\n",
    )


def test_unwritable_output_file_is_a_usage_error(cli: RunCli, workdir: Path) -> None:
    write(workdir / "a.yaml", spec())
    code, out, err = cli("lint", "a.yaml", "-o", "missing-folder/out.txt", "--as-of", AS_OF)
    assert (code, out) == (2, "")
    assert err.startswith("error: cannot write missing-folder/out.txt: No such file or directory")


# --- lead time: flag > environment > campaign-guard.yaml > 3 ----------------------------


def lead_time_codes(cli: RunCli, *extra: str, env: dict[str, str | None] | None = None) -> str:
    """Lint soon.yaml (launch five business days after AS_OF); the finding codes."""
    code, out, _ = cli("lint", "soon.yaml", "--as-of", AS_OF, *extra, env=env)
    assert code == 0, "warnings alone must not fail without --strict"
    return " ".join(re.findall(r"\[([a-z-]+)\]$", out, flags=re.MULTILINE))


@pytest.fixture
def soon(workdir: Path) -> Path:
    return write(workdir / "soon.yaml", spec("Soon", FIVE_DAYS))


def test_default_lead_time_is_three_business_days(cli: RunCli, soon: Path) -> None:
    assert lead_time_codes(cli) == ""
    assert lead_time_codes(cli, "--lead-time", "5") == ""
    assert lead_time_codes(cli, "--lead-time", "6") == "short-lead-time"


def test_project_file_sets_the_lead_time(cli: RunCli, soon: Path, workdir: Path) -> None:
    write(workdir / "campaign-guard.yaml", "lint:\n  lead_time_business_days: 10\n")
    code, out, err = cli("lint", "soon.yaml", "--as-of", AS_OF)
    assert (code, err) == (0, "Checked 1 file: 1 warning.\n")
    assert out == (
        "soon.yaml:6:10: warning launch.start: the launch (Mon 11 Jan 2027 09:00 UTC) is "
        "5 business days away; the capacity review needs 10 business days of notice, so "
        "tell DevOps today or move the launch to Mon 18 Jan 2027 or later [short-lead-time]\n"
    )


def test_project_file_is_found_in_a_parent_folder(
    cli: RunCli, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(workdir / "campaign-guard.yaml", "lint:\n  lead_time_business_days: 10\n")
    write(workdir / "repo/campaigns/soon.yaml", spec("Soon", FIVE_DAYS))
    (workdir / ".git").mkdir()  # the repository's root: the search goes up to it
    monkeypatch.chdir(workdir / "repo" / "campaigns")
    assert lead_time_codes(cli) == "short-lead-time"


def test_environment_overrides_project_file(cli: RunCli, soon: Path, workdir: Path) -> None:
    write(workdir / "campaign-guard.yaml", "lint:\n  lead_time_business_days: 10\n")
    assert lead_time_codes(cli, env={"CAMPAIGN_GUARD_LEAD_TIME_DAYS": "3"}) == ""
    write(workdir / "campaign-guard.yaml", "lint:\n  lead_time_business_days: 3\n")
    assert lead_time_codes(cli, env={"CAMPAIGN_GUARD_LEAD_TIME_DAYS": "10"}) == "short-lead-time"


def test_flag_overrides_environment(cli: RunCli, soon: Path) -> None:
    env: dict[str, str | None] = {"CAMPAIGN_GUARD_LEAD_TIME_DAYS": "10"}
    assert lead_time_codes(cli, env=env) == "short-lead-time"
    assert lead_time_codes(cli, "--lead-time", "3", env=env) == ""
    env = {"CAMPAIGN_GUARD_LEAD_TIME_DAYS": "3"}
    assert lead_time_codes(cli, "--lead-time", "10", env=env) == "short-lead-time"


@pytest.mark.parametrize(
    ("config", "where", "message"),
    [
        (
            "lint:\n  lead_time_business_days: 99\n",
            "2:28",
            "lint.lead_time_business_days: must be at most 60",
        ),
        ("lint:\n  lead_time: 10\n", "2:3", "lint.lead_time: unknown field 'lead_time'"),
        ("lint:\n\tlead_time_business_days: 10\n", "2:1", ""),
    ],
    ids=["out-of-range", "unknown-key", "tab"],
)
def test_bad_project_file_exit_2_at_file_line_col(
    cli: RunCli, soon: Path, config: str, where: str, message: str
) -> None:
    config_path = write(soon.parent / "campaign-guard.yaml", config)
    code, out, err = cli("lint", "soon.yaml", "--as-of", AS_OF)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {config_path}:{where}: {message}")
    assert err.count("\n") == 1


@pytest.mark.parametrize("value", ["ten", "61", "-1"])
def test_bad_environment_lead_time_exit_2(cli: RunCli, soon: Path, value: str) -> None:
    code, out, err = cli("lint", "soon.yaml", env={"CAMPAIGN_GUARD_LEAD_TIME_DAYS": value})
    assert (code, out) == (2, "")
    assert err.startswith("error: CAMPAIGN_GUARD_LEAD_TIME_DAYS must be ")


# --- across files ---------------------------------------------------------------------


def test_duplicate_ids_across_two_files(cli: RunCli, workdir: Path) -> None:
    write(workdir / "campaigns/a.yaml", spec("Spring Sale"))
    write(workdir / "campaigns/b.yaml", spec("spring sale!"))
    write(workdir / "campaigns/d.yaml", spec("Different"))
    code, out, err = cli("lint", "campaigns", "--as-of", AS_OF)
    assert code == 1
    assert out.splitlines() == [
        "campaigns/a.yaml:2:7: error name: campaign id 'spring-sale' is also used by "
        "campaigns/b.yaml:2; give each campaign its own `id` (or name) [duplicate-id]",
        "campaigns/b.yaml:2:7: error name: campaign id 'spring-sale' is also used by "
        "campaigns/a.yaml:2; give each campaign its own `id` (or name) [duplicate-id]",
    ]
    assert err == "Checked 3 files: 2 errors.\n"

    # Alone, each file is fine.
    assert cli("lint", "campaigns/a.yaml", "--as-of", AS_OF)[0] == 0


def test_explicit_id_collides_with_a_name(cli: RunCli, workdir: Path) -> None:
    write(workdir / "a.yaml", spec("Spring Sale"))
    write(workdir / "c.yaml", spec("Other", extra="id: spring-sale\n"))
    code, out, _ = cli("lint", "a.yaml", "c.yaml", "--as-of", AS_OF)
    assert code == 1
    # Each message points at the line of the *other* file that holds its id (or name).
    assert out.splitlines() == [
        "a.yaml:2:7: error name: campaign id 'spring-sale' is also used by c.yaml:4; "
        "give each campaign its own `id` (or name) [duplicate-id]",
        "c.yaml:4:5: error id: campaign id 'spring-sale' is also used by a.yaml:2; "
        "give each campaign its own `id` (or name) [duplicate-id]",
    ]


# --- the whole text output, as a golden file -------------------------------------------

GOLDEN_SPECS = {
    "campaigns/clean.yaml": spec("Clean Campaign"),
    "campaigns/broken.yaml": BROKEN,
    "campaigns/typos.yaml": spec("Typos", extra="onwer: sam@example.com\n").replace(
        "channel: email", "channel: e-mail"
    ),
    "campaigns/soon.yaml": spec("Soon", "2027-01-06 09:00", data_fields=PRIVACY_FIELD),
    "campaigns/past.yaml": spec("Past", "2026-12-01 09:00"),
    "campaigns/no-zone.yaml": spec("No Zone").replace("  timezone: UTC\n", ""),
    "campaigns/q1/copy.yml": spec("Clean Campaign", extra="team: Growth\n"),
    "campaigns/q1/empty.yaml": "",
    "campaigns/q1/tabs.yaml": "schema_version: 1\nlaunch:\n\tstart: 2027-02-01\n",
    "campaigns/q2/many.yaml": spec("Many", extra="".join(f"x{i:02}: 1\n" for i in range(21))),
    "campaigns/q2/eastern.yaml": spec("Eastern").replace("timezone: UTC", "timezone: EST"),
    "campaigns/q2/no-time.yaml": spec("No Time", "2027-02-01"),
    "campaigns/q2/tv.yaml": spec("TV").replace(
        "channel: email\n    list_size: 10k", "channel: tv_radio\n    viewers: 2M"
    ),
}


def test_text_output_golden(cli: RunCli, workdir: Path) -> None:
    for name, text in GOLDEN_SPECS.items():
        write(workdir / name, text)
    (workdir / "campaigns/q1/latin1.yaml").write_bytes(b"name: caf\xe9\n")
    code, out, err = cli("lint", "campaigns", "--as-of", AS_OF)
    assert code == 1
    assert_golden(f"{out}--- stderr ---\n{err}", GOLDEN / "lint-text.txt")
