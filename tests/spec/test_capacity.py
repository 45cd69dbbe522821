"""The capacity profile: its model, route matching, baselines, and how lint treats it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from campaign_guard.lint.findings import Finding, Level
from campaign_guard.lint.policy import LintPolicy
from campaign_guard.lint.runner import lint_files
from campaign_guard.spec.capacity import KIND, Baseline, CapacityProfile
from campaign_guard.spec.documents import PROFILE_KIND
from campaign_guard.spec.load import Loaded, load_model, load_spec
from campaign_guard.spec.routes import DEFAULT_CONVERSION_RATE, REQUESTS_PER_VISIT_NO_CDN, Route
from tests.conftest import RunCli

HOURS = "[" + ", ".join(str(hour) for hour in range(24)) + "]"
"""``[0, 1, ..., 23]``: a baseline list, one number per hour."""

# Line numbers matter: the tests below point at them.
VALID = """\
schema_version: 1
kind: capacity-profile
name: Production (EU)
timezone: Europe/Paris
cdn: true
services:
  web:
    requests_per_second_per_instance: 120
    instances: 4
    max_instances: 12
    scale_up_lead_time: 10m
    target_utilisation: 70%
    baseline:
      weekday: HOURS
      weekend: 20
  api:
    requests_per_second_per_instance: 1.2k
    instances: 0
    max_instances: 10
data_stores:
  main-db:
    writes_per_second: 800
    baseline: {weekday: 40}
