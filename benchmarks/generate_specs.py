"""Write N valid, varied campaign specs (about 30 lines each) for the lint benchmark.

The specs are modelled on ``examples/campaigns/*.yaml``: every channel type, counts
written as ``1.2M``/``150k``/``40,000``/plain numbers, rates as ``6%`` or ``0.031``,
``end`` or ``duration``, data fields with and without personal data, optional
links and notes. Launches fall in 2027 (after 2027-01-18, so they are neither past
nor short on lead time as of the benchmark's ``--as-of 2027-01-04T09:00Z``), and
the output is deterministic for a given ``--seed``.

By default every time is written in RFC 3339 with its UTC offset
(``2027-03-02T09:00:00-05:00``), so the same files are also clean for the peers the
benchmark compares against: ``check-jsonschema`` with ``schema/campaign-spec.schema.json``
(whose ``format: date-time`` wants an offset) and ``yamllint`` with its default
config (``---`` document start, lines of at most 80 characters). ``--local-times``
writes times the way the examples do (``2027-03-02 09:00``, zone from
``launch.timezone``); campaign-guard accepts both, check-jsonschema only the first.

Run::

    python benchmarks/generate_specs.py OUT_DIR [--count 1000] [--seed 2027] [--check]

``--check`` runs ``campaign-guard lint --strict`` (from this interpreter's venv) on the
folder afterwards and fails unless every file is clean.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from campaign_guard.spec.channels import CHANNELS

AS_OF = "2027-01-04T09:00Z"
"""The moment the specs are checked against (a Monday); launches are well after it."""
DEFAULT_SEED = 2027
MAX_LINE = 80
"""yamllint's default ``line-length``."""

_THEMES = (
    "Spring",
    "Summer",
    "Autumn",
    "Winter",
    "Back to School",
    "Black Friday",
    "Cyber Monday",
    "Valentine's",
    "Mother's Day",
    "Singles Day",
    "New Year",
    "Easter",
    "Midsummer",
    "Holiday",
    "Anniversary",
    "Clearance",
)
_EVENTS = (
    "Sale",
    "Flash Sale",
    "Newsletter",
    "Product Launch",
    "Giveaway",
    "Loyalty Drive",
    "App Promo",
    "Webinar",
    "Pop-up Store",
    "Referral Push",
    "Bundle Offer",
    "Preorder",
)
_FIRST = ("sam", "maria", "jane", "li", "omar", "akira", "chloe", "diego", "fatima", "noah")
_LAST = ("lee", "garcia", "doe", "wang", "haddad", "sato", "martin", "lopez", "khan", "smith")
_TEAMS = ("Growth", "Brand", "Lifecycle Marketing", "Performance", "CRM", "Partnerships")
_ZONES = (
    "Europe/Paris",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Tokyo",
    "Asia/Singapore",
    "Australia/Sydney",
)
_HOSTS = ("www.example.com", "shop.example.com", "app.example.com", "promo.example.org")
_PAGES = ("sale", "flash", "new", "winter", "quiz", "offers", "bundle", "signup", "launch")
_ENDPOINTS = (
    "GET /api/products/featured",
    "GET /api/products/{id}",
    "GET /api/search",
    "POST /api/cart/items",
    "POST /api/checkout",
    "POST /api/signup",
    "POST /api/quiz/answers",
    "POST /api/newsletter/preferences",
    "PUT /api/profile",
    "PATCH /api/cart/items/{id}",
    "GET /api/stores/nearby",
    "POST /api/coupons/redeem",
)
_DATA_FIELDS = (
    ("phone_number", True, "send the order status by SMS"),
    ("email", True, "send the quiz result"),
    ("birthday", True, "send a birthday coupon"),
    ("postal_code", True, "show the nearest store"),
    ("preferred_store", False, "suggest pick-up in store"),
    ("quiz_answers", False, "recommend a product"),
    ("shoe_size", False, "filter the catalogue"),
    ("favourite_colour", False, None),
)
_COMMENTS = (
    "A flash sale announced by push and SMS: the sending platforms set the pace.",
    "A product launch with paid media; traffic peaks minutes after each spot.",
    "A newsletter blast plus a reminder push to app users who opted in.",
    "Always-on partner traffic, with a press push on launch day.",
    "Influencer posts in the first week, then paid search keeps it going.",
)
_DURATIONS = {
    "90m": timedelta(minutes=90),
    "6h": timedelta(hours=6),
    "36h": timedelta(hours=36),
    "2d": timedelta(days=2),
    "3d": timedelta(days=3),
    "1 week": timedelta(weeks=1),
    "2 weeks": timedelta(weeks=2),
    "10d": timedelta(days=10),
}
_FIRST_LAUNCH = datetime(2027, 1, 18)
_LAUNCH_DAYS = 330
"""Launch days span 2027-01-18 to mid-December 2027."""


