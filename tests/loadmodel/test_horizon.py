"""The estimate is bounded by construction: a horizon and a limit on the sample times.

The first tests reproduce what used to exhaust the machine (`campaign-guard estimate` as
a new process, under a CPU and a memory limit): each now ends quickly, with a note that
names the spec field and says what was left out. The others check the parts: the
horizon, the sampling grids from the finest to the coarsest, and the notes.
"""

from __future__ import annotations

import itertools
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from campaign_guard.loadmodel.engine import estimate
from campaign_guard.loadmodel.horizon import BEYOND, COARSE, HORIZON, LAST_MOMENT, horizon
from campaign_guard.loadmodel.report import to_json
from campaign_guard.loadmodel.timeline import (
    GRIDS,
    HOUR,
    MAX_SAMPLES,
    MIN_SAMPLES,
    OFFSETS,
    Window,
    sample_limit,
    sample_times,
)
from campaign_guard.loadmodel.words import period
from campaign_guard.spec.campaign import CampaignSpec
from tests.limits import run_limited
from tests.loadmodel.test_engine import T0, campaign, paid, profile, target

REPO = Path(__file__).resolve().parents[2]
PRODUCTION = REPO / "examples" / "capacity" / "production.yaml"


def spec_data(*traffic: dict[str, Any], **launch: str) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "name": "Hostile",
        "owner": "jane@example.com",
        "launch": {"timezone": "UTC", "start": "2027-12-07 09:00", **launch},
        "traffic": list(traffic),
        "landing_pages": ["https://www.example.com/winter"],
        "endpoints": ["POST /api/newsletter/preferences"],
        "new_data_fields": [],
    }


REPRODUCTIONS = {
    # 69 s and 8.9 GB: a send of 10^12 emails at 5,000 a minute takes 380 years.
    "list-1000b": spec_data({"channel": "email", "list_size": "1000b"}, duration="3d"),
    # Out of memory: a thousand years, sampled every hour.
    "duration-52000w": spec_data({"channel": "email", "list_size": "50k"}, duration="52000w"),
    # Out of memory: a push in the year 9999.
    "start-9999": spec_data(
        {"channel": "email", "list_size": "50k"},
        {"channel": "push", "recipients": 1000, "start": "9999-12-31 09:00"},
        end="9999-12-31 23:00",
    ),
}


@pytest.mark.parametrize("name", list(REPRODUCTIONS))
def test_the_specs_that_exhausted_the_machine_end_quickly(tmp_path: Path, name: str) -> None:
    # The spec refuses these figures now; whatever it says, the commands end within limits.
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(REPRODUCTIONS[name]), encoding="utf-8")
    args = ("spec.yaml", "--capacity", str(PRODUCTION))
    for command in (("estimate", *args, "--json"), ("submit", *args, "--dry-run")):
        run = run_limited(*command, cwd=tmp_path, cpu_seconds=5)
        assert run.code in {0, 1}, run.stderr[-2000:]
        assert not run.killed


# The same, past the spec's checks: the estimate is bounded by construction.


def launched(base: CampaignSpec, **changes: Any) -> CampaignSpec:
    """``base`` with its launch changed past validation (a year 9999, a thousand years)."""
    return base.model_copy(update={"launch": base.launch.model_copy(update=changes)})


def with_channel(base: CampaignSpec, **changes: Any) -> CampaignSpec:
    """``base`` with its first channel changed past validation."""
    first = base.traffic[0].model_copy(update=changes)
    return base.model_copy(update={"traffic": [first, *base.traffic[1:]]})


def utc(*fields: int) -> datetime:
    year, month, day, hour = fields
    return datetime(year, month, day, hour, tzinfo=timezone.utc)


@pytest.mark.parametrize("name", list(REPRODUCTIONS))
def test_the_reproductions_past_the_spec_cost_little(name: str) -> None:
    email = campaign("Hostile", {"channel": "email", "list_size": 50_000}, duration="3d")
    specs = {
        "list-1000b": with_channel(email, list_size=10**12),
        "duration-52000w": launched(email, duration=timedelta(weeks=52000)),
        "start-9999": launched(email, duration=None, end=utc(9999, 12, 31, 23)),
    }
    tracemalloc.start()
    started = time.process_time()
    result = estimate([specs[name]], profile())
    spent = time.process_time() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert spent < 2.0
    assert peak < 100 * 1024 * 1024
    assert [note.code for note in result.notes] == [BEYOND]
    assert len(result.times) < 366 * 24 + 100


# --- the horizon -------------------------------------------------------------------------


def test_a_campaign_past_the_horizon_is_followed_for_a_year_and_noted() -> None:
    spec = launched(campaign("Forever", paid(36_000)), duration=timedelta(weeks=52000))
    result = estimate([spec], profile())
    assert result.times[-1] <= T0 + HORIZON
    assert len(result.times) < 366 * 24 + 100  # hourly, and a few after the launch
    (note,) = result.notes
    assert (note.loc, note.code) == (("launch", "duration"), BEYOND)
    assert "runs until Tue 7 Oct 3023 09:00 UTC" in note.message
    assert "the estimate covers one year from the first launch, to " in note.message
    assert "Thu 2 Mar 2028 09:00 UTC" in note.message
    (left_out,) = result.uncounted
    assert left_out.what == "its traffic more than a year after the first launch"