routes:
  - match: https://www.example.com/winter*
    service: web
    requests_per_visit: 3
  - match: POST /api/signup
    service: api
    requests_per_submission: 1
    data_store: main-db
    writes_per_request: 3
  - match: GET /api/products/*
    service: api
    requests_per_visit: 2
  - match: https://www.example.com/*
    service: web
ingestion:
  queue: sqs
  workers: 4
  per_worker_rate: 20
  routes: [POST /api/signup]
""".replace("HOURS", HOURS)

AS_OF = datetime(2027, 1, 4, 9, 0, tzinfo=timezone.utc)
Row = tuple[int, int, str, str, str]


def load_text(tmp_path: Path, text: str) -> Loaded[CapacityProfile]:
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    return load_model(path, CapacityProfile, "profile.yaml")


def valid(tmp_path: Path, text: str = VALID) -> CapacityProfile:
    loaded = load_text(tmp_path, text)
    assert loaded.problems == []
    assert loaded.value is not None
    return loaded.value


def problems(tmp_path: Path, text: str) -> list[Row]:
    """``(line, column, code, field, message)`` of every problem ``text`` has."""
    loaded = load_text(tmp_path, text)
    assert loaded.value is None
    return [(p.line, p.column, p.code, p.field, p.message) for p in loaded.problems]


def edit(old: str, new: str) -> str:
    """VALID with ``old`` (which must occur once) replaced by ``new``."""
    assert VALID.count(old) == 1, old
    return VALID.replace(old, new)


# --- a valid profile ------------------------------------------------------------------


def test_a_valid_profile_loads_with_its_defaults(tmp_path: Path) -> None:
    profile = valid(tmp_path)
    assert profile.name == "Production (EU)"
    assert profile.cdn is True
    assert str(profile.zone) == "Europe/Paris"
    web, api = profile.services["web"], profile.services["api"]
    assert web.scale_up_lead_time == timedelta(minutes=10)
    assert web.target_utilisation == pytest.approx(0.7)
    assert (web.capacity_now, web.capacity_max) == (480, 1440)
    assert api.scale_up_lead_time == timedelta(minutes=5)
    assert api.target_utilisation == pytest.approx(0.7)
    assert (api.capacity_now, api.capacity_max) == (0, 12_000)
    assert profile.data_stores["main-db"].writes_per_second == 800
    signup = profile.routes[1]
    assert signup.conversion_rate == DEFAULT_CONVERSION_RATE == 0.123
    assert (signup.on_submission, signup.is_page) == (True, False)
    assert profile.routes[0].writes_per_request == 0
    assert profile.ingestion is not None
    assert profile.ingestion.capacity == 80
    assert profile.ingestion.covers("post /api/signup")
    assert not profile.ingestion.covers("GET /api/products/featured")


def test_endpoint_patterns_are_written_with_an_upper_case_method(tmp_path: Path) -> None:
    profile = valid(tmp_path, edit("match: POST /api/signup", "match: post   /api/signup"))
    assert profile.routes[1].match == "POST /api/signup"


def test_effective_requests_per_visit(tmp_path: Path) -> None:
    profile = valid(tmp_path)
    winter, signup, products, catch_all = profile.routes
    assert winter.effective_requests_per_visit(cdn=True) == 3
    assert catch_all.effective_requests_per_visit(cdn=True) == 1
    assert catch_all.effective_requests_per_visit(cdn=False) == REQUESTS_PER_VISIT_NO_CDN == 74
    assert products.effective_requests_per_visit(cdn=False) == 2
    assert signup.effective_requests_per_visit(cdn=True) == 0  # called on submission


# --- the rules, at line:col -----------------------------------------------------------


def test_unknown_service_and_store_say_which_exist(tmp_path: Path) -> None:
    text = edit(
        "    service: web\n    requests_per_visit: 3",
        "    service: webb\n    requests_per_visit: 3",
    )
    text = text.replace("data_store: main-db", "data_store: cache")
    assert problems(tmp_path, text) == [
        (
            26,
            14,
            "unknown-reference",
            "routes[0].service",
            "unknown service 'webb' (did you mean 'web'? services: api, web)",
        ),
        (
            31,
            17,
            "unknown-reference",
            "routes[1].data_store",
            "unknown data store 'cache' (data_stores: main-db)",
        ),
    ]


def test_a_store_named_without_data_stores(tmp_path: Path) -> None:
    text = edit(
        "data_stores:\n  main-db:\n    writes_per_second: 800\n    baseline: {weekday: 40}\n", ""
    )
    assert problems(tmp_path, text) == [
        (
            27,
            17,
            "unknown-reference",
            "routes[1].data_store",
            "unknown data store 'main-db'; the profile has no data_stores",
        )
    ]


def test_a_page_route_has_no_submission_fields(tmp_path: Path) -> None:
    text = edit(
        "    requests_per_visit: 3\n",
        "    requests_per_submission: 1\n    conversion_rate: 5%\n",
    )
    words = "; form submissions reach an endpoint route (METHOD /path)"
    assert problems(tmp_path, text) == [
        (
            27,
            30,
            "invalid-value",
            "routes[0].requests_per_submission",
            "a page route cannot have `requests_per_submission`" + words,
        ),
        (
            28,
            22,
            "invalid-value",
            "routes[0].conversion_rate",
            "a page route cannot have `conversion_rate`" + words,
        ),
    ]


def test_an_endpoint_route_is_called_per_visit_or_per_submission(tmp_path: Path) -> None:
    both = edit(
        "    requests_per_visit: 2\n", "    requests_per_visit: 2\n    requests_per_submission: 1\n"
    )
    assert problems(tmp_path, both) == [
        (
            36,
            30,
            "invalid-value",
            "routes[2].requests_per_submission",
            "give `requests_per_visit` (called on every visit) or `requests_per_submission` "
            "(called when a visitor submits the form), not both",
        )
    ]
    neither = edit("    requests_per_visit: 2\n", "")
    assert problems(tmp_path, neither) == [
        (
            33,
            5,
            "missing-field",
            "routes[2]",
            "this endpoint route needs `requests_per_visit` (called on every visit) or "
            "`requests_per_submission` (called when a visitor submits the form)",
        )
    ]
    rate = edit(
        "    requests_per_visit: 2\n", "    requests_per_visit: 2\n    conversion_rate: 3%\n"
    )
    assert problems(tmp_path, rate) == [
        (
            36,
            22,
            "invalid-value",
            "routes[2].conversion_rate",
            "`conversion_rate` applies only with `requests_per_submission`",
        )
    ]


def test_writes_need_a_data_store(tmp_path: Path) -> None:
    text = edit("    data_store: main-db\n", "")
    assert problems(tmp_path, text) == [
        (
            31,
            25,
            "missing-field",
            "routes[1].writes_per_request",
            "needs `data_store:` naming the store these writes go to",
        )
    ]


@pytest.mark.parametrize(
    ("old", "new", "row"),
    [
        (
            "requests_per_second_per_instance: 120",
            "requests_per_second_per_instance: 0",
            (
                8,
                39,
                "services.web.requests_per_second_per_instance",
                "must be more than 0: an instance that takes no requests gives the service "
                "no capacity",
            ),
        ),
        (
            "max_instances: 10",
            "max_instances: 0",
            (
                19,
                20,
                "services.api.max_instances",
                "must be at least 1: with no instance at all the service has no capacity",
            ),
        ),
        (
            "max_instances: 12",
            "max_instances: 3",
            (
                10,
                20,
                "services.web.max_instances",
                "must be at least `instances` (4): the autoscaling maximum cannot be below "
                "what runs now",
            ),
        ),
        (
            "writes_per_second: 800",
            "writes_per_second: 0",
            (
                22,
                24,
                "data_stores.main-db.writes_per_second",
                "must be more than 0: a store that takes no writes has no capacity",
            ),
        ),
        (
            "target_utilisation: 70%",
            "target_utilisation: 0%",
            (
                12,
                25,
                "services.web.target_utilisation",
                "must be more than 0: a service aimed at 0 % may take no traffic at all",
            ),
        ),
        (
            "workers: 4",
            "workers: 0",
            (
                40,
                12,
                "ingestion.workers",
                "must be at least 1: with no worker nothing drains the queue",
            ),
        ),
    ],
)
def test_zero_capacity_is_a_problem(
    tmp_path: Path, old: str, new: str, row: tuple[int, int, str, str]
) -> None:
    line, column, field, message = row
    assert problems(tmp_path, edit(old, new)) == [(line, column, "invalid-value", field, message)]


def test_zero_capacity_is_a_lint_finding_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = edit("requests_per_second_per_instance: 120", "requests_per_second_per_instance: 0")
    Path("profile.yaml").write_text(text, encoding="utf-8")
    findings = lint_files(["profile.yaml"], LintPolicy(AS_OF)).findings
    assert [(f.line, f.column, f.level, f.code) for f in findings] == [
        (8, 39, Level.ERROR, "invalid-value")
    ]


@pytest.mark.parametrize(
    ("weekday", "column", "field", "message"),
    [
        (
            "[1, 2, 3]",
            16,
            "services.web.baseline.weekday",
            "needs exactly 24 numbers, one per hour from 0 to 23 (this list has 3); or give "
            "one number for every hour",
        ),
        ("-3", 16, "services.web.baseline.weekday", "must not be negative"),
        (
            HOURS.replace("22", "-1"),
            95,
            "services.web.baseline.weekday[22]",
            "must not be negative",
        ),
        (
            "{monday: 3}",
            16,
            "services.web.baseline.weekday",
            "must be one number for every hour, or a list of 24 numbers (hours 0 to 23), "
            "like 40 or [30, 25, ...]",
        ),
    ],
)
def test_baseline_lists_hold_24_non_negative_numbers(
    tmp_path: Path, weekday: str, column: int, field: str, message: str
) -> None:
    text = edit(f"weekday: {HOURS}", f"weekday: {weekday}")
    assert problems(tmp_path, text) == [(14, column, "invalid-value", field, message)]


def test_duplicate_route_patterns(tmp_path: Path) -> None:
    text = edit(
        "  - match: https://www.example.com/*\n",
        "  - match: HTTP://WWW.EXAMPLE.COM/winter*/\n",
    )
    assert problems(tmp_path, text) == [
        (
            36,
            12,
            "invalid-value",
            "routes[3].match",
            "routes[0] already has this pattern; give each pattern once (the first match "
            "wins, so this route would never be used)",
        )
    ]


