"""``campaign-guard init --kind capacity|project``: the starters DevOps fill in.

Each loads and lints clean as written, and so does each commented example in it once
its ``# `` is removed: the comments show settings that work.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import get_args

import pytest

from campaign_guard.config.settings import CONFIG_FILE, load_project_config, resolve
from campaign_guard.spec.capacity import CapacityProfile
from campaign_guard.spec.documents import PROFILE_KIND, load_any
from campaign_guard.starters import Kind, problems
from tests.conftest import RunCli
from tests.golden import assert_golden

GOLDEN = Path(__file__).parent / "golden"
AS_OF = "2027-01-04T09:00Z"
CAMPAIGN = [
    "--name", "Spring Sale 2027", "--owner", "jane@example.com", "--launch", "2027-03-02 09:00",
    "--timezone", "Europe/Paris", "--audience", "50k",
    "--landing-page", "https://www.example.com/spring",
]  # fmt: skip
# A commented setting: `# key: ...` or `# - ...`, then lines indented below it.
_COMMENTED = re.compile(
    r"(?m)^( *)# ((?!yaml-language-server:)(?:[a-z_-]+:|- ).*)\n((?:\1#   .*\n)*)"
)


def commented_settings(text: str) -> list[str]:
    """``text`` once for each commented setting in it, with that one uncommented."""
    variants = []
    for match in _COMMENTED.finditer(text):
        indent = match.group(1)
        lines = match.group().splitlines(keepends=True)
        uncommented = "".join(indent + line[len(indent) + 2 :] for line in lines)
        variants.append(text[: match.start()] + uncommented + text[match.end() :])
    return variants


# --- the capacity profile ------------------------------------------------------------------


def test_the_capacity_starter_loads_and_lints_clean(cli: RunCli, workdir: Path) -> None:
    code, out, err = cli("init", "--kind", "capacity", "--timezone", "Europe/Paris")
    assert (code, out) == (0, "")
    target = Path("capacity", "production.yaml")
    schema = Path("capacity", "capacity-profile.schema.json")
    assert err == (
        f"Wrote {target} and {schema} (lets editors check the profile as you type). Replace "
        "its figures with yours, then run: campaign-guard lint capacity/production.yaml\n"
    )
    text = (workdir / target).read_text(encoding="utf-8")
    assert_golden(text, GOLDEN / "init-capacity.yaml")
    assert (workdir / schema).read_text(encoding="utf-8") == cli("schema", "--kind", "capacity")[1]

    kind, loaded = load_any(workdir / target, str(target))
    assert (kind, loaded.problems) == (PROFILE_KIND, [])
    assert isinstance(loaded.value, CapacityProfile)
    assert loaded.value.timezone == "Europe/Paris"
    assert cli("lint", "--strict", str(target)) == (0, "", "Checked 1 file: no problems found.\n")


def test_every_commented_setting_of_the_capacity_starter_works(cli: RunCli, workdir: Path) -> None:
    assert cli("init", "--kind", "capacity", "--timezone", "Europe/Paris")[0] == 0
    text = (workdir / "capacity" / "production.yaml").read_text(encoding="utf-8")
    variants = commented_settings(text)
    assert len(variants) == 5, "api, a store baseline, requests_per_visit, a route, ingestion"
    for variant in variants:
        assert problems("capacity", variant) == [], variant


def test_the_capacity_starter_takes_this_machines_zone_and_says_so(
    cli: RunCli, workdir: Path
) -> None:
    code, _, err = cli("init", "--kind", "capacity", env={"TZ": "Europe/Berlin"})
    assert code == 0
    assert err.splitlines()[0] == (
        "Using this machine's time zone, Europe/Berlin, for the baseline hours (give "
        "--timezone to choose another)."
    )
    text = (workdir / "capacity" / "production.yaml").read_text(encoding="utf-8")
    assert 'timezone: "Europe/Berlin"' in text


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            [],
            {"TZ": "Nowhere/Atlantis"},
            "error: this machine's time zone is not known: give the zone of the baseline hours "
            "with --timezone, e.g. --timezone Europe/Paris\n",
        ),
        (
            ["--timezone", "Mars/Olympus"],
            {},
            "error: --timezone: unknown time zone 'Mars/Olympus'; use a name like "
            "America/New_York or Europe/Paris\n",
        ),
        (
            ["--name", "X"],
            {},
            "error: --name is for campaign specs, not for --kind capacity\n",
        ),
    ],
    ids=["unknown-machine-zone", "unknown-zone", "campaign-flag"],
)
def test_the_capacity_starter_refuses_what_it_cannot_use(
    cli: RunCli, workdir: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    assert cli("init", "--kind", "capacity", *args, env=env) == (2, "", message)
    assert list(workdir.iterdir()) == []


# --- the project file --------------------------------------------------------------------


def test_the_project_starter_loads_clean(cli: RunCli, workdir: Path) -> None:
    code, out, err = cli("init", "--kind", "project")
    assert (code, out) == (0, "")
    assert err == (
        f"Wrote {CONFIG_FILE}. Fill in its jira: section, then run: campaign-guard doctor\n"
    )
    text = (workdir / CONFIG_FILE).read_text(encoding="utf-8")
    assert_golden(text, GOLDEN / "init-project.yaml")
    assert load_project_config(workdir / CONFIG_FILE).lint.lead_time_business_days == 3
    assert resolve(environ={}, cwd=workdir).config_path == workdir / CONFIG_FILE


def test_every_commented_setting_of_the_project_starter_works(cli: RunCli, workdir: Path) -> None:
    assert cli("init", "--kind", "project")[0] == 0
    text = (workdir / CONFIG_FILE).read_text(encoding="utf-8")
    variants = commented_settings(text)
    assert len(variants) == 6, "lint rules, estimate, jira, and three kinds of oncall"
    for variant in variants:
        assert problems("project", variant) == [], variant


def test_the_three_starters_together_lint_and_estimate(cli: RunCli, workdir: Path) -> None:
    """What a new team runs: the project file, a profile, then a campaign in it."""
    assert cli("init", "--kind", "project")[0] == 0
    assert cli("init", "--kind", "capacity", "--timezone", "Europe/Paris")[0] == 0
    assert cli("init", *CAMPAIGN)[0] == 0
    # lint reads the project file (and skips it) and checks the profile and the spec
    assert cli("lint", "--strict", "--as-of", AS_OF, ".") == (
        0,
        "",
        "Checked 2 files: no problems found.\n",
    )
    code, out, err = cli(
        "estimate", "campaigns/spring-sale-2027.yaml", "--capacity", "capacity/production.yaml"
    )
    assert (code, err) == (0, ""), out
    assert "web" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["settings.yaml"],
            "error: the project file must be named campaign-guard.yaml, which is how "
            "campaign-guard finds it (not 'settings.yaml')\n",
        ),
        (
            ["--timezone", "UTC"],
            "error: --timezone is for campaign specs, not for --kind project\n",
        ),
    ],
    ids=["other-name", "campaign-flag"],
)
def test_the_project_starter_refuses_what_would_not_work(
    cli: RunCli, workdir: Path, args: list[str], message: str
) -> None:
    assert cli("init", "--kind", "project", *args) == (2, "", message)
    assert list(workdir.iterdir()) == []


def test_the_project_starter_does_not_hide_settings_in_pyproject(
    cli: RunCli, workdir: Path
) -> None:
    pyproject = (
        '[tool.campaign-guard.jira]\nsite = "https://example.atlassian.net"\nproject = "OPS"\n'
    )
    (workdir / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    code, out, err = cli("init", "--kind", "project")
    assert (code, out) == (2, "")
    assert err == (
        "error: pyproject.toml already holds the settings ([tool.campaign-guard]); a "
        "campaign-guard.yaml beside it would take their place\n"
    )
    assert sorted(p.name for p in workdir.iterdir()) == ["pyproject.toml"]


# --- the choice ----------------------------------------------------------------------------


def test_help_shows_the_kinds_as_choices(cli: RunCli) -> None:
    code, out, _ = cli("init", "--help", env={"COLUMNS": "80"})
    assert code == 0
    (line,) = [line for line in out.splitlines() if "--kind" in line]
    assert "|".join(get_args(Kind)) == "campaign|capacity|project"
    assert "campaign|capacity|project" in line


def test_an_unknown_kind_is_a_usage_error(cli: RunCli, workdir: Path) -> None:
    code, out, err = cli("init", "--kind", "profile")
    assert (code, out) == (2, "")
    said = " ".join(err.replace("│", " ").split())
    assert "Invalid value for '--kind':" in said
    assert "'profile' is not one of 'campaign', 'capacity', 'project'." in said
    assert list(workdir.iterdir()) == []


def test_the_readme_init_examples_say_what_init_does(
    cli: RunCli, workdir: Path, repo_root: Path
) -> None:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    section = readme.split("### `campaign-guard init`", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```console\n(.*?)```", section, flags=re.DOTALL)
    examples = re.findall(r"(?ms)^\$ (.*?[^\\])\n(.*?)(?=^\$ |\Z)", "".join(blocks))
    assert len(examples) == 3
    for command, said in examples:
        args = shlex.split(command.replace("\\\n", " "))
        assert args[0] == "campaign-guard"
        assert cli(*args[1:]) == (0, "", said), command
