"""Traffic channels: where the visitors of a campaign come from.

Each channel asks for the figure a marketer actually knows (the size of the mailing
list, the ad budget, the TV audience) and lets them override the engagement rates the
estimator would otherwise take from published benchmarks. Any channel also accepts
``expected_visits`` when the marketer simply knows how many visits to expect.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Annotated, ClassVar, Literal, get_args

from pydantic import BaseModel, ConfigDict, Discriminator, Field, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from campaign_guard.spec.bounds import MAX_BUDGET, MAX_PEOPLE, OUT_OF_RANGE, grouped
from campaign_guard.spec.field_errors import detail, raise_details
from campaign_guard.spec.types import Amount, Count, Duration, Moment, PlainText, Rate, Url


class _Channel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: PlainText | None = Field(None, description="A name for this part of the campaign.")
    start: Moment | None = Field(
        None,
        description="When this channel goes out, if not at the launch time. Without a "
        "time zone, the launch's time zone applies.",
    )
    expected_visits: Count | None = Field(
        None, description="Visits you expect from this channel, if you know the figure."
    )
    landing_page: Url | None = Field(
        None, description="Which of the campaign's landing pages this channel links to."
    )

    # The fields that size the channel's audience; one of them (or expected_visits) is needed.
    _audience: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _require_audience(self) -> _Channel:
        if self.expected_visits is not None or not self._audience:
            return self
        if all(getattr(self, name) is None for name in self._audience):
            names = dict.fromkeys((*self._audience, "expected_visits"))
            wanted = " or ".join(f"`{name}`" for name in names)
            raise PydanticCustomError(
                "missing_field",
                "this {channel} entry needs {wanted}",
                {"wanted": wanted, "channel": getattr(self, "channel", "")},
            )
        return self

    @model_validator(mode="after")
    def _plausible(self) -> _Channel:
        raise_details(self, list(self._out_of_range()))
        return self

    def _out_of_range(self) -> Iterator[InitErrorDetails]:
        """Every count of the channel (each field of the model that is a :data:`Count`)
        beyond :data:`MAX_PEOPLE`."""
        for name in count_fields(type(self)):
            value = getattr(self, name)
            if value is not None and value > MAX_PEOPLE:
                yield _beyond(name, value, MAX_PEOPLE, _REACH)


@functools.cache
def count_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` that are counts (``list_size``, ``recipients``...)."""
    return tuple(
        name
        for name, info in model.model_fields.items()
        if info.annotation == Count or Count in get_args(info.annotation)
    )


def _beyond(name: str, value: float, most: float, words: str) -> InitErrorDetails:
    """``name`` is ``value``, more than ``most`` (``words`` say why that is the limit)."""
    return detail(
        (name,),
        value,
        "is {figure}; the plausible range is 0 to {most} ({words}): check the digits",
        OUT_OF_RANGE,
        figure=grouped(value),
        most=grouped(most),
        words=words,
    )


_REACH = "a billion, more than any campaign reaches"


class _Messaging(_Channel):
    send_over: Duration | None = Field(
        None, description="How long sending takes from first to last message (e.g. 30m)."
    )


class Email(_Messaging):
    channel: Literal["email"]
    list_size: Count | None = Field(None, description="How many people receive the email.")
    open_rate: Rate | None = Field(None, description="Share who open it (e.g. 22%).")
    click_rate: Rate | None = Field(None, description="Share of recipients who click (e.g. 3%).")
    tracked_links: Count | None = Field(
        None, description="How many tracked links the email has (mail scanners follow each)."
    )
    images_from_origin: bool | None = Field(
        None,
        description="Whether the email's images are served by our own servers rather than "
        "the email platform or a CDN.",
    )
    origin_assets: Count | None = Field(
        None,
        description="How many images or other files in the email our own servers serve "
        "(each open and each privacy-proxy prefetch loads them); 0 when the email platform "
        "or a CDN serves them all.",
    )
    _audience = ("list_size",)

    @model_validator(mode="after")
    def _origin_assets_agree(self) -> Email:
        found = []
        if self.images_from_origin is False and self.origin_assets:
            found.append(
                detail(
                    ("origin_assets",),
                    self.origin_assets,
                    "is {count}, but images_from_origin: false says our servers serve no "
                    "image: keep one of the two",
                    count=self.origin_assets,
                )
            )
        raise_details(self, found)
        return self

    def assets_from_origin(self) -> int | None:
        """The files our servers serve per open: ``origin_assets``; 0 when
        ``images_from_origin`` is false or not given; ``None`` when it is true without
        a count (the default count applies)."""
        if self.origin_assets is not None:
            return self.origin_assets
        return None if self.images_from_origin else 0


