"""``campaign-guard protect queue`` from the command line: output, files, exit codes.

The golden file holds the output for the example campaigns against the example profile
(rewrite it with ``CG_UPDATE_GOLDEN=1`` after an intended change, and read the diff).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO_ROOT, RunCli, RunInstalled
from tests.golden import assert_golden
from tests.protect.test_keda import VALIDATOR

GOLDEN = Path(__file__).parent / "golden"
PROFILE = REPO_ROOT / "examples" / "capacity" / "production.yaml"
EXAMPLES = ("examples/campaigns", "--capacity", str(PROFILE))
SPECS = sorted((REPO_ROOT / "examples" / "campaigns").glob("*.yaml"))


@pytest.fixture(autouse=True)
def _no_capacity_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAMPAIGN_GUARD_CAPACITY", raising=False)
    monkeypatch.chdir(REPO_ROOT)


def test_the_examples_sized_with_a_one_minute_limit(cli: RunCli) -> None:
    code, out, err = cli("protect", "queue", *EXAMPLES, "--max-delay", "1m")
    assert (code, err) == (0, "")
    assert_golden(out, GOLDEN / "protect-queue-examples.txt")


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_every_example_goes_through_protect_queue(spec: Path, cli: RunCli) -> None:
    code, out, err = cli("protect", "queue", str(spec), "--capacity", str(PROFILE), "--json")
    assert (code, err) == (0, "")
    numbers = json.loads(out)
    assert numbers["queue"] == "sqs"
    assert numbers["max_delay_seconds"] == 300
    high = numbers["scenarios"]["high"]
    assert high["peak_rate"] >= numbers["scenarios"]["expected"]["peak_rate"] > 0
    assert high["workers_needed"] >= 1
    assert numbers["keda"] == {"queue_length": 7500, "min_replicas": 4, "max_replicas": 40}


def test_out_writes_the_scaled_object_the_hours_and_the_settings(
    cli: RunCli, tmp_path: Path
) -> None:
    out_dir = tmp_path / "k8s"
    code, out, err = cli("protect", "queue", *EXAMPLES, "--max-delay", "1m", "--out", str(out_dir))
    assert (code, err) == (0, "")
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == ["consumer-settings.txt", "keda-scaledobject.yaml", "workers-per-hour.txt"]
    assert f"to {out_dir}" in out.splitlines()[-1]
    document = yaml.safe_load((out_dir / "keda-scaledobject.yaml").read_text(encoding="utf-8"))
    assert list(VALIDATOR.iter_errors(document)) == []
    hours = (out_dir / "workers-per-hour.txt").read_text(encoding="utf-8")
    assert hours.splitlines()[0].split() == ["From", "To", "Peak", "msg/s", "Workers"]
    settings = (out_dir / "consumer-settings.txt").read_text(encoding="utf-8")
    assert "worker_prefetch_multiplier" in settings


def test_a_wrong_setting_exits_1_and_names_it(cli: RunCli, tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    text = PROFILE.read_text(encoding="utf-8")
    profile.write_text(text.replace("visibility_timeout: 30m", "visibility_timeout: 5m"), "utf-8")
    code, out, err = cli("protect", "queue", "examples/campaigns", "--capacity", str(profile))
    assert (code, err) == (1, "")
    assert (
        "error: a task due in 10m outlasts the broker's visibility timeout (5m), so it is "
        "delivered again and again; raise broker_transport_options['visibility_timeout'] "
        "above the longest ETA [celery-eta]"
    ) in out.splitlines()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--max-delay", "soon"),
            "error: --max-delay must be a duration from 1s to 14d, like 90s, 5m or 1h, not 'soon'",
        ),
        (
            ("--capacity", "nowhere.yaml"),
            "error: capacity profile not found: 'nowhere.yaml'",
        ),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    args: tuple[str, ...], message: str, cli: RunCli
) -> None:
    full = ("--capacity", str(PROFILE), *args) if args[0] != "--capacity" else args
    code, out, err = cli("protect", "queue", "examples/campaigns", *full)
    assert (code, out) == (2, "")
    assert err.splitlines() == [message]


def test_without_a_profile_it_says_how_to_give_one(cli: RunCli) -> None:
    code, out, err = cli("protect", "queue", "examples/campaigns/winter-newsletter.yaml")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "error: protect queue needs a capacity profile with an ingestion queue; give it "
        "with --capacity FILE"
    ]


def test_an_out_folder_that_cannot_be_written_is_a_usage_error(cli: RunCli, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    code, _, err = cli("protect", "queue", *EXAMPLES, "--out", str(blocker / "k8s"))
    assert code == 2
    assert err.startswith(f"error: cannot write to {blocker / 'k8s'}: ")
    assert len(err.splitlines()) == 1


def test_the_installed_command_writes_a_valid_scaled_object(
    run_installed: RunInstalled, tmp_path: Path
) -> None:
    done = run_installed("protect", "queue", *EXAMPLES, "--max-delay", "1m", "--out", str(tmp_path))
    assert (done.returncode, done.stderr) == (0, "")
    document = yaml.safe_load((tmp_path / "keda-scaledobject.yaml").read_text(encoding="utf-8"))
    assert list(VALIDATOR.iter_errors(document)) == []
