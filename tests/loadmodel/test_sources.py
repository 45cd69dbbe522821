"""Where each peak comes from, and what a visit costs: the numbers behind the numbers.

A 300,000-address newsletter peaks at 143 requests/s on a page without a CDN: 83 of them
are mail scanners following the tracked links as the send goes out, 60 are the 0.81
people/s who click then, each loading a whole page of 74 requests.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from campaign_guard.defaults import SCENARIOS
from campaign_guard.loadmodel.engine import Estimate, estimate
from campaign_guard.loadmodel.explain import per_visit_lines, source_rows
from campaign_guard.loadmodel.report import to_json
from campaign_guard.loadmodel.sources import SOURCES
from campaign_guard.spec.routes import REQUESTS_PER_VISIT_NO_CDN
from tests.loadmodel.test_engine import (
    ENDPOINTS,
    INGESTION,
    PAGE,
    api_profile,
    campaign,
    example_profile,
    example_specs,
    paid,
    profile,
    service,
    target,
)

LOAD_MODEL = Path(__file__).resolve().parents[2] / "docs" / "load-model.md"

NEWSLETTER = campaign("Newsletter", {"channel": "email", "list_size": 300_000}, duration="3d")
ROOMY = {"web": service(1e6, 1, 1)}


def test_a_newsletters_peak_is_mostly_scanners_and_whole_pages_without_a_cdn() -> None:
    result = estimate([NEWSLETTER], profile(cdn=False, services=ROOMY))
    web = target(result, "service", "web")
    parts = web.sources["expected"]
    assert web.peak["expected"].value == pytest.approx(143.3, abs=0.1)
    # 300,000 x 20 % scanned x 5 tracked links, at the send's pace: 83/s, one request each.
    assert parts["link_scanners"] == pytest.approx(83.3, abs=0.1)
    # The people clicking at that moment, 0.81/s, times the median page's 74 requests.
    assert parts["people"] == pytest.approx(0.81 * REQUESTS_PER_VISIT_NO_CDN, abs=0.1)
    assert (parts["image_prefetch"], parts["email_opens"], parts["baseline"]) == (0.0, 0.0, 0.0)
    (visit,) = result.per_visit
    assert (visit.what, visit.service, visit.requests, visit.basis) == (PAGE, "web", 74.0, "no-cdn")
    (line,) = per_visit_lines(result)
    assert line.startswith(f"{PAGE} → web: 74 requests per visit (the profile has no `cdn: true`")
    assert "the median web page in the HTTP Archive Web Almanac 2019" in line
    assert source_rows(result) == [("web", "service", ["60", "83", "0", "0", "0"])]


def test_behind_a_cdn_a_visit_is_one_request() -> None:
    result = estimate([NEWSLETTER], profile(cdn=True, services=ROOMY))
    parts = target(result, "service", "web").sources["expected"]
    assert parts["people"] == pytest.approx(0.81, abs=0.01)
    assert parts["link_scanners"] == pytest.approx(83.3, abs=0.1)
    assert per_visit_lines(result) == [
        f"{PAGE} → web: 1 request per visit (behind the CDN the server sends the HTML only)"
    ]


def test_image_prefetch_and_the_baseline_have_their_own_share() -> None:
    email = {"channel": "email", "list_size": 300_000, "images_from_origin": True}
    web = service(1e6, 1, 1, baseline={"weekday": 40})
    result = estimate([campaign("Images", email)], profile(services={"web": web}))
    found = target(result, "service", "web")
    parts = found.sources["expected"]
    # Prefetches follow the send like scanner hits: 300,000 x 14.12 % on Apple Mail (42 %
    # of opens at a 22.71 % open rate) x 1 image against 300,000 x 20 % x 5 links, so
    # 0.1412 of the scanners' rate at any moment.
    apple = 0.42 * 0.2271 / (1 - 0.42 + 0.42 * 0.2271)
    assert parts["image_prefetch"] == pytest.approx(apple * parts["link_scanners"])
    # the others' opens load the image too, over hours: a little at the send's peak
    assert 0.0 < parts["email_opens"] < parts["image_prefetch"]
    assert parts["baseline"] == 40.0 == found.baseline_at_peak


def test_writes_drained_from_the_queue_come_from_people() -> None:
    result = estimate([campaign("Signup", endpoints=ENDPOINTS)], api_profile(ingestion=INGESTION))
    db = target(result, "data_store", "db")
    assert db.sources["expected"] == {
        "people": pytest.approx(2.0),
        "link_scanners": 0.0,
        "image_prefetch": 0.0,
        "email_opens": 0.0,
        "baseline": 0.0,
    }
    submission = next(v for v in result.per_visit if v.what == "POST /api/signup")
    assert (submission.basis, submission.per_submission, submission.conversion) == (
        "submission",
        2,
        0.25,
    )
    assert submission.requests == pytest.approx(0.5)
    assert (
        "POST /api/signup → api: 0.5 requests per visit (2 per form submission × the 25% "
        "of visits that submit)"
    ) in per_visit_lines(result)


@pytest.mark.parametrize("with_profile", [True, False], ids=["profile", "no-profile"])
def test_every_peak_is_the_sum_of_its_sources(with_profile: bool) -> None:
    result = estimate(example_specs(), example_profile() if with_profile else None)
    assert result.targets
    for found in result.targets:
        for scenario in SCENARIOS:
            parts = found.sources[scenario]
            assert set(parts) == set(SOURCES)
            assert min(parts.values()) >= 0
            assert sum(parts.values()) == pytest.approx(found.peak[scenario].value, rel=1e-9)
    document = to_json(result, [])
    assert set(document["targets"][0]["sources"]["expected"]) == set(SOURCES)


def test_without_a_profile_scanner_hits_are_counted_as_requests_not_visits() -> None:
    with_scanners = estimate([NEWSLETTER], None)
    assert [(t.kind, t.unit) for t in with_scanners.targets] == [("page", "requests/s")]
    people_only = estimate([campaign("Paid", paid(36_000))], None)
    assert [(t.kind, t.unit) for t in people_only.targets] == [("page", "visits/s")]
    assert "peaks at 84 requests/s" in _headline(with_scanners)


def _headline(result: Estimate) -> str:
    from campaign_guard.loadmodel.summary import headline

    return headline(result)


def test_the_no_cdn_page_weight_is_documented_with_its_source() -> None:
    text = LOAD_MODEL.read_text(encoding="utf-8")
    section = text.split("## Requests per visit", 1)[1].split("\n## ", 1)[0]
    assert f"**{REQUESTS_PER_VISIT_NO_CDN:.0f} requests**" in section
    assert "https://almanac.httparchive.org/en/2019/page-weight" in section
    assert re.search(r"median web page .* 74 requests", section, re.DOTALL)
    assert "`cdn: true`" in section
