"""The KEDA ScaledObject ``protect queue`` writes: valid against KEDA's own CRD schema,
and its cron pre-scale windows active exactly over the campaign's dates.

The CRD is vendored in ``tests/data/keda.sh_scaledobjects-v2.20.2.yaml`` (source URL and
version in its header). Kubernetes prunes fields a structural schema does not declare,
silently; this test is stricter and refuses them, so a misspelt field fails here.

KEDA's cron scaler (``pkg/scalers/cron_scaler.go`` at v2.20.2, ``GetMetricsAndActivity``)
is active when the next ``end`` comes before the next ``start`` (both from robfig/cron's
``Schedule.Next``: the first matching minute strictly after now). :func:`keda_active`
does the same for the five-field expressions written here.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from jsonschema import Draft7Validator  # type: ignore[import-untyped]

from campaign_guard.estimation import estimate_files
from campaign_guard.loadmodel.engine import estimate
from campaign_guard.protect.keda import scaled_object_text, supported
from campaign_guard.protect.queue_plan import QueuePlan, plan_queue
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.capacity import CapacityProfile
from campaign_guard.spec.load import load_model
from tests.conftest import REPO_ROOT

CRD = REPO_ROOT / "tests" / "data" / "keda.sh_scaledobjects-v2.20.2.yaml"
EXAMPLES = REPO_ROOT / "examples"
PROFILE = EXAMPLES / "capacity" / "production.yaml"
SPECS = sorted((EXAMPLES / "campaigns").glob("*.yaml"))


def _strict(schema: Any) -> Any:
    """``schema`` with every object that lists its properties closed to others."""
    if isinstance(schema, dict):
        out = {k: _strict(v) for k, v in schema.items()}
        if (
            "properties" in out
            and "additionalProperties" not in out
            and not out.get("x-kubernetes-preserve-unknown-fields")
        ):
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    return schema


def _validator() -> Draft7Validator:
    crd = yaml.safe_load(CRD.read_text(encoding="utf-8"))
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1alpha1")
    return Draft7Validator(_strict(version["schema"]["openAPIV3Schema"]))


VALIDATOR = _validator()


def _profile(**settings: Any) -> CapacityProfile:
    data = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    data["ingestion"].update(settings.pop("ingestion", {}))
    data["ingestion"]["settings"].update(settings)
    return CapacityProfile.model_validate(data)


def _plan(profile: CapacityProfile, specs: list[Path], max_delay: float = 60.0) -> QueuePlan:
    loaded = [load_model(path, CampaignSpec, str(path)).value for path in specs]
    campaigns = [spec for spec in loaded if spec is not None]
    return plan_queue(estimate(campaigns, profile), profile, max_delay)


def _errors(document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(document)]


def test_the_schema_check_refuses_what_keda_would_drop_or_refuse() -> None:
    good: dict[str, Any] = {
        "apiVersion": "keda.sh/v1alpha1",
        "kind": "ScaledObject",
        "metadata": {"name": "x"},
        "spec": {
            "scaleTargetRef": {"name": "w"},
            "triggers": [{"type": "cron", "metadata": {"start": "0 6 * * *"}}],
        },
    }
    assert _errors(good) == []
    misspelt = copy.deepcopy(good)
    misspelt["spec"]["maxReplicas"] = 10
    assert _errors(misspelt)
    not_text = copy.deepcopy(good)
    not_text["spec"]["triggers"][0]["metadata"]["desiredReplicas"] = 5  # must be a string
    assert _errors(not_text)


@pytest.mark.parametrize(
    ("queue", "trigger"),
    [("sqs", "aws-sqs-queue"), ("sqs-fifo", "aws-sqs-queue"), ("rabbitmq", "rabbitmq")],
)
def test_the_scaled_object_is_valid_against_kedas_crd(queue: str, trigger: str) -> None:
    profile = _profile(ingestion={"queue": queue}, prefetch=1)
    plan = _plan(profile, SPECS)
    document = yaml.safe_load(scaled_object_text(plan))
    assert _errors(document) == []
    spec = document["spec"]
    assert spec["minReplicaCount"] == plan.workers_now == 4
    assert spec["maxReplicaCount"] == 40  # the profile's max_workers
    queue_trigger = spec["triggers"][0]
    assert queue_trigger["type"] == trigger
    # 25 messages/s per worker × 60 s: 1,500 messages in front of each worker
    key = "queueLength" if trigger == "aws-sqs-queue" else "value"
    assert queue_trigger["metadata"][key] == "1500"
    crons = [t for t in spec["triggers"] if t["type"] == "cron"]
    assert len(crons) == len(plan.prescale) >= 1
    assert [t["metadata"]["desiredReplicas"] for t in crons] == [
        str(w.replicas) for w in plan.prescale
    ]


def _next(expression: str, after: datetime) -> datetime:
    """robfig/cron's ``Next`` for ``minute hour day month *``: the first match strictly
    after ``after``, in ``after``'s zone."""
    minute, hour, day, month, weekday = expression.split()
    assert weekday == "*"
    for year in range(after.year, after.year + 9):
        try:
            moment = after.replace(
                year=year,
                month=int(month),
                day=int(day),
                hour=int(hour),
                minute=int(minute),
                second=0,
                microsecond=0,
            )
        except ValueError:  # 29 February in a year without one
            continue
        if moment > after:
            return moment
    raise AssertionError(f"{expression} never fires")


