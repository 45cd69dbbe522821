"""The one-campaign review screen through the public API: the examples are the contract."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import campaign_guard as cg
from campaign_guard.review.screen import Load, tier
from tests.conftest import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"
SPECS = sorted((EXAMPLES / "campaigns").glob("*.yaml"))
FLASH = EXAMPLES / "campaigns" / "black-friday-flash-sale.yaml"
SPRING = EXAMPLES / "campaigns" / "spring-tv-launch.yaml"
WINTER = EXAMPLES / "campaigns" / "winter-newsletter.yaml"
PROFILE = EXAMPLES / "capacity" / "production.yaml"
NOW = datetime(2027, 1, 4, 9, tzinfo=timezone.utc)


def screen(
    path: Path, *, now: datetime = NOW, others: tuple[Path, ...] = tuple(SPECS)
) -> cg.ReviewScreen:
    return cg.review_screen(
        path, others=others, capacity=PROFILE, now=now, lead_time=3, reader_zone=timezone.utc
    )


def check(found: cg.ReviewScreen, name: str) -> tuple[str, str]:
    item = next(c for c in found.checklist if c.name == name)
    return item.result, item.why


def test_the_flash_sale_needs_checkout_and_web_scaled_before_its_peak() -> None:
    found = screen(FLASH)
    assert found.name == "Black Friday Flash Sale"
    assert found.tier == "medium"
    scaled = {a.target: a for a in found.actions if a.kind == "scale"}
    assert set(scaled) == {"checkout", "web"}
    assert all(a.unit == "instances" and a.artefact == "prescale" for a in scaled.values())
    by_name = {load.name: load for load in found.loads}
    for action in scaled.values():
        assert action.by < by_name[action.target].peak_at
    assert check(found, "Headroom at peak") == ("fail", "not enough today: checkout, web")
    assert check(found, "Privacy review")[0] == "pass"  # phone_number has PRIV-482
    assert found.launch.utcoffset() == timedelta(hours=1)  # Europe/Paris in November
    assert "@" in found.owner


def test_the_flash_sale_rate_limits_the_endpoints_of_the_services_short_of_headroom() -> None:
    """checkout and web need scaling: the endpoints on checkout get the limit that
    ``protect edge`` writes for the same campaigns, in place by the launch; the signup
    endpoint's service (api) has headroom and gets none."""
    found = screen(FLASH)
    limits = [a for a in found.actions if a.kind == "rate_limit"]
    assert [a.target for a in limits] == ["POST /api/cart/items", "POST /api/checkout"]
    written = cg.protect_edge(SPECS, capacity=PROFILE).plan.endpoints
    rates = {e.endpoint: e.whole.rate.per_second for e in written}
    for action in limits:
        assert action.amount == rates[action.target]
        assert (action.unit, action.artefact) == ("requests/s per proxy", "edge")
        assert action.by == found.launch.timestamp()


def test_the_spring_launch_lets_the_queue_take_its_peak_with_todays_workers() -> None:
    """sqs's 4 workers fall behind the TV spike (the estimate's verdict: a backlog), but
    ``protect queue`` finds every lead served within its 5 minutes: the action is to let
    the queue take the peak, not to pre-scale, and the headroom check passes."""
    found = screen(SPRING)
    plan = cg.protect_queue([SPRING], capacity=PROFILE)  # no other campaign near it
    high = plan.sizing["high"]
    assert [(a.kind, a.target, a.amount, a.artefact) for a in found.actions] == [
        ("queue_backlog", "sqs", plan.workers_now, "queue")
    ]
    (action,) = found.actions
    assert (action.waiting, action.wait) == (high.peak_backlog, high.worst_delay)
    assert 0 < high.worst_delay < 300
    sqs = next(load for load in found.loads if load.name == "sqs")
    assert (sqs.status, sqs.headroom) == ("scale", "queues")
    assert sqs.peak > (sqs.holds_now or 0)
    assert check(found, "Headroom at peak")[0] == "pass"


def test_a_queue_short_of_workers_is_prescaled_as_protect_queue_sizes_it(tmp_path: Path) -> None:
    """With workers 10 times slower the spring launch's leads would wait too long: the
    review asks for the workers ``protect queue`` writes, a scale-up lead time before they
    are needed."""
    text = PROFILE.read_text(encoding="utf-8")
    profile = tmp_path / "slow-workers.yaml"
    slow = text.replace("  per_worker_rate: 25 ", "  per_worker_rate: 2.5 ")
    assert slow != text
    profile.write_text(slow, encoding="utf-8")
    found = cg.review_screen(SPRING, capacity=profile, now=NOW, lead_time=3)
    plan = cg.protect_queue([SPRING], capacity=profile)
    wanted = [w for w in plan.prescale if w.start < found.launch.timestamp() + 86400]
    assert wanted
    assert all(w.replicas > plan.workers_now for w in wanted)
    assert [(a.kind, a.target, a.amount, a.unit, a.by) for a in found.actions] == [
        ("prescale_workers", "sqs", w.replicas, "workers", w.start) for w in wanted
    ]
    assert all(a.artefact == "queue" for a in found.actions)
    assert check(found, "Headroom at peak") == ("fail", "not enough today: sqs")


