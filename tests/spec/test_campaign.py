"""The campaign spec model, through ``load_spec``: problems in plain words, at line:col."""

from __future__ import annotations

from datetime import timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.load import LoadedSpec, load_spec
from campaign_guard.spec.messages import MAX_PROBLEMS

# line 1..13; launch.start is on line 6, the first traffic entry starts on line 9.
MINIMAL = """\
schema_version: 1
name: Spring Sale 2027
owner: jane@example.com
launch:
  timezone: Europe/Paris
  start: 2027-03-02 09:00
  duration: 7d
traffic:
  - channel: email
    list_size: 50k
landing_pages:
  - https://www.example.com/spring
new_data_fields: []
"""

NO_ZONE = (
    "this time has no time zone; add `timezone: America/New_York` (your zone) to launch, "
    "or write the offset, like 2027-03-02T09:00-05:00"
)
ENDPOINT_WORDS = (
    "write an API endpoint as METHOD /path, like 'POST /api/signup' "
    "(method one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)"
)

Row = tuple[int, int, str, str, str]


def load_text(tmp_path: Path, text: str) -> LoadedSpec:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return load_spec(path, "spec.yaml")


def problems(tmp_path: Path, text: str) -> list[Row]:
    """``(line, column, code, field, message)`` of every problem ``text`` has."""
    loaded = load_text(tmp_path, text)
    assert loaded.value is None
    return [(p.line, p.column, p.code, p.field, p.message) for p in loaded.problems]


def edit(old: str, new: str) -> str:
    """MINIMAL with ``old`` (which must occur once) replaced by ``new``."""
    assert MINIMAL.count(old) == 1
    return MINIMAL.replace(old, new)


def valid(tmp_path: Path, text: str) -> CampaignSpec:
    loaded = load_text(tmp_path, text)
    assert loaded.problems == []
    assert loaded.value is not None
    assert loaded.path == "spec.yaml"
    return loaded.value


def test_minimal_spec_validates(tmp_path: Path) -> None:
    spec = valid(tmp_path, MINIMAL)
    assert spec.name == "Spring Sale 2027"
    assert spec.campaign_id == "spring-sale-2027"
    assert spec.traffic[0].channel == "email"
    assert spec.traffic[0].list_size == 50_000
    assert spec.landing_pages == ["https://www.example.com/spring"]
    assert spec.endpoints == []
    assert spec.new_data_fields == []


# --- launch ------------------------------------------------------------------------


def test_timezone_name_gives_the_times_their_zone(tmp_path: Path) -> None:
    launch = valid(tmp_path, MINIMAL).launch
    assert launch.start.tzinfo == ZoneInfo("Europe/Paris")
    assert launch.start.utcoffset() == timedelta(hours=1)  # CET in March before DST
    assert launch.zone == ZoneInfo("Europe/Paris")
    assert launch.ends == launch.start + timedelta(days=7)


def test_offset_without_timezone_is_enough(tmp_path: Path) -> None:
    text = edit(
        "  timezone: Europe/Paris\n  start: 2027-03-02 09:00", "  start: 2027-03-02T09:00-05:00"
    )
    launch = valid(tmp_path, text).launch
    assert launch.start.utcoffset() == timedelta(hours=-5)
    assert launch.zone == timezone(timedelta(hours=-5))


def test_launch_without_timezone(tmp_path: Path) -> None:
    text = edit("  timezone: Europe/Paris\n", "")
    assert problems(tmp_path, text) == [(5, 10, "timezone", "launch.start", NO_ZONE)]


def test_end_without_timezone_is_reported_at_end(tmp_path: Path) -> None:
    text = edit(
        "  timezone: Europe/Paris\n  start: 2027-03-02 09:00\n  duration: 7d",
        "  start: 2027-03-02T09:00+01:00\n  end: 2027-03-09 09:00",
    )
    assert problems(tmp_path, text) == [(6, 8, "timezone", "launch.end", NO_ZONE)]


