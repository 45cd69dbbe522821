"""Count the requests ``campaign-guard submit`` sends to Jira, and time each submit.

Run it from the root of the repository, in the venv campaign-guard is installed in::

    python -m benchmarks.bench_submit              # Cloud and Data Center, 5 rounds
    python -m benchmarks.bench_submit --repeat 9

(``-m`` from the root puts the repository on the import path, where the fake Jira of
the ``testing`` package lives.)

It starts the test suite's fake Jira (``testing/fake_jira.py``) on 127.0.0.1, writes
a project file and the example spec to a temporary folder, and runs the installed
``campaign-guard submit SPEC --json`` as a new process, as a marketer would:

* **create**: the first submit of a campaign (target: at most **4** requests);
* **unchanged**: the same spec again, nothing is written (target: at most **1** request
  on Cloud, **2** on Data Center, whose search cannot return the stored snapshot);
* **update**: the spec with a changed audience (target: at most **3** requests on Cloud,
  **4** on Data Center);
* the same three with review fields mapped to Jira fields, first with a cold cache of
  the create screen, then with the cache warm, then cold again with ``jira.issue_type``
  given as the issue type's id (one createmeta request instead of two), and cold once
  more after ``campaign-guard jira fields --save`` (no createmeta request);
* two faults: Jira answering the create with 429 twice (``Retry-After: 1``), and, on
  Cloud, a second submit right after the create while the search index lags a minute
  behind (the issue is found through ``reconcileIssues``).

Requests are counted by the fake server (every request it received during the run, so
retries would count too); on-call provider calls are not Jira requests. The report is a
Markdown table: requests per case, and the median and minimum wall time of the process
(interpreter start, imports, estimate and the loopback round trips). Exit code 0, or 1
when a request target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from testing.fake_jira import FakeJira, running

ROOT = Path(__file__).resolve().parent.parent

SPEC = ROOT / "examples" / "campaigns" / "winter-newsletter.yaml"
PROFILE = ROOT / "examples" / "capacity" / "production.yaml"
TARGETS = {"create": (4, 4), "update": (3, 4), "unchanged": (1, 2)}
"""Most requests per case: (Cloud, Data Center)."""
ISSUE = "/rest/api/2/issue"
FIELDS = "  fields:\n    launch: Launch date\n    expected_traffic: customfield_10051\n"


def project_file(fake: FakeJira, mapped: bool, issue_type_id: bool = False) -> str:
    deployment = "cloud" if fake.cloud else "data-center"
    return (
        f"jira:\n  site: {fake.url}\n  deployment: {deployment}\n  project: OPS\n"
        + ("  issue_type: '10050'\n" if issue_type_id else "")
        + (FIELDS if mapped else "")
        + f"estimate:\n  capacity: {PROFILE}\n"
        "oncall:\n  provider: fixed\n  name: Dana Ops\n  email: dana@example.com\n"
        "  jira_account_id: 5b10ac8d82e05b22cc7d4ef5\n  jira_user_name: dana\n"
    )


def campaign_guard(args: list[str], folder: Path, env: dict[str, str]) -> tuple[str, float]:
    """Run the installed command; its stdout and wall time (exits if it fails)."""
    script = Path(sys.executable).parent / "campaign-guard"
    start = time.perf_counter()
    done = subprocess.run(
        [str(script), *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout, wall


def submit(fake: FakeJira, folder: Path, spec: Path, env: dict[str, str]) -> tuple[str, int, float]:
    """Run one submit; the action, the requests the fake received, and the wall time."""
    before = len(fake.requests)
    out, wall = campaign_guard(["submit", str(spec), "--json"], folder, env)
    return json.loads(out)["action"], len(fake.requests) - before, wall


def saved(fake: FakeJira, workdir: Path, env: dict[str, str]) -> tuple[str, int, float]:
    """Map the fields by name, run ``jira fields --save``, then submit with an empty cache."""
    (workdir / "campaign-guard.yaml").write_text(project_file(fake, True), "utf-8")
    campaign_guard(["jira", "fields", "--save"], workdir, env)
    shutil.rmtree(workdir / "cache", ignore_errors=True)
    return submit(fake, workdir, variant(workdir, "fourth"), env)


def variant(workdir: Path, name: str) -> Path:
    """The example spec as another campaign (its own id, so its own ticket)."""
    text = SPEC.read_text(encoding="utf-8")
    spec = workdir / f"{name}.yaml"
    spec.write_text(text.replace("id: winter-newsletter-2027", f"id: {name}-2027"), "utf-8")
    return spec


def faults(fake: FakeJira, workdir: Path, env: dict[str, str]) -> list[tuple[str, str, int, float]]:
    """A create answered 429 twice; on Cloud, a re-submit while the index lags."""
    (workdir / "campaign-guard.yaml").write_text(project_file(fake, False), "utf-8")
    fake.status("POST", ISSUE, 429, {"Retry-After": "1"}, times=2)
    rows = [
        ("create, Jira answers 429 twice", *submit(fake, workdir, variant(workdir, "busy"), env))
    ]
    if fake.cloud:
        fake.index_lag(60)
        spec = variant(workdir, "lagging")
        submit(fake, workdir, spec, env)
        rows.append(
            ("unchanged, right after the create, index lagging", *submit(fake, workdir, spec, env))
        )
        fake.index_lag(0)
    return rows


def one_round(cloud: bool, mapped: bool, workdir: Path) -> list[tuple[str, str, int, float]]:
    """create, unchanged, update (and, mapped, a second create with the cache warm)."""
    rows: list[tuple[str, str, int, float]] = []
    cache = workdir / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(workdir),
        "CAMPAIGN_GUARD_CACHE_DIR": str(cache),
        "JIRA_EMAIL": "bot@example.com",
        "JIRA_API_TOKEN": "bench-token",
        "JIRA_PAT": "bench-token",
    }
    text = SPEC.read_text(encoding="utf-8")
    spec, bigger, other = workdir / "spec.yaml", workdir / "bigger.yaml", variant(workdir, "other")
    spec.write_text(text, encoding="utf-8")
    bigger.write_text(text.replace("list_size: 50k", "list_size: 80k"), encoding="utf-8")
    with running(cloud=cloud) as fake:
        (workdir / "campaign-guard.yaml").write_text(project_file(fake, mapped), "utf-8")
        cold = " (cold cache)" if mapped else ""
        for case, path in (("create" + cold, spec), ("unchanged", spec), ("update", bigger)):
            rows.append((case, *submit(fake, workdir, path, env)))
        if mapped:
            rows.append(("create (warm cache)", *submit(fake, workdir, other, env)))
            shutil.rmtree(cache, ignore_errors=True)
            (workdir / "campaign-guard.yaml").write_text(project_file(fake, True, True), "utf-8")
            case = "create (cold cache, issue_type given by id)"
            rows.append((case, *submit(fake, workdir, variant(workdir, "third"), env)))
            rows.append(
                ("create (cold cache, after jira fields --save)", *saved(fake, workdir, env))
            )
        else:
            rows += faults(fake, workdir, env)
        if fake.problems:
            raise SystemExit(
                "requests outside Atlassian's API description: " + "; ".join(fake.problems)
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds per deployment")
    args = parser.parse_args(argv)
    results: dict[tuple[str, str, bool], list[tuple[str, int, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="cg-bench-submit-") as tmp:
        for _ in range(args.repeat):
            for cloud in (True, False):
                for mapped in (False, True):
                    for case, action, count, wall in one_round(cloud, mapped, Path(tmp)):
                        key = ("Cloud" if cloud else "Data Center", case, mapped)
                        results.setdefault(key, []).append((action, count, wall))
    missed = False
    print("| Jira | fields mapped | submit | action | requests | target | median | min |")
    print("|---|---|---|---|---|---|---|---|")
    for (kind, case, mapped), runs in results.items():
        counts = {count for _, count, _ in runs}
        walls = [wall for _, _, wall in runs]
        targets = next((v for k, v in TARGETS.items() if case.startswith(k)), None)
        target = None if targets is None or "429" in case else targets[kind != "Cloud"]
        worst = max(counts)
        if target is not None and worst > target and ("cold" not in case or "--save" in case):
            missed = True
        shown = "–" if target is None else f"≤ {target}"
        print(
            f"| {kind} | {'yes' if mapped else 'no'} | {case} | {runs[0][0]} | "
            f"{'/'.join(str(c) for c in sorted(counts))} | {shown} | "
            f"{statistics.median(walls):.2f} s | {min(walls):.2f} s |"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
