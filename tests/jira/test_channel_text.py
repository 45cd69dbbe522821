"""Every field of every channel reads in words on the ticket; none crashes it (that each
channel has words for each of its fields: ``tests/test_channel_kinds.py``)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from pydantic import TypeAdapter

from campaign_guard.loadmodel.channels import CHANNEL_KINDS, channel_line
from campaign_guard.spec.channels import CHANNELS, Channel
from tests.channel_samples import sample_channel

ZONE = ZoneInfo("America/Chicago")
ADAPTER: TypeAdapter[Channel] = TypeAdapter(Channel)


@pytest.mark.parametrize("name", CHANNELS)
def test_every_field_the_marketer_set_is_on_the_line(name: str) -> None:
    channel = ADAPTER.validate_python(sample_channel(name, with_visits=True))
    line = channel_line(channel, ZONE)
    assert line.startswith(f"{name.replace('_', ' ')} (Spring wave): ")
    parts = line.split(": ", 1)[1].split("; ")
    assert len(parts) == len(CHANNEL_KINDS[name].phrases)  # one part per field, none dropped


def test_a_tv_spot_line_lists_its_air_times_and_amounts_read_as_given() -> None:
    tv = ADAPTER.validate_python(
        {
            "channel": "tv_radio",
            "viewers": "3.5M",
            "spots": [f"2027-04-12 19:{m:02}" for m in range(7)],
        }
    )
    assert channel_line(tv, ZONE) == (
        "tv radio: 3,500,000 viewers; 7 spots at Mon 12 Apr 2027 19:00 CDT, "
        "Mon 12 Apr 2027 19:01 CDT, Mon 12 Apr 2027 19:02 CDT, Mon 12 Apr 2027 19:03 CDT, "
        "Mon 12 Apr 2027 19:04 CDT and 2 more"
    )
    paid = ADAPTER.validate_python(
        {"channel": "paid_search", "budget": 1234.5, "currency": "EUR", "cost_per_click": 0.85}
    )
    assert channel_line(paid, ZONE) == "paid search: budget 1,234.50 EUR; 0.85 EUR per click"
