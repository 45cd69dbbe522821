"""``protect edge --target ingress-nginx``: Ingresses valid against the Kubernetes schema,
the directives the controller would make of them accepted and enforced by real nginx,
and the numbers, the dry run and the findings.

The schema is the strict Ingress networking.k8s.io/v1 schema of kubernetes-validate
1.37.0, vendored in tests/data/ (source and version in tests/data/README.md). The
translation to nginx directives is :mod:`tests.protect.ingress_nginx`.
"""

from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

import campaign_guard.api as cg
from campaign_guard.protect.edge import Limit
from campaign_guard.protect.ingress import annotated
from campaign_guard.protect.numbers import RateText
from campaign_guard.protecting import EdgeResult
from tests.conftest import RunCli
from tests.protect.conftest import Files
from tests.protect.ingress_nginx import (
    PREFIX,
    check_ingresses,
    documents,
    nginx_files,
    schema_errors,
)
from tests.protect.servers import nginx_check, running_nginx, upstream
from tests.protect.test_loopback import BURST, LOOPBACK, TOLERANCE, _send
from tests.protect.test_real_configs import hostile_edge

TARGET = "ingress-nginx"
ANNOTATIONS = "ingress-nginx-annotations.yaml"
CONFIGMAP = "ingress-nginx-configmap.yaml"


def _edge(files: Files, *, enforce: bool, **replace: dict[str, str]) -> EdgeResult:
    spec, profile = files(**replace)
    return cg.protect_edge([spec], capacity=profile, target=TARGET, enforce=enforce)


@pytest.mark.parametrize("enforce", [False, True], ids=["dry-run", "enforce"])
def test_ingresses_are_valid_and_nginx_accepts_what_the_controller_makes_of_them(
    files: Files, tmp_path: Path, enforce: bool
) -> None:
    result = _edge(files, enforce=enforce)
    assert list(result.files) == [ANNOTATIONS, CONFIGMAP]
    (ingress,) = check_ingresses(result.files)
    assert ingress["metadata"]["name"] == "cg-post-api-signup-ce5073"
    (path,) = ingress["spec"]["rules"][0]["http"]["paths"]
    assert (path["path"], path["pathType"]) == ("/api/signup", "Exact")
    translated = nginx_files(result.files)
    checked = nginx_check(translated, tmp_path)
    assert checked.returncode == 0, checked.stderr
    server = translated["nginx-server.conf"]
    assert ("limit_req zone=" in server) is enforce


def test_a_broken_manifest_fails_the_schema(files: Files) -> None:
    (ingress,) = check_ingresses(_edge(files, enforce=True).files)
    misspelt = json.loads(json.dumps(ingress))
    path = misspelt["spec"]["rules"][0]["http"]["paths"][0]
    path["pathtype"] = path.pop("pathType")
    assert "'pathType' is a required property" in schema_errors(misspelt)
    number = json.loads(json.dumps(ingress))
    number["metadata"]["annotations"][f"{PREFIX}limit-rps"] = 12
    assert any("is not of type 'string'" in e for e in schema_errors(number))


def test_a_zero_multiplier_would_not_load(files: Files, tmp_path: Path) -> None:
    """The nginx check can fail: with limit-burst-multiplier "0" the controller writes
    burst=0, which nginx refuses (why the multiplier is at least 1)."""
    result = _edge(files, enforce=True)
    text = result.files[ANNOTATIONS].replace(
        f'{PREFIX}limit-burst-multiplier: "1"', f'{PREFIX}limit-burst-multiplier: "0"'
    )
    checked = nginx_check(nginx_files({**result.files, ANNOTATIONS: text}), tmp_path)
    assert checked.returncode != 0
    assert 'invalid burst value "burst=0"' in checked.stderr


def _annotations(files: dict[str, str]) -> dict[str, str]:
    (ingress,) = documents(files)[0]
    return dict(ingress["metadata"].get("annotations") or {})


