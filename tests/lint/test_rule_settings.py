"""Rule levels from the project file (``lint.rules``) and ``# campaign-guard: disable=``
comments: what they change in ``lint``, ``--strict``, the reports and ``submit``, and
what they may not change.

As of Monday 1 March 2027, 09:00 in Paris (the examples' moment), the spec below launches
tomorrow (short-lead-time) and collects a phone number without a review (privacy-review).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from campaign_guard.config.settings import resolve
from campaign_guard.errors import ConfigError, ExitCode
from campaign_guard.lint.findings import Finding, Level, ProblemsFound
from campaign_guard.lint.policy import LintPolicy
from campaign_guard.lint.rule import CAMPAIGN, EXAMPLES_AS_OF, Setting, campaign
from campaign_guard.lint.runner import lint_files
from campaign_guard.plan import plan_submission
from tests.conftest import RunCli

AS_OF = datetime.fromisoformat(EXAMPLES_AS_OF)
START = "  start: 2027-03-02 09:00"
SPEC = campaign(
    ("  start: 2027-03-15 09:00", START),
    ("new_data_fields: []\n", "new_data_fields:\n  - name: phone\n    personal_data: true\n"),
)
START_LINE, PHONE_LINE = 6, 15


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # the project file is looked for up to here
    return tmp_path


def lint(
    text: str = SPEC,
    levels: dict[str, Setting] | None = None,
    others: dict[str, str] | None = None,
) -> list[Finding]:
    files = {"spec.yaml": text, **(others or {})}
    for name, content in files.items():
        Path(name).write_text(content, encoding="utf-8")
    return lint_files(list(files), LintPolicy(AS_OF, levels=levels or {})).findings


def found(findings: list[Finding]) -> list[tuple[int, str, Level]]:
    return [(f.line, f.code, f.level) for f in findings]


W, E = Level.WARNING, Level.ERROR


def test_without_settings_both_warnings_are_found(folder: Path) -> None:
    assert found(lint()) == [(START_LINE, "short-lead-time", W), (PHONE_LINE, "privacy-review", W)]


def test_the_project_file_raises_one_rule_and_turns_another_off(folder: Path) -> None:
    levels: dict[str, Setting] = {"short-lead-time": "error", "privacy-review": "off"}
    assert found(lint(levels=levels)) == [(START_LINE, "short-lead-time", E)]


def test_a_rule_can_be_lowered(folder: Path) -> None:
    twins = {"other.yaml": CAMPAIGN}
    assert [f.level for f in lint(CAMPAIGN, others=twins) if f.code == "duplicate-id"] == [E, E]
    lowered = lint(CAMPAIGN, {"duplicate-id": "warning"}, others=twins)
    assert [f.level for f in lowered if f.code == "duplicate-id"] == [W, W]


# --- the project file ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "campaign-guard.yaml",
            "lint:\n  rules:\n    short-lead-time: error\n    privacy-review: off\n",
        ),
        (
            "pyproject.toml",
            '[tool.campaign-guard.lint.rules]\nshort-lead-time = "error"\nprivacy-review = "off"\n',
        ),
    ],
    ids=["yaml", "pyproject"],
)
def test_lint_and_its_reports_follow_the_project_file(
    folder: Path, cli: RunCli, name: str, text: str
) -> None:
    (folder / name).write_text(text, encoding="utf-8")
    (folder / "spec.yaml").write_text(SPEC, encoding="utf-8")
    code, out, err = cli("lint", "spec.yaml", "--as-of", EXAMPLES_AS_OF)
    assert (code, err) == (1, "Checked 1 file: 1 error.\n")
    assert out == (
        "spec.yaml:6:10: error launch.start: the launch (Tue 2 Mar 2027 09:00 CET) is 1 "
        "business day away; the capacity review needs 3 business days of notice, so tell "
        "DevOps today or move the launch to Thu 4 Mar 2027 or later [short-lead-time]\n"
    )
    _, out, _ = cli("lint", "spec.yaml", "--as-of", EXAMPLES_AS_OF, "-f", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [("short-lead-time", "error")]
    _, out, _ = cli("lint", "spec.yaml", "--as-of", EXAMPLES_AS_OF, "-f", "json")
    assert [f["code"] for f in json.loads(out)["findings"]] == ["short-lead-time"]


def test_turned_off_warnings_do_not_fail_strict(folder: Path, cli: RunCli) -> None:
    (folder / "spec.yaml").write_text(SPEC, encoding="utf-8")
    assert cli("lint", "spec.yaml", "--as-of", EXAMPLES_AS_OF, "--strict")[0] == 1
    (folder / "campaign-guard.yaml").write_text(
        "lint:\n  rules: {short-lead-time: off, privacy-review: off}\n", encoding="utf-8"
    )
    code, _, err = cli("lint", "spec.yaml", "--as-of", EXAMPLES_AS_OF, "--strict")
    assert (code, err) == (0, "Checked 1 file: no problems found.\n")


def config_error(folder: Path, name: str, text: str) -> str:
    (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        resolve(environ={}, cwd=folder)
    assert caught.value.exit_code == ExitCode.USAGE
    return str(caught.value)


def test_an_unknown_code_is_a_config_error_with_a_suggestion(folder: Path) -> None:
    text = "lint:\n  rules:\n    short-lead-time: error\n    privacy-reviw: off\n"
    assert config_error(folder, "campaign-guard.yaml", text) == (
        f"{folder / 'campaign-guard.yaml'}:4:20: lint.rules.privacy-reviw: no rule is called "
        "'privacy-reviw' (did you mean 'privacy-review'? `campaign-guard rules` lists them)"
    )


@pytest.mark.parametrize("code", ["yaml-syntax", "missing-field", "unreadable", "out-of-range"])
@pytest.mark.parametrize("setting", ["off", "warning"])
def test_the_rules_that_decide_whether_a_file_is_read_stay_errors(
    folder: Path, code: str, setting: str
) -> None:
    text = f'[project]\nname = "x"\n\n[tool.campaign-guard.lint.rules]\n{code} = "{setting}"\n'
    assert config_error(folder, "pyproject.toml", text) == (
        f"{folder / 'pyproject.toml'}:5: [tool.campaign-guard] lint.rules.{code}: '{code}' "
        "cannot be turned off or lowered: it decides whether campaign-guard can read the "
        "file, so it is always an error"
    )


def test_a_level_must_be_error_warning_or_off(folder: Path) -> None:
    message = config_error(folder, "campaign-guard.yaml", "lint:\n  rules:\n    tabs: true\n")
    assert message.endswith(":3:11: lint.rules.tabs: must be error, warning or off")
    assert config_error(folder, "campaign-guard.yaml", "lint:\n  rules: [tabs]\n").endswith(
        "lint.rules: must be a section of `field: value` lines"
    )


def test_an_error_level_for_a_fixed_rule_changes_nothing(folder: Path) -> None:
    (folder / "campaign-guard.yaml").write_text("lint:\n  rules: {tabs: error}\n")
    assert resolve(environ={}, cwd=folder).rule_levels == {"tabs": "error"}


# --- disable comments --------------------------------------------------------------------


def test_a_comment_at_the_end_of_a_line_silences_that_line_only(folder: Path) -> None:
    text = SPEC.replace(START, START + "  # campaign-guard: disable=short-lead-time")
    assert found(lint(text)) == [(PHONE_LINE, "privacy-review", W)]


def test_a_comment_on_its_own_line_silences_the_line_below(folder: Path) -> None:
    text = SPEC.replace(START, "  # campaign-guard: disable=short-lead-time\n" + START)
    assert found(lint(text)) == [(PHONE_LINE + 1, "privacy-review", W)]
    text = SPEC.replace("launch:", "# campaign-guard: disable=short-lead-time\nlaunch:")
    assert [f.code for f in lint(text)] == ["short-lead-time", "privacy-review"]


def test_a_comment_names_several_codes(folder: Path) -> None:
    text = SPEC.replace(
        "    personal_data: true",
        "    personal_data: true # campaign-guard: disable=short-lead-time, privacy-review",
    )
    assert found(lint(text)) == [(START_LINE, "short-lead-time", W)]


def test_an_unknown_code_in_a_comment_is_a_warning(folder: Path) -> None:
    text = SPEC.replace(START, START + "  # campaign-guard: disable=short-lead-tim")
    assert [(f.line, f.column, f.code, f.message) for f in lint(text)] == [
        (START_LINE, 10, "short-lead-time", lint()[0].message),
        (
            START_LINE,
            28,
            "disable-comment",
            "'short-lead-tim' is no campaign-guard check (did you mean 'short-lead-time'?), "
            "so this comment silences nothing for it; `campaign-guard rules` lists them",
        ),
        (PHONE_LINE, 20, "privacy-review", lint()[1].message),
    ]


def test_a_rule_that_decides_whether_the_file_is_read_cannot_be_silenced(folder: Path) -> None:
    far = campaign(
        (
            "  start: 2027-03-15 09:00",
            "  start: 2031-03-15 09:00  # campaign-guard: disable=out-of-range",
        )
    )
    assert [(f.code, f.level) for f in lint(far)] == [("out-of-range", E), ("disable-comment", W)]
    assert lint(far)[1].message == (
        "'out-of-range' cannot be silenced: it decides whether campaign-guard can read the "
        "file; fix the problem instead"
    )


def test_a_hash_inside_a_quoted_value_is_no_comment(folder: Path) -> None:
    quoted = 'name: "Spring Sale # campaign-guard: disable=duplicate-id"'
    text = CAMPAIGN.replace("name: Spring Sale", quoted)
    twin = text.replace("owner: jane", "owner: sam")
    assert [f.code for f in lint(text, others={"twin.yaml": twin})] == ["duplicate-id"] * 2


def test_a_comment_silences_duplicate_id_in_its_own_file_only(folder: Path) -> None:
    silenced = CAMPAIGN.replace(
        "name: Spring Sale", "name: Spring Sale  # campaign-guard: disable=duplicate-id"
    )
    findings = lint(silenced, others={"twin.yaml": CAMPAIGN})
    assert [(f.path, f.code) for f in findings] == [("twin.yaml", "duplicate-id")]


def test_the_project_file_sets_the_level_of_the_comment_warnings(folder: Path) -> None:
    text = SPEC.replace(START, START + "  # campaign-guard: disable=nothing-like-it")
    assert "disable-comment" in [f.code for f in lint(text)]
    assert "disable-comment" not in [f.code for f in lint(text, {"disable-comment": "off"})]


# --- submit ------------------------------------------------------------------------------


def test_submit_stops_on_a_rule_the_project_file_makes_an_error(folder: Path) -> None:
    (folder / "spec.yaml").write_text(SPEC, encoding="utf-8")
    (folder / "campaign-guard.yaml").write_text("lint:\n  rules: {short-lead-time: error}\n")
    settings = resolve(environ={}, cwd=folder)
    with pytest.raises(ProblemsFound) as caught:
        plan_submission(folder / "spec.yaml", settings, environ={}, now=AS_OF)
    assert [(f.code, f.level) for f in caught.value.findings] == [
        ("short-lead-time", E),
        ("privacy-review", W),
    ]


def test_submit_leaves_out_what_the_settings_and_comments_silence(folder: Path) -> None:
    text = SPEC.replace(START, START + "  # campaign-guard: disable=short-lead-time")
    (folder / "spec.yaml").write_text(text, encoding="utf-8")
    settings = resolve(environ={}, cwd=folder)
    plan = plan_submission(folder / "spec.yaml", settings, environ={}, now=AS_OF)
    assert [f.code for f in plan.checks] == ["privacy-review"]
    (folder / "campaign-guard.yaml").write_text("lint:\n  rules: {privacy-review: off}\n")
    settings = resolve(environ={}, cwd=folder)
    assert plan_submission(folder / "spec.yaml", settings, environ={}, now=AS_OF).checks == []


def test_submit_dry_run_follows_the_project_file(folder: Path, cli: RunCli) -> None:
    tomorrow = datetime.now(timezone.utc) + timedelta(days=1)  # the command's clock is now
    text = SPEC.replace(START, f"  start: {tomorrow:%Y-%m-%d %H:%M}")
    (folder / "spec.yaml").write_text(text.replace("Europe/Paris", "UTC"), encoding="utf-8")
    code, _, err = cli("submit", "spec.yaml", "--dry-run")
    assert code == 0
    assert "warning launch.start: the launch" in err
    (folder / "campaign-guard.yaml").write_text(
        "lint:\n  rules: {short-lead-time: error}\n"
        "jira:\n  site: https://example.atlassian.net\n  project: OPS\n"
    )
    code, out, err = cli("submit", "spec.yaml", "--dry-run")
    assert (code, out) == (1, "")
    assert "error launch.start: the launch" in err
