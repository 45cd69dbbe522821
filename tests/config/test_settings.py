"""Project settings: where the project file is found, precedence, and plain-words errors.

The project file is ``campaign-guard.yaml`` or the ``[tool.campaign-guard]`` table of a
``pyproject.toml``; every test builds its own folder tree under ``tmp_path``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from campaign_guard.config.project import ProjectConfig
from campaign_guard.config.settings import (
    Settings,
    find_config,
    load_project_config,
    resolve,
)
from campaign_guard.errors import ConfigError, ExitCode
from tests.conftest import RunCli, run_command

PYPROJECT_HEAD = '[project]\nname = "marketing-site"\nversion = "1.0"\n\n'
"""The start of an ordinary pyproject.toml, so the table is not on line 1."""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def repository(root: Path) -> Path:
    """Make ``root`` a repository's root (it holds ``.git``): the project file is looked
    for from a folder below it up to there."""
    (root / ".git").mkdir(parents=True, exist_ok=True)
    return root


def settings(
    cwd: Path,
    environ: dict[str, str] | None = None,
    *,
    lead_time: int | None = None,
    capacity: Path | None = None,
) -> Settings:
    """``resolve`` as a command run in ``cwd`` would call it."""
    return resolve(lead_time=lead_time, capacity=capacity, environ=environ or {}, cwd=cwd)


def config_error(cwd: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        resolve(environ={}, cwd=cwd)
    assert caught.value.exit_code == ExitCode.USAGE
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- precedence: flag > environment > project file > default ---------------------------


@pytest.mark.parametrize(
    "project_file",
    [
        ("campaign-guard.yaml", "lint:\n  lead_time_business_days: 10\n"),
        ("pyproject.toml", "[tool.campaign-guard]\nlint.lead_time_business_days = 10\n"),
    ],
    ids=["yaml", "pyproject"],
)
def test_lead_time_precedence(tmp_path: Path, project_file: tuple[str, str]) -> None:
    assert settings(tmp_path).lead_time_business_days == 3  # the built-in default
    assert settings(tmp_path).config_path is None
    name, text = project_file
    path = write(tmp_path / name, text)
    assert settings(tmp_path).lead_time_business_days == 10
    assert settings(tmp_path).config_path == path
    env = {"CAMPAIGN_GUARD_LEAD_TIME_DAYS": "5"}
    assert settings(tmp_path, env).lead_time_business_days == 5
    assert settings(tmp_path, env, lead_time=7).lead_time_business_days == 7
    assert settings(tmp_path, lead_time=0).lead_time_business_days == 0


@pytest.mark.parametrize(
    "project_file",
    [
        ("campaign-guard.yaml", "estimate:\n  capacity: ops/from-file.yaml\n"),
        ("pyproject.toml", '[tool.campaign-guard.estimate]\ncapacity = "ops/from-file.yaml"\n'),
    ],
    ids=["yaml", "pyproject"],
)
def test_capacity_precedence(tmp_path: Path, project_file: tuple[str, str]) -> None:
    assert settings(tmp_path).capacity is None
    name, text = project_file
    write(tmp_path / name, text)
    assert settings(tmp_path).capacity == tmp_path / "ops" / "from-file.yaml"
    env = {"CAMPAIGN_GUARD_CAPACITY": "env.yaml"}
    assert settings(tmp_path, env).capacity == Path("env.yaml")
    assert settings(tmp_path, env, capacity=Path("flag.yaml")).capacity == Path("flag.yaml")


# --- discovery ----------------------------------------------------------------------------


def test_yaml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.campaign-guard]\nlint.lead_time_business_days = 9\n")
    yaml_file = write(tmp_path / "campaign-guard.yaml", "lint:\n  lead_time_business_days: 4\n")
    assert find_config(tmp_path) == yaml_file
    assert settings(tmp_path).lead_time_business_days == 4


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    parent_file = write(repository(tmp_path) / "pyproject.toml", "[tool.campaign-guard]\n")
    child = tmp_path / "sub"
    # Mentions campaign-guard (so it is parsed), but has no [tool.campaign-guard] table.
    write(
        child / "pyproject.toml",
        PYPROJECT_HEAD
        + 'dependencies = ["campaign-guard>=0.1"]\n\n[tool.ruff]\nline-length = 99\n',
    )
    assert find_config(child) == parent_file
    write(child / "pyproject.toml", PYPROJECT_HEAD)  # does not mention it at all
    assert find_config(child) == parent_file
    # An empty table still makes the file the project file, with every default.
    assert settings(child).config_path == parent_file
    assert settings(child).project == ProjectConfig()


def test_the_nearest_folder_wins(tmp_path: Path) -> None:
    write(repository(tmp_path) / "campaign-guard.yaml", "lint:\n  lead_time_business_days: 4\n")
    inner = write(
        tmp_path / "repo" / "pyproject.toml",
        PYPROJECT_HEAD + "[tool.campaign-guard.lint]\nlead_time_business_days = 8\n",
    )
    deep = tmp_path / "repo" / "campaigns" / "2027"
    deep.mkdir(parents=True)
    assert find_config(deep) == inner
    assert settings(deep).lead_time_business_days == 8
    assert find_config(tmp_path) == tmp_path / "campaign-guard.yaml"
    innermost = write(deep / "campaign-guard.yaml", "lint:\n  lead_time_business_days: 1\n")
    assert find_config(deep) == innermost


def test_the_table_may_be_written_in_any_toml_form(tmp_path: Path) -> None:
    forms = [
        '[tool.campaign-guard]\nlint = { lead_time_business_days = 6 }\ntemplates = "t"\n',
        "[tool]\ncampaign-guard = { lint = { lead_time_business_days = 6 }, templates = 't' }\n",
        '[tool."campaign-guard".lint]\nlead_time_business_days = 6\n'
        '[tool."campaign-guard"]\ntemplates = """t"""\n',
        "tool.campaign-guard.lint.lead_time_business_days = 6\n"
        'tool.campaign-guard.templates = "t"\n',
    ]
    (tmp_path / "t").mkdir()
    for text in forms:
        path = write(tmp_path / "pyproject.toml", text)
        assert find_config(tmp_path) == path, text
        found = settings(tmp_path)
        assert (found.lead_time_business_days, found.template_dir) == (6, tmp_path / "t"), text


def test_the_pyproject_toml_is_read_whole(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        PYPROJECT_HEAD
        + "[tool.campaign-guard.jira]\n"
        + 'site = "https://jira.example.com"\nproject = "OPS"\nlabels = ["campaign", "launch"]\n'
        + 'fields = { campaign_name = "Campaign name" }\n\n'
        + "[tool.campaign-guard.oncall]\n"
        + 'provider = "rotation"\ntimezone = "Europe/Paris"\n'
        + 'handoff = { weekday = "monday", time = "09:00" }\n'
        + "start = 2027-01-04\n\n"
        + "[[tool.campaign-guard.oncall.people]]\nname = \"Dana Ops\"\nemail = 'dana@example.com'\n"
        + "[[tool.campaign-guard.oncall.people]]\nname = \"Lee Sre\"\nemail = 'lee@example.com'\n",
    )
    project = load_project_config(path)
    assert project.jira is not None
    assert (project.jira.project, project.jira.labels) == ("OPS", ["campaign", "launch"])
    assert project.jira.fields == {"campaign_name": "Campaign name"}
    assert project.oncall is not None
    assert project.oncall.provider == "rotation"
    assert [p.name for p in project.oncall.people] == ["Dana Ops", "Lee Sre"]


# --- errors, in one line, at the line of the setting ------------------------------------


def test_bad_toml_is_reported_at_its_line_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        PYPROJECT_HEAD + "[tool.campaign-guard]\nlint.lead_time_business_days = 10 days\n",
    )
    expected = f"{path}:6:35: not valid TOML: Expected newline or end of document after a statement"
    assert config_error(tmp_path) == expected
    with pytest.raises(ConfigError) as caught:
        load_project_config(path)
    assert str(caught.value) == expected


def test_bad_toml_at_the_end_of_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", '[tool.campaign-guard]\ntemplates = "t')
    message = config_error(tmp_path)
    assert message.startswith(f"{path}:2:")
    assert ": not valid TOML: " in message
    assert "(at line" not in message


def test_bad_toml_without_campaign_guard_is_none_of_our_business(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.black\nline-length = \n")
    assert find_config(tmp_path) is None


def test_a_pyproject_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_bytes(b'[tool.campaign-guard]\ntemplates = "caf\xe9"\n')
    assert config_error(tmp_path) == (
        f"{path}:2: not valid TOML: the file is not UTF-8 text (byte 0xe9)"
    )


@pytest.mark.parametrize(
    ("table", "line", "message"),
    [
        (
            '[tool.campaign-guard.jira]\nsite = "https://example.atlassian.net"\nproject = "ops"\n',
            7,
            "jira.project: must be a Jira project key: 2-10 capital letters, digits or _, "
            "starting with a letter (e.g. OPS)",
        ),
        (
            "[tool.campaign-guard]\n\nlint.lead_time_business_days = 99\n",
            7,
            "lint.lead_time_business_days: must be at most 60",
        ),
        (
            "[tool.campaign-guard]\nlint = { lead_time = 9 }\n",
            6,
            "lint.lead_time: unknown field 'lead_time'",
        ),
        (
            "[tool.campaign-guard]\n# the ticket templates\ntemplate = 'ops/templates'\n",
            7,
            "template: unknown field 'template' (did you mean 'templates'?)",
        ),
        (
            "[tool.campaign-guard]\ntemplates = ''\n",
            6,
            "templates: must not be empty",
        ),
        (
            "[tool.campaign-guard.jira]\nproject = 'OPS'\n",
            5,
            "jira.site: is required",
        ),
        (
            "[tool.campaign-guard]\nlint = 3\n",
            6,
            "lint: must be a table of `key = value` settings",
        ),
        (
            "[tool.campaign-guard.oncall]\nprovider = 'fixed'\nname = 'Dana'\n"
            "email = 'dana@example.com'\n\n[tool.campaign-guard.jira]\n"
            "site = 'https://example.atlassian.net'\nproject = 'OPS'\nlabels = 'launch'\n",
            13,
            'jira.labels: must be a list, like ["a", "b"]',
        ),
    ],
    ids=[
        "jira-project",
        "out-of-range",
        "inline-unknown",
        "unknown",
        "empty",
        "missing",
        "not-a-table",
        "second-table",
    ],
)
def test_validation_errors_name_the_table_the_setting_and_the_line(
    tmp_path: Path, table: str, line: int, message: str
) -> None:
    path = write(tmp_path / "pyproject.toml", PYPROJECT_HEAD + table)
    assert config_error(tmp_path) == f"{path}:{line}: [tool.campaign-guard] {message}"


def test_a_table_that_is_not_a_table(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", PYPROJECT_HEAD + '[tool]\ncampaign-guard = "yes"\n')
    assert config_error(tmp_path) == (
        f"{path}:6: [tool.campaign-guard] must be a table of `key = value` settings"
    )


def test_load_project_config_needs_the_table_in_a_pyproject(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", PYPROJECT_HEAD)
    with pytest.raises(ConfigError, match=r"pyproject\.toml: has no \[tool\.campaign-guard\]"):
        load_project_config(path)


def test_a_bad_pyproject_fails_lint_with_exit_2(
    cli: RunCli, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(workdir / "pyproject.toml", "[tool.campaign-guard.lint]\nlead_time = 9\n")
    write(workdir / "campaigns" / "spec.yaml", "schema_version: 1\n")
    repository(workdir)
    monkeypatch.chdir(workdir / "campaigns")
    code, out, err = cli("lint", "spec.yaml")
    assert (code, out) == (2, "")
    assert err == (
        f"error: {path}:2: [tool.campaign-guard] lint.lead_time: unknown field 'lead_time'\n"
    )


# --- paths relative to the project file ---------------------------------------------------


@pytest.mark.parametrize(
    "project_file",
    [
        ("campaign-guard.yaml", "estimate:\n  capacity: ops/production.yaml\ntemplates: ops/tpl\n"),
        (
            "pyproject.toml",
            PYPROJECT_HEAD + '[tool.campaign-guard]\ntemplates = "ops/tpl"\n'
            '[tool.campaign-guard.estimate]\ncapacity = "ops/production.yaml"\n',
        ),
    ],
    ids=["yaml", "pyproject"],
)
def test_paths_are_relative_to_the_project_file(
    tmp_path: Path, project_file: tuple[str, str]
) -> None:
    name, text = project_file
    write(repository(tmp_path / "repo") / name, text)
    (tmp_path / "repo" / "ops" / "tpl").mkdir(parents=True)
    cwd = tmp_path / "repo" / "campaigns"
    cwd.mkdir()
    found = settings(cwd)
    assert found.capacity == tmp_path / "repo" / "ops" / "production.yaml"
    assert found.template_dir == tmp_path / "repo" / "ops" / "tpl"
    assert found.template_dir.is_dir()


def test_no_templates_setting_means_the_built_in_templates(tmp_path: Path) -> None:
    write(tmp_path / "campaign-guard.yaml", "lint:\n  lead_time_business_days: 3\n")
    assert settings(tmp_path).template_dir is None
    assert settings(tmp_path / "nowhere").template_dir is None


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("campaign-guard.yaml", "templates: ops/missing\n"),
        ("pyproject.toml", '[tool.campaign-guard]\ntemplates = "ops/missing"\n'),
    ],
    ids=["yaml", "pyproject"],
)
def test_a_missing_templates_folder_is_named(tmp_path: Path, name: str, text: str) -> None:
    path = write(repository(tmp_path) / name, text)
    write(tmp_path / "ops" / "missing", "a file, not a folder")
    cwd = tmp_path / "campaigns"
    cwd.mkdir()
    assert config_error(cwd) == f"templates: no such folder 'ops/missing' (relative to {path})"
    (tmp_path / "ops" / "missing").unlink()
    assert config_error(cwd) == f"templates: no such folder 'ops/missing' (relative to {path})"


# --- cost --------------------------------------------------------------------------------


def test_toml_is_parsed_only_for_a_pyproject_that_mentions_campaign_guard(
    tmp_path: Path,
) -> None:
    write(tmp_path / "pyproject.toml", PYPROJECT_HEAD + "[tool.ruff]\nline-length = 99\n")
    write(tmp_path / "inner" / "pyproject.toml", "[tool.campaign-guard]\n")
    program = """