def test_a_send_that_outlasts_the_horizon_is_noted_on_its_channel() -> None:
    email = campaign("Huge list", {"channel": "email", "list_size": 50_000}, duration="3d")
    result = estimate([with_channel(email, list_size=10**12)], None)
    (note,) = result.notes
    assert (note.loc, note.code) == (("traffic", 0), BEYOND)
    assert note.message.startswith("email: sending it would go on until ")
    assert "2407" in note.message  # 10^12 emails at 5,000 a minute: 380 years
    assert "give `send_over`" in note.message
    assert result.uncounted[0].what == "email"


def test_campaigns_a_year_apart_the_later_one_is_not_counted() -> None:
    early = campaign("Early", paid(36_000))
    late = campaign("Late", paid(36_000), start="2028-06-01 09:00")
    result = estimate([early, late], profile())
    assert [(n.campaign_id, n.loc) for n in result.notes] == [("late", ("launch", "duration"))]
    late_run = result.campaigns[1]
    assert late_run.visits["expected"] == pytest.approx(36_000)  # as the spec says
    assert all(t <= T0 + HORIZON for t in result.times)


def test_the_horizon_never_passes_the_last_time_python_can_show() -> None:
    spec = launched(
        campaign("Last", paid(36_000)),
        start=utc(9999, 12, 30, 9),
        duration=None,
        end=utc(9999, 12, 31, 20),
    )
    assert horizon([spec]) == LAST_MOMENT
    result = estimate([spec], None)
    assert result.times[-1] <= LAST_MOMENT
    assert [note.code for note in result.notes] == [BEYOND]
    assert "the estimate stops at Fri 31 Dec 9999 09:00 UTC" in result.notes[0].message


def test_a_campaign_after_the_last_time_python_can_show_is_shown() -> None:
    # 20:00 in New York on the last day of 9999 is in the year 10000 in UTC.
    new_york = ZoneInfo("America/New_York")
    spec = launched(
        campaign("After", paid(36_000)),
        timezone="America/New_York",
        start=datetime(9999, 12, 31, 20, tzinfo=new_york),
        duration=timedelta(hours=1),
    )
    result = estimate([spec], profile())
    (found,) = result.campaigns
    assert period(found.start, found.end, found.zone) == (
        "after the year 9999 → after the year 9999"
    )
    assert to_json(result, [])["campaigns"][0]["start"] == "+10000-01-01T01:00:00Z"
    assert "the estimate stops at Fri 31 Dec 9999 04:00 EST" in result.notes[0].message


def test_a_normal_campaign_has_no_horizon_note() -> None:
    spec = campaign("A year", paid(36_000), duration="365d")
    assert estimate([spec], profile()).notes == []


# --- the sample times ----------------------------------------------------------------------


def test_few_anchors_get_the_finest_grid() -> None:
    window = Window(T0 - 600, T0 + 2 * HOUR)
    times, fine = sample_times([T0 + 0.4], window)
    assert fine
    assert [t - T0 for t in times if T0 - 1 <= t < T0 + HOUR] == [-1, *OFFSETS[:-7]]


@pytest.mark.parametrize("count", [2_000, 20_000, 200_000])
def test_many_anchors_are_sampled_within_the_limit(count: int) -> None:
    # A spot every 7 s for up to 16 days: far more than OFFSETS after each would allow.
    anchors = [T0 + 7.0 * n for n in range(count)]
    window = Window(T0 - 600, anchors[-1] + 24 * HOUR)
    times, fine = sample_times(anchors, window, limit=5_000)
    assert len(times) <= 5_000
    assert not fine
    assert times == sorted(set(times))
    assert times[0] >= window.start
    assert times[-1] <= window.end


def test_a_long_window_and_a_small_limit_get_a_grid_of_several_hours() -> None:
    window = Window(T0, T0 + 366 * 24 * HOUR)
    times, fine = sample_times([T0 + 3600.0 * n for n in range(0, 8000, 3)], window, limit=2_000)
    assert not fine
    assert len(times) <= 2_000
    steps = {b - a for a, b in itertools.pairwise(times)}
    assert steps == {5 * HOUR}  # 8,786 hours in 2,000 samples: every 5 hours


def test_the_grids_go_from_fine_to_coarse() -> None:
    assert GRIDS[0].offsets == OFFSETS
    grains = [grid.grain for grid in GRIDS]
    sizes = [len(grid.offsets) for grid in GRIDS]
    assert grains == sorted(grains)
    assert sizes == sorted(sizes, reverse=True)


def test_the_limit_shrinks_with_the_targets_within_bounds() -> None:
    assert sample_limit(1) == MAX_SAMPLES
    assert sample_limit(0) == MAX_SAMPLES
    assert MIN_SAMPLES < sample_limit(300) < MAX_SAMPLES
    assert sample_limit(10**6) == MIN_SAMPLES


def test_too_many_spots_are_sampled_coarsely_and_noted() -> None:
    # 50 TV channels of 500 spots each, every spot at a minute of its own: 25,000.
    minute = 60.0
    start = datetime(2027, 3, 2, 9, 0, tzinfo=timezone.utc)
    channels = [
        {
            "channel": "tv_radio",
            "expected_visits": 50_000,
            "spots": [(start + timedelta(minutes=c * 500 + n)).isoformat() for n in range(500)],
        }
        for c in range(50)
    ]
    spec = campaign("Spots", *channels, duration="30d")
    result = estimate([spec], profile())
    assert len(result.times) <= MAX_SAMPLES
    assert min(b - a for a, b in zip(result.times, result.times[1:], strict=False)) >= minute
    assert [note.code for note in result.notes] == [COARSE]
    assert "may be higher than shown" in result.notes[0].message
    # Each spot still adds its visits: the web service sees the spots' responses.
    assert target(result, "service", "web").peak["expected"].value > 0
