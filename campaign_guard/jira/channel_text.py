"""One line per traffic channel for the ticket: every field the marketer gave, in words.

``email (Newsletter): list of 50,000; click rate 2.9%; sent over 20m; to https://…``

Every field of every channel model has a way to be shown here (:data:`SHOWN`), in the
order the line reads; a field added to a channel without one is a test failure, not a
crash on the marketer's screen (an unknown field still shows as ``name value``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import Any

from campaign_guard.spec.channels import Channel

SPOTS_SHOWN = 5
"""Air times listed before "and N more"."""

Show = Callable[[Any, Channel, tzinfo], str | None]
"""A field's value (never None), its channel and the launch's zone → its words."""


def channel_line(channel: Channel, zone: tzinfo) -> str:
    """The channel's name and label, then every field it sets."""
    name = channel.channel.replace("_", " ")
    if channel.label:
        name += f" ({channel.label})"
    parts = []
    for field in _ordered(channel):
        value = getattr(channel, field)
        if value is None or value == []:
            continue
        show = SHOWN.get(field, _unknown(field))
        text = show(value, channel, zone)
        if text:
            parts.append(text)
    return f"{name}: {'; '.join(parts)}" if parts else name


def _ordered(channel: Channel) -> list[str]:
    fields = type(channel).model_fields
    known = [name for name in SHOWN if name in fields]
    return known + [name for name in fields if name not in SHOWN and name not in NOT_SHOWN]


def _count(text: str) -> Show:
    return lambda value, _channel, _zone: text.format(f"{value:,}")


def _money(text: str) -> Show:
    """An amount as given (``0.85``, ``40,000``), with the channel's currency."""

    def show(value: Any, channel: Channel, _zone: tzinfo) -> str:
        amount = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
        currency = getattr(channel, "currency", None)
        return text.format(f"{amount} {currency}" if currency else amount)

    return show


def _rate(name: str) -> Show:
    words = name.replace("_", " ")
    return lambda value, _channel, _zone: f"{words} {value * 100:g}%"


def _rates(*names: str) -> dict[str, Show]:
    return {name: _rate(name) for name in names}


def _spots(value: Any, _channel: Channel, zone: tzinfo) -> str:
    times = [moment(_zoned(when, zone), zone) for when in value[:SPOTS_SHOWN]]
    more = len(value) - SPOTS_SHOWN
    listed = ", ".join(times) + (f" and {more} more" if more > 0 else "")
    return f"{len(value)} spot{'s' if len(value) != 1 else ''} at {listed}"


def _images(value: Any, _channel: Channel, _zone: tzinfo) -> str:
    return "images from our own servers" if value else "images from the email platform or a CDN"


def _start(value: Any, _channel: Channel, zone: tzinfo) -> str:
    return f"from {moment(_zoned(value, zone), zone)}"


def _unknown(field: str) -> Show:
    return lambda value, _channel, _zone: f"{field.replace('_', ' ')} {value}"


SHOWN: dict[str, Show] = {
    "list_size": _count("list of {}"),
    "recipients": _count("{} recipients"),
    "audience": _count("audience of {}"),
    "followers": _count("{} followers"),
    "viewers": _count("{} viewers"),
    "spots": _spots,
    "spot_length": lambda value, _c, _z: f"spots of {duration(value)}",
    "impressions": _count("{} impressions"),
    "budget": _money("budget {}"),
    "cost_per_click": _money("{} per click"),
    "expected_visits": _count("{} expected visits"),
    "tracked_links": _count("{} tracked links"),
    "images_from_origin": _images,
    **_rates("open_rate", "click_rate", "response_rate", "engagement_rate"),
    "send_over": lambda value, _c, _z: f"sent over {duration(value)}",
    "start": _start,
    "landing_page": lambda value, _c, _z: f"to {value}",
}
"""How each channel field reads, in the order the line lists them."""

NOT_SHOWN = frozenset({"channel", "label", "currency"})
"""Shown otherwise: the channel and label lead the line, the currency follows amounts."""


def duration(value: timedelta) -> str:
    """``1d 2h``, ``20m``, ``30s``."""
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    text = " ".join(f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "m")) if n)
    return text or f"{int(value.total_seconds())}s"


def _zoned(moment: datetime, zone: tzinfo) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def moment(when: datetime, zone: tzinfo) -> str:
    """``Tue 7 Dec 2027 09:00 EST``."""
    local = when.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y %H:%M} {local.tzname() or ''}".strip()
