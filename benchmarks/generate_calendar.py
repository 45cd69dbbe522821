"""Write a quarter's calendar of campaign specs, and a capacity profile that routes them all.

For the estimate benchmark (``bench_estimate.py``)::

    python benchmarks/generate_calendar.py benchmarks/out/calendar --count 500 --clean --check

writes ``OUT/specs/spec-0001.yaml`` ... and ``OUT/capacity.yaml``.

The specs come from ``generate_specs.render_spec`` (every channel type, the same ways of
writing counts, rates and times), then are moved onto a calendar: launches fall between
Monday 2027-01-04 and Wednesday 2027-03-31, on weekdays more than at weekends, more in the
week before Valentine's day, at the times marketers pick (09:00, 10:00, noon, the evening),
and about a third of them join the launch before them: same day, same time zone, within
half an hour (a sale announced in several channels or markets the same morning), so
campaigns overlap as they do in a real calendar. Every time in a spec (launch, end,
channel starts, TV spots) moves by the same amount of local time, so each spec keeps
its shape. TV channels get a ``response_rate`` (0.2-0.4 %, like
``examples/campaigns/spring-tv-launch.yaml``), which the estimator needs to count them.

The profile is ``examples/capacity/production.yaml`` plus routes for the hosts and
endpoints the generator uses that it does not route (``app.example.com``,
``promo.example.org``, search, stores, profile, cart edits, coupons), so no
``unknown-route`` note hides load. Output is deterministic for a given ``--seed``.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from generate_specs import _ENDPOINTS, _HOSTS, _PAGES, DEFAULT_SEED, render_spec

REPO = Path(__file__).resolve().parent.parent
BASE_PROFILE = REPO / "examples" / "capacity" / "production.yaml"
DEFAULT_COUNT = 500
QUARTER_START = datetime(2027, 1, 4)
"""Monday of the first week of the quarter (local time of each spec)."""
QUARTER_DAYS = 87
"""2027-01-04 to 2027-03-31 inclusive."""

_WEEKDAY_WEIGHT = (1.0, 1.3, 1.2, 1.3, 0.9, 0.35, 0.25)
"""Monday to Sunday: Tuesday and Thursday are the favourite send days."""
_BUSY_WEEKS = ((datetime(2027, 1, 4), 7, 1.3), (datetime(2027, 2, 7), 7, 1.6))
"""(first day, days, weight): January sales, the week before Valentine's day."""
_SLOTS = (
    ((7, 0), 1),
    ((8, 0), 2),
    ((9, 0), 4),
    ((9, 30), 2),
    ((10, 0), 4),
    ((11, 0), 2),
    ((12, 0), 3),
    ((14, 0), 2),
    ((16, 0), 1),
    ((18, 0), 3),
    ((19, 0), 2),
    ((20, 0), 3),
    ((21, 0), 1),
)
"""Local launch times and how often they are chosen."""
WAVE_SHARE = 0.33
"""Share of campaigns that launch with the one before them (same morning, same zone)."""

_STAMP = re.compile(r"\b(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:[+-]\d{2}:\d{2}|Z)")
_LAUNCH_START = re.compile(r"^  start: (\S+)$", re.MULTILINE)
_ZONE_LINE = re.compile(r"^  timezone: (\S+)$", re.MULTILINE)
_VIEWERS = re.compile(r"^(    viewers: .*)(\n    response_rate: .*)?$", re.MULTILINE)
"""A TV channel's audience, and the response rate ``render_spec`` may give it (replaced)."""