@pytest.mark.parametrize(
    ("zone", "hint"),
    [
        # Only the zone is reported, not also a misleading "this time has no time zone"
        # at launch.start (the failed zone is missing from info.data there).
        ("Europe/Pariss", "use a name like America/New_York or Europe/Paris"),
        ("PST", "write America/Los_Angeles (it follows daylight saving time)"),
    ],
)
def test_unknown_timezone(tmp_path: Path, zone: str, hint: str) -> None:
    text = edit("Europe/Paris", zone)
    message = f"unknown time zone '{zone}'; {hint}"
    assert problems(tmp_path, text) == [(5, 13, "timezone", "launch.timezone", message)]


def midnight(day: str) -> str:
    return (
        f"has a date but no time, which would mean midnight; write the time too, like "
        f"{day} 09:00 (or {day} 00:00 if you do mean midnight)"
    )


@pytest.mark.parametrize(
    ("old", "new", "row"),
    [
        pytest.param(
            "  start: 2027-03-02 09:00",
            "  start: 2027-03-02",
            (6, 10, "missing-time", "launch.start", midnight("2027-03-02")),
            id="launch-start",
        ),
        pytest.param(
            "  duration: 7d",
            "  end: 2027-03-09",
            (7, 8, "missing-time", "launch.end", midnight("2027-03-09")),
            id="launch-end",
        ),
        pytest.param(
            "    list_size: 50k\n",
            "    list_size: 50k\n    start: 2027-03-03\n",
            (11, 12, "missing-time", "traffic[0].start", midnight("2027-03-03")),
            id="channel-start",
        ),
        pytest.param(
            "  - channel: email\n    list_size: 50k\n",
            "  - channel: tv_radio\n    viewers: 1M\n    spots: [2027-03-03 20:00, 2027-03-04]\n",
            (11, 31, "missing-time", "traffic[0].spots[1]", midnight("2027-03-04")),
            id="tv-spot",
        ),
    ],
)
def test_a_date_without_a_time_is_not_read_as_midnight(
    tmp_path: Path, old: str, new: str, row: Row
) -> None:
    assert problems(tmp_path, edit(old, new)) == [row]


def test_midnight_written_out_is_midnight(tmp_path: Path) -> None:
    launch = valid(tmp_path, edit("  start: 2027-03-02 09:00", "  start: 2027-03-02 00:00")).launch
    assert (launch.start.hour, launch.start.minute) == (0, 0)


OUTSIDE = "; check the date and the year"


@pytest.mark.parametrize(
    ("old", "new", "row"),
    [
        pytest.param(
            "    list_size: 50k\n",
            "    list_size: 50k\n    start: 2026-03-03 09:00\n",
            (
                11,
                12,
                "invalid-value",
                "traffic[0].start",
                "is Tue 3 Mar 2026 09:00 CET, before the launch (Tue 2 Mar 2027 09:00 CET)"
                + OUTSIDE,
            ),
            id="a-year-early",
        ),
        pytest.param(
            "    list_size: 50k\n",
            "    list_size: 50k\n    start: 2027-03-09 09:00\n",
            (
                11,
                12,
                "invalid-value",
                "traffic[0].start",
                "is Tue 9 Mar 2027 09:00 CET, when the campaign is over (Tue 9 Mar 2027 "
                "09:00 CET)" + OUTSIDE,
            ),
            id="at-the-end",
        ),
        pytest.param(
            "  - channel: email\n    list_size: 50k\n",
            "  - channel: tv_radio\n    viewers: 1M\n"
            "    spots: [2027-03-03 20:00, 2028-03-04 20:00]\n",
            (
                11,
                31,
                "invalid-value",
                "traffic[0].spots[1]",
                "is Sat 4 Mar 2028 20:00 CET, when the campaign is over (Tue 9 Mar 2027 "
                "09:00 CET)" + OUTSIDE,
            ),
            id="tv-spot-a-year-late",
        ),
    ],
)
def test_a_channel_outside_the_campaign_is_an_error(
    tmp_path: Path, old: str, new: str, row: Row
) -> None:
    assert problems(tmp_path, edit(old, new)) == [row]


