"""This machine's time zone: from TZ, the /etc/localtime link, or /etc/timezone."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaign_guard.machine_zone import machine_zone


@pytest.fixture
def etc(tmp_path: Path) -> Path:
    """A folder standing in for /etc, with neither localtime nor timezone in it."""
    folder = tmp_path / "etc"
    folder.mkdir()
    return folder


def zone(etc: Path, environ: dict[str, str] | None = None) -> str | None:
    return machine_zone(environ or {}, localtime=etc / "localtime", timezone_file=etc / "timezone")


def link(etc: Path, target: str) -> None:
    (etc / "localtime").symlink_to(target)


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        ("America/New_York", "America/New_York"),
        (":Europe/Paris", "Europe/Paris"),
        ("/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo"),
        ("UTC", "UTC"),
        ("CET-1CEST", None),  # a POSIX rule: no zone name to write in a spec
        ("Nowhere/Atlantis", None),
        ("../../etc/passwd", None),
    ],
)
def test_tz_wins(etc: Path, tz: str, expected: str | None) -> None:
    link(etc, "/usr/share/zoneinfo/Europe/Paris")
    assert zone(etc, {"TZ": tz}) == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/usr/share/zoneinfo/America/Chicago", "America/Chicago"),
        ("../usr/share/zoneinfo/Europe/Paris", "Europe/Paris"),
        ("/var/db/timezone/zoneinfo/Australia/Sydney", "Australia/Sydney"),  # macOS
        ("/usr/share/zoneinfo/posix/Europe/Berlin", "Europe/Berlin"),
        ("/usr/share/zoneinfo/Etc/UTC", "Etc/UTC"),
        ("/nowhere/zoneinfo/localtime", None),
    ],
)
def test_the_localtime_link_names_the_zone(etc: Path, target: str, expected: str | None) -> None:
    link(etc, target)
    assert zone(etc) == expected
    assert zone(etc, {"TZ": ""}) == expected  # an empty TZ is no setting


def test_etc_timezone_when_localtime_is_a_copy(etc: Path) -> None:
    (etc / "localtime").write_bytes(b"TZif2")
    assert zone(etc) is None
    (etc / "timezone").write_text("America/Sao_Paulo\n", encoding="utf-8")
    assert zone(etc) == "America/Sao_Paulo"
    (etc / "timezone").write_text("\n", encoding="utf-8")
    assert zone(etc) is None
    (etc / "timezone").write_bytes(b"\xff\xfe")
    assert zone(etc) is None


def test_nothing_known_is_none(etc: Path) -> None:
    assert zone(etc) is None