class _Writer:
    """Formats the times of one spec, in its zone, as RFC 3339 or as local times."""

    def __init__(self, zone: str, local_times: bool) -> None:
        self.zone = ZoneInfo(zone)
        self.local_times = local_times

    def when(self, moment: datetime) -> str:
        if self.local_times:
            return moment.strftime("%Y-%m-%d %H:%M")
        return moment.replace(tzinfo=self.zone).isoformat(timespec="seconds")


def _count(rng: random.Random, low: int, high: int) -> str:
    """A count as a marketer writes it: 1.2M, 150k, 40,000 or 40000."""
    value = rng.randint(low, high)
    style = rng.randrange(4)
    millions = f"{value / 1_000_000:.1f}"
    # Only mantissas that are whole once scaled: campaign-guard computes 4.1M as
    # float("4.1") * 1e6 = 4099999.9999999995 and rejects it as a count.
    if style == 0 and value >= 1_000_000 and (float(millions) * 1_000_000).is_integer():
        return f"{millions}M"
    if style == 1 and value >= 1_000:
        return f"{value // 1_000}k"
    if style == 2:
        return f'"{value:,}"'
    return str(value)


def _rate(rng: random.Random, low: float, high: float) -> str:
    value = rng.uniform(low, high)
    return f"{value * 100:.1f}%" if rng.random() < 0.6 else f"{value:.3f}"


def _channel(
    rng: random.Random,
    kind: str,
    window: tuple[datetime, datetime],
    write: _Writer,
    pages: list[str],
) -> list[str]:
    start, ends = window
    lines = [f"  - channel: {kind}"]
    if rng.random() < 0.4:
        lines.append(f"    label: {kind.replace('_', ' ').capitalize()}, wave {rng.randint(1, 9)}")
    if kind != "tv_radio" and rng.random() < 0.25:
        later = start + timedelta(hours=rng.randint(1, 5), minutes=rng.choice((0, 30)))
        if later < ends:  # a channel starts during the campaign (lint checks it)
            lines.append(f"    start: {write.when(later)}")
    if rng.random() < 0.15:
        lines.append(f"    landing_page: {rng.choice(pages)}")
    return lines + _audience(rng, kind, window, write)


