"""The installed ``campaign-guard`` against the fake Jira, end to end, on 127.0.0.1 only.

A :class:`Project` is a temporary folder holding ``campaign-guard.yaml``, a copy of the
winter-newsletter example spec (``campaign.yaml``) and the production capacity profile.
:meth:`Project.submit` runs the console script in a subprocess whose environment is
built from nothing: ``PATH``, ``HOME`` (the folder), ``CAMPAIGN_GUARD_CACHE_DIR`` and the
Jira credentials of the project's deployment. Each run is bounded by
:data:`SUBMIT_TIMEOUT` and returns a :class:`Run` with what the fake received meanwhile.

:func:`in_parallel` runs independent cases at once (each with its own fake and folder),
so the waits of the fault cases overlap and the suite stays short.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml

from testing.fake_jira import FakeJira, Recorded, running
from testing.fake_jira_data import DANA_ACCOUNT_ID
from tests.conftest import REPO_ROOT, console_script

SUBMIT_TIMEOUT = 30.0
"""Seconds one run of the console script may take before it is killed."""
WALL_LIMIT = 20.0
"""Seconds one run should take at most, whatever Jira does."""
BUDGET = 8
"""The project file's ``jira.retry_budget_seconds``: a run ends within it, start-up
included (with room for a loaded machine starting several runs at once)."""
PROCESS_SLACK = 1.0
"""Seconds a run may take past its budget: the interpreter's own start and exit."""
EXAMPLE_SPEC = REPO_ROOT / "examples" / "campaigns" / "winter-newsletter.yaml"
PROFILE = REPO_ROOT / "examples" / "capacity" / "production.yaml"
SPEC = "campaign.yaml"
EMAIL = "bot@example.com"
MAPPING = {
    "launch": "Launch date",
    "expected_traffic": "customfield_10051",
    "verdict": "Load verdict",
}
"""Review fields mapped to the fake's custom fields, by display name and by id."""

T = TypeVar("T")


@dataclass(frozen=True)
class Run:
    """One run of the console script, and the requests the fake received during it."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    requests: list[Recorded] = field(default_factory=list)

    @property
    def routes(self) -> list[str]:
        return [r.route for r in self.requests]

    def result(self) -> dict[str, Any]:
        """The ``--json`` result of a successful run (stdout is one JSON object)."""
        __tracebackhide__ = True
        assert self.code == 0, f"exit {self.code}: {self.stderr}"
        assert "Traceback" not in self.stderr, self.stderr
        data = json.loads(self.stdout)
        assert isinstance(data, dict), self.stdout
        return data

    def error(self) -> str:
        """The one ``error:`` line of a failed run (not under ``--debug``)."""
        __tracebackhide__ = True
        assert self.stdout == "", self.stdout
        lines = self.stderr.splitlines()
        assert len(lines) == 1, f"stderr is not one line:\n{self.stderr}"
        assert lines[0].startswith("error: "), lines[0]
        assert self.stderr.endswith("\n")
        return lines[0]


def run_with_env(
    command: Sequence[str], cwd: Path, env: Mapping[str, str], timeout: float = SUBMIT_TIMEOUT
) -> tuple[subprocess.CompletedProcess[str] | None, float]:
    """Run ``command`` with exactly ``env`` (nothing inherited); None if it timed out."""
    started = time.monotonic()
    try:
        done = subprocess.run(
            list(command),
            cwd=cwd,
            env=dict(env),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, time.monotonic() - started
    return done, time.monotonic() - started


def clean_env(home: Path, cache: Path, *, cloud: bool, token: str) -> dict[str, str]:
    """PATH, HOME, the cache folder and the deployment's credentials; nothing else."""
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(home),
        "CAMPAIGN_GUARD_CACHE_DIR": str(cache),
    }
    if cloud:
        env.update(JIRA_EMAIL=EMAIL, JIRA_API_TOKEN=token)
    else:
        env["JIRA_PAT"] = token
    return env


