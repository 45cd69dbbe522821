"""The numbers of ``protect edge``, worked out by hand, and what it refuses to write."""

from __future__ import annotations

from pathlib import Path

import pytest

import campaign_guard.api as cg
from campaign_guard.protect.edge import Protected
from campaign_guard.protect.numbers import rate_text
from tests.protect.conftest import Files
from tests.protect.servers import nginx_check


def test_the_endpoint_wide_cap_is_the_spare_capacity_over_the_proxies(files: Files) -> None:
    spec, profile = files()
    result = cg.protect_edge([spec], capacity=profile)
    (signup,) = result.plan.endpoints
    # api: 6 x 250 at 70 % = 1,050/s, minus the baseline 50 = 1,000 for the campaign;
    # signup is all of the campaign's load on api (the pages go to web); 2 proxies.
    assert signup.numbers["service_at_target"] == pytest.approx(1050)
    assert signup.numbers["baseline_at_launch"] == 50
    assert signup.numbers["share"] == pytest.approx(1.0)
    assert signup.whole.rate.text == "500r/s"
    # 500 queued in the 1 s a request may wait, and 225 at once: the 30 % margin of
    # 1,500/s over 2 proxies.
    assert (signup.whole.burst, signup.whole.delay) == (725, 225)
    # 64 people behind one address x 2 requests in 10 s = 12.8/s, in r/m; a second's
    # worth (13) at once.
    assert signup.client.rate.text == "768r/m"
    assert (signup.client.burst, signup.client.delay) == (13, None)
    assert result.findings == []
    assert not result.failed


def test_more_proxies_share_the_cap(files: Files) -> None:
    spec, profile = files(profile={"nodes: 2": "nodes: 5"})
    (signup,) = cg.protect_edge([spec], capacity=profile).plan.endpoints
    assert signup.whole.rate.text == "200r/s"


def test_the_share_is_the_endpoint_part_of_the_campaign_load_on_the_service(
    files: Files,
) -> None:
    # The pages now reach api too: signup gets its part of the campaign's load there.
    spec, profile = files(
        profile={
            "https://www.example.com/*\n    service: web": (
                "https://www.example.com/*\n    service: api"
            )
        }
    )
    result = cg.protect_edge([spec], capacity=profile)
    (signup,) = result.plan.endpoints
    run = cg.estimate_paths([spec], capacity=profile)
    peaks = {(t.kind, t.name): t for t in run.estimate.targets}
    endpoint = peaks[("endpoint", "POST /api/signup")].peak["expected"].value
    service = peaks[("service", "api")]
    campaigns = service.peak["expected"].value - service.baseline_at_peak
    assert signup.numbers["share"] == pytest.approx(endpoint / campaigns)
    assert 0 < signup.numbers["share"] < 1
    assert signup.numbers["per_node"] == pytest.approx(1000 * endpoint / campaigns / 2)


def test_rates_under_twenty_a_second_are_written_per_minute() -> None:
    written = {rate: rate_text(rate) for rate in (0.5, 19.99, 20.0, 1 / 61)}
    assert {rate: w.text if w else None for rate, w in written.items()} == {
        0.5: "30r/m",
        19.99: "1199r/m",
        20.0: "20r/s",
        1 / 61: None,  # under one a minute: a finding, never rate=0
    }


def test_capacity_below_the_baseline_is_a_finding_not_a_limit(files: Files) -> None:
    spec, profile = files(profile={"baseline: {weekday: 50}": "baseline: {weekday: 2000}"})
    result = cg.protect_edge([spec], capacity=profile)
    assert result.plan.endpoints == []
    (found,) = result.findings
    assert found.code == "edge-below-baseline"
    assert (found.path, found.line, found.field) == (str(spec), 15, "endpoints[0]")
    assert "scale api first" in found.message
    assert result.failed
    assert "limit_req " not in result.files["nginx-server.conf"]


def test_a_rate_that_rounds_to_zero_is_a_finding(files: Files) -> None:
    spec, profile = files(
        profile={
            "requests_per_second_per_instance: 250": "requests_per_second_per_instance: 0.001",
            "baseline: {weekday: 50}": "baseline: {weekday: 0}",
        }
    )
    result = cg.protect_edge([spec], capacity=profile)
    assert [f.code for f in result.findings] == ["edge-rate-zero"]
    assert result.plan.endpoints == []


def test_an_endpoint_without_a_route_is_a_finding(files: Files) -> None:
    spec, profile = files(
        spec={"  - POST /api/signup\n": "  - POST /api/signup\n  - POST /api/x\n"}
    )
    result = cg.protect_edge([spec], capacity=profile)
    assert [e.endpoint for e in result.plan.endpoints] == ["POST /api/signup"]
    (found,) = result.findings
    assert (found.code, found.line, found.field) == ("edge-no-route", 16, "endpoints[1]")