def test_the_winter_newsletter_holds_but_is_no_low_risk_change() -> None:
    found = screen(WINTER)
    assert found.actions == []
    assert found.sentence == "ok"
    assert check(found, "Headroom at peak")[0] == "pass"
    assert found.tier == "medium"  # the api's peak is many times its baseline


def test_a_campaign_in_the_same_window_is_summed_in_and_named(tmp_path: Path) -> None:
    twin = tmp_path / "twin.yaml"
    text = SPRING.read_text(encoding="utf-8")
    twin.write_text(
        text.replace("Spring Product Launch (TV + social)", "Spring Twin").replace(
            "id: spring-", "id: twin-spring-"
        ),
        encoding="utf-8",
    )
    alone = screen(SPRING)
    together = screen(SPRING, others=(*SPECS, twin))
    assert alone.overlapping == []
    assert together.overlapping == ["Spring Twin"]
    api_alone = next(load for load in alone.loads if load.name == "api")
    api_together = next(load for load in together.loads if load.name == "api")
    assert api_together.peak > api_alone.peak
    assert set(api_together.contributors) == {"Spring Product Launch (TV + social)", "Spring Twin"}
    assert check(together, "Overlap with other campaigns")[0] == "fail"


def test_a_launch_sooner_than_the_lead_time_fails_the_check_and_is_high_risk() -> None:
    found = screen(FLASH, now=datetime(2027, 11, 24, 9, tzinfo=timezone.utc))
    assert (found.notice_days, found.required_days) == (2, 3)
    assert check(found, "Lead time met") == ("fail", "2 business days of notice; 3 needed")
    assert found.tier == "high"


def test_personal_data_without_a_review_fails_the_privacy_check(tmp_path: Path) -> None:
    spec = tmp_path / "flash.yaml"
    spec.write_text(
        FLASH.read_text(encoding="utf-8").replace("    privacy_review: PRIV-482\n", ""),
        encoding="utf-8",
    )
    found = screen(spec, others=())
    assert check(found, "Privacy review") == ("fail", "no review reference for phone_number")


def test_a_spec_with_problems_raises_problems_found(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: 1\nkind: campaign\nname: x\n", encoding="utf-8")
    with pytest.raises(cg.ProblemsFound):
        screen(broken)


def test_the_json_document_carries_the_screen() -> None:
    document = cg.review_screen_json(screen(FLASH))
    again = json.loads(json.dumps(document))
    assert again["tier"] == "medium"
    assert [(a["target"], a["written_by"]) for a in again["actions"]] == [
        ("checkout", "campaign-guard protect prescale"),
        ("web", "campaign-guard protect prescale"),
        ("sqs", "campaign-guard protect queue"),
        ("POST /api/cart/items", "campaign-guard protect edge"),
        ("POST /api/checkout", "campaign-guard protect edge"),
    ]
    assert again["for_the_reviewer"]
    assert all(h["reason"] for h in again["for_the_reviewer"])


def _load(peak: float, baseline: float, status: str | None) -> Load:
    return Load("service", "web", "requests/s", peak, 0.0, baseline, 100.0, status, None, ())


def test_the_tier_is_low_only_for_a_small_increase_with_nothing_collected() -> None:
    assert tier([_load(105, 100, "ok")], True, False) == "low"
    assert tier([_load(105, 100, "ok")], True, True) == "medium"
    assert tier([_load(120, 100, "ok")], True, False) == "medium"
    assert tier([_load(105, 100, "scale")], True, False) == "medium"
    assert tier([_load(105, 100, "scale")], False, False) == "high"
    assert tier([_load(105, 100, "overload")], True, False) == "high"


def test_the_people_and_links_are_kept_and_the_same_campaign_is_not_counted_twice() -> None:
    person = cg.OnCallPerson("Ada Ops", "ada@example.com")
    found = cg.review_screen(
        WINTER,
        others=(WINTER,),
        capacity=PROFILE,
        now=NOW,
        oncall=person,
        ticket="OPS-42",
        ticket_url="https://jira.example.com/browse/OPS-42",
    )
    alone = screen(WINTER, others=())
    assert found.overlapping == []
    assert [load.peak for load in found.loads] == [load.peak for load in alone.loads]
    document = cg.review_screen_json(found)
    assert document["on_call"] == {"name": "Ada Ops", "email": "ada@example.com"}
    assert (document["ticket"], document["ticket_url"]) == (
        "OPS-42",
        "https://jira.example.com/browse/OPS-42",
    )