@pytest.mark.parametrize(
    ("match", "code", "message"),
    [
        (
            "https://www.example.com/*?utm=1",
            "invalid-value",
            "a page pattern is matched without the query (?...) and fragment (#...) of the "
            "address; remove them",
        ),
        (
            "https:///nohost",
            "invalid-value",
            "must be a web address like https://www.example.com/winter* (`*` for any text)",
        ),
        (
            "FETCH /api/x",
            "endpoint-format",
            "write an endpoint pattern as METHOD /path, like 'POST /api/signup' or "
            "'GET /api/products/{id}' (method one of GET, POST, PUT, PATCH, DELETE, HEAD, "
            "OPTIONS)",
        ),
        (
            "GET /api/{id",
            "endpoint-format",
            "write a path parameter as {name}, like /api/products/{id}",
        ),
    ],
)
def test_route_patterns_are_checked(tmp_path: Path, match: str, code: str, message: str) -> None:
    text = edit("  - match: https://www.example.com/*\n", f"  - match: {match}\n")
    assert problems(tmp_path, text) == [(36, 12, code, "routes[3].match", message)]


def test_ingestion_routes_must_match_an_endpoint_route(tmp_path: Path) -> None:
    text = edit("routes: [POST /api/signup]", "routes: [POST /api/sigup, POST /api/*]")
    assert problems(tmp_path, text) == [
        (
            42,
            12,
            "invalid-value",
            "ingestion.routes[0]",
            "'POST /api/sigup' matches none of the endpoint routes (did you mean "
            "'POST /api/signup'? endpoint routes: GET /api/products/*, POST /api/signup)",
        )
    ]