class Project:
    """A project folder wired to ``fake``; ``cloud`` (default: the fake's) picks the
    deployment the project file names and the credentials the environment carries."""

    def __init__(
        self,
        root: Path,
        fake: FakeJira,
        *,
        cloud: bool | None = None,
        token: str = "t0ken-e2e",
        cache: Path | None = None,
    ) -> None:
        self.root = root
        self.fake = fake
        self.cloud = fake.cloud if cloud is None else cloud
        self.token = token
        root.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXAMPLE_SPEC, root / SPEC)
        shutil.copyfile(PROFILE, root / PROFILE.name)
        self.cache = cache or root / "cache"
        self.env = clean_env(root, self.cache, cloud=self.cloud, token=token)
        self.write_config()

    def write_config(
        self,
        *,
        fields: Mapping[str, str] | None = None,
        jira: Mapping[str, Any] | None = None,
        with_jira: bool = True,
        more: Mapping[str, Any] | None = None,
    ) -> None:
        """``campaign-guard.yaml``; ``jira`` overrides keys of the jira: section, ``more``
        adds top-level sections."""
        section: dict[str, Any] = {
            "site": self.fake.url,
            "deployment": "cloud" if self.cloud else "data-center",
            "project": "OPS",
            "timeout_seconds": 1,
            "retry_budget_seconds": BUDGET,
        }
        section.update(jira or {})
        if fields:
            section["fields"] = dict(fields)
        config: dict[str, Any] = {"estimate": {"capacity": PROFILE.name}}
        if with_jira:
            config["jira"] = section
        config["oncall"] = {
            "provider": "fixed",
            "name": "Dana Ops",
            "email": "dana@example.com",
            "jira_account_id": DANA_ACCOUNT_ID,
            "jira_user_name": "dana",
        }
        config.update(more or {})
        text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
        (self.root / "campaign-guard.yaml").write_text(text, encoding="utf-8")

    def rename(self, name: str, campaign_id: str | None = None) -> None:
        """Give the campaign another name (a JSON string is a YAML scalar) and id."""
        path = self.root / SPEC
        text = re.sub(
            r"(?m)^name: .*$", lambda _: f"name: {json.dumps(name)}", path.read_text("utf-8")
        )
        if campaign_id is not None:
            text = re.sub(r"(?m)^id: .*\n", "", text)
            text = re.sub(r"(?m)^name: .*$", lambda m: f"{m.group()}\nid: {campaign_id}", text)
        path.write_text(text, encoding="utf-8")

    def edit_spec(self, old: str, new: str) -> None:
        """Replace ``old`` (which must be there) in the spec copy."""
        path = self.root / SPEC
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in the spec"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def run(self, *args: str) -> Run:
        """``campaign-guard ARGS…`` in the folder, with the requests the fake received."""
        before = len(self.fake.requests)
        done, seconds = run_with_env([str(console_script()), *args], self.root, self.env)
        received = self.fake.requests[before:]
        if done is None:
            return Run(-9, "", f"timed out after {SUBMIT_TIMEOUT} s", seconds, received)
        return Run(done.returncode, done.stdout, done.stderr, seconds, received)

    def submit(self, *, debug: bool = False, env: Mapping[str, str] | None = None) -> Run:
        """``campaign-guard [--debug] submit campaign.yaml --json`` in the folder."""
        command = [str(console_script()), *(["--debug"] if debug else []), "submit", SPEC, "--json"]
        before = len(self.fake.requests)
        done, seconds = run_with_env(command, self.root, self.env if env is None else env)
        received = self.fake.requests[before:]
        if done is None:
            return Run(-9, "", f"timed out after {SUBMIT_TIMEOUT} s", seconds, received)
        return Run(done.returncode, done.stdout, done.stderr, seconds, received)


def in_parallel(jobs: Sequence[Callable[[], T]], workers: int = 4) -> list[T]:
    """The jobs' results, in order; up to ``workers`` run at once."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda job: job(), jobs))


def search_path(cloud: bool) -> str:
    return "/rest/api/3/search/jql" if cloud else "/rest/api/2/search"


def create_routes(cloud: bool, key: str = "OPS-1") -> list[str]:
    """Search, create (with assignee and snapshot), attach the spec."""
    return [
        f"GET {search_path(cloud)}",
        "POST /rest/api/2/issue",
        f"POST /rest/api/2/issue/{key}/attachments",
    ]


@pytest.fixture(params=[True, False], ids=["cloud", "dc"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    """A fake Jira Cloud, then Data Center."""
    with running(cloud=request.param) as server:
        yield server
