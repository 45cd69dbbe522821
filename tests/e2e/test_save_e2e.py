"""``jira fields --save`` end to end: the installed script against the fake Jira.

The contract: after ``campaign-guard jira fields --save`` the project file holds the
issue type's id and every mapped field's saved definition, so the first submit on a
machine with an empty cache makes 3 requests (search, create, attach) and reads no
create screen, on Jira Cloud and Data Center alike. When Jira later changes, its 400
still gives one line naming the setting to fix.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from campaign_guard.config.settings import load_project_config
from testing.fake_jira import FakeJira, running
from testing.fake_jira_data import CAMPAIGN_LAUNCH, custom_field
from tests.conftest import console_script
from tests.e2e.conftest import (
    MAPPING,
    WALL_LIMIT,
    Project,
    Run,
    create_routes,
    in_parallel,
    run_with_env,
)

ALL_KINDS = {
    **MAPPING,
    "targets": "Landing page",
    "new_data_fields": "customfield_10054",
}
"""Mapped fields of every kind: date-time, number, select list, URL and paragraph."""
KINDS = ("cloud", "dc")


def save(project: Project) -> Run:
    """``campaign-guard jira fields --save`` in the project's folder."""
    before = len(project.fake.requests)
    command = [str(console_script()), "jira", "fields", "--save"]
    done, seconds = run_with_env(command, project.root, project.env)
    received = project.fake.requests[before:]
    assert done is not None, "jira fields --save timed out"
    return Run(done.returncode, done.stdout, done.stderr, seconds, received)


def fresh_cache(project: Project) -> Path:
    """Point the project at an empty cache folder, as on a new CI runner."""
    folder = project.root / "fresh-cache"
    assert not folder.exists()
    project.env["CAMPAIGN_GUARD_CACHE_DIR"] = str(folder)
    return folder


def createmeta(run: Run) -> list[str]:
    return [route for route in run.routes if "createmeta" in route]


def test_after_save_a_fresh_runner_files_without_reading_the_create_screen(
    fake: FakeJira, tmp_path: Path
) -> None:
    project = Project(tmp_path / "project", fake)
    project.write_config(fields=ALL_KINDS)
    saved = save(project)
    assert (saved.code, saved.stderr) == (0, "")
    assert "\nNo submit needs to read the create screen now.\n" in saved.stdout
    path = project.root / "campaign-guard.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  issue_type: 10050  # Marketing Campaign Launch\n" in text
    jira = load_project_config(path).jira
    assert jira is not None
    assert jira.issue_type == "10050"
    assert all(not isinstance(target, str) for target in jira.fields.values())

    cache = fresh_cache(project)
    created = project.submit()
    assert created.result()["action"] == "created"
    assert created.routes == create_routes(fake.cloud)
    assert createmeta(created) == []
    assert len(created.routes) <= 4
    assert created.seconds < WALL_LIMIT
    assert list(cache.rglob("screen-*.json")) == []  # no screen was read, so none cached
    issue = fake.issues["OPS-1"]["fields"]
    assert issue["issuetype"]["id"] == CAMPAIGN_LAUNCH

    # The saved fields carry the same values as fields mapped by name.
    named = Project(tmp_path / "named", fake)
    named.write_config(fields=ALL_KINDS)
    named.rename("Winter Newsletter 2027", "winter-newsletter-again")
    assert named.submit().result()["key"] == "OPS-2"
    other = fake.issues["OPS-2"]["fields"]
    for field in (
        "customfield_10050",
        "customfield_10051",
        "customfield_10053",
        "customfield_10054",
        "customfield_10055",
    ):
        assert issue[field] == other[field], field
    assert issue["customfield_10055"]["value"] in ("OK", "Scale up", "Overload")

    again = save(project)
    assert again.code == 0
    assert "\nNothing to change: " in again.stdout
    assert path.read_text(encoding="utf-8") == text  # same bytes
    assert fake.problems == []


