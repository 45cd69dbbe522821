"""Every channel of the spec model, and every example, through every command that takes it.

A spec per channel (:mod:`tests.channel_samples`, every field of the channel set) and
each file under ``examples/campaigns/`` and ``examples/channels/`` go through ``lint``,
``estimate``, ``review`` (the spec file, without Jira), ``submit --dry-run``, a real
``submit`` against the fake Jira (Cloud and Data Center) and ``review`` of the ticket it
filed, and ``protect edge``, ``protect queue`` and ``protect prescale`` (their files through
nginx, HAProxy, cfn-lint, KEDA's CRD and botocore's models). A channel or a field that one command
forgets fails here, not on a marketer's screen.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from campaign_guard.spec.channels import CHANNELS
from testing.fake_jira import running
from tests.channel_samples import channel_specs
from tests.conftest import REPO_ROOT, RunCli
from tests.e2e.conftest import PROFILE, SPEC, Project, Run, in_parallel

EXAMPLES = sorted(
    path
    for folder in ("campaigns", "channels")
    for path in (REPO_ROOT / "examples" / folder).glob("*.yaml")
)
SPECS = {
    **{f"channel-{name}": text for name, text in channel_specs().items()},
    **{f"example-{path.stem}": path.read_text(encoding="utf-8") for path in EXAMPLES},
}
AS_OF = "2027-01-04T09:00:00+00:00"


def test_every_channel_and_example_is_covered() -> None:
    assert {f"channel-{name}" for name in CHANNELS} <= set(SPECS)
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("case", list(SPECS))
def test_lint_estimate_and_dry_run(case: str, cli: RunCli, workdir: Path) -> None:
    (workdir / SPEC).write_text(SPECS[case], encoding="utf-8")
    code, out, err = cli("lint", SPEC, "--strict", "--as-of", AS_OF)
    assert (code, out) == (0, ""), err
    code, out, err = cli("estimate", SPEC, "--capacity", str(PROFILE), "--json")
    assert code == 0, err
    (campaign,) = json.loads(out)["campaigns"]
    assert campaign["visits"]["expected"] > 0
    code, out, err = cli("submit", SPEC, "--dry-run", "--capacity", str(PROFILE), "--json")
    assert code == 0, err
    preview = json.loads(out)
    for name in _channels(case):
        assert f"\n* {name}" in preview["description"]
    assert "Traceback" not in err
    code, out, err = cli("review", SPEC, "--capacity", str(PROFILE), "--as-of", AS_OF, "--json")
    assert code == 0, err
    screen = json.loads(out)
    assert screen["tier"] in {"low", "medium", "high"}
    assert screen["loads"], "the review shows the load on the profile's targets"
    assert {item["item"] for item in screen["checklist"]} >= {"Lead time met", "Privacy review"}
    code, out, err = cli("review", SPEC, "--capacity", str(PROFILE), "--as-of", AS_OF)
    assert code == 0, err
    assert f"{screen['tier'].upper()} RISK" in out.splitlines()[0]


def _channels(case: str) -> list[str]:
    """The channels of the spec, as the ticket names them (``paid social``)."""
    import yaml

    traffic = yaml.safe_load(SPECS[case])["traffic"]
    return [str(entry["channel"]).replace("_", " ") for entry in traffic]


Filed = dict[tuple[str, bool], tuple[Run, Run, dict[str, dict[str, object]]]]


def _submit_and_review(project: Project) -> tuple[Run, Run]:
    """Submit the spec, then review the ticket it filed."""
    run = project.submit()
    key = run.result()["key"] if run.code == 0 else "OPS-0"
    return run, project.run("review", key, "--json")


@pytest.fixture(scope="module")
def filed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Filed]:
    """Each spec submitted once to a fake Cloud and once to a fake Data Center."""
    root = tmp_path_factory.mktemp("every")
    with contextlib.ExitStack() as stack:
        fakes = {cloud: stack.enter_context(running(cloud=cloud)) for cloud in (True, False)}
        jobs, keys = [], []
        for case, text in SPECS.items():
            for cloud, fake in fakes.items():
                project = Project(root / f"{case}-{cloud}", fake)
                (project.root / SPEC).write_text(text, encoding="utf-8")
                jobs.append(lambda project=project: _submit_and_review(project))
                keys.append((case, cloud))
        runs = in_parallel(jobs, workers=6)
        yield {key: (*runs, fakes[key[1]].issues) for key, runs in zip(keys, runs, strict=True)}
        for fake in fakes.values():
            assert fake.problems == []


@pytest.mark.parametrize("cloud", [True, False], ids=["cloud", "dc"])
@pytest.mark.parametrize("case", list(SPECS))
def test_a_real_submit_files_it(case: str, cloud: bool, filed: Filed) -> None:
    run, reviewed, issues = filed[(case, cloud)]
    result = run.result()
    assert result["action"] == "created"
    screen = reviewed.result()
    assert screen["ticket"] == result["key"]
    assert screen["loads"], "the ticket's review shows the load on the profile's targets"
    assert screen["ticket_row"]["verdict_now"] == screen["ticket_row"]["verdict_on_ticket"]
    assert "Traceback" not in run.stderr
    fields = issues[result["key"]]["fields"]
    assert isinstance(fields, dict)
    for name in _channels(case):
        assert f"\n* {name}" in str(fields["description"])


@pytest.mark.parametrize("case", list(SPECS))
def test_protect_edge_writes_what_every_target_accepts(
    case: str, cli: RunCli, workdir: Path
) -> None:
    """Each spec's limits, for every target and both rollouts, pass the programs' own
    checks (``nginx -t``, ``haproxy -c``) in a minimal configuration around them; the
    ingress-nginx Ingresses pass the Kubernetes schema, and what the controller would
    make of them passes ``nginx -t``; the AWS WAF rules fit botocore's model and their
    CloudFormation template passes cfn-lint."""
    from tests.protect.ingress_nginx import ingress_check
    from tests.protect.servers import haproxy_check, nginx_check
    from tests.protect.test_waf import waf_check

    (workdir / SPEC).write_text(SPECS[case], encoding="utf-8")
    targets = (
        ("nginx", nginx_check),
        ("haproxy", haproxy_check),
        ("ingress-nginx", ingress_check),
        ("aws-waf", waf_check),
    )
    for target, check in targets:
        for mode in ((), ("--enforce",)):
            out_dir = workdir / f"{target}{''.join(mode)}"
            code, out, err = cli(
                "protect", "edge", SPEC, "-c", str(PROFILE), "-t", target, "-o", str(out_dir), *mode
            )
            assert (code, out) == (0, ""), err
            assert "Traceback" not in err
            files = {p.name: p.read_text(encoding="utf-8") for p in out_dir.iterdir()}
            assert "limit_req zone=" in files.get("nginx-server.conf", "limit_req zone=")
            assert "track-sc0" in files.get("haproxy-frontend.cfg", "track-sc0")
            annotations = files.get(
                "ingress-nginx-annotations.yaml", "ingress.kubernetes.io/limit-r"
            )
            assert "ingress.kubernetes.io/limit-r" in annotations
            assert "RateBasedStatement" in files.get("aws-waf-rules.json", "RateBasedStatement")
            checked = check(files, out_dir)
            assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("case", list(SPECS))
def test_protect_queue_and_prescale_write_what_keda_and_aws_accept(
    case: str, cli: RunCli, workdir: Path
) -> None:
    """Each spec's queue sizing and pre-scale schedule, written by the installed CLI:
    the KEDA ScaledObject is valid against KEDA's CRD, the AWS scheduled actions fit
    botocore's model, and the kubectl script is valid shell."""
    import subprocess

    import yaml

    from tests.protect.test_keda import _errors
    from tests.protect.test_prescale_text import MODEL, _check

    (workdir / SPEC).write_text(SPECS[case], encoding="utf-8")
    queue_dir, prescale_dir = workdir / "queue", workdir / "prescale"
    code, out, err = cli("protect", "queue", SPEC, "-c", str(PROFILE), "-o", str(queue_dir))
    assert code == 0, err
    assert "Traceback" not in err
    assert "workers" in out
    scaled = yaml.safe_load((queue_dir / "keda-scaledobject.yaml").read_text(encoding="utf-8"))
    assert scaled["kind"] == "ScaledObject"
    assert _errors(scaled) == []
    assert (queue_dir / "workers-per-hour.txt").read_text(encoding="utf-8").strip()
    code, out, err = cli("protect", "prescale", SPEC, "-c", str(PROFILE), "-o", str(prescale_dir))
    assert code == 0, err
    assert "Traceback" not in err
    actions = json.loads((prescale_dir / "prescale-aws.json").read_text(encoding="utf-8"))
    for action in actions:
        _check(action, MODEL["input"])
    script = prescale_dir / "prescale-kubectl.sh"
    checked = subprocess.run(
        ["bash", "-n", str(script)], check=False, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
