"""``campaign-guard protect edge`` on the command line: output, files, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import RunCli
from tests.protect.conftest import Files


def test_prints_both_nginx_files_and_exits_0(cli: RunCli, files: Files) -> None:
    spec, profile = files()
    code, out, err = cli("protect", "edge", str(spec), "-c", str(profile))
    assert (code, err) == (0, "")
    assert out.startswith("# ===== nginx-http.conf =====\n")
    assert "\n# ===== nginx-server.conf =====\n" in out
    assert "limit_req_zone $cg_post_api_signup_ce5073_all_k" in out


def test_out_writes_one_file_per_context(cli: RunCli, files: Files, tmp_path: Path) -> None:
    spec, profile = files()
    target = tmp_path / "edge"
    code, out, err = cli(
        "protect", "edge", str(spec), "-c", str(profile), "-t", "haproxy", "-o", str(target)
    )
    assert (code, out) == (0, "")
    assert sorted(p.name for p in target.iterdir()) == [
        "haproxy-frontend.cfg",
        "haproxy-tables.cfg",
    ]
    assert (
        err == f"wrote {target / 'haproxy-tables.cfg'}\nwrote {target / 'haproxy-frontend.cfg'}\n"
    )


def test_json_has_every_number_and_where_it_came_from(cli: RunCli, files: Files) -> None:
    spec, profile = files()
    code, out, err = cli("protect", "edge", str(spec), "-c", str(profile), "--json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert (document["mode"], document["nodes"], document["in_front"]) == ("dry-run", 2, "lb")
    (signup,) = document["endpoints"]
    assert signup["numbers"]["service_at_target"] == 1050
    whole = signup["endpoint_wide"]
    assert (whole["rate"], whole["burst"], whole["delay"]) == ("500r/s", 725, 225)
    assert set(whole["why"]) == {"rate", "burst", "delay", "zone"}
    assert signup["per_client"]["delay"] == "nodelay"
    assert set(document["files"]) == {"nginx-http.conf", "nginx-server.conf"}


def test_an_endpoint_left_unprotected_exits_1_with_its_line(cli: RunCli, files: Files) -> None:
    spec, profile = files(profile={"baseline: {weekday: 50}": "baseline: {weekday: 2000}"})
    code, out, err = cli("protect", "edge", str(spec), "-c", str(profile))
    assert code == 1
    assert err.startswith(f"{spec}:15:5: error endpoints[0]: api takes 1,050 requests/s")
    assert err.rstrip().endswith("[edge-below-baseline]")
    assert "limit_req zone" not in out


def test_usage_mistakes_exit_2_in_one_line(cli: RunCli, files: Files, tmp_path: Path) -> None:
    spec, profile = files()
    code, _, err = cli("protect", "edge", str(spec), "-c", str(profile), "-t", "envoy")
    assert (code, err) == (
        2,
        "error: --target must be one of nginx, haproxy, ingress-nginx, aws-waf, not 'envoy'\n",
    )
    code, _, err = cli(
        "protect", "edge", str(spec), "-c", str(profile), "-t", "haproxy", "--access-log", "x"
    )
    assert (code, err) == (2, "error: --access-log applies to --target nginx only\n")
    code, _, err = cli("protect", "edge", str(spec))
    assert code == 2
    assert err.startswith("error: protect edge needs a capacity profile")
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    code, _, err = cli(
        "protect", "edge", str(spec), "-c", str(profile), "-o", str(tmp_path / "taken")
    )
    assert code == 2
    assert err.startswith(f"error: cannot write into '{tmp_path / 'taken'}'")
    assert err.count("\n") == 1