def test_a_read_only_project_file_is_left_as_it_was(fake: FakeJira, tmp_path: Path) -> None:
    project = Project(tmp_path / "project", fake)
    project.write_config(fields=MAPPING)
    path = project.root / "campaign-guard.yaml"
    before = path.read_bytes()
    path.chmod(0o444)
    refused = save(project)
    assert refused.code == 2
    assert refused.stderr == (
        f"error: {path}: the file is read-only; nothing was changed: make it writable and run "
        "the command again, or set jira.issue_type and jira.fields as printed above\n"
    )
    assert refused.stdout.endswith(
        "\n\njira:\n  issue_type: 10050  # Marketing Campaign Launch\n  fields:\n"
        "    launch: {id: customfield_10050, type: datetime}  # Launch date\n"
        "    expected_traffic: {id: customfield_10051, type: number}  # Expected traffic\n"
        "    verdict: {id: customfield_10055, type: option, options: [OK, Scale up, Overload]}"
        "  # Load verdict\n"
    )
    assert path.read_bytes() == before
    assert fake.problems == []


# --- Jira changes after the save: its 400 still names what to fix --------------------------


def _screen(fake: FakeJira) -> list[dict[str, object]]:
    return fake.screens[CAMPAIGN_LAUNCH]


def _field_gone(fake: FakeJira) -> None:
    fake.screens[CAMPAIGN_LAUNCH] = [
        f for f in _screen(fake) if f["fieldId"] != "customfield_10050"
    ]


def _field_now_a_date(fake: FakeJira) -> None:
    for entry in _screen(fake):
        if entry["fieldId"] == "customfield_10050":
            entry["schema"] = {"type": "date", "custom": "x:datepicker", "customId": 10050}


def _no_due_date(fake: FakeJira) -> None:
    fake.screens[CAMPAIGN_LAUNCH] = [f for f in _screen(fake) if f["fieldId"] != "duedate"]


def _new_required_field(fake: FakeJira) -> None:
    _screen(fake).append(custom_field(10099, "Cost centre", "string", "textfield", required=True))


@dataclass(frozen=True)
class Change:
    id: str
    arrange: Callable[[FakeJira], None]
    says: str


CHANGES = [
    Change(
        "field-gone",
        _field_gone,
        "error: Jira refused the ticket: jira.fields.launch: Field 'customfield_10050' cannot "
        "be set. It is not on the appropriate screen, or unknown; run `campaign-guard jira "
        "fields --save` to save the field as Jira has it now",
    ),
    Change(
        "field-now-a-date",
        _field_now_a_date,
        "error: Jira refused the ticket: jira.fields.launch: Error parsing date string: ",
    ),
    Change(
        "no-due-date",
        _no_due_date,
        "error: Jira refused the ticket: jira.issue_type (its screens must include the duedate "
        "field): Field 'duedate' cannot be set.",
    ),
    Change(
        "new-required-field",
        _new_required_field,
        "error: Jira refused the ticket: jira.issue_type (the field customfield_10099 is "
        "required but campaign-guard does not fill it",
    ),
]


def _changed(change: Change, project: Project) -> tuple[Project, Run]:
    project.write_config(fields=MAPPING)
    assert save(project).code == 0
    change.arrange(project.fake)
    fresh_cache(project)
    return project, project.submit()


@pytest.fixture(scope="module")
def changed_runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, tuple[Project, Run]]]:
    root = tmp_path_factory.mktemp("changed")
    cases = {
        f"{change.id}-{kind}": (change, kind == "cloud") for change in CHANGES for kind in KINDS
    }
    with contextlib.ExitStack() as stack:
        jobs = []
        for name, (change, cloud) in cases.items():
            fake = stack.enter_context(running(cloud=cloud))
            jobs.append(functools.partial(_changed, change, Project(root / name, fake)))
        yield dict(zip(cases, in_parallel(jobs), strict=True))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("change", CHANGES, ids=[c.id for c in CHANGES])
def test_a_change_in_jira_after_the_save_is_one_line_naming_the_fix(
    change: Change, kind: str, changed_runs: dict[str, tuple[Project, Run]]
) -> None:
    project, run = changed_runs[f"{change.id}-{kind}"]
    assert run.code == 3, run.stderr
    line = run.error()
    assert line.startswith(change.says), line
    if change.id.startswith("field-"):
        assert line.endswith(
            "; run `campaign-guard jira fields --save` to save the field as Jira has it now"
        )
    assert run.routes[-1] == "POST /rest/api/2/issue"  # Jira itself refused it
    assert createmeta(run) == []
    assert project.fake.issues == {}
    assert run.seconds < WALL_LIMIT
    assert project.fake.problems == []
