"""Hypothesis strategies for campaign specs and capacity profiles that *look* valid.

They start from the models (every channel of :data:`CHANNEL_MODELS`, with every field of
:mod:`tests.channel_samples`) and push the figures across the whole range the files
accept (:mod:`campaign_guard.spec.bounds`): counts from 0 to a billion, budgets to 10^12,
rates from 0 to 100 %, durations from a second to a year, dates from 2000 to 2099, and
assumptions anywhere in their ranges (:mod:`campaign_guard.spec.assumptions`); capacity
figures from 10^-300 to 10^300. Each strategy yields the data of a file (``dict``),
which the tests write as YAML; drawings the models refuse are rejected, so what reaches
``estimate`` and ``submit`` is what ``lint`` lets through.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from hypothesis import assume
from hypothesis import strategies as st
from pydantic import ValidationError

from campaign_guard.defaults import DEFAULTS
from campaign_guard.spec.assumptions import accepted
from campaign_guard.spec.bounds import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_BUDGET,
    MAX_CAMPAIGN,
    MAX_DURATION,
    MAX_PEOPLE,
)
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.capacity import CapacityProfile
from campaign_guard.spec.channels import CHANNEL_MODELS
from tests.channel_samples import sample_channel

PRODUCTION = Path(__file__).resolve().parents[1] / "examples" / "capacity" / "production.yaml"

COUNTS = frozenset(
    {"list_size", "recipients", "viewers", "followers", "audience", "impressions"}
    | {"expected_visits", "tracked_links"}
)
RATES = frozenset({"open_rate", "click_rate", "response_rate", "engagement_rate"})
DURATIONS = frozenset({"send_over", "spot_length"})
FIRST, LAST = datetime(FIRST_YEAR, 1, 1), datetime(LAST_YEAR, 12, 31, 23, 0)
LONGEST_S = MAX_DURATION.total_seconds()
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}
ZONES = ("UTC", "America/New_York", "Europe/Paris", "Pacific/Kiritimati", "Pacific/Niue")


def magnitudes(most: int = 300, cap: int | None = None) -> st.SearchStrategy[int]:
    """Whole numbers from 0 to ``10**most`` (at most ``cap``), as likely small as huge."""
    top = 10**most if cap is None else cap
    return st.integers(0, most).flatmap(lambda digits: st.integers(0, min(10**digits, top)))


def people() -> st.SearchStrategy[int]:
    """A count of people, 0 to the most the spec accepts (:data:`MAX_PEOPLE`)."""
    return magnitudes(len(str(MAX_PEOPLE)), MAX_PEOPLE)


def sizes(least: int, most: int) -> st.SearchStrategy[int]:
    """How many: mostly a few (each example stays quick), now and then up to ``most``."""
    few = st.integers(least, min(most, least + 2))
    return st.one_of(few, few, few, st.integers(least, most))


def figures() -> st.SearchStrategy[float]:
    """A non-negative figure: 0, tiny, ordinary or huge."""
    return st.one_of(
        st.just(0.0),
        st.floats(0.0, 1.0),
        st.floats(1e-300, 1e-3),
        st.floats(1.0, 1e300),
        magnitudes().map(float),
    )


def positive() -> st.SearchStrategy[float]:
    """A figure above 0: tiny, ordinary or huge."""
    return st.one_of(
        st.floats(1e-300, 1.0, exclude_min=False),
        st.floats(1.0, 1e300),
        magnitudes().map(lambda n: float(n + 1)),
    )


def rates() -> st.SearchStrategy[Any]:
    """A share as a marketer writes it: ``0.031``, ``"3.1%"``, 0 or 100 %."""
    share = st.one_of(st.sampled_from([0.0, 1.0, 1e-9]), st.floats(0.0, 1.0))
    return st.one_of(share, share.map(lambda s: f"{round(s * 100, 4)}%"))


def durations(most_s: float) -> st.SearchStrategy[str]:
    """``"45m"``, ``"3d"``, ``"52000w"``…: from 1 s to ``most_s`` seconds (at least 1 s)."""
    most_s = max(1.0, most_s)
    return st.sampled_from(sorted(UNITS)).flatmap(
        lambda unit: st.integers(1, max(1, int(most_s // UNITS[unit]))).map(lambda n: f"{n}{unit}")
    )


def _moment(start: datetime, end: datetime) -> st.SearchStrategy[datetime]:
    """A minute in ``[start, end)``."""
    minutes = max(0, int((end - start).total_seconds() // 60) - 1)
    return st.integers(0, minutes).map(lambda m: start + timedelta(minutes=m))


def _written(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


@st.composite
def launches(draw: st.DrawFn) -> tuple[dict[str, Any], datetime, datetime]:
    """A ``launch`` section and its start and end (naive, in its zone)."""
    start = draw(
        st.one_of(
            st.datetimes(datetime(2027, 1, 1), datetime(2028, 12, 31)),
            st.datetimes(FIRST, LAST - timedelta(days=1)),
        ).map(lambda d: d.replace(second=0, microsecond=0))
    )
    room = min((LAST - start).total_seconds(), MAX_CAMPAIGN.total_seconds())
    length = draw(durations(room) if room > 60 else st.just("1m"))
    seconds = int(length[:-1]) * UNITS[length[-1]]
    end = start + timedelta(seconds=seconds)
    launch: dict[str, Any] = {"timezone": draw(st.sampled_from(ZONES)), "start": _written(start)}
    if draw(st.booleans()):
        launch["duration"] = length
    else:
        launch["end"] = _written(end)
    return launch, start, end


@st.composite
def channels(draw: st.DrawFn, start: datetime, end: datetime) -> dict[str, Any]:
    """One channel of any kind, every field set (as in the samples) or left out."""
    kind = draw(st.sampled_from(sorted(CHANNEL_MODELS)))
    sample = sample_channel(kind, with_visits=draw(st.booleans()))
    entry: dict[str, Any] = {"channel": kind}
    needed = {"expected_visits", *CHANNEL_MODELS[kind]._audience}
    for name, value in sample.items():
        if name == "channel" or (name not in needed and not draw(st.booleans())):
            continue
        if name in COUNTS:
            entry[name] = draw(people())
        elif name in RATES:
            entry[name] = draw(rates())
        elif name in DURATIONS:
            entry[name] = draw(durations(LONGEST_S))
        elif name == "start":
            entry[name] = _written(draw(_moment(start, end)))
        elif name == "spots":
            first = draw(_moment(start, end))
            gap = timedelta(minutes=draw(st.integers(1, 10**6)))
            count = min(draw(sizes(0, 500)), int((end - first) / gap) + 1)
            entry[name] = [_written(first + n * gap) for n in range(count)]
        elif name in {"budget", "cost_per_click"}:
            most = MAX_BUDGET if name == "budget" else MAX_PEOPLE
            entry[name] = draw(st.one_of(magnitudes(12, most).map(lambda n: n + 1), st.just(0.01)))
        else:
            entry[name] = value
    return entry


UNITS_OF = {default.key: default.unit for default in DEFAULTS}


def assumed(key: str) -> st.SearchStrategy[float]:
    """A figure for ``key`` anywhere in its accepted range, its ends included."""
    allowed = accepted(key, UNITS_OF[key])
    low = allowed.low * 1.000001 + 1e-9 if allowed.above_low else allowed.low
    return st.one_of(st.sampled_from([low, allowed.high]), st.floats(low, allowed.high))


@st.composite
def assumptions(draw: st.DrawFn) -> dict[str, Any]:
    """Defaults of the load model replaced by any accepted figure, or low/expected/high."""
    keys = draw(st.lists(st.sampled_from(sorted(UNITS_OF)), max_size=6, unique=True))
    given: dict[str, Any] = {}
    for key in keys:
        if draw(st.booleans()):
            given[key] = draw(assumed(key))
        else:
            values = sorted(draw(st.lists(assumed(key), min_size=3, max_size=3)))
            given[key] = dict(zip(("low", "expected", "high"), values, strict=True))
    return given


@st.composite
def campaign_specs(draw: st.DrawFn, name: str = "Fuzz") -> dict[str, Any]:
    """The data of a campaign spec that the model accepts."""
    launch, start, end = draw(launches())
    pages = draw(sizes(1, 50))
    data: dict[str, Any] = {
        "schema_version": 1,
        "name": name,
        "owner": "jane@example.com",
        "launch": launch,
        "traffic": draw(
            sizes(1, 50).flatmap(lambda n: st.lists(channels(start, end), min_size=n, max_size=n))
        ),
        "landing_pages": [f"https://www.example.com/p{n}" for n in range(pages)],
        "endpoints": draw(
            st.lists(
                st.sampled_from(["POST /api/signup", "GET /api/products/{n}", "POST /api/x/{n}"]),
                max_size=draw(sizes(0, 50)),
            ).map(lambda ends: [e.format(n=i) for i, e in enumerate(ends)])
        ),
        "new_data_fields": [],
        "assumptions": draw(st.one_of(st.just({}), assumptions())),
    }
    try:
        CampaignSpec.model_validate(data)
    except ValidationError:
        assume(False)
    return data


def _baseline(draw: st.DrawFn) -> Any:
    return draw(
        st.one_of(
            st.none(),
            magnitudes(12),
            st.lists(magnitudes(12), min_size=24, max_size=24).map(lambda h: {"weekday": h}),
        )
    )


@st.composite
def capacity_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """The example production profile with every figure redrawn (that the model accepts)."""
    data: dict[str, Any] = yaml.safe_load(PRODUCTION.read_text(encoding="utf-8"))
    for service in data["services"].values():
        service["requests_per_second_per_instance"] = draw(positive())
        service["instances"] = draw(magnitudes(12))
        service["max_instances"] = service["instances"] + draw(magnitudes(12)) + 1
        service["scale_up_lead_time"] = draw(durations(LONGEST_S))
        service["target_utilisation"] = draw(st.floats(1e-9, 1.0))
        baseline = _baseline(draw)
        if baseline is None:
            service.pop("baseline", None)
        else:
            service["baseline"] = baseline if isinstance(baseline, dict) else {"weekday": baseline}
    for store in data["data_stores"].values():
        store["writes_per_second"] = draw(positive())
    for route in data["routes"]:
        for key in ("requests_per_visit", "requests_per_submission", "writes_per_request"):
            if key in route:
                route[key] = draw(figures())
        if "conversion_rate" in route:
            route["conversion_rate"] = draw(rates())
    data["routes"].append(
        {"match": "POST /api/x/*", "service": "api", "requests_per_visit": draw(figures())}
    )
    data["cdn"] = draw(st.booleans())
    if draw(st.booleans()):
        data["ingestion"]["workers"] = draw(magnitudes(9)) + 1
        data["ingestion"]["per_worker_rate"] = draw(positive())
    else:
        del data["ingestion"]
    try:
        CapacityProfile.model_validate(data)
    except ValidationError:
        assume(False)
    return data
