"""A campaign spec per channel of the spec model, with every field of that channel set.

Built from :data:`campaign_guard.spec.channels.CHANNEL_MODELS`, so a new channel is
exercised by every test that uses :func:`channel_specs`; a new field without a sample
here fails :func:`sample_channel` (add its sample to :data:`SAMPLES`).
"""

from __future__ import annotations

from typing import Any

import yaml

from campaign_guard.spec.channels import CHANNEL_MODELS

PAGE = "https://www.example.com/new"
SAMPLES: dict[str, Any] = {
    "label": "Spring wave",
    "start": "2027-04-12 20:00",
    "expected_visits": "12k",
    "landing_page": PAGE,
    "send_over": "30m",
    "list_size": "50k",
    "open_rate": "22%",
    "click_rate": "3%",
    "tracked_links": 4,
    "images_from_origin": True,
    "origin_assets": 3,
    "recipients": "200,000",
    "budget": "40,000",
    "currency": "USD",
    "cost_per_click": 0.85,
    "impressions": "1.2M",
    "viewers": "3.5M",
    "spots": ["2027-04-12 19:42", "2027-04-12 21:15"],
    "spot_length": "30s",
    "response_rate": "0.3%",
    "followers": "250k",
    "engagement_rate": "1.5%",
    "audience": "80k",
}
"""A value for every field any channel has, as a marketer would write it."""


def sample_channel(channel: str, *, with_visits: bool = False) -> dict[str, Any]:
    """Every field of ``channel`` set; ``expected_visits`` only when asked (it overrides
    the audience the estimate would otherwise work from), or when it is the channel's
    only figure."""
    fields = [name for name in CHANNEL_MODELS[channel].model_fields if name != "channel"]
    missing = [name for name in fields if name not in SAMPLES]
    assert not missing, f"add a sample value for {missing} to tests/channel_samples.py"
    only_visits = CHANNEL_MODELS[channel]._audience == ("expected_visits",)
    keep = [n for n in fields if n != "expected_visits" or with_visits or only_visits]
    return {"channel": channel, **{name: SAMPLES[name] for name in keep}}


def channel_spec(channel: str) -> str:
    """A whole campaign spec (YAML) with one ``channel`` entry."""
    spec = {
        "schema_version": 1,
        "name": f"Spring {channel.replace('_', ' ')} 2027",
        "id": f"spring-{channel.replace('_', '-')}-2027",
        "owner": "maria.garcia@example.com",
        "launch": {"timezone": "America/Chicago", "start": "2027-04-12 19:00", "duration": "3d"},
        "traffic": [sample_channel(channel)],
        "landing_pages": [PAGE],
        "endpoints": ["POST /api/signup"],
        "new_data_fields": [{"name": "email", "personal_data": True, "privacy_review": "PRIV-7"}],
    }
    return yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)


def channel_specs() -> dict[str, str]:
    """``{channel: spec text}`` for every channel of the spec model."""
    return {channel: channel_spec(channel) for channel in CHANNEL_MODELS}