def test_enforce_writes_limit_rps_and_the_burst_multiplier(files: Files) -> None:
    result = _edge(files, enforce=True)
    (signup,) = result.plan.endpoints
    # the plan: 768r/m (12.8/s) per client, burst 13; the annotation takes whole
    # requests a second: 12, and 12 x 1 = 12 is the largest burst not over 13
    assert (signup.client.rate.text, signup.client.burst) == ("768r/m", 13)
    assert _annotations(result.files) == {
        f"{PREFIX}limit-rps": "12",
        f"{PREFIX}limit-burst-multiplier": "1",
    }
    text = result.files[ANNOTATIONS]
    assert (
        "limit-burst-multiplier 1: the controller's burst is limit-rps x the multiplier = 12"
        in text
    )
    assert "NOT ENFORCED by ingress-nginx: the endpoint-wide cap, 500r/s on each replica" in text


def _limit(rate: RateText, burst: int) -> Limit:
    return Limit("cg_x_ip", rate, burst, None, 1, 1, {"rate": ["sized so"]})


@pytest.mark.parametrize(
    ("rate", "burst", "written"),
    [
        (RateText(500, "s"), 2000, ("rps", 500, 4, 2000)),
        (RateText(500, "s"), 1999, ("rps", 500, 3, 1500)),  # never over the plan
        (RateText(768, "m"), 13, ("rps", 12, 1, 12)),
        (RateText(60, "m"), 2, ("rps", 1, 2, 2)),
        (RateText(59, "m"), 120, ("rpm", 59, 2, 118)),  # under 1/s: per minute
        (RateText(30, "m"), 2, ("rpm", 30, 1, 30)),  # x0 would be burst=0: nginx refuses it
    ],
)
def test_the_numbers(rate: RateText, burst: int, written: tuple[str, int, int, int]) -> None:
    numbers = annotated(_limit(rate, burst))
    assert (numbers.unit, numbers.limit, numbers.multiplier, numbers.burst) == written
    assert numbers.why[1] == "sized so"


SLOW = {"nodes: 2\n": "nodes: 2\n  clients_per_address: 1\n"}