def _audience(
    rng: random.Random, kind: str, window: tuple[datetime, datetime], write: _Writer
) -> list[str]:
    """The channel's own fields: the figure that sizes it, rates, timing."""
    lines: list[str] = []
    if kind == "email":
        lines.append(f"    list_size: {_count(rng, 5_000, 2_000_000)}")
        lines.append(f"    click_rate: {_rate(rng, 0.01, 0.06)}  # last campaigns' average")
        lines.append(f"    send_over: {rng.choice(('10m', '20m', '45m', '2h'))}")
        if rng.random() < 0.5:
            lines.append(f"    tracked_links: {rng.randint(1, 12)}")
            lines.append(f"    images_from_origin: {rng.choice(('true', 'false'))}")
    elif kind in ("sms", "push"):
        lines.append(f"    recipients: {_count(rng, 10_000, 3_000_000)}")
        rate = "click_rate" if kind == "sms" else "open_rate"
        lines.append(f"    {rate}: {_rate(rng, 0.02, 0.12)}")
        lines.append(f"    send_over: {rng.choice(('5m', '10m', '15m', '30m'))}")
    elif kind in ("paid_social", "paid_search", "display"):
        if rng.random() < 0.7:
            lines.append(f"    budget: {_count(rng, 2_000, 250_000)}")
            lines.append(f"    currency: {rng.choice(('USD', 'EUR', 'GBP', 'JPY'))}")
            lines.append(f"    cost_per_click: {rng.uniform(0.2, 2.5):.2f}")
        else:
            lines.append(f"    impressions: {_count(rng, 100_000, 20_000_000)}")
            lines.append(f"    click_rate: {_rate(rng, 0.002, 0.02)}")
    elif kind == "tv_radio":
        lines.append(f"    viewers: {_count(rng, 200_000, 8_000_000)}")
        lines.append(f"    response_rate: {_rate(rng, 0.001, 0.005)}")
        lines.append(f"    spot_length: {rng.choice(('15s', '20s', '30s', '45s'))}")
        lines.append("    spots:")
        start, ends = window
        minutes = min(72 * 60, int((ends - start).total_seconds() // 60) - 1)
        for _ in range(rng.randint(1, 3)):  # every spot airs during the campaign
            spot = start + timedelta(minutes=rng.randint(0, minutes))
            lines.append(f"      - {write.when(spot)}")
    elif kind == "influencer":
        lines.append(f"    followers: {_count(rng, 20_000, 5_000_000)}")
        lines.append(f"    engagement_rate: {_rate(rng, 0.005, 0.04)}")
    elif kind == "organic_pr":
        lines.append(f"    expected_visits: {_count(rng, 1_000, 300_000)}")
    else:  # partner_affiliate
        lines.append(f"    audience: {_count(rng, 10_000, 1_500_000)}")
        lines.append(f"    click_rate: {_rate(rng, 0.005, 0.05)}")
    return lines


def _data_fields(rng: random.Random, count: int) -> list[str]:
    """The ``new_data_fields`` section (after a blank line) with ``count`` entries."""
    if count == 0:
        return ["", "new_data_fields: []"]
    lines = ["", "new_data_fields:"]
    for field, personal, purpose in rng.sample(_DATA_FIELDS, count):
        lines.append(f"  - name: {field}")
        lines.append(f"    personal_data: {'true' if personal else 'false'}")
        if purpose is not None:
            lines.append(f"    purpose: {purpose}")
        if personal:  # without a review, lint warns (privacy-review)
            lines.append(f"    privacy_review: PRIV-{rng.randint(100, 999)}")
    return lines


def render_spec(index: int, rng: random.Random, *, local_times: bool = False) -> str:
    """The text of spec number ``index`` (0-based); its name and id are unique."""
    number = index + 1
    theme, event = rng.choice(_THEMES), rng.choice(_EVENTS)
    name = f"{theme} {event} {number:04d}"
    slug = "".join(c if c.isalnum() else "-" for c in f"{theme} {event}".lower())
    slug = "-".join(part for part in slug.split("-") if part)
    zone = rng.choice(_ZONES)
    write = _Writer(zone, local_times)
    start = _FIRST_LAUNCH + timedelta(
        days=rng.randrange(_LAUNCH_DAYS), hours=rng.randint(6, 20), minutes=rng.choice((0, 30))
    )
    pages = [
        f"https://{rng.choice(_HOSTS)}/{page}" for page in rng.sample(_PAGES, rng.randint(1, 2))
    ]

    lines = [
        "# yaml-language-server: $schema=../../schema/campaign-spec.schema.json",
        f"# {rng.choice(_COMMENTS)}",
        "---",
        "schema_version: 1",
        f'name: "{name}"' if "'" in name or rng.random() < 0.2 else f"name: {name}",
    ]
    if rng.random() < 0.5:
        lines.append(f"id: {slug}-2027-{number:04d}")
    lines.append(f"owner: {rng.choice(_FIRST)}.{rng.choice(_LAST)}@example.com")
    if rng.random() < 0.8:
        lines.append(f"team: {rng.choice(_TEAMS)}")
    if rng.random() < 0.6:
        lines.append(f"promo_code: {theme[:4].upper().replace(' ', '')}{rng.randint(10, 60)}")

    lines += ["", "launch:", f"  timezone: {zone}", f"  start: {write.when(start)}"]
    if rng.random() < 0.5:
        ends = start + timedelta(hours=rng.randint(2, 240))
        lines.append(f"  end: {write.when(ends)}")
    else:
        duration = rng.choice(tuple(_DURATIONS))
        ends = start + _DURATIONS[duration]
        lines.append(f"  duration: {duration}")

    # Targets and data fields first, so the channels can fill the room left for ~30 lines.
    targets = ["", "landing_pages:", *(f"  - {page}" for page in pages), "endpoints:"]
    targets += [f"  - {endpoint}" for endpoint in rng.sample(_ENDPOINTS, rng.randint(1, 2))]
    fields = _data_fields(rng, rng.choice((0, 0, 1, 1, 1, 2)))
    target = rng.randint(26, 33)

    lines += ["", "traffic:"]
    for number_in_list, kind in enumerate(rng.sample(CHANNELS, 3)):
        if number_in_list and len(lines) + len(targets) + len(fields) >= target:
            break
        lines += _channel(rng, kind, (start, ends), write, pages)
    lines += targets
    lines += fields

    # Pad towards the target with the optional sections the examples use.
    if len(lines) < target - 2:
        lines += [
            "",
            "links:",
            "  - title: Creative brief",
            f"    url: https://docs.example.com/briefs/{slug}-{number:04d}",
        ]
    if len(lines) < target - 1 or rng.random() < 0.1:
        lines += [
            "notes: |",
            "  Same template as the last campaign of this kind. The landing page",
            f"  is cached; the {rng.choice(_ENDPOINTS)} calls are not.",
        ]
    text = "\n".join(lines) + "\n"
    too_long = [line for line in lines if len(line) > MAX_LINE]
    if too_long:  # pragma: no cover - a bug in the tables above
        raise AssertionError(f"line over {MAX_LINE} characters: {too_long[0]!r}")
    return text


def generate(
    folder: Path,
    count: int,
    *,
    seed: int = DEFAULT_SEED,
    local_times: bool = False,
    clean: bool = False,
) -> list[Path]:
    """Write ``count`` specs into ``folder`` (created if needed); return their paths.

    Refuses a folder that already holds ``.yaml`` files unless ``clean`` is true, in
    which case those files are deleted first (a folder benchmark must see only these).
    """
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    if existing:
        if not clean:
            raise FileExistsError(
                f"{folder} already holds {len(existing)} YAML files; use --clean or another folder"
            )
        for old in existing:
            old.unlink()
    rng = random.Random(seed)
    paths: list[Path] = []
    width = max(4, len(str(count)))
    for index in range(count):
        path = folder / f"spec-{index + 1:0{width}d}.yaml"
        path.write_text(render_spec(index, rng, local_times=local_times), encoding="utf-8")
        paths.append(path)
    return paths


def check_clean(folder: Path) -> subprocess.CompletedProcess[str]:
    """``campaign-guard lint --strict`` on ``folder``, with this venv's campaign-guard."""
    exe = shutil.which("campaign-guard", path=str(Path(sys.executable).parent))
    if exe is None:
        raise FileNotFoundError(
            f"campaign-guard is not installed in {Path(sys.executable).parent}; "
            "run `pip install -e .` first"
        )
    return subprocess.run(
        [exe, "lint", str(folder), "--strict", "--as-of", AS_OF, "--format", "text"],
        capture_output=True,
        text=True,
        check=False,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("folder", type=Path, help="where to write the specs")
    parser.add_argument("--count", "-n", type=int, default=1000, help="how many (default 1000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument(
        "--local-times",
        action="store_true",
        help="write times as 2027-03-02 09:00 (not RFC 3339; check-jsonschema rejects them)",
    )
    parser.add_argument(
        "--clean", action="store_true", help="delete the folder's existing .yaml files first"
    )
    parser.add_argument(
        "--check", action="store_true", help="then run campaign-guard lint --strict on them"
    )
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    try:
        paths = generate(
            args.folder, args.count, seed=args.seed, local_times=args.local_times, clean=args.clean
        )
    except FileExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    lines = [p.read_text(encoding="utf-8").count("\n") for p in paths]
    print(
        f"wrote {len(paths)} specs to {args.folder} "
        f"({min(lines)}-{max(lines)} lines, mean {sum(lines) / len(lines):.1f})"
    )
    if args.check:
        result = check_clean(args.folder)
        if result.returncode != 0:
            print(result.stdout + result.stderr, file=sys.stderr)
            print("error: the generated specs do not lint clean", file=sys.stderr)
            return 1
        print(result.stderr.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
