"""``campaign-guard protect prescale`` from the command line: output, files, exit codes.

The golden file holds the output for the example campaigns against the example profile
as of a fixed moment (rewrite it with ``CG_UPDATE_GOLDEN=1`` after an intended change,
and read the diff).
"""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, RunCli, RunInstalled
from tests.golden import assert_golden

GOLDEN = Path(__file__).parent / "golden"
PROFILE = REPO_ROOT / "examples" / "capacity" / "production.yaml"
AS_OF = ("--as-of", "2027-01-04T09:00+01:00")
EXAMPLES = ("examples/campaigns", "--capacity", str(PROFILE), *AS_OF)
SPECS = sorted((REPO_ROOT / "examples" / "campaigns").glob("*.yaml"))


@pytest.fixture(autouse=True)
def _no_capacity_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAMPAIGN_GUARD_CAPACITY", raising=False)
    monkeypatch.chdir(REPO_ROOT)


def test_the_examples_schedule(cli: RunCli) -> None:
    code, out, err = cli("protect", "prescale", *EXAMPLES)
    assert (code, err) == (0, "")
    assert max(len(line) for line in out.splitlines()) <= 80
    assert_golden(out, GOLDEN / "protect-prescale-examples.txt")


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_every_example_goes_through_protect_prescale(spec: Path, cli: RunCli) -> None:
    code, out, err = cli("protect", "prescale", str(spec), "--capacity", str(PROFILE), "--json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["profile"] == "Production (EU)"
    for service in document["services"]:
        counts = [step["instances"] for step in service["steps"]]
        assert counts[1::2] == [service["instances"]] * (len(counts) // 2)  # back down
        assert all(service["instances"] < n <= service["max_instances"] for n in counts[::2])
        assert [s["at"] for s in service["steps"]] == sorted(s["at"] for s in service["steps"])


def test_out_writes_the_schedule_the_kubectl_commands_and_the_aws_actions(
    cli: RunCli, tmp_path: Path
) -> None:
    out_dir = tmp_path / "prescale"
    code, out, err = cli("protect", "prescale", *EXAMPLES, "--out", str(out_dir))
    assert (code, err) == (0, "")
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == ["prescale-aws.json", "prescale-kubectl.sh", "prescale.txt"]
    assert out.splitlines()[-1] == (
        f"Wrote prescale-aws.json, prescale-kubectl.sh, prescale.txt to {out_dir}"
    )
    assert (out_dir / "prescale.txt").read_text(encoding="utf-8") in out
    script = (out_dir / "prescale-kubectl.sh").read_text(encoding="utf-8")
    commands = [shlex.split(s) for s in script.splitlines() if s.startswith("kubectl")]
    actions = json.loads((out_dir / "prescale-aws.json").read_text(encoding="utf-8"))
    # The same steps both ways: (service, count), in the same order.
    assert [(c[3], json.loads(c[-1])["spec"]["minReplicas"]) for c in commands] == [
        (a["AutoScalingGroupName"], a["MinSize"]) for a in actions
    ]
    assert commands  # the Black Friday flash sale needs web and checkout scaled


def test_a_peak_above_the_maximum_exits_1_and_says_so(cli: RunCli, tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    text = PROFILE.read_text(encoding="utf-8")
    profile.write_text(text.replace("max_instances: 12", "max_instances: 4"), "utf-8")
    code, out, err = cli("protect", "prescale", "examples/campaigns", "-c", str(profile), *AS_OF)
    assert (code, err) == (1, "")
    assert (
        "error: web needs 5 instances at its peak but stops at 4 (max_instances); raise "
        "max_instances, or shape the load with a rate limit at the edge and a queue "
        "[prescale-above-max]"
    ) in out.splitlines()


def test_a_launch_inside_the_lead_time_is_a_warning_and_exits_0(cli: RunCli) -> None:
    late = ("--as-of", "2027-11-26T11:50+01:00")  # web's scale-up was due at 11:43 CET
    code, out, err = cli("protect", "prescale", "examples/campaigns", "-c", str(PROFILE), *late)
    assert (code, err) == (0, "")
    assert (
        "warning: web should have started scaling 7m ago (a new instance takes 10m): "
        "scale it to 5 instances now [prescale-late]"
    ) in out.splitlines()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("examples/campaigns", "--capacity", "nowhere.yaml"),
            "error: capacity profile not found: 'nowhere.yaml'",
        ),
        (
            ("examples/campaigns/winter-newsletter.yaml",),
            "error: protect prescale needs a capacity profile with the services' instances; "
            "give it with --capacity FILE",
        ),
        (
            ("examples/campaigns", "-c", str(PROFILE), "--as-of", "soon"),
            "error: --as-of: 'soon' is not a date and time",
        ),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    args: tuple[str, ...], message: str, cli: RunCli
) -> None:
    code, out, err = cli("protect", "prescale", *args)
    assert (code, out) == (2, "")
    assert err.splitlines() == [message]


def test_the_installed_command_s_kubectl_lines_run_safely_with_a_hostile_name(
    run_installed: RunInstalled, tmp_path: Path
) -> None:
    """A service named to break out of a shell command: each written command, run by
    ``sh`` against a stand-in ``kubectl`` that records its arguments, gets the name as
    one argument and runs nothing else."""
    name = "web$(touch pwned)'; touch pwned2 #"
    text = PROFILE.read_text(encoding="utf-8")
    quoted = json.dumps(name)
    text = text.replace("\n  web:", f"\n  {quoted}:", 1).replace(
        "service: web", f"service: {quoted}"
    )
    profile = tmp_path / "profile.yaml"
    profile.write_text(text, encoding="utf-8")
    out_dir = tmp_path / "out"
    spec = "examples/campaigns/black-friday-flash-sale.yaml"
    done = run_installed(
        "protect", "prescale", spec, "-c", str(profile), *AS_OF, "--out", str(out_dir)
    )
    assert (done.returncode, done.stderr) == (0, "")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "kubectl"
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$3" >> "$KUBECTL_LOG"\n', encoding="utf-8")
    fake.chmod(0o755)
    log = tmp_path / "kubectl.log"
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "KUBECTL_LOG": str(log)}
    script = (out_dir / "prescale-kubectl.sh").read_text(encoding="utf-8")
    lines = [line for line in script.splitlines() if "kubectl patch" in line]
    hostile = [line.split(": ", 1)[1] for line in lines if line.startswith("# not a Kubernetes")]
    assert len(hostile) == 2  # web up and down; commented, as no HPA can have that name
    for line in [*hostile, *(line for line in lines if line.startswith("kubectl"))]:
        subprocess.run(["sh", "-c", line], cwd=tmp_path, env=env, check=True)
    assert not list(tmp_path.glob("pwned*"))
    assert log.read_text(encoding="utf-8").splitlines() == [name, name, "checkout", "checkout"]
    actions = json.loads((out_dir / "prescale-aws.json").read_text(encoding="utf-8"))
    assert {a["AutoScalingGroupName"] for a in actions} == {name, "checkout"}
