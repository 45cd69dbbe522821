"""A channel in words, one line for the ticket: every field the marketer gave.

``email (Newsletter): list of 50,000; click rate 2.9%; sent over 20m; to https://…``

Each channel's registration lists its :class:`Phrase` s in the order its line reads
them; the phrases below are what channels share. A field of a channel without a phrase
still shows, as ``name value`` (a test fails on it first).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from campaign_guard.spec.channels import Channel

SPOTS_SHOWN = 5
"""Air times listed before "and N more"."""

Say = Callable[[Any, Channel, tzinfo], str | None]
"""A field's value (never None), its channel and the launch's zone → its words."""


@dataclass(frozen=True)
class Phrase:
    """How one field of a channel reads on the ticket."""

    field: str
    say: Say


NOT_SHOWN = frozenset({"channel", "label", "currency"})
"""Shown otherwise: the channel and label lead the line, the currency follows amounts."""


def line_of(channel: Channel, zone: tzinfo, phrases: Sequence[Phrase]) -> str:
    """The channel's name and label, then every field it sets, as ``phrases`` say them."""
    name = channel.channel.replace("_", " ")
    if channel.label:
        name += f" ({channel.label})"
    said = {phrase.field for phrase in phrases}
    unsaid = [f for f in type(channel).model_fields if f not in said and f not in NOT_SHOWN]
    parts = []
    for phrase in (*phrases, *(_unknown(field) for field in unsaid)):
        value = getattr(channel, phrase.field)
        if value is None or value == []:
            continue
        text = phrase.say(value, channel, zone)
        if text:
            parts.append(text)
    return f"{name}: {'; '.join(parts)}" if parts else name


def count(field: str, text: str) -> Phrase:
    """``list of 50,000``: a count, grouped, in ``text``."""
    return Phrase(field, lambda value, _channel, _zone: text.format(f"{value:,}"))


def money(field: str, text: str) -> Phrase:
    """An amount as given (``0.85``, ``40,000``), with the channel's currency."""

    def say(value: Any, channel: Channel, _zone: tzinfo) -> str:
        amount = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
        currency = getattr(channel, "currency", None)
        return text.format(f"{amount} {currency}" if currency else amount)

    return Phrase(field, say)


def rate(field: str) -> Phrase:
    """``click rate 3%``."""
    words = field.replace("_", " ")
    return Phrase(field, lambda value, _channel, _zone: f"{words} {value * 100:g}%")


def lasting(field: str, text: str) -> Phrase:
    """``sent over 30m``: a duration in ``text``."""
    return Phrase(field, lambda value, _channel, _zone: text.format(duration(value)))


def _spots(value: Any, _channel: Channel, zone: tzinfo) -> str:
    times = [moment(_zoned(when, zone), zone) for when in value[:SPOTS_SHOWN]]
    more = len(value) - SPOTS_SHOWN
    listed = ", ".join(times) + (f" and {more} more" if more > 0 else "")
    return f"{len(value)} spot{'s' if len(value) != 1 else ''} at {listed}"


def _images(value: Any, _channel: Channel, _zone: tzinfo) -> str:
    return "images from our own servers" if value else "images from the email platform or a CDN"


def _start(value: Any, _channel: Channel, zone: tzinfo) -> str:
    return f"from {moment(_zoned(value, zone), zone)}"


def _unknown(field: str) -> Phrase:
    return Phrase(field, lambda value, _channel, _zone: f"{field.replace('_', ' ')} {value}")


SPOTS = Phrase("spots", _spots)
IMAGES = Phrase("images_from_origin", _images)
VISITS = count("expected_visits", "{} expected visits")
RECIPIENTS = count("recipients", "{} recipients")
CLICK_RATE = rate("click_rate")
OPEN_RATE = rate("open_rate")
SEND_OVER = lasting("send_over", "sent over {}")
WHEN_AND_WHERE = (
    Phrase("start", _start),
    Phrase("landing_page", lambda value, _channel, _zone: f"to {value}"),
)
"""The fields every channel has, last on its line: when it starts, where it links to."""


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
