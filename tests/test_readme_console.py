"""The README's console examples are what the commands print, where that is deterministic.

Each example below is run as the README shows it, in a folder set up as the example
implies, at 80 columns; every line the README shows must appear in the output, in
order (``…`` stands for lines the README leaves out). ``init``'s examples are checked
whole in ``tests/cli/test_init_kinds.py``; ``submit``, ``doctor`` and ``jira fields``
need a Jira and show its answers, so they are not run here.
"""

from __future__ import annotations

import re
import shlex
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, RunCli

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = REPO_ROOT / "examples"
WIDTH = {"COLUMNS": "80", "LINES": "40", "TERM": "dumb", "NO_COLOR": "1"}

# A year ahead: past the review's lead time, and within the two years lint accepts.
SPRING = f"""\
schema_version: 1
name: Spring Sale 2030
id: spring-sale-2030
owner: jane.doe@example.com
launch:
  timezone: America/New_York
  start: {date.today() + timedelta(days=365)} 09:00
  duration: 3d
traffic:
  - channel: emial
    list_size: 50k
landing_pages:
  - https://www.example.com/spring
endpoints:
  - POST /api/signup
new_data_fields: []
"""
SUMMER = (
    SPRING.replace("Spring", "Summer")
    .replace("spring", "summer")
    .replace("emial", "email")
    .replace("new_data_fields: []", "new_data_fields:\n  - name: phone\n    personal_data: true")
)


def _example(command_start: str) -> tuple[list[str], list[str]]:
    """The command (as arguments) and the lines shown after it, for the README example
    whose command starts with ``command_start``."""
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.DOTALL):
        for command, shown in re.findall(r"(?ms)^\$ (.*?)\n(.*?)(?=^\$ |\Z)", block):
            if command.startswith(command_start):
                args = shlex.split(command.split("  #", 1)[0])
                return args[1:], shown.rstrip("\n").splitlines()
    pytest.fail(f"no README example starts with `{command_start}`")


def _shown_in_order(shown: list[str], actual: str) -> None:
    """Every shown line is an output line, in order; ``…words…`` (over one line or
    several) says what the README leaves out."""
    lines = [line.rstrip() for line in actual.splitlines()]
    at, eliding = 0, False
    for expected in shown:
        if eliding:
            eliding = not expected.rstrip().endswith("…")
            continue
        if expected.strip().startswith("…"):
            rest = expected.strip()[1:]
            eliding = bool(rest) and not rest.endswith("…")
            continue
        while at < len(lines) and lines[at] != expected.rstrip():
            at += 1
        assert at < len(lines), f"the README shows {expected!r}, which is not in:\n{actual}"
        at += 1


def test_lint_example(cli: RunCli, workdir: Path) -> None:
    campaigns = workdir / "campaigns"
    campaigns.mkdir()
    (campaigns / "spring.yaml").write_text(SPRING, encoding="utf-8")
    (campaigns / "summer.yaml").write_text(SUMMER, encoding="utf-8")
    for path in sorted((EXAMPLES / "campaigns").glob("*.yaml"))[:2]:
        shutil.copy(path, campaigns / path.name)
    args, shown = _example("campaign-guard lint campaigns/")
    code, out, err = cli(*args, env=WIDTH)
    assert code == 1
    _shown_in_order(shown, out + err)


def test_explain_example(cli: RunCli, workdir: Path) -> None:
    args, shown = _example("campaign-guard lint --explain")
    code, out, err = cli(*args, env=WIDTH)
    assert (code, err) == (0, "")
    _shown_in_order(shown, out)


def test_rules_example(cli: RunCli, workdir: Path) -> None:
    args, shown = _example("campaign-guard rules")
    code, out, err = cli(*args, env=WIDTH)
    assert (code, err) == (0, "")
    _shown_in_order(shown, out)


def test_estimate_example(cli: RunCli, workdir: Path) -> None:
    (workdir / "examples").symlink_to(EXAMPLES)
    args, shown = _example("campaign-guard estimate examples/")
    code, out, err = cli(*args, env=WIDTH)
    assert code == 0, err
    _shown_in_order(shown, out)


def test_protect_edge_example(cli: RunCli, workdir: Path) -> None:
    (workdir / "examples").symlink_to(EXAMPLES)
    args, shown = _example("campaign-guard protect edge examples/")
    code, out, err = cli(*args, env=WIDTH)
    assert (code, err) == (0, ""), err
    _shown_in_order(shown, out)


def test_protect_queue_example(cli: RunCli, workdir: Path) -> None:
    (workdir / "examples").symlink_to(EXAMPLES)
    args, shown = _example("campaign-guard protect queue examples/")
    code, out, err = cli(*args, env=WIDTH)
    assert (code, err) == (0, "")
    _shown_in_order(shown, out)
    assert (workdir / "k8s" / "keda-scaledobject.yaml").is_file()


def test_protect_prescale_example(cli: RunCli, workdir: Path) -> None:
    (workdir / "examples").symlink_to(EXAMPLES)
    args, shown = _example("campaign-guard protect prescale examples/")
    code, out, err = cli(*args, "--as-of", "2027-01-04T09:00+01:00", env=WIDTH)
    assert (code, err) == (0, "")
    _shown_in_order(shown, out)
    script = (workdir / "prescale" / "prescale-kubectl.sh").read_text(encoding="utf-8")
    shown_commands = re.search(r"```sh\n(# at .*?)```", README, flags=re.DOTALL)
    assert shown_commands is not None
    assert shown_commands.group(1) in script


def test_review_spec_example(cli: RunCli, workdir: Path) -> None:
    (workdir / "examples").symlink_to(EXAMPLES)
    args, shown = _example("campaign-guard review examples/")
    code, out, err = cli(*args, env=WIDTH)
    assert code == 0, err
    _shown_in_order(shown, out)


def test_dry_run_example(cli: RunCli, workdir: Path) -> None:
    (workdir / "campaigns").mkdir()
    shutil.copy(EXAMPLES / "campaigns" / "winter-newsletter.yaml", workdir / "campaigns")
    (workdir / "campaign-guard.yaml").write_text(
        "jira:\n  site: https://example.atlassian.net\n  project: OPS\n", encoding="utf-8"
    )
    args, shown = _example("campaign-guard submit campaigns/winter-newsletter.yaml --dry-run")
    code, out, err = cli(*args, env=WIDTH)
    assert code == 0, err
    _shown_in_order(shown, out)


def test_schema_example(cli: RunCli, workdir: Path) -> None:
    (workdir / "campaigns").mkdir()
    args, shown = _example("campaign-guard schema -o")
    assert cli(*args) == (0, "", "")
    assert shown == []
    written = (workdir / "campaigns" / "campaign-spec.schema.json").read_text(encoding="utf-8")
    assert written == (REPO_ROOT / "schema" / "campaign-spec.schema.json").read_text("utf-8")


GOLDEN = REPO_ROOT / "tests" / "cli" / "golden"


@pytest.mark.parametrize(
    ("command", "golden"),
    [
        ("campaign-guard review --from", "review-queue-80.txt"),
        ("campaign-guard review OPS-7", "review-ticket-80.txt"),
    ],
)
def test_review_examples_that_need_jira_are_their_goldens(command: str, golden: str) -> None:
    """The queue and a ticket's screen need a Jira: their README examples are lines of
    the goldens (tests/cli) that render the same tickets at 80 columns."""
    _, shown = _example(command)
    _shown_in_order(shown, (GOLDEN / golden).read_text(encoding="utf-8"))