def test_a_limit_under_one_a_second_is_per_minute_and_its_larger_burst_a_finding(
    files: Files, tmp_path: Path
) -> None:
    # 1 person x 2 requests in 10 s = 0.2/s = 12r/m, burst 2: 12 x 1 is over 2, but a
    # multiplier of 0 would write burst=0, which nginx refuses
    result = _edge(files, enforce=True, profile=SLOW)
    assert _annotations(result.files) == {
        f"{PREFIX}limit-rpm": "12",
        f"{PREFIX}limit-burst-multiplier": "1",
    }
    (found,) = [f for f in result.findings if f.code == "ingress-burst-over"]
    assert found.message.startswith("POST /api/signup: the limit per visitor is under one")
    assert "a minute's worth (12 requests at once, more than the plan's)" in found.message
    checked = nginx_check(nginx_files(result.files), tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "rate=12r/m" in nginx_files(result.files)["nginx-http.conf"]


def test_the_dry_run_leaves_the_limits_commented_out_and_says_so(files: Files) -> None:
    result = _edge(files, enforce=False)
    assert _annotations(result.files) == {}
    text = result.files[ANNOTATIONS]
    assert "# DRY RUN (the default rollout): NOTHING IS LIMITED." in text
    assert '  #   nginx.ingress.kubernetes.io/limit-rps: "12"\n' in text
    assert "--target ingress-nginx --enforce" in text
    codes = {f.code: f for f in result.findings}
    assert codes["ingress-no-dry-run"].message.endswith(
        "run again with --enforce to write them switched on"
    )
    assert all(str(f.level) == "warning" for f in result.findings)
    assert not result.failed


def test_what_ingress_nginx_cannot_do_is_a_finding_once_per_plan(files: Files) -> None:
    result = _edge(files, enforce=True)
    codes = [f.code for f in result.findings]
    assert codes == ["ingress-no-endpoint-cap", "ingress-no-retry-after", "ingress-no-dry-run"]
    cap = result.findings[0]
    assert "per replica: POST /api/signup 500r/s" in cap.message
    assert cap.path == result.findings[1].path  # the capacity profile's
    text = result.files[ANNOTATIONS]
    for said in ("No endpoint-wide cap", "No Retry-After", "No dry run", "per controller replica"):
        assert said in text


def test_the_retirement_is_said_first_in_both_files(files: Files) -> None:
    for text in _edge(files, enforce=True).files.values():
        head = text[:900]
        assert "ingress-nginx is RETIRED" in head
        assert "2025-11-11" in head
        assert "March 2026" in head
        assert "https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/" in head
        assert "Gateway API" in head


def test_replicas_are_the_proxies_the_cap_is_divided_by(files: Files) -> None:
    result = _edge(files, enforce=True, profile={"nodes: 2": "nodes: 5"})
    (signup,) = result.plan.endpoints
    assert signup.whole.rate.text == "200r/s"
    text = result.files[ANNOTATIONS]
    assert "each of the 5 replicas (edge.nodes in the" in text
    assert "HorizontalPodAutoscaler" in text


@pytest.mark.parametrize(
    ("profile", "data"),
    [
        (
            {},
            {
                "limit-req-status-code": "429",
                "use-forwarded-headers": "true",
                "forwarded-for-header": "X-Forwarded-For",
                "proxy-real-ip-cidr": "10.0.0.0/8",
            },
        ),
        (
            {
                "in_front: lb\n  trusted_proxies: [10.0.0.0/8]": (
                    "in_front: cloudflare\n  trusted_proxies: [173.245.48.0/20, 2400:cb00::/32]"
                )
            },
            {
                "limit-req-status-code": "429",
                "use-forwarded-headers": "true",
                "forwarded-for-header": "CF-Connecting-IP",
                "proxy-real-ip-cidr": "173.245.48.0/20,2400:cb00::/32",
            },
        ),
        (
            {"in_front: lb\n  trusted_proxies: [10.0.0.0/8]": "in_front: none"},
            {"limit-req-status-code": "429", "use-forwarded-headers": "false"},
        ),
        # never use-forwarded-headers without proxy-real-ip-cidr (its default trusts all)
        ({"  trusted_proxies: [10.0.0.0/8]\n": ""}, {"limit-req-status-code": "429"}),
        (
            {"  in_front: lb\n  trusted_proxies: [10.0.0.0/8]\n": ""},
            {"limit-req-status-code": "429"},
        ),
    ],
    ids=["lb", "cloudflare", "none", "lb-untrusted", "unknown"],
)
def test_the_configmap_takes_the_client_address_from_the_front(
    files: Files, profile: dict[str, str], data: dict[str, str]
) -> None:
    result = _edge(files, enforce=True, profile=profile)
    assert documents(result.files)[1] == data


def test_an_unknown_front_is_loud_in_the_configmap(files: Files) -> None:
    result = _edge(
        files, enforce=True, profile={"  in_front: lb\n  trusted_proxies: [10.0.0.0/8]\n": ""}
    )
    assert (
        "!!! The capacity profile does not say what is in front of the controller"
        in (result.files[CONFIGMAP])
    )
    assert "edge-front-unknown" in {f.code for f in result.findings}


@pytest.mark.parametrize("enforce", [False, True], ids=["dry-run", "enforce"])
def test_hostile_names_stay_valid_yaml_and_say_exactly_the_path(
    files: Files, tmp_path: Path, enforce: bool
) -> None:
    result = hostile_edge(files, TARGET, enforce=enforce)
    ingresses = check_ingresses(result.files)
    by_endpoint = {}
    for ingress, endpoint in zip(ingresses, result.plan.endpoints, strict=True):
        (path,) = ingress["spec"]["rules"][0]["http"]["paths"]
        by_endpoint[endpoint.path] = path
        # a pattern (the controller anchors it at the start) matching the path exactly
        assert path["pathType"] == "ImplementationSpecific"
        assert re.fullmatch(path["path"], endpoint.path.replace("{id}", "42"))
    assert not re.fullmatch(by_endpoint["/api/items/{id}"]["path"], "/api/items/4/2")
    literal = "/a;b'c$d(e)!*+,=:@&~"
    assert not re.fullmatch(by_endpoint[literal]["path"], literal + "x")
    # the service name's line break and quotes stay in one comment line
    for text in result.files.values():
        assert "evil" not in "".join(
            line for line in text.splitlines() if not line.lstrip().startswith("#")
        )
    assert {f.code for f in result.findings} >= {"ingress-use-regex"}
    checked = nginx_check(nginx_files(result.files), tmp_path)
    assert checked.returncode == 0, checked.stderr


def _mixed_at_once(port: int, count: int = BURST) -> list[tuple[str, int, str | None]]:
    """``count`` requests released together, every other one a GET."""
    start = threading.Barrier(count)

    def one(index: int) -> tuple[str, int, str | None]:
        method = "GET" if index % 2 else "POST"
        start.wait(timeout=10)
        return (method, *_send(port, method))

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_the_controller_admits_one_burst_and_refuses_the_rest_with_429(
    files: Files, tmp_path: Path
) -> None:
    """The translated limits in real nginx on 127.0.0.1: of 60 requests at once from one
    client, POST and GET alike, 1 + burst get through (within 15 %) and the rest get 429
    with no Retry-After."""
    result = _edge(files, enforce=True, profile=LOOPBACK)
    assert _annotations(result.files) == {
        f"{PREFIX}limit-rps": "20",
        f"{PREFIX}limit-burst-multiplier": "1",
    }
    with upstream() as app, running_nginx(nginx_files(result.files), tmp_path, app) as port:
        answers = _mixed_at_once(port)
    assert {status for _, status, _ in answers} <= {200, 429}
    refused = [a for a in answers if a[1] == 429]
    assert all(retry is None for *_, retry in refused)
    admitted = BURST - len(refused)
    assert abs(admitted - 21) <= TOLERANCE * 21, admitted
    # every method counts (the nginx target counts only POST): GETs are refused too
    assert {method for method, *_ in refused} == {"GET", "POST"}


def test_the_cli_writes_both_files_and_warns(cli: RunCli, files: Files, tmp_path: Path) -> None:
    spec, profile = files()
    out_dir = tmp_path / "edge"
    code, out, err = cli(
        "protect", "edge", str(spec), "-c", str(profile), "-t", TARGET, "-o", str(out_dir)
    )
    assert (code, out) == (0, "")
    assert sorted(p.name for p in out_dir.iterdir()) == [ANNOTATIONS, CONFIGMAP]
    assert f"wrote {out_dir / ANNOTATIONS}\n" in err
    assert (
        "warning edge: ingress-nginx has no dry run, so the limits are written commented out" in err
    )
    assert "[ingress-no-endpoint-cap]" in err


def test_json_still_has_every_number(cli: RunCli, files: Files) -> None:
    spec, profile = files()
    code, out, _ = cli("protect", "edge", str(spec), "-c", str(profile), "-t", TARGET, "--json")
    assert code == 0
    document = json.loads(out)
    assert set(document["files"]) == {ANNOTATIONS, CONFIGMAP}
    assert document["endpoints"][0]["per_client"]["rate"] == "768r/m"
    codes = {f["code"] for f in document["findings"]}
    assert codes == {"ingress-no-endpoint-cap", "ingress-no-retry-after", "ingress-no-dry-run"}
    assert yaml.safe_load(document["files"][CONFIGMAP])["data"]["limit-req-status-code"] == "429"
