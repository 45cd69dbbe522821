"""A starter for a channel the estimate cannot count without one more figure has a line
for it, and with that line filled in it passes ``lint --strict``."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from campaign_guard.starters import NEEDED_HINTS
from tests.conftest import RunCli

LAUNCH = f"{date.today() + timedelta(days=365)} 20:00"
"""A year ahead: past the review's lead time, and within the two years lint accepts."""
FLAGS = (
    "--name", "Spring Push", "--owner", "jane@example.com", "--launch", LAUNCH,
    "--timezone", "Europe/Paris", "--audience", "20k",
    "--landing-page", "https://www.example.com/spring",
)  # fmt: skip
NEEDS = {
    "tv_radio": ("response_rate", "0.3%"),
    "paid_social": ("cost_per_click", "0.85"),
    "paid_search": ("cost_per_click", "0.85"),
    "display": ("cost_per_click", "0.85"),
    "influencer": ("engagement_rate", "1.5%"),
    "partner_affiliate": ("click_rate", "2%"),
}


@pytest.mark.parametrize("channel", list(NEEDS))
def test_the_needed_figure_has_its_line(channel: str, cli: RunCli, workdir: Path) -> None:
    field, value = NEEDS[channel]
    assert cli("init", *FLAGS, "--channel", channel, "--timezone", "Europe/Paris")[0] == 0
    spec = workdir / "campaigns" / "spring-push.yaml"
    text = spec.read_text(encoding="utf-8")
    line = f"    {field}:  # fill in: {NEEDED_HINTS[field]} (needed for the estimate)\n"
    assert line in text
    code, out, _ = cli("lint", "--strict", str(spec))
    assert code == 1
    assert re.search(rf"traffic\[0\]\.{field}: .*\[uncounted-traffic\]", out)
    spec.write_text(text.replace(f"    {field}:  #", f"    {field}: {value}  #"), "utf-8")
    assert cli("lint", "--strict", str(spec))[:2] == (0, "")


@pytest.mark.parametrize("channel", ["email", "sms", "push"])
def test_channels_with_published_rates_need_no_more(
    channel: str, cli: RunCli, workdir: Path
) -> None:
    assert cli("init", *FLAGS, "--channel", channel)[0] == 0
    spec = workdir / "campaigns" / "spring-push.yaml"
    assert "fill in:" not in spec.read_text(encoding="utf-8")
    assert cli("lint", "--strict", str(spec))[:2] == (0, "")