def test_queue_kinds(tmp_path: Path) -> None:
    ingestion = valid(tmp_path, edit("queue: sqs", "queue: SQS-FIFO")).ingestion
    assert ingestion is not None
    assert ingestion.queue == "sqs-fifo"
    assert problems(tmp_path, edit("queue: sqs", "queue: sqs2")) == [
        (
            39,
            10,
            "invalid-value",
            "ingestion.queue",
            "unknown queue 'sqs2' (did you mean 'sqs'? queues: kafka, other, rabbitmq, redis, "
            "sqs, sqs-fifo)",
        )
    ]


def test_kind_and_timezone_are_required(tmp_path: Path) -> None:
    text = edit("kind: capacity-profile\n", "").replace("timezone: Europe/Paris\n", "")
    assert problems(tmp_path, text) == [
        (1, 1, "missing-field", "kind", "is required"),
        (1, 1, "missing-field", "timezone", "is required"),
    ]
    assert problems(tmp_path, edit("Europe/Paris", "Europe/Pariss")) == [
        (
            4,
            11,
            "timezone",
            "timezone",
            "unknown time zone 'Europe/Pariss'; use a name like America/New_York or Europe/Paris",
        )
    ]


# --- route matching -------------------------------------------------------------------

ROUTES = [
    "https://www.example.com/winter*",
    "https://shop.example.com/flash",
    "https://www.example.com/*",
    "GET /api/products/{id}",
    "GET /api/products/*",
    "POST /api/signup",
    "POST /api/*",
    "https://*.example.org/*",
]


def _profile(patterns: list[str]) -> CapacityProfile:
    routes = [
        {"match": pattern, "service": "web"}
        if pattern.startswith("http")
        else {"match": pattern, "service": "web", "requests_per_visit": 1}
        for pattern in patterns
    ]
    return CapacityProfile.model_validate(
        {
            "schema_version": 1,
            "kind": "capacity-profile",
            "name": "Test",
            "timezone": "UTC",
            "services": {
                "web": {
                    "requests_per_second_per_instance": 10,
                    "instances": 1,
                    "max_instances": 2,
                }
            },
            "routes": routes,
        }
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.example.com/winter", "https://www.example.com/winter*"),
        ("http://www.example.com/winter", "https://www.example.com/winter*"),  # scheme
        ("https://WWW.Example.COM/winter", "https://www.example.com/winter*"),  # host case
        ("https://www.example.com/winter/", "https://www.example.com/winter*"),  # slash
        ("https://www.example.com/winter?utm_source=x#top", "https://www.example.com/winter*"),
        ("https://www.example.com/winter-sale/2027", "https://www.example.com/winter*"),
        ("https://www.example.com:443/winter", "https://www.example.com/winter*"),
        ("https://www.example.com/WINTER", "https://www.example.com/*"),  # path case counts
        ("https://shop.example.com/flash/", "https://shop.example.com/flash"),
        ("https://shop.example.com/flash?x=1", "https://shop.example.com/flash"),
        ("https://shop.example.com/flash/deals", None),  # no `*`: the exact page only
        ("https://www.example.com/", "https://www.example.com/*"),  # first match wins
        ("https://www.example.com", "https://www.example.com/*"),
        ("https://blog.example.org/post", "https://*.example.org/*"),
        ("https://www.example.com:8080/winter", None),  # another port, another site
        ("https://example.com/winter", None),
        ("not a url", None),
    ],
)
def test_route_for_page(url: str, expected: str | None) -> None:
    route = _profile(ROUTES).route_for_page(url)
    assert (route.match if route else None) == expected


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("GET /api/products/42", "GET /api/products/{id}"),
        ("GET /api/products/{id}", "GET /api/products/{id}"),
        ("get /api/products/42/", "GET /api/products/{id}"),
        ("GET /api/products/42/reviews", "GET /api/products/*"),  # {id} is one segment
        ("GET /api/products", "GET /api/products/*"),
        ("POST /api/signup", "POST /api/signup"),  # before POST /api/*: first match wins
        ("POST /api/signup/confirm", "POST /api/*"),
        ("POST /api/products/42", "POST /api/*"),  # the method must be the same
        ("PUT /api/signup", None),
        ("DELETE /api/products/42", None),
        ("GET /shop/api/products/42", None),
        ("POST", None),
        ("https://www.example.com/winter", None),  # a page is no endpoint
    ],
)
def test_route_for_endpoint(endpoint: str, expected: str | None) -> None:
    route = _profile(ROUTES).route_for_endpoint(endpoint)
    assert (route.match if route else None) == expected