_EXTRA_ROUTES: tuple[dict[str, Any], ...] = (
    # Pages of the hosts production.yaml does not route.
    {"match": "https://app.example.com/*", "service": "web"},
    {"match": "https://promo.example.org/*", "service": "web"},
    # Endpoints called on every visit of a page that uses them.
    {"match": "GET /api/search", "service": "api", "requests_per_visit": 1},
    {"match": "GET /api/stores/nearby", "service": "api", "requests_per_visit": 1},
    # Endpoints called when a visitor submits a form.
    {
        "match": "PUT /api/profile",
        "service": "api",
        "requests_per_submission": 1,
        "conversion_rate": "5%",
        "data_store": "main-db",
        "writes_per_request": 1,
    },
    {
        "match": "PATCH /api/cart/items/{id}",
        "service": "checkout",
        "requests_per_submission": 1,
        "conversion_rate": "10%",
        "data_store": "main-db",
        "writes_per_request": 1,
    },
    {
        "match": "POST /api/coupons/redeem",
        "service": "checkout",
        "requests_per_submission": 2,
        "conversion_rate": "8%",
        "data_store": "main-db",
        "writes_per_request": 2,
    },
)
"""Routes added to production.yaml's, for what ``generate_specs`` uses and it lacks."""


@dataclass(frozen=True)
class Launch:
    """When a campaign of the calendar launches, in the local time of its zone."""

    local: datetime
    joins_previous: bool
    """Part of the previous launch's wave: it takes that spec's time zone too."""


@dataclass(frozen=True)
class Calendar:
    specs: list[Path]
    profile: Path


def _weighted_days() -> tuple[list[datetime], list[float]]:
    days = [QUARTER_START + timedelta(days=n) for n in range(QUARTER_DAYS)]
    weights = []
    for day in days:
        weight = _WEEKDAY_WEIGHT[day.weekday()]
        for first, length, factor in _BUSY_WEEKS:
            if first <= day < first + timedelta(days=length):
                weight *= factor
        weights.append(weight)
    return days, weights


def schedule(count: int, rng: random.Random) -> list[Launch]:
    """``count`` launches over the quarter; about :data:`WAVE_SHARE` join the previous one."""
    days, weights = _weighted_days()
    slots = [slot for slot, _ in _SLOTS]
    slot_weights = [weight for _, weight in _SLOTS]
    launches: list[Launch] = []
    for index in range(count):
        if index and rng.random() < WAVE_SHARE:
            minutes = rng.choice((0, 0, 15, 30))
            launches.append(Launch(launches[-1].local + timedelta(minutes=minutes), True))
            continue
        day = rng.choices(days, weights)[0]
        hour, minute = rng.choices(slots, slot_weights)[0]
        launches.append(Launch(day.replace(hour=hour, minute=minute), False))
    return launches


def retime(text: str, local: datetime, zone_name: str | None = None) -> tuple[str, str]:
    """``text`` with its launch moved to ``local`` (wall-clock time in ``zone_name``, or
    in the spec's own zone if ``None``) and every other time moved alike.

    Returns the new text and its time zone. Times stay RFC 3339 with the offset of the
    zone at that moment.
    """
    zone_match = _ZONE_LINE.search(text)
    start_match = _LAUNCH_START.search(text)
    if zone_match is None or start_match is None:  # pragma: no cover - generator changed
        raise ValueError("the generated spec has no launch timezone or start")
    zone_name = zone_name or zone_match.group(1)
    zone = ZoneInfo(zone_name)
    old_start = datetime.fromisoformat(start_match.group(1)).replace(tzinfo=None)
    shift = local - old_start

    def moved(match: re.Match[str]) -> str:
        when = datetime.fromisoformat(match.group(1)) + shift
        return when.replace(tzinfo=zone).isoformat(timespec="seconds")

    text = _ZONE_LINE.sub(f"  timezone: {zone_name}", text, count=1)
    return _STAMP.sub(moved, text), zone_name


def render_calendar_spec(
    index: int, rng: random.Random, local: datetime, zone: str | None = None
) -> tuple[str, str]:
    """Spec ``index`` of the calendar (text, zone): ``render_spec``'s, launched at ``local``
    (in ``zone``, default the spec's own), with a TV response rate."""
    text, zone = retime(render_spec(index, rng), local, zone)
    text = _VIEWERS.sub(
        lambda m: f"{m.group(1)}\n    response_rate: {rng.choice(('0.2%', '0.3%', '0.4%'))}",
        text,
    )
    return text, zone