@pytest.mark.parametrize(
    "start", ["2027-03-02 09:00", "2027-03-09 08:59", "2027-03-02T03:00-05:00"]
)
def test_a_channel_within_the_campaign_is_fine(tmp_path: Path, start: str) -> None:
    spec = valid(
        tmp_path, edit("    list_size: 50k\n", f"    list_size: 50k\n    start: {start}\n")
    )
    assert spec.traffic[0].start is not None


@pytest.mark.parametrize(
    ("lines", "row"),
    [
        pytest.param(
            "  duration: 7d\n  end: 2027-03-09 09:00\n",
            (5, 3, "invalid-value", "launch", "give either `end` or `duration`, not both"),
            id="both",
        ),
        pytest.param(
            "",
            (5, 3, "missing-field", "launch", "give either `end` or `duration`"),
            id="neither",
        ),
        pytest.param(
            "  end: 2027-03-02 08:00\n",
            (5, 3, "invalid-value", "launch", "`end` must be after `start`"),
            id="end-before-start",
        ),
        pytest.param(
            "  end: 2027-03-02 09:00\n",
            (5, 3, "invalid-value", "launch", "`end` must be after `start`"),
            id="end-equals-start",
        ),
        pytest.param(
            "  duration: 0m\n",
            (7, 13, "invalid-value", "launch.duration", "must be longer than zero"),
            id="zero-duration",
        ),
    ],
)
def test_launch_end(tmp_path: Path, lines: str, row: Row) -> None:
    # Problems about the launch as a whole point at the launch section (line 5, col 3).
    assert problems(tmp_path, edit("  duration: 7d\n", lines)) == [row]


def test_end_instead_of_duration(tmp_path: Path) -> None:
    launch = valid(tmp_path, edit("  duration: 7d", "  end: 2027-03-04 18:00")).launch
    assert launch.ends - launch.start == timedelta(days=2, hours=9)


# --- targets ---------------------------------------------------------------------


def test_no_landing_page_and_no_endpoint(tmp_path: Path) -> None:
    text = edit("landing_pages:\n  - https://www.example.com/spring\n", "")
    assert problems(tmp_path, text) == [
        (
            1,
            1,
            "missing-field",
            "",
            "give at least one of `landing_pages` or `endpoints`, so DevOps knows which "
            "part of the site the campaign hits",
        )
    ]


def test_endpoints_alone_are_enough(tmp_path: Path) -> None:
    text = edit(
        "landing_pages:\n  - https://www.example.com/spring\n",
        "endpoints:\n  - post /api/signup\n",
    )
    assert valid(tmp_path, text).endpoints == ["POST /api/signup"]


# --- traffic ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "wanted"),
    [
        ("email", "`list_size` or `expected_visits`"),
        ("sms", "`recipients` or `expected_visits`"),
        ("push", "`recipients` or `expected_visits`"),
        ("paid_social", "`budget` or `impressions` or `expected_visits`"),
        ("paid_search", "`budget` or `impressions` or `expected_visits`"),
        ("display", "`budget` or `impressions` or `expected_visits`"),
        ("tv_radio", "`viewers` or `expected_visits`"),
        ("influencer", "`followers` or `expected_visits`"),
        ("organic_pr", "`expected_visits`"),
        ("partner_affiliate", "`audience` or `expected_visits`"),
    ],
)
def test_channel_needs_its_audience(tmp_path: Path, channel: str, wanted: str) -> None:
    entry = "  - channel: email\n    list_size: 50k"
    loaded = load_text(tmp_path, edit(entry, f"  - channel: {channel}\n    label: Spot"))
    assert loaded.value is None
    [problem] = loaded.problems
    # The field is not asserted: today it is "traffic[0].<channel>" (pydantic's union tag
    # kept as if it were a field name) where "traffic[0]" is meant. Reported separately.
    assert (problem.line, problem.column, problem.code, problem.message) == (
        9,
        5,
        "missing-field",
        f"this {channel} entry needs {wanted}",
    )

    with_visits = edit(entry, f"  - channel: {channel}\n    expected_visits: 12k")
    assert valid(tmp_path, with_visits).traffic[0].expected_visits == 12_000