def test_page_routes_never_match_endpoints_and_back() -> None:
    profile = _profile(["https://www.example.com/*", "GET /*"])
    assert profile.route_for_endpoint("GET /") is not None
    page = profile.route_for_page("https://www.example.com/x")
    assert page is not None
    assert page.is_page


def test_route_model_on_its_own() -> None:
    route = Route(match="POST /api/signup", service="api", requests_per_submission=2)
    assert route.matches_endpoint("POST /api/signup")
    assert not route.matches_page("https://www.example.com/api/signup")


# --- baselines ------------------------------------------------------------------------


def test_baseline_at_hour_weekday_and_weekend() -> None:
    hours = list(range(100, 124))
    every_hour = Baseline.model_validate({"weekday": hours, "weekend": 7})
    assert [every_hour.at(h, weekend=False) for h in (0, 13, 23)] == [100, 113, 123]
    assert [every_hour.at(h, weekend=True) for h in (0, 13, 23)] == [7, 7, 7]
    flat = Baseline.model_validate({"weekday": "1.5k"})
    assert flat.at(5, weekend=False) == flat.at(5, weekend=True) == 1500  # weekend = weekday
    with pytest.raises(ValueError, match="hour must be 0 to 23"):
        flat.at(24, weekend=False)


def test_baseline_from_a_file(tmp_path: Path) -> None:
    profile = valid(tmp_path)
    web = profile.services["web"].baseline
    assert web is not None
    assert (web.at(9, weekend=False), web.at(9, weekend=True)) == (9, 20)
    store = profile.data_stores["main-db"].baseline
    assert store is not None
    assert (store.at(0, weekend=False), store.at(23, weekend=True)) == (40, 40)


# --- lint -----------------------------------------------------------------------------

