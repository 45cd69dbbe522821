"""A campaign and a capacity profile small enough to work the limits out by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

# A year ahead, 09:00 UTC; the profile's baselines are the same every hour and day.
SPEC = f"""\
schema_version: 1
name: Spring Sale
id: spring-sale
owner: jane.doe@example.com
launch:
  timezone: UTC
  start: {date.today() + timedelta(days=365)} 09:00
  duration: 3d
traffic:
  - channel: email
    list_size: 200k
landing_pages:
  - https://www.example.com/spring
endpoints:
  - POST /api/signup
new_data_fields: []
"""

PROFILE = """\
schema_version: 1
kind: capacity-profile
name: Test
timezone: UTC
cdn: true
services:
  web: {requests_per_second_per_instance: 100, instances: 2, max_instances: 4}
  api:
    requests_per_second_per_instance: 250
    instances: 6
    max_instances: 20
    target_utilisation: 70%
    baseline: {weekday: 50}
routes:
  - match: https://www.example.com/*
    service: web
  - match: POST /api/signup
    service: api
    requests_per_submission: 2
edge:
  nodes: 2
  in_front: lb
  trusted_proxies: [10.0.0.0/8]
"""

Files = Callable[..., tuple[Path, Path]]


@pytest.fixture
def files(tmp_path: Path) -> Files:
    """Write the spec and the profile (each with replacements) and return their paths."""

    def write(
        spec: dict[str, str] | None = None, profile: dict[str, str] | None = None
    ) -> tuple[Path, Path]:
        spec_text, profile_text = SPEC, PROFILE
        for old, new in (spec or {}).items():
            assert old in spec_text, old
            spec_text = spec_text.replace(old, new)
        for old, new in (profile or {}).items():
            assert old in profile_text, old
            profile_text = profile_text.replace(old, new)
        (tmp_path / "spring.yaml").write_text(spec_text, encoding="utf-8")
        (tmp_path / "profile.yaml").write_text(profile_text, encoding="utf-8")
        return tmp_path / "spring.yaml", tmp_path / "profile.yaml"

    return write
