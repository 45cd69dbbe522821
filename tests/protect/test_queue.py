"""``protect queue``'s sizing and checks, against cases worked out by hand."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from campaign_guard.errors import UsageError
from campaign_guard.loadmodel.queueing import wait_quantile
from campaign_guard.protect.queue import HourWorkers, hourly, size, workers_for, worst_delay
from campaign_guard.protect.queue_checks import check_settings, lasting
from campaign_guard.protect.queue_files import max_delay_seconds, plan_files
from campaign_guard.protect.queue_plan import PreScale, plan_queue, prescale_windows
from campaign_guard.spec.queue_settings import QueueSettings
from tests.conftest import REPO_ROOT

TINY = 1e-9
STEP = ([0.0, TINY, 300.0, 300.0 + TINY, 4000.0], [0.0, 50.0, 50.0, 0.0, 0.0])
"""50 leads/s for 5 minutes."""
EXAMPLES = REPO_ROOT / "examples"
PROFILE = EXAMPLES / "capacity" / "production.yaml"


def test_fifty_a_second_for_five_minutes_against_twenty() -> None:
    # 4 workers × 5/s = 20/s. Backlog (50 − 20) × 300 = 9,000; the last lead of the burst
    # waits 9,000 / 20 = 450 s; the backlog is gone 450 s after its peak (at 750 s).
    sized = size(*STEP, workers=4, per_worker=5.0, max_delay=300.0)
    assert sized.peak_backlog == pytest.approx(9000)
    assert sized.backlog_at == pytest.approx(300.0)
    assert sized.worst_delay == pytest.approx(450)
    assert sized.drain_time == pytest.approx(450)
    assert sized.cleared_at == pytest.approx(750)
    assert sized.keep_up == 10  # 50 / 5
    # 5 workers (25/s): backlog 25 × 300 = 7,500, cleared in 7,500 / 25 = 300 s: fits.
    # 4 would leave 450 s, so 5 is the fewest.
    assert sized.needed == 5
    assert worst_delay(*STEP, 5, 5.0) == pytest.approx(300)
    assert worst_delay(*STEP, 4, 5.0) > 300


def test_a_pool_that_keeps_up_is_judged_by_its_erlang_wait() -> None:
    times, rates = [0.0, 3600.0], [15.0, 15.0]
    sized = size(times, rates, workers=4, per_worker=5.0, max_delay=60.0)
    assert sized.peak_backlog == 0
    assert sized.drain_time == 0
    assert sized.cleared_at is None
    assert sized.worst_delay == pytest.approx(wait_quantile(15.0, 4, 5.0))
    assert sized.needed == 4  # its 99th-percentile wait is under a second


def test_a_tight_delay_needs_more_workers_than_keep_up() -> None:
    # 15/s, 5/s each: 3 workers would be exactly saturated; 4 wait ~0.6 s at the 99th
    # percentile, more than 0.5 s; 5 wait ~0.1 s.
    times, rates = [0.0, 3600.0], [15.0, 15.0]
    assert workers_for(times, rates, 5.0, 0.5) == 5
    assert worst_delay(times, rates, 4, 5.0) > 0.5 >= worst_delay(times, rates, 5, 5.0)


def test_the_hours_carry_the_backlog_and_never_go_below_todays_workers() -> None:
    # An hour at 50/s, then nothing; workers of 1/s, 20 today, 5 minutes at most.
    # Hour 1: c workers leave (50 − c) × 3,600 waiting, the last waiting that over c:
    #   (50 − c) × 3,600 / c ≤ 300  ⇔  c ≥ 180,000 / 3,900 = 46.2  → 47 workers,
    #   leaving 3 × 3,600 = 10,800 leads for the next hour.
    # Hour 2: 10,800 / c ≤ 300  → 36 workers, and the queue is empty: the plan ends.
    times = [0.0, TINY, 3600.0 - TINY, 3600.0, 10_800.0]
    rates = [0.0, 50.0, 50.0, 0.0, 0.0]
    rows = hourly(times, rates, 1.0, 300.0, floor=20)
    assert [(row.start, row.end, row.workers) for row in rows] == [
        (0.0, 3600.0, 47),
        (3600.0, 7200.0, 36),
    ]


def _stepped_delay(
    times: list[float], rates: list[float], rows: list[Any], per_worker: float
) -> float:
    """The worst delay when the workers follow ``rows``, by a 1-second Euler walk of the
    backlog (independent of the fluid code under test)."""
    worst, backlog, t = 0.0, 0.0, times[0]
    while t < rows[-1].end:
        workers = next(r.workers for r in rows if r.start <= t < r.end) if t >= rows[0].start else 0
        rate = _rate_at(times, rates, t + 0.5)
        capacity = workers * per_worker
        backlog = max(0.0, backlog + (rate - capacity))
        if backlog > 0:
            worst = max(worst, backlog / capacity)
        t += 1.0
    return worst


def _rate_at(times: list[float], rates: list[float], t: float) -> float:
    for i in range(1, len(times)):
        if times[i - 1] <= t <= times[i]:
            span = times[i] - times[i - 1]
            return rates[i - 1] + (rates[i] - rates[i - 1]) * (t - times[i - 1]) / span
    return 0.0


def test_a_backlog_left_at_the_end_of_an_hour_is_sized_in_the_next() -> None:
    # 30 minutes at 40/s from 00:40, 10 workers of 1/s today, 10 minutes at most: the
    # 00:00-01:00 hour ends with leads waiting, and 01:00-02:00 must drain them in time.
    times = [0.0, 2400.0, 2400.0 + TINY, 4200.0, 4200.0 + TINY, 9000.0]
    rates = [0.0, 0.0, 40.0, 40.0, 0.0, 0.0]
    rows = hourly(times, rates, 1.0, 600.0, floor=10)
    assert rows[0].start == 0.0
    assert len(rows) >= 2
    assert rows[0].end == rows[1].start == 3600.0
    assert all(row.workers >= 10 for row in rows)
    # the plan keeps its promise, checked by an independent walk (1 s steps)
    assert _stepped_delay(times, rates, rows, 1.0) <= 600.0 + 2.0
    # and is not wasteful: one worker fewer in the busiest hour breaks it
    busiest = max(range(len(rows)), key=lambda i: rows[i].workers)
    fewer = [*rows]
    fewer[busiest] = HourWorkers(
        rows[busiest].start, rows[busiest].end, 0.0, rows[busiest].workers - 1
    )
    assert _stepped_delay(times, rates, fewer, 1.0) > 600.0 - 2.0


def test_zero_workers_is_a_finding_not_a_division_by_zero(tmp_path: Path) -> None:
    sized = size(*STEP, workers=0, per_worker=5.0, max_delay=300.0)
    assert sized.worst_delay == math.inf
    assert sized.drain_time == math.inf
    assert sized.cleared_at is None
    assert hourly(*STEP, per_worker=0.0, max_delay=300.0, floor=0) == []
    assert size(*STEP, workers=3, per_worker=0.0, max_delay=300.0).needed == 0


def test_a_backlog_no_pool_can_clear_stops_the_plan_after_fourteen_days() -> None:
    # a million workers of a millionth of a message per second drain 1 message/s; a day
    # at 10^6/s leaves more than 14 days could drain: the plan stops there, not never
    times = [0.0, TINY, 86400.0, 86400.0 + TINY]
    rates = [0.0, 1e6, 1e6, 0.0]
    rows = hourly(times, rates, 1e-12, 60.0, floor=1)
    assert rows[-1].end <= 86400.0 + 14 * 86400.0 + 3600.0


def test_prescale_windows_start_a_lead_time_early_and_merge_when_they_touch() -> None:
    rows = [
        HourWorkers(0.0, 3600.0, 10.0, 4),
        HourWorkers(3600.0, 7200.0, 90.0, 9),
        HourWorkers(7200.0, 10800.0, 50.0, 6),
        HourWorkers(10800.0, 14400.0, 5.0, 4),
        HourWorkers(14400.0, 18000.0, 80.0, 8),
    ]
    windows = prescale_windows(rows, floor=4, lead=150.0)
    # 03:00 − 2.5 min, floored to the minute: 00:57:00.
    assert windows == [PreScale(3600.0 - 180.0, 10800.0, 9), PreScale(14400.0 - 180.0, 18000.0, 8)]


def _settings(**given: Any) -> QueueSettings:
    return QueueSettings.model_validate(given)


def _codes(kind: str, settings: QueueSettings | None, **numbers: Any) -> list[str]:
    figures: dict[str, Any] = {
        "per_worker": 25.0,
        "peak_rate": 100.0,
        "workers": 10,
        "drain_time": 60.0,
    }
    figures.update(numbers)
    return [f.code for f in check_settings(kind, settings, **figures)]


def test_sqs_checks_pass_with_sound_settings() -> None:
    sound = _settings(max_receive_count=5, retention="4d", visibility_timeout="3m")
    assert _codes("sqs", sound) == []


def test_sqs_in_flight_limit() -> None:
    # 13,000 workers × 10 messages = 130,000 in flight, over about 120,000.
    assert "sqs-in-flight" in _codes("sqs", _settings(batch_size=10), workers=13_000)
    assert "sqs-in-flight" not in _codes("sqs", _settings(batch_size=10), workers=11_000)


@pytest.mark.parametrize(
    ("batch", "peak", "fails"), [(1, 301.0, True), (1, 300.0, False), (10, 3001.0, True)]
)
def test_fifo_throughput_per_api_action(batch: int, peak: float, fails: bool) -> None:
    codes = _codes("sqs-fifo", _settings(batch_size=batch), peak_rate=peak)
    assert ("sqs-fifo-throughput" in codes) is fails
    high = _codes(
        "sqs-fifo", _settings(batch_size=batch, high_throughput_fifo=True), peak_rate=peak
    )
    assert "sqs-fifo-throughput" not in high


def test_retention_must_outlast_the_drain() -> None:
    assert "sqs-retention" in _codes("sqs", _settings(retention="1h"), drain_time=3601.0)
    assert "sqs-retention" not in _codes("sqs", _settings(retention="1h"), drain_time=3599.0)
    # the default 4 days applies when none is given
    assert "sqs-retention" in _codes("sqs", None, drain_time=5 * 86400.0)


def test_lambda_visibility_is_six_times_the_function_timeout() -> None:
    lam = {"lambda": True, "consumer_timeout": "30s", "max_receive_count": 5}
    assert "sqs-visibility" in _codes("sqs", _settings(**lam, visibility_timeout="179s"))
    assert "sqs-visibility" not in _codes("sqs", _settings(**lam, visibility_timeout="3m"))
    # the SQS default of 30 s is too short for a 30 s function
    finding = check_settings(
        "sqs",
        _settings(**lam),
        per_worker=25.0,
        peak_rate=1.0,
        workers=1,
        drain_time=0.0,
    )
    assert [f.message for f in finding if f.code == "sqs-visibility"] == [
        "the visibility timeout (30s) is too short for the Lambda function's timeout (30s): "
        "a message still being worked on comes back and is processed twice; make it at "
        "least 3m (6 × 30s)"
    ]


def test_dead_letter_redrive_of_five_or_more() -> None:
    assert "sqs-redrive" in _codes("sqs", _settings(max_receive_count=4))
    assert "sqs-redrive" in _codes("sqs", _settings())
    assert "sqs-redrive" not in _codes("sqs", _settings(max_receive_count=5))


def test_rabbitmq_prefetch_and_one_core_per_queue() -> None:
    assert _codes("rabbitmq", _settings()) == ["rabbitmq-prefetch"]
    assert _codes("rabbitmq", _settings(prefetch=100)) == []
    # slow messages (2 s each) behind a prefetch of 10
    assert _codes("rabbitmq", _settings(prefetch=10), per_worker=0.5) == ["rabbitmq-prefetch"]
    assert _codes("rabbitmq", _settings(prefetch=1), per_worker=0.5) == []
    assert _codes("rabbitmq", _settings(prefetch=100), peak_rate=20_000.0) == ["rabbitmq-one-core"]


def test_celery_long_tasks_and_eta_against_the_visibility_timeout() -> None:
    slow = {"celery": True, "prefetch": 4, "max_receive_count": 5}
    assert "celery-prefetch" in _codes("sqs", _settings(**slow), per_worker=0.2)
    fixed = {**slow, "prefetch": 1, "acks_late": True}
    assert "celery-prefetch" not in _codes("sqs", _settings(**fixed), per_worker=0.2)
    # an ETA of 2 hours on Redis (default visibility 1 hour) comes back again and again
    assert _codes("redis", _settings(celery=True, longest_eta="2h")) == ["celery-eta"]
    assert _codes("redis", _settings(celery=True, longest_eta="2h", visibility_timeout="3h")) == []


def test_lasting_reads_like_a_person() -> None:
    assert [lasting(s) for s in (0, 0.01, 0.34, 45, 450, 3600, 90061, math.inf)] == [
        "0s",
        "0.1s",
        "0.3s",
        "45s",
        "7m 30s",
        "1h",
        "1d 1h 1m 1s",
        "never",
    ]


@pytest.mark.parametrize(("text", "seconds"), [(None, 300.0), ("90s", 90.0), ("1h", 3600.0)])
def test_max_delay(text: str | None, seconds: float) -> None:
    assert max_delay_seconds(text) == seconds


@pytest.mark.parametrize("text", ["0s", "soon", "15d", "-5m"])
def test_a_bad_max_delay_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="--max-delay must be a duration"):
        max_delay_seconds(text)


@pytest.mark.parametrize("spec", sorted((EXAMPLES / "campaigns").glob("*.yaml")), ids=str)
def test_every_example_campaign_is_sized(spec: Path) -> None:
    from campaign_guard.estimation import estimate_files

    run = estimate_files([str(spec)], PROFILE)
    plan = plan_queue(run.estimate, run_profile(), 60.0)
    high, expected = plan.sizing["high"], plan.sizing["expected"]
    assert high.peak_rate >= expected.peak_rate > 0
    assert all(row.workers >= plan.workers_now for row in plan.hours)
    # the sizing keeps its promise: with the workers needed all along, no lead waits
    # more than a minute; with one fewer, some lead does
    queue = next(t for t in run.estimate.targets if t.kind == "queue")
    times, rates = run.estimate.times, queue.series["high"]
    assert worst_delay(times, rates, high.needed, plan.per_worker) <= 60.0
    if high.needed > 1:
        assert worst_delay(times, rates, high.needed - 1, plan.per_worker) > 60.0
    for window in plan.prescale:
        assert window.replicas > plan.workers_now
        assert window.end > window.start


def test_a_profile_without_an_ingestion_queue_says_so(tmp_path: Path) -> None:
    text = PROFILE.read_text(encoding="utf-8")
    profile = tmp_path / "no-queue.yaml"
    profile.write_text(text[: text.index("\ningestion:")] + "\n", encoding="utf-8")
    spec = EXAMPLES / "campaigns" / "winter-newsletter.yaml"
    with pytest.raises(UsageError, match="has no ingestion queue to size"):
        plan_files([str(spec)], profile, 300.0)


def test_the_estimate_and_protect_queue_share_one_queue_model() -> None:
    from campaign_guard.estimation import estimate_files

    files = [str(p) for p in sorted((EXAMPLES / "campaigns").glob("*.yaml"))]
    run = estimate_files(files, PROFILE)
    plan = plan_queue(run.estimate, run_profile(), 300.0)
    queue = next(t for t in run.estimate.targets if t.kind == "queue")
    assert queue.verdict is not None
    for scenario in ("expected", "high"):
        verdict = queue.verdict[scenario]
        sized = plan.sizing[scenario]
        assert verdict.backlog == pytest.approx(sized.peak_backlog)
        assert verdict.instances_needed == sized.keep_up


def run_profile() -> Any:
    from campaign_guard.spec.capacity import CapacityProfile
    from campaign_guard.spec.load import load_model

    loaded = load_model(PROFILE, CapacityProfile, str(PROFILE))
    assert loaded.value is not None
    return loaded.value
