"""The campaign spec: one YAML file per campaign, written by marketing.

It carries the five things a DevOps review needs, in words a marketer uses:

1. the campaign's ``name`` (and a stable ``id`` to find it in logs and tickets);
2. the ``launch``: when it starts, in which time zone, and when it ends;
3. the expected ``traffic``, channel by channel;
4. the ``landing_pages`` and API ``endpoints`` it sends people to;
5. the ``new_data_fields`` it collects, and which of them are personal data.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from campaign_guard.spec.bounds import MAX_CAMPAIGN, OUT_OF_RANGE
from campaign_guard.spec.channels import Channel, TvRadio
from campaign_guard.spec.field_errors import detail, raise_details
from campaign_guard.spec.types import (
    Duration,
    Email,
    Endpoint,
    Figure,
    LongText,
    Moment,
    PlainText,
    Slug,
    Url,
)
from campaign_guard.spec.zones import abbreviation_hint, region_city_problem

SCHEMA_VERSION = 1

_STRICT = ConfigDict(extra="forbid", frozen=True)


@functools.lru_cache(maxsize=64)
def time_zone(name: str) -> tzinfo:
    """The IANA zone ``name``; cached, since ZoneInfo's own cache holds only 8 zones.

    A name this machine knows must still be a Region/City name (or UTC, or a legacy
    name): ``localtime`` or ``posixrules`` would mean another zone on another machine.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        hint = abbreviation_hint(name) or "; use a name like America/New_York or Europe/Paris"
        raise PydanticCustomError(
            "timezone", "unknown time zone '{name}'{hint}", {"name": name[:60], "hint": hint}
        ) from None
    problem = region_city_problem(name)
    if problem is not None:
        raise PydanticCustomError("timezone", "{problem}", {"problem": problem})
    return zone