def test_unknown_channel_suggests_the_closest(tmp_path: Path) -> None:
    text = edit("channel: email", "channel: emial")
    assert problems(tmp_path, text) == [
        (
            9,
            14,
            "unknown-channel",
            "traffic[0].channel",
            "unknown channel 'emial' (did you mean 'email'?)",
        )
    ]


def test_unknown_channel_far_from_any_lists_them(tmp_path: Path) -> None:
    text = edit("channel: email", "channel: carrier_pigeon")
    assert problems(tmp_path, text) == [
        (
            9,
            14,
            "unknown-channel",
            "traffic[0].channel",
            "unknown channel 'carrier_pigeon' (channels: email, sms, push, paid_social, "
            "paid_search, display, tv_radio, influencer, organic_pr, partner_affiliate)",
        )
    ]


# --- fields ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "row"),
    [
        pytest.param(
            "owner: jane@example.com\n",
            "owner: jane@example.com\npromocode: SPRING27\n",
            (
                4,
                1,
                "unknown-field",
                "promocode",
                "unknown field 'promocode' (did you mean 'promo_code'?)",
            ),
            id="top-level",
        ),
        pytest.param(
            "    list_size: 50k\n",
            "    list_size: 50k\n    open_rte: 3%\n",
            (
                11,
                5,
                "unknown-field",
                "traffic[0].open_rte",
                "unknown field 'open_rte' (did you mean 'open_rate'?)",
            ),
            id="nested",
        ),
        pytest.param(
            "owner: jane@example.com\n",
            "owner: jane@example.com\nmood: sunny\n",
            (4, 1, "unknown-field", "mood", "unknown field 'mood'"),
            id="no-close-match",
        ),
    ],
)
def test_unknown_field(tmp_path: Path, old: str, new: str, row: Row) -> None:
    assert problems(tmp_path, edit(old, new)) == [row]


def test_missing_field(tmp_path: Path) -> None:
    text = edit("owner: jane@example.com\n", "")
    assert problems(tmp_path, text) == [(1, 1, "missing-field", "owner", "is required")]


@pytest.mark.parametrize(
    ("old", "new", "row"),
    [
        (
            "  timezone: Europe/Paris",
            "  timezone: \u201cEurope/Paris\u201d",
            (
                5,
                13,
                "lookalike-character",
                "launch.timezone",
                'contains a curly quote (\u201c, U+201C); use straight quotes (") instead',
            ),
        ),
        (
            "    list_size: 50k",
            "    list\u200b_size: 50k",
            (
                10,
                5,
                "lookalike-character",
                "traffic[0].list\u200b_size",
                "contains a zero-width space (U+200B), which cannot be seen; delete it",
            ),
        ),
        (
            "    list_size: 50k",
            "    list_size: 50\u202f000",
            (
                10,
                16,
                "lookalike-character",
                "traffic[0].list_size",
                "contains a narrow no-break space (U+202F), which only looks like a space; "
                "type a space instead",
            ),
        ),
    ],
)
def test_lookalike_character_in_a_value_or_key(
    tmp_path: Path, old: str, new: str, row: Row
) -> None:
    assert problems(tmp_path, edit(old, new)) == [row]


def test_a_lookalike_character_is_not_blamed_for_a_value_too_long(tmp_path: Path) -> None:
    long_name = "Spring\u00a0Sale " + "x" * 120
    rows = problems(tmp_path, edit("name: Spring Sale 2027", f"name: {long_name}"))
    assert [(code, message) for _, _, code, _, message in rows] == [
        ("invalid-value", "is too long (at most 120 characters)")
    ]


