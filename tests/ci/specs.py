"""Small valid campaign specs for the tests that run campaign-guard as CI users do."""

from __future__ import annotations

from datetime import date


def minimal_spec(name: str, launch: date, campaign_id: str | None = None) -> str:
    """A spec that lints clean when ``launch`` is far enough ahead (one organic channel)."""
    id_line = f"id: {campaign_id}\n" if campaign_id else ""
    return f"""\
schema_version: 1
name: {name}
{id_line}owner: jane.doe@example.com
launch:
  timezone: UTC
  start: {launch.isoformat()} 09:00
  duration: 2d
traffic:
  - channel: organic_pr
    expected_visits: 1000
landing_pages:
  - https://www.example.com/sale
new_data_fields: []
"""