import json, sys
from pathlib import Path
from campaign_guard.config.settings import find_config
found = [str(find_config(Path(sys.argv[1])))]
before = "tomllib" in sys.modules or "tomli" in sys.modules
found.append(str(find_config(Path(sys.argv[2]))))
after = "tomllib" in sys.modules or "tomli" in sys.modules
print(json.dumps({"found": found, "before": before, "after": after}))
"""
    done = run_command(
        [sys.executable, "-c", program, str(tmp_path), str(tmp_path / "inner")], tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "found": ["None", str(tmp_path / "inner" / "pyproject.toml")],
        "before": False,
        "after": True,
    }


# --- nesting: refused before the TOML parser could recurse --------------------------------


@pytest.mark.parametrize("command", ["lint", "estimate"])
def test_a_deeply_nested_pyproject_is_refused_by_every_command(
    tmp_path: Path, command: str
) -> None:
    from tests.limits import run_limited

    write(tmp_path / "spec.yaml", "schema_version: 1\n")
    deep = "[" * 2000 + "]" * 2000
    path = write(tmp_path / "pyproject.toml", f"# campaign-guard\nx = {deep}\n")
    run = run_limited(command, "spec.yaml", cwd=tmp_path)
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == (
        f"error: {path}:2: arrays and inline tables are nested more than 20 levels deep; "
        "campaign-guard does not read such a file\n"
    )


def test_a_table_nested_by_dotted_keys_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool.campaign-guard" + ".a" * 3000 + "]\n")
    assert config_error(tmp_path) == (
        f"{path}:1: [tool.campaign-guard] is nested more than 20 levels deep"
    )


def test_brackets_in_strings_and_comments_are_not_nesting(tmp_path: Path) -> None:
    many = "[{" * 30
    path = write(
        tmp_path / "pyproject.toml",
        f'[tool.other]\nbasic = "{many}\\"{many}"  # {many}\n'
        f'literal = \'{many}\'\nlines = """\n{many}\n"{many}""""\n'
        f"raw = '''\n{many}''''\nlist = [[[1]], {{a = [2]}}]\n\n"
        "[tool.campaign-guard]\ntemplates = 't'\n",
    )
    (tmp_path / "t").mkdir()
    assert settings(tmp_path).config_path == path


def test_nesting_just_within_the_limit_is_read(tmp_path: Path) -> None:
    deep = "[" * 20 + "]" * 20
    write(tmp_path / "pyproject.toml", f"[tool.other]\nx = {deep}\n[tool.campaign-guard]\n")
    assert settings(tmp_path).project == ProjectConfig()
    write(tmp_path / "pyproject.toml", f"[tool.other]\nx = [{deep}]\n[tool.campaign-guard]\n")
    assert "nested more than 20 levels" in config_error(tmp_path)