def test_an_unknown_front_is_a_warning_and_a_loud_comment(files: Files) -> None:
    spec, profile = files(profile={"  in_front: lb\n  trusted_proxies: [10.0.0.0/8]\n": ""})
    result = cg.protect_edge([spec], capacity=profile)
    (found,) = result.findings
    assert (found.code, str(found.level), found.field) == ("edge-front-unknown", "warning", "edge")
    assert not result.failed
    http = result.files["nginx-http.conf"]
    assert "does not say what is in front of nginx" in http
    assert "set_real_ip_from" not in http


def test_a_front_without_trusted_ranges_is_a_warning(files: Files) -> None:
    spec, profile = files(profile={"  trusted_proxies: [10.0.0.0/8]\n": ""})
    result = cg.protect_edge([spec], capacity=profile, target="haproxy")
    assert [f.code for f in result.findings] == ["edge-front-untrusted"]
    assert "set-src" not in result.files["haproxy-frontend.cfg"]


def test_the_real_client_address_comes_only_from_trusted_ranges(files: Files) -> None:
    spec, profile = files()
    http = cg.protect_edge([spec], capacity=profile).files["nginx-http.conf"]
    assert (
        "set_real_ip_from 10.0.0.0/8;\nreal_ip_header X-Forwarded-For;\nreal_ip_recursive on;"
        in http
    )
    frontend = cg.protect_edge([spec], capacity=profile, target="haproxy").files[
        "haproxy-frontend.cfg"
    ]
    assert "http-request set-src req.hdr_ip(X-Forwarded-For,-1) if { src 10.0.0.0/8 }" in frontend


def test_trusting_everyone_is_refused(files: Files) -> None:
    spec, profile = files(profile={"[10.0.0.0/8]": "[0.0.0.0/0]"})
    with pytest.raises(cg.ProblemsFound) as raised:
        cg.protect_edge([spec], capacity=profile)
    (found,) = raised.value.findings
    assert found.field == "edge.trusted_proxies[0]"
    assert "lets any client claim to be someone else" in found.message


def test_dry_run_is_the_default_and_enforce_drops_it(files: Files) -> None:
    spec, profile = files()
    dry = cg.protect_edge([spec], capacity=profile).files["nginx-server.conf"]
    enforcing = cg.protect_edge([spec], capacity=profile, enforce=True).files["nginx-server.conf"]
    assert "    limit_req_dry_run on;" in dry
    assert "limit_req_dry_run" not in enforcing
    assert "add_header Retry-After" in enforcing
    assert " always;" in enforcing


def test_every_directive_has_its_numbers_explained(files: Files) -> None:
    spec, profile = files()
    http = cg.protect_edge([spec], capacity=profile).files["nginx-http.conf"]
    assert (
        "#   1,050 requests/s: the service at its target utilisation (6 instances x 250 x 70%)"
        in http
    )
    assert "#   minus 50: the baseline at" in http
    assert "#   / 2 proxies (each counts on its own) = 500/s, written 500r/s (rounded down)" in http


def test_the_caps_on_one_service_add_up_to_no_more_than_it_has_to_spare() -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    plan = cg.protect_edge(
        [examples / "campaigns"], capacity=examples / "capacity" / "production.yaml"
    ).plan
    by_service: dict[str, list[Protected]] = {}
    for endpoint in plan.endpoints:
        by_service.setdefault(endpoint.service, []).append(endpoint)
    assert set(by_service) == {"api", "checkout"}
    for endpoints in by_service.values():
        (baseline,) = {e.numbers["baseline_at_launch"] for e in endpoints}
        (at_target,) = {e.numbers["service_at_target"] for e in endpoints}
        caps = sum(e.numbers["endpoint_cap"] for e in endpoints)
        assert caps <= at_target - baseline + 1e-6
        assert sum(e.whole.rate.per_second for e in endpoints) * plan.nodes <= caps + 1e-6


def test_a_campaign_without_endpoints_is_a_warning(files: Files, tmp_path: Path) -> None:
    spec, profile = files(spec={"endpoints:\n  - POST /api/signup\n": ""})
    result = cg.protect_edge([spec], capacity=profile)
    assert nginx_check(result.files, tmp_path).returncode == 0  # nothing to limit, still valid
    (found,) = result.findings
    assert (found.code, str(found.level)) == ("edge-no-endpoints", "warning")
    assert result.plan.endpoints == []
    assert not result.failed