def keda_active(metadata: dict[str, str], now: datetime) -> bool:
    """KEDA's cron activity at ``now`` (see the module docstring)."""
    local = now.astimezone(ZoneInfo(metadata["timezone"]))
    start, end = _next(metadata["start"], local), _next(metadata["end"], local)
    if start < end:
        return local > start and local < end  # never: start is in the future
    return local > start or local < end


def test_each_cron_window_is_active_over_its_campaign_dates_only() -> None:
    plan = _plan(_profile(), SPECS)
    text = scaled_object_text(plan)
    document = yaml.safe_load(text)
    crons = [t["metadata"] for t in document["spec"]["triggers"] if t["type"] == "cron"]
    assert crons
    minute = timedelta(minutes=1)
    for metadata, window in zip(crons, plan.prescale, strict=True):
        start = datetime.fromtimestamp(window.start, ZoneInfo("UTC"))
        end = datetime.fromtimestamp(window.end, ZoneInfo("UTC"))
        assert start.second == 0  # whole minutes: cron cannot say seconds
        assert not keda_active(metadata, start - minute)
        assert keda_active(metadata, start + minute)
        assert keda_active(metadata, start + (end - start) / 2)
        assert keda_active(metadata, end - minute)
        assert not keda_active(metadata, end + minute)
        assert not keda_active(metadata, start + timedelta(days=30))
        # KEDA's cron has no year: the same dates next year fire again, which is why
        # the YAML says to delete the trigger after the campaign
        zone = ZoneInfo(metadata["timezone"])
        next_year = start.astimezone(zone).replace(year=start.year + 1) + (end - start) / 2
        assert keda_active(metadata, next_year)
    assert text.count("Delete this trigger after") == len(crons)
    assert "ONE-OFF" in text


def test_the_prescale_starts_a_lead_time_before_the_busy_hour() -> None:
    plan = _plan(_profile(scale_up_lead_time="10m"), SPECS)
    busy = [row for row in plan.hours if row.workers > plan.workers_now]
    assert busy
    assert plan.prescale[0].start <= busy[0].start - 600
    assert plan.prescale[0].start > busy[0].start - 660


def test_no_scaled_object_for_a_queue_keda_is_not_written_for() -> None:
    assert supported("sqs")
    assert supported("rabbitmq")
    assert not supported("kafka")


def test_campaign_names_stay_inside_yaml_comments(tmp_path: Path) -> None:
    spec = tmp_path / "odd.yaml"
    text = (EXAMPLES / "campaigns" / "winter-newsletter.yaml").read_text(encoding="utf-8")
    spec.write_text(
        text.replace("name: Winter Newsletter 2027", 'name: "Odd # name: x\\u2028y"'),
        encoding="utf-8",
    )
    run = estimate_files([str(spec)], PROFILE)
    loaded = load_model(PROFILE, CapacityProfile, str(PROFILE))
    assert loaded.value is not None
    document = yaml.safe_load(scaled_object_text(plan_queue(run.estimate, loaded.value, 60.0)))
    assert _errors(document) == []
    assert document["metadata"] == {"name": "lead-workers"}