class Sms(_Messaging):
    channel: Literal["sms"]
    recipients: Count | None = Field(None, description="How many people receive the SMS.")
    click_rate: Rate | None = Field(None, description="Share of recipients who tap the link.")
    _audience = ("recipients",)


class Push(_Messaging):
    channel: Literal["push"]
    recipients: Count | None = Field(
        None, description="How many app users (devices) receive the notification."
    )
    open_rate: Rate | None = Field(None, description="Share who open the notification.")
    _audience = ("recipients",)


class _Paid(_Channel):
    budget: Amount | None = Field(None, description="Total spend on this channel.")
    currency: str | None = Field(
        None, pattern=r"^[A-Z]{3}$", description="ISO 4217 code of the budget, e.g. EUR."
    )
    cost_per_click: Amount | None = Field(None, gt=0, description="Expected cost per click.")
    impressions: Count | None = Field(None, description="Expected ad impressions.")
    click_rate: Rate | None = Field(None, description="Share of impressions clicked (CTR).")
    _audience = ("budget", "impressions")

    def _out_of_range(self) -> Iterator[InitErrorDetails]:
        yield from super()._out_of_range()
        budget = self.budget
        if budget is not None and budget > MAX_BUDGET:
            yield _beyond(
                "budget", budget, MAX_BUDGET, "more than any campaign spends, in any currency"
            )
        elif (
            budget is not None and self.cost_per_click and budget / self.cost_per_click > MAX_PEOPLE
        ):
            yield detail(
                ("budget",),
                budget,
                "buys {clicks} clicks at {cost} per click; the plausible range is 0 to {most} "
                "clicks ({words}): check the budget and `cost_per_click`",
                OUT_OF_RANGE,
                clicks=grouped(budget / self.cost_per_click),
                cost=f"{self.cost_per_click:g}",
                most=grouped(MAX_PEOPLE),
                words=_REACH,
            )


class PaidSocial(_Paid):
    channel: Literal["paid_social"]


class PaidSearch(_Paid):
    channel: Literal["paid_search"]


class Display(_Paid):
    channel: Literal["display"]


class TvRadio(_Channel):
    channel: Literal["tv_radio"]
    viewers: Count | None = Field(None, description="Audience of each spot (viewers/listeners).")
    spots: list[Moment] = Field(
        default_factory=list,
        max_length=500,
        description="When each spot airs. Without a time zone, the launch's applies. "
        "Empty: one spot at the channel's start.",
    )
    spot_length: Duration | None = Field(None, description="Length of one spot (e.g. 30s).")
    response_rate: Rate | None = Field(
        None, description="Share of the audience who visit the site after a spot."
    )
    _audience = ("viewers",)


class Influencer(_Channel):
    channel: Literal["influencer"]
    followers: Count | None = Field(None, description="Followers reached by the posts.")
    engagement_rate: Rate | None = Field(None, description="Share of followers who click.")
    _audience = ("followers",)


class OrganicPr(_Channel):
    channel: Literal["organic_pr"]
    _audience = ("expected_visits",)


class PartnerAffiliate(_Channel):
    channel: Literal["partner_affiliate"]
    audience: Count | None = Field(None, description="People the partners reach.")
    click_rate: Rate | None = Field(None, description="Share of that audience who click.")
    _audience = ("audience",)


Channel = Annotated[
    Email
    | Sms
    | Push
    | PaidSocial
    | PaidSearch
    | Display
    | TvRadio
    | Influencer
    | OrganicPr
    | PartnerAffiliate,
    Discriminator("channel"),
]


CHANNEL_MODELS: dict[str, type[_Channel]] = {
    get_args(model.model_fields["channel"].annotation)[0]: model
    for model in (
        Email,
        Sms,
        Push,
        PaidSocial,
        PaidSearch,
        Display,
        TvRadio,
        Influencer,
        OrganicPr,
        PartnerAffiliate,
    )
}


def audience_field(channel: str) -> str:
    """The field that sizes ``channel``'s audience (``list_size`` for email...)."""
    return CHANNEL_MODELS[channel]._audience[0]


CHANNELS = tuple(CHANNEL_MODELS)
"""Every channel name, in the order the spec documents them."""