SPEC = """\
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


def test_lint_validates_each_file_by_its_own_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("specs").mkdir()
    Path("specs/spring.yaml").write_text(SPEC + "services: {}\n", encoding="utf-8")
    Path("specs/profile.yaml").write_text(VALID + "owner: ops@example.com\n", encoding="utf-8")
    result = lint_files(["specs/profile.yaml", "specs/spring.yaml"], LintPolicy(AS_OF))
    assert result.findings == [
        Finding(
            "specs/profile.yaml",
            43,
            1,
            Level.ERROR,
            "unknown-field",
            "unknown field 'owner'",
            "owner",
        ),
        Finding(
            "specs/spring.yaml",
            14,
            1,
            Level.ERROR,
            "unknown-field",
            "unknown field 'services'",
            "services",
        ),
    ]


def test_lint_of_a_valid_spec_and_profile_is_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("spring.yaml").write_text("kind: campaign\n" + SPEC, encoding="utf-8")
    Path("profile.yaml").write_text(VALID, encoding="utf-8")
    assert lint_files(["profile.yaml", "spring.yaml"], LintPolicy(AS_OF)).findings == []


def test_lint_a_profile_with_a_yaml_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("profile.yaml").write_text(VALID + "cdn: false\n", encoding="utf-8")
    findings = lint_files(["profile.yaml"], LintPolicy(AS_OF)).findings
    assert [(f.line, f.column, f.code) for f in findings] == [(43, 1, "duplicate-key")]


@pytest.mark.parametrize(
    ("kind", "hint"),
    [
        ("capacity", "did you mean 'capacity-profile'? "),
        ("[1, 2]", ""),
        ("campaign-spec", "did you mean 'campaign'? "),
        ("", ""),
    ],
)
def test_lint_an_unknown_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, hint: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.yaml").write_text(edit("kind: capacity-profile", f"kind: {kind}"), encoding="utf-8")
    shown = "[1, 2]" if kind.startswith("[") else kind
    assert PROFILE_KIND == KIND  # lint tells the kinds apart without importing the model
    assert lint_files(["a.yaml"], LintPolicy(AS_OF)).findings == [
        Finding(
            "a.yaml",
            2,
            7 if kind else 6,  # an empty value starts right after the colon
            Level.ERROR,
            "invalid-value",
            f"unknown kind '{shown}' ({hint}a campaign spec has `kind: campaign` or no "
            "`kind`, a capacity profile has `kind: capacity-profile`)",
            "kind",
        )
    ]


def test_lint_a_profile_without_kind_asks_for_it_and_checks_it_as_a_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without `kind`, the file used to be checked as a campaign spec: four missing
    # campaign fields and an unknown field for each of the profile's sections.
    monkeypatch.chdir(tmp_path)
    without_kind = edit("kind: capacity-profile\n", "").replace(
        "service: web\n", "service: wbe\n", 1
    )
    Path("a.yaml").write_text(without_kind, encoding="utf-8")
    findings = lint_files(["a.yaml"], LintPolicy(AS_OF)).findings
    assert [(f.line, f.code, f.field, f.message) for f in findings] == [
        (
            1,
            "missing-field",
            "kind",
            "this looks like a capacity profile; add the line `kind: capacity-profile` "
            "(a file without `kind` is read as a campaign spec)",
        ),
        (
            25,
            "unknown-reference",
            "routes[0].service",
            "unknown service 'wbe' (did you mean 'web'? services: api, web)",
        ),
    ]


def test_lint_a_profile_with_a_legacy_zone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The baseline hours of a profile in EST are an hour off from March to November.
    monkeypatch.chdir(tmp_path)
    Path("a.yaml").write_text(edit("timezone: Europe/Paris", "timezone: EST"), encoding="utf-8")
    findings = lint_files(["a.yaml"], LintPolicy(AS_OF)).findings
    assert [(f.line, f.column, f.level, f.code, f.field) for f in findings] == [
        (4, 11, Level.WARNING, "legacy-timezone", "timezone")
    ]
    assert "write America/New_York" in findings[0].message


def test_a_campaign_spec_with_a_stray_profile_field_is_still_a_campaign_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.yaml").write_text(SPEC + "routes: []\ntimezone: UTC\n", encoding="utf-8")
    findings = lint_files(["a.yaml"], LintPolicy(AS_OF)).findings
    assert [(f.code, f.field) for f in findings] == [
        ("unknown-field", "routes"),
        ("unknown-field", "timezone"),
    ]


# --- the example and the schema -------------------------------------------------------


def test_example_profile_routes_every_example_campaign(repo_root: Path) -> None:
    loaded = load_model(repo_root / "examples/capacity/production.yaml", CapacityProfile)
    assert loaded.problems == []
    profile = loaded.value
    assert profile is not None
    assert {"web", "api"} <= set(profile.services)
    assert "main-db" in profile.data_stores
    assert profile.ingestion is not None
    assert any(s.baseline is not None for s in profile.services.values())
    specs = sorted((repo_root / "examples/campaigns").glob("*.yaml"))
    assert len(specs) == 3
    for path in specs:
        spec = load_spec(path).value
        assert spec is not None, path
        for url in spec.landing_pages:
            assert profile.route_for_page(url) is not None, (path.name, url)
        for endpoint in spec.endpoints:
            assert profile.route_for_endpoint(endpoint) is not None, (path.name, endpoint)


def test_schema_kind_capacity_is_the_committed_file(cli: RunCli, repo_root: Path) -> None:
    committed = repo_root / "schema" / "capacity-profile.schema.json"
    code, out, err = cli("schema", "--kind", "capacity")
    assert (code, err) == (0, "")
    assert committed.read_bytes() == out.encode("utf-8"), (
        f"{committed} is out of date; regenerate it with "
        "`campaign-guard schema --kind capacity -o schema/capacity-profile.schema.json`"
    )
    assert '"title": "campaign-guard capacity profile"' in out
    assert cli("schema", "--kind", "campaign").stdout == cli("schema").stdout


def test_schema_unknown_kind_is_a_usage_error(cli: RunCli) -> None:
    code, out, err = cli("schema", "--kind", "profile")
    assert (code, out) == (2, "")
    assert err == "error: --kind must be one of: campaign, capacity (not 'profile')\n"