class Launch(BaseModel):
    """When the campaign goes live and for how long."""

    model_config = _STRICT

    timezone: str | None = Field(
        None,
        max_length=64,
        description="IANA time zone of the times below, e.g. America/New_York. Needed "
        "unless every time carries its own offset (2027-03-02T09:00-05:00).",
    )
    start: Moment = Field(description="When the campaign goes live, e.g. 2027-03-02 09:00.")
    end: Moment | None = Field(None, description="When it ends (or give `duration`).")
    duration: Duration | None = Field(None, description="How long it runs, e.g. 7d or 36h.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            time_zone(value)
        return value

    @field_validator("start", "end")
    @classmethod
    def _with_zone(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        if "timezone" not in info.data:
            return value  # the time zone itself is wrong, and reported on its own line
        zone = info.data["timezone"]
        if zone is None:
            raise PydanticCustomError(
                "timezone",
                "this time has no time zone; add `timezone: America/New_York` (your zone) "
                "to launch, or write the offset, like 2027-03-02T09:00-05:00",
            )
        return value.replace(tzinfo=time_zone(zone))

    @model_validator(mode="after")
    def _one_end(self) -> Launch:
        if (self.end is None) == (self.duration is None):
            raise PydanticCustomError(
                "missing_field" if self.end is None else "invalid_value",
                "give either `end` or `duration`" + ("" if self.end is None else ", not both"),
            )
        if self.end is not None and self.end <= self.start:
            raise PydanticCustomError("invalid_value", "`end` must be after `start`")
        length = self.ends - self.start
        if length > MAX_CAMPAIGN:
            raise_details(
                self,
                [
                    detail(
                        ("end" if self.end is not None else "duration",),
                        self.end or self.duration,
                        "makes the campaign run {days} days; a campaign runs at most a year "
                        "({most} days): check the year",
                        OUT_OF_RANGE,
                        days=f"{length.days:,}",
                        most=MAX_CAMPAIGN.days,
                    )
                ],
            )
        return self

    @property
    def ends(self) -> datetime:
        """The end of the campaign, from ``end`` or ``start + duration``."""
        return self.end if self.end is not None else self.start + (self.duration or timedelta())

    @property
    def zone(self) -> tzinfo:
        """The time zone the marketer thinks in."""
        if self.timezone is not None:
            return time_zone(self.timezone)
        assert self.start.tzinfo is not None  # guaranteed by _with_zone
        return self.start.tzinfo


class DataField(BaseModel):
    """A piece of information the campaign collects that the product did not before."""

    model_config = _STRICT

    name: PlainText = Field(max_length=64, description="What it is, e.g. phone_number.")
    personal_data: StrictBool = Field(
        description="true if it identifies a person or is about one (name, email, phone, "
        "address, birthday, IP address...)."
    )
    purpose: PlainText | None = Field(None, description="Why the campaign collects it.")
    privacy_review: PlainText | None = Field(
        None, description="The privacy review that approved it (ticket key or link)."
    )


class AssumptionRange(BaseModel):
    """A default replaced by a range: the low, expected and high scenarios."""

    model_config = _STRICT

    low: Figure
    expected: Figure
    high: Figure

    @model_validator(mode="after")
    def _ordered(self) -> AssumptionRange:
        if not self.low <= self.expected <= self.high:
            raise PydanticCustomError("invalid_value", "needs low <= expected <= high")
        return self


class Link(BaseModel):
    model_config = _STRICT

    title: PlainText
    url: Url


class CampaignSpec(BaseModel):
    """A marketing campaign, as marketing describes it for the capacity review."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="campaign-guard campaign spec",
        json_schema_extra={"$id": "https://example.invalid/campaign-guard/campaign-spec.json"},
    )

    schema_version: Literal[1] = Field(description="Version of this file format: 1.")
    kind: Literal["campaign"] = Field(
        "campaign",
        description="What this file is: `campaign` (the default, may be left out). "
        "A capacity profile says `kind: capacity-profile`.",
    )
    name: PlainText = Field(
        max_length=120, description="The campaign's name, e.g. Spring Sale 2027."
    )
    id: Slug | None = Field(
        None,
        description="Stable id used in tickets and logs; made from the name when left out.",
    )
    owner: Email = Field(description="Email of the person responsible for the campaign.")
    team: PlainText | None = Field(None, max_length=120, description="The team running it.")
    promo_code: str | None = Field(
        None,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$",
        description="Promo or referral code in the campaign's links, to find it in logs.",
    )
    launch: Launch
    traffic: list[Channel] = Field(
        min_length=1, max_length=50, description="Where visitors come from, channel by channel."
    )
    landing_pages: list[Url] = Field(
        default_factory=list, max_length=50, description="Pages the campaign links to."
    )
    endpoints: list[Endpoint] = Field(
        default_factory=list,
        max_length=50,
        description="API endpoints the campaign hits, as METHOD /path (e.g. POST /api/signup).",
    )
    new_data_fields: list[DataField] = Field(
        max_length=100,
        description="Information collected that the product did not collect before "
        "(write [] if none).",
    )
    links: list[Link] = Field(default_factory=list, max_length=50)
    assumptions: dict[str, Figure | AssumptionRange] = Field(
        default_factory=dict,
        max_length=50,
        description="Replace a default of the load model for this campaign, by its key in "
        "docs/load-model.md, e.g. `email.scanned_share: 5%` or `organic_pr.half_life: 2d`. "
        "One figure for every scenario, or low/expected/high.",
    )
    notes: LongText | None = None
    jira_key: str | None = Field(
        None,
        pattern=r"^[A-Z][A-Z0-9_]{0,254}-[1-9][0-9]*$",
        description="The Jira issue of this campaign, once submitted (e.g. OPS-123).",
    )

    @field_validator("assumptions")
    @classmethod
    def _known_assumptions(
        cls, value: dict[str, float | AssumptionRange]
    ) -> dict[str, float | AssumptionRange]:
        if not value:
            return value
        import difflib

        from campaign_guard.defaults import DEFAULT  # only when there are any

        for key in value:
            if key not in DEFAULT:
                close = difflib.get_close_matches(key, list(DEFAULT), n=1, cutoff=0.7)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise PydanticCustomError(
                    "invalid_value",
                    "unknown assumption '{key}'{hint}; the keys are listed in docs/load-model.md",
                    {"key": key[:60], "hint": hint},
                )
        return value

    @model_validator(mode="after")
    def _assumptions_in_range(self) -> CampaignSpec:
        """Every replaced default within the range of its kind (a send rate of 0 would
        divide by zero), and the pairs that must stay apart, apart."""
        if not self.assumptions:
            return self
        from campaign_guard.defaults import DEFAULT
        from campaign_guard.spec.assumptions import order_problems, range_problems

        units = {key: DEFAULT[key].unit for key in self.assumptions}
        details = list(range_problems(self.assumptions, units))
        if not details:
            defaults = {k: (d.low, d.expected, d.high) for k, d in DEFAULT.items()}
            details = list(order_problems(self.assumptions, defaults))
        raise_details(self, details)
        return self

    @model_validator(mode="after")
    def _channels_in_campaign(self) -> CampaignSpec:
        """Every channel's start and TV spot falls within the campaign: a wrong year
        would move the peak months away, and the estimate with it."""
        launch = self.launch
        details = [
            detail(loc, moment, message, when=say_when(moment.astimezone(launch.zone)))
            for loc, moment, message in self._times_outside()
        ]
        raise_details(self, details)
        return self

    def _times_outside(self) -> Iterator[tuple[tuple[str | int, ...], datetime, str]]:
        launch = self.launch
        zone = launch.zone
        before = f"is {{when}}, before the launch ({say_when(launch.start.astimezone(zone))})"
        after = f"is {{when}}, when the campaign is over ({say_when(launch.ends.astimezone(zone))})"
        check = "; check the date and the year"
        for loc, moment in self.written_times():
            if loc[0] == "launch":
                continue
            aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
            if aware < launch.start:
                yield loc, aware, before + check
            elif aware >= launch.ends:
                yield loc, aware, after + check

    def written_times(self) -> Iterator[tuple[tuple[str | int, ...], datetime]]:
        """Every time the spec gives, where: the launch's start and end, each channel's
        start and each TV spot (channel times as written: without a zone if it had none)."""
        yield ("launch", "start"), self.launch.start
        if self.launch.end is not None:
            yield ("launch", "end"), self.launch.end
        for index, channel in enumerate(self.traffic):
            if channel.start is not None:
                yield ("traffic", index, "start"), channel.start
            if isinstance(channel, TvRadio):
                for n, spot in enumerate(channel.spots):
                    yield ("traffic", index, "spots", n), spot

    @model_validator(mode="after")
    def _has_target(self) -> CampaignSpec:
        if not self.landing_pages and not self.endpoints:
            raise PydanticCustomError(
                "missing_field",
                "give at least one of `landing_pages` or `endpoints`, so DevOps knows "
                "which part of the site the campaign hits",
            )
        return self

    @property
    def campaign_id(self) -> str:
        """``id`` if given, else a slug of the name (stable across runs and machines)."""
        return self.id or slugify(self.name)


def say_when(moment: datetime) -> str:
    """``Tue 7 Dec 2027 09:00 EST``: a moment as people read it, in its own zone.

    A time the clocks skip (02:30 as they spring forward) is said as the instant it is
    (03:30 EDT), not as written with the wrong abbreviation (02:30 EST).
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).astimezone(moment.tzinfo)
    return f"{moment:%a} {moment.day} {moment:%b %Y %H:%M %Z}"


ID_LENGTH = 64
"""The longest campaign id (and so the longest slug)."""


@functools.lru_cache(maxsize=4096)
def slugify(name: str) -> str:
    """``"Spring Sale 2027!"`` → ``"spring-sale-2027"``.

    The campaign's ticket is found by a label made from this id, so two different names
    must never give the same one. Accents and punctuation may go (``Café`` is ``cafe``),
    but when letters the slug cannot spell are dropped (``春季 Sale`` and ``夏季 Sale``
    would both be ``sale``) or the slug is cut short, a digest of the whole name is
    added: ``sale-1f3a9c2e``.
    """
    normal = unicodedata.normalize("NFKC", name)
    ascii_text = unicodedata.normalize("NFKD", normal).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    digest = hashlib.sha256(normal.casefold().encode()).hexdigest()
    if not slug:
        return "campaign-" + digest[:10]
    if len(slug) > ID_LENGTH or any(_unspelled(ch) for ch in normal):
        return f"{slug[: ID_LENGTH - 9].strip('-')}-{digest[:8]}"
    return slug


def _unspelled(ch: str) -> bool:
    """A letter or digit the ASCII slug cannot spell, even without its accents."""
    return ch.isalnum() and not unicodedata.normalize("NFKD", ch).encode("ascii", "ignore")
