"""Zone names that are no IANA Region/City name are errors naming the zone to write.

``localtime`` is whatever the machine reading the file is set to; ``posixrules`` and
``Factory`` are files of the zone database, not zones; ``US/Eastern`` is an old alias.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from campaign_guard.lint.findings import Finding, Level
from tests.lint.test_checks import lint, spec


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder, so findings name files as ``a.yaml``."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


ANY = "write one like America/New_York or Europe/Paris"


@pytest.mark.parametrize(
    ("zone", "message"),
    [
        (
            "localtime",
            "'localtime' is whatever the machine reading the file is set to, so the same file "
            "would mean another time elsewhere; write the zone itself, like America/New_York "
            "or Europe/Paris",
        ),
        (
            "posixrules",
            f"'posixrules' is not a Region/City name of the IANA time zone database; {ANY}",
        ),
        ("Factory", f"'Factory' is not a Region/City name of the IANA time zone database; {ANY}"),
        (
            "posix/America/New_York",
            "'posix/America/New_York' is not a Region/City name of the IANA time zone "
            f"database; {ANY}",
        ),
        (
            "US/Eastern",
            "'US/Eastern' is not a Region/City name of the IANA time zone database; write "
            "America/New_York",
        ),
        (
            "Japan",
            "'Japan' is not a Region/City name of the IANA time zone database; write Asia/Tokyo",
        ),
    ],
)
def test_a_zone_name_that_is_no_region_and_city_is_an_error(
    folder: Path, zone: str, message: str
) -> None:
    assert lint({"a.yaml": spec(zone=zone)}) == [
        Finding("a.yaml", 5, 13, Level.ERROR, "timezone", message, "launch.timezone")
    ]


def test_a_profile_zone_is_held_to_the_same_rule(folder: Path, repo_root: Path) -> None:
    profile = (repo_root / "examples" / "capacity" / "production.yaml").read_text("utf-8")
    findings = lint({"p.yaml": profile.replace("timezone: Europe/Paris", "timezone: localtime")})
    assert [(f.code, f.field) for f in findings] == [("timezone", "timezone")]
