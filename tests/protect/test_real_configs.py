"""What ``protect edge`` writes passes nginx's and HAProxy's own checks, hostile names
included. (Every example spec goes through the same checks in
tests/e2e/test_every_channel.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

import campaign_guard.api as cg
from campaign_guard.protecting import EdgeResult
from tests.protect.conftest import Files
from tests.protect.servers import haproxy_check, nginx_check

# Paths the spec accepts with every character the configuration languages treat
# specially (; { } $ ' # quotes), a {param} path, and a service name with a line break.
HOSTILE_ENDPOINTS = (
    "  - POST /api/it's;}{x}$y(z)!*+,=:@&~%41\n"
    "  - POST /a;b'c$d(e)!*+,=:@&~\n"
    "  - GET /api/items/{id}\n"
)
HOSTILE_SERVICE = '"api;}\\n{ evil #\'\\" $x"'


def _hostile(files: Files) -> tuple[Path, Path]:
    return files(
        spec={"  - POST /api/signup\n": HOSTILE_ENDPOINTS},
        profile={
            "  api:\n": f"  {HOSTILE_SERVICE}:\n",
            "  - match: POST /api/signup\n    service: api\n": (
                "  - match: POST /*\n"
                f"    service: {HOSTILE_SERVICE}\n"
                "    requests_per_submission: 1\n"
                "  - match: GET /api/items/{id}\n"
                f"    service: {HOSTILE_SERVICE}\n"
            ),
        },
    )


def hostile_edge(files: Files, target: str, *, enforce: bool) -> EdgeResult:
    """``target``'s limits for the three hostile endpoints, every one of them protected."""
    spec, profile = _hostile(files)
    result = cg.protect_edge([spec], capacity=profile, target=target, enforce=enforce)
    assert len(result.plan.endpoints) == 3, result.findings
    return result


@pytest.mark.parametrize("enforce", [False, True], ids=["dry-run", "enforce"])
def test_hostile_names_are_quoted_for_nginx(files: Files, tmp_path: Path, enforce: bool) -> None:
    spec, profile = _hostile(files)
    result = cg.protect_edge([spec], capacity=profile, enforce=enforce)
    assert len(result.plan.endpoints) == 3, result.findings
    server = result.files["nginx-server.conf"]
    assert 'location = "/a;b\'c$d(e)!*+,=:@&~" {' in server
    assert 'location ~ "^/api/items/[^/]+/?$" {' in server
    assert "proxy_pass http://cg_api_evil_x;" in server
    checked = nginx_check(result.files, tmp_path)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize("enforce", [False, True], ids=["dry-run", "enforce"])
def test_hostile_names_are_quoted_for_haproxy(files: Files, tmp_path: Path, enforce: bool) -> None:
    spec, profile = _hostile(files)
    result = cg.protect_edge([spec], capacity=profile, target="haproxy", enforce=enforce)
    frontend = result.files["haproxy-frontend.cfg"]
    assert "path '/a;b'\\''c$d(e)!*+,=:@&~'" in frontend
    assert "path_reg '^/api/items/[^/]+/?$'" in frontend
    checked = haproxy_check(result.files, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_broken_config_is_caught_by_the_checks(files: Files, tmp_path: Path) -> None:
    """The checks can fail: a zone left out is nginx's "zero size shared memory zone"."""
    spec, profile = files()
    result = cg.protect_edge([spec], capacity=profile)
    http = "\n".join(
        line for line in result.files["nginx-http.conf"].splitlines() if "zone=" not in line
    )
    checked = nginx_check({**result.files, "nginx-http.conf": http}, tmp_path)
    assert checked.returncode != 0
    assert "zero size shared memory zone" in checked.stderr