def profile_text(base: Path = BASE_PROFILE) -> str:
    """``base`` (production.yaml) with :data:`_EXTRA_ROUTES` added (those it lacks)."""
    data = yaml.safe_load(base.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("routes"), list):
        raise ValueError(f"{base} is not a capacity profile with routes")
    known = {str(route["match"]) for route in data["routes"]}
    data["routes"] += [dict(route) for route in _EXTRA_ROUTES if route["match"] not in known]
    data["name"] = f"{data['name']}, calendar benchmark"
    header = (
        f"# Generated by benchmarks/generate_calendar.py from {base.name}, with routes for\n"
        "# every landing-page host and endpoint benchmarks/generate_specs.py uses.\n"
    )
    dumped = yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=200)
    return header + dumped


class _Dumper(yaml.SafeDumper):
    """Block style, except lists of plain values (the 24 hourly rates) on one line."""


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flat = all(not isinstance(item, dict | list) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat)


_Dumper.add_representer(list, _list)


def generate_calendar(
    root: Path, count: int = DEFAULT_COUNT, *, seed: int = DEFAULT_SEED, clean: bool = False
) -> Calendar:
    """Write ``count`` specs to ``root/specs`` and the profile to ``root/capacity.yaml``.

    Refuses a ``root/specs`` holding ``.yaml`` files unless ``clean`` (then deletes them).
    """
    folder = root / "specs"
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    if existing and not clean:
        raise FileExistsError(
            f"{folder} already holds {len(existing)} YAML files; use --clean or another folder"
        )
    for old in existing:
        old.unlink()
    spec_rng = random.Random(seed)  # seeded as generate_specs.generate seeds it
    launches = schedule(count, random.Random(f"calendar:{seed}"))
    width = max(4, len(str(count)))
    paths: list[Path] = []
    zones: list[str] = []
    for index, launch in enumerate(launches):
        # A wave member launches in the zone of the one before it, so they overlap.
        wave_zone = zones[-1] if launch.joins_previous else None
        text, zone = render_calendar_spec(index, spec_rng, launch.local, wave_zone)
        path = folder / f"spec-{index + 1:0{width}d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        zones.append(zone)
    profile = root / "capacity.yaml"
    profile.write_text(profile_text(), encoding="utf-8")
    return Calendar(paths, profile)


def check(calendar: Calendar) -> list[str]:
    """Problems with the written files: invalid specs or profile, unrouted pages/endpoints."""
    from campaign_guard.spec.capacity import CapacityProfile
    from campaign_guard.spec.load import load_model, load_spec

    problems: list[str] = []
    for path in calendar.specs:
        loaded = load_spec(path)
        problems += [f"{path.name}:{p.line}: {p.code}: {p.message}" for p in loaded.problems]
    profile = load_model(calendar.profile, CapacityProfile)
    problems += [f"{calendar.profile.name}:{p.line}: {p.message}" for p in profile.problems]
    if profile.value is not None:
        for host in _HOSTS:
            for page in _PAGES:
                url = f"https://{host}/{page}"
                if profile.value.route_for_page(url) is None:
                    problems.append(f"{calendar.profile.name}: no route for {url}")
        for endpoint in _ENDPOINTS:
            if profile.value.route_for_endpoint(endpoint) is None:
                problems.append(f"{calendar.profile.name}: no route for {endpoint}")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("root", type=Path, help="writes ROOT/specs/*.yaml and ROOT/capacity.yaml")
    parser.add_argument("--count", "-n", type=int, default=DEFAULT_COUNT, help="specs (500)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument(
        "--clean", action="store_true", help="delete ROOT/specs' existing .yaml files first"
    )
    parser.add_argument(
        "--check", action="store_true", help="then validate every file and the routes"
    )
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    try:
        calendar = generate_calendar(args.root, args.count, seed=args.seed, clean=args.clean)
    except FileExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(calendar.specs)} specs to {args.root / 'specs'} and {calendar.profile}")
    if args.check:
        problems = check(calendar)
        for problem in problems[:50]:
            print(problem, file=sys.stderr)
        if problems:
            print(f"error: {len(problems)} problems", file=sys.stderr)
            return 1
        print("all specs and the profile are valid; every page and endpoint has a route")
    return 0


if __name__ == "__main__":
    sys.exit(main())