def test_missing_new_data_fields_says_that_an_empty_list_will_do(tmp_path: Path) -> None:
    text = edit("new_data_fields: []\n", "")
    message = "is required; write `new_data_fields: []` if the campaign collects no new data"
    assert problems(tmp_path, text) == [(1, 1, "missing-field", "new_data_fields", message)]


def test_schema_version_2(tmp_path: Path) -> None:
    text = edit("schema_version: 1", "schema_version: 2")
    assert problems(tmp_path, text) == [
        (
            1,
            17,
            "invalid-value",
            "schema_version",
            "must be 1 (the spec format this version of campaign-guard reads)",
        )
    ]


def test_personal_data_must_be_a_real_boolean(tmp_path: Path) -> None:
    text = edit("new_data_fields: []", "new_data_fields:\n  - name: phone\n    personal_data: yes")
    assert problems(tmp_path, text) == [
        (15, 20, "invalid-value", "new_data_fields[0].personal_data", "must be true or false")
    ]


def test_problems_are_capped(tmp_path: Path) -> None:
    bad = "".join(f"  - FETCH /api/x{i}\n" for i in range(30))
    rows = problems(tmp_path, MINIMAL + "endpoints:\n" + bad)
    assert len(rows) == MAX_PROBLEMS + 1 == 21
    assert rows[:MAX_PROBLEMS] == [
        (15 + i, 5, "endpoint-format", f"endpoints[{i}]", ENDPOINT_WORDS)
        for i in range(MAX_PROBLEMS)
    ]
    assert rows[-1] == (
        0,
        0,
        "too-many-problems",
        "",
        "10 more problems not shown; fix the ones above first",
    )


# --- everything at once ------------------------------------------------------------

EVERY_CHANNEL = """\
schema_version: 1
name: Everything Everywhere 2027
id: everything-2027
owner: jane@example.com
team: Growth
promo_code: ALL27
launch:
  timezone: America/New_York
  start: 2027-06-01 09:00
  end: 2027-06-15 21:00
traffic:
  - channel: email
    list_size: 50,000
    open_rate: 22%
    click_rate: 3%
    send_over: 30m
    tracked_links: 6
    images_from_origin: false
  - channel: sms
    recipients: 150k
    click_rate: 0.09
  - channel: push
    recipients: 1.2M
    open_rate: 6%
    start: 2027-06-01 12:00
  - channel: paid_social
    budget: 40k
    currency: USD
    cost_per_click: 0.85
  - channel: paid_search
    impressions: 2M
    click_rate: 2%
  - channel: display
    budget: 10000
    currency: EUR
  - channel: tv_radio
    viewers: 3.5M
    spot_length: 30s
    spots:
      - 2027-06-01 19:42
      - 2027-06-02T21:15-04:00
  - channel: influencer
    followers: 800k
    engagement_rate: 1.5%
  - channel: organic_pr
    expected_visits: 20k
  - channel: partner_affiliate
    audience: 300k
    click_rate: 1%
    landing_page: https://www.example.com/partners
landing_pages:
  - https://www.example.com/summer
  - https://www.example.com/partners
endpoints:
  - POST /api/signup
  - get /api/products/{id}
new_data_fields:
  - name: phone_number
    personal_data: true
    purpose: order updates by SMS
    privacy_review: PRIV-482
links:
  - title: Brief
    url: https://docs.example.com/brief
notes: |
  Two lines
  of notes.
jira_key: OPS-123
"""


def test_spec_with_every_channel_validates(tmp_path: Path) -> None:
    spec = valid(tmp_path, EVERY_CHANNEL)
    assert [entry.channel for entry in spec.traffic] == [
        "email",
        "sms",
        "push",
        "paid_social",
        "paid_search",
        "display",
        "tv_radio",
        "influencer",
        "organic_pr",
        "partner_affiliate",
    ]
    assert spec.campaign_id == "everything-2027"
    assert spec.endpoints == ["POST /api/signup", "GET /api/products/{id}"]
    assert spec.notes == "Two lines\nof notes."  # LongText strips the final newline
