"""FixedUser, Rotation, and the fixed/rotation settings of the ``oncall:`` section."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any, get_args
from zoneinfo import ZoneInfo

import pytest
from pydantic import TypeAdapter, ValidationError

from campaign_guard.errors import ExitCode
from campaign_guard.oncall import (
    FixedUser,
    OnCallError,
    OnCallPerson,
    OnCallSettings,
    Rotation,
    provider_from,
)
from campaign_guard.oncall.rotation import WEEKDAYS
from campaign_guard.oncall.settings import Weekday

UTC = timezone.utc
PARIS = ZoneInfo("Europe/Paris")
ANA = OnCallPerson("Ana", "ana@example.com", jira_account_id="acc-ana")
BO = OnCallPerson("Bo", "bo@example.com", jira_user_name="bo")
CY = OnCallPerson("Cy", "cy@example.com")
SECOND = timedelta(seconds=1)


def paris_rotation(start: date = date(2027, 3, 1)) -> Rotation:
    """Monday 09:00 Paris handoffs; 2027-03-01 is a Monday."""
    return Rotation([ANA, BO, CY], 0, time(9, 0), PARIS, start)


def test_fixed_user_always_answers_the_same_person() -> None:
    provider = FixedUser(ANA)
    assert provider.on_call(datetime(2027, 1, 1, tzinfo=UTC)) == ANA
    assert provider.on_call(datetime(2099, 6, 1, 3, 0, tzinfo=PARIS)) == ANA


@pytest.mark.parametrize("provider", [FixedUser(ANA), paris_rotation()])
def test_naive_datetime_is_rejected(provider: FixedUser | Rotation) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        provider.on_call(datetime(2027, 3, 10, 12, 0))


def test_handoff_boundary_one_second_either_side() -> None:
    rotation = paris_rotation()
    handoff = datetime(2027, 3, 8, 9, 0, tzinfo=PARIS)  # second handoff
    assert rotation.on_call(handoff - SECOND) == ANA
    assert rotation.on_call(handoff) == BO
    assert rotation.on_call(handoff + SECOND) == BO


def test_first_handoff_and_before_start() -> None:
    rotation = paris_rotation()
    first = datetime(2027, 3, 1, 9, 0, tzinfo=PARIS)
    assert rotation.on_call(first) == ANA
    with pytest.raises(OnCallError, match=r"starts at its first handoff, 2027-03-01 09:00") as err:
        rotation.on_call(first - SECOND)
    assert err.value.exit_code is ExitCode.EXTERNAL


def test_start_mid_week_begins_at_next_handoff_day() -> None:
    rotation = paris_rotation(start=date(2027, 3, 3))  # a Wednesday
    with pytest.raises(OnCallError):
        rotation.on_call(datetime(2027, 3, 5, 12, 0, tzinfo=PARIS))
    assert rotation.on_call(datetime(2027, 3, 8, 9, 0, tzinfo=PARIS)) == ANA


def test_handoff_follows_the_dst_change_in_paris() -> None:
    # Paris moves to summer time on Sunday 2027-03-28: the Monday 09:00 handoff is
    # 08:00 UTC on 2027-03-22 and 07:00 UTC on 2027-03-29.
    rotation = paris_rotation()
    before = rotation.on_call(datetime(2027, 3, 22, 8, 0, tzinfo=UTC))
    assert rotation.on_call(datetime(2027, 3, 22, 8, 0, tzinfo=UTC) - SECOND) != before
    handoff = datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
    assert rotation.on_call(handoff - SECOND) == before
    after = rotation.on_call(handoff)
    assert after != before
    assert rotation.on_call(datetime(2027, 3, 29, 9, 0, tzinfo=PARIS)) == after
    assert rotation.handoff(4) == handoff


def test_at_in_another_zone_is_compared_as_an_instant() -> None:
    rotation = paris_rotation()
    new_york = ZoneInfo("America/New_York")
    # 2027-03-08 09:00 Paris (CET) is 03:00 in New York (EST).
    assert rotation.on_call(datetime(2027, 3, 8, 2, 59, 59, tzinfo=new_york)) == ANA
    assert rotation.on_call(datetime(2027, 3, 8, 3, 0, tzinfo=new_york)) == BO


def test_the_list_wraps_around() -> None:
    rotation = paris_rotation()
    week = [datetime(2027, 3, 1, 12, 0, tzinfo=PARIS) + timedelta(weeks=n) for n in range(7)]
    assert [rotation.on_call(at) for at in week] == [ANA, BO, CY, ANA, BO, CY, ANA]


def test_rotation_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="at least one person"):
        Rotation([], 0, time(9), PARIS, date(2027, 1, 4))
    with pytest.raises(ValueError, match="handoff_weekday"):
        Rotation([ANA], 7, time(9), PARIS, date(2027, 1, 4))


# --- settings -------------------------------------------------------------------------

ADAPTER: TypeAdapter[Any] = TypeAdapter(OnCallSettings)


def test_weekday_names_match() -> None:
    assert get_args(Weekday) == WEEKDAYS


def test_fixed_settings_build_a_fixed_user() -> None:
    settings = ADAPTER.validate_python(
        {"provider": "fixed", "name": "Ana", "email": "ana@example.com", "jira_account_id": "x"}
    )
    provider = provider_from(settings, {})
    assert isinstance(provider, FixedUser)
    assert provider.person == OnCallPerson("Ana", "ana@example.com", "x", None)


def test_rotation_settings_build_a_rotation() -> None:
    settings = ADAPTER.validate_python(
        {
            "provider": "rotation",
            "timezone": "Europe/Paris",
            "handoff": {"weekday": "monday", "time": "09:00"},
            "start": "2027-03-01",
            "people": [
                {"name": "Ana", "email": "ana@example.com", "jira_account_id": "acc-ana"},
                {"name": "Bo", "email": "bo@example.com", "jira_user_name": "bo"},
                {"name": "Cy", "email": "cy@example.com"},
            ],
        }
    )
    provider = provider_from(settings, {})
    assert isinstance(provider, Rotation)
    assert provider.on_call(datetime(2027, 3, 8, 9, 0, tzinfo=PARIS)) == BO


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"handoff": {"weekday": "funday", "time": "09:00"}}, "monday"),
        ({"handoff": {"weekday": "monday", "time": 540}}, 'like "09:00"'),
        ({"people": []}, "at least 1"),
        ({"token": "x"}, "Extra inputs are not permitted"),
        ({"provider": "oracle"}, "unknown on-call provider 'oracle'; the providers are fixed"),
    ],
)
def test_rotation_settings_reject_mistakes(change: dict[str, Any], message: str) -> None:
    data: dict[str, Any] = {
        "provider": "rotation",
        "timezone": "Europe/Paris",
        "handoff": {"weekday": "monday", "time": "09:00"},
        "start": "2027-03-01",
        "people": [{"name": "Ana", "email": "ana@example.com"}],
    }
    with pytest.raises(ValidationError, match=message):
        ADAPTER.validate_python(data | change)


def test_every_settings_field_is_described() -> None:
    schema = ADAPTER.json_schema()
    for name, model in schema["$defs"].items():
        for field, spec in model.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{field} has no description"
