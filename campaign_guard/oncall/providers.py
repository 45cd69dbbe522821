"""Every on-call provider, registered once: :class:`ProviderKind`.

A provider is its settings model (the ``oncall:`` section that names it, in
:mod:`.settings`) and here: how to ask it who is on call, what ``doctor`` checks before
asking, and what the dry run says when asking needs the network. :data:`PROVIDER_KINDS`
holds them by name; :func:`provider_from` builds the provider a project file describes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

from campaign_guard.oncall.base import ENV_TOKEN, JiraIdentity, OnCallError, OnCallProvider
from campaign_guard.oncall.fixed import FixedUser
from campaign_guard.oncall.rotation import WEEKDAYS, Rotation
from campaign_guard.oncall.settings import (
    FixedSettings,
    PagerDutySettings,
    ProviderSettings,
    RotationSettings,
    provider_name,
)
from campaign_guard.spec.campaign import time_zone

if TYPE_CHECKING:
    import requests

S = TypeVar("S", bound=BaseModel)


@dataclass(frozen=True)
class ProviderKind(Generic[S]):
    """One on-call provider: its settings, how to ask it, what ``doctor`` checks first."""

    settings: type[S]
    """The model of the ``oncall:`` section that names it."""
    ask: Callable[[S, Mapping[str, str], requests.Session | None], OnCallProvider]
    """The provider those settings describe (secrets from the environment given only),
    to ask who is on call; raises :class:`OnCallError` when it cannot be set up."""
    doctor: Callable[[S, Mapping[str, str]], str | None]
    """What ``doctor`` checks before asking: the problem with the provider's setup (a
    token missing from the environment), or None."""
    asked_when_filed: str | None = None
    """What the dry run says instead of asking, for a provider on the network; None: the
    dry run asks it (it answers from the project file alone)."""
    environment: tuple[str, ...] = ()
    """The environment variables it reads (its secrets)."""

    @property
    def name(self) -> str:
        """What ``provider:`` says to choose it, from its settings model."""
        return provider_name(self.settings)


def _fixed(settings: FixedSettings, _environ: Mapping[str, str], _session: Any) -> FixedUser:
    return FixedUser(settings.person())


def _rotation(settings: RotationSettings, _environ: Mapping[str, str], _session: Any) -> Rotation:
    return Rotation(
        people=[p.person() for p in settings.people],
        handoff_weekday=WEEKDAYS.index(settings.handoff.weekday),
        handoff_time=settings.handoff.time,
        timezone=time_zone(settings.timezone),
        start=settings.start,
    )


def _nothing_to_check(_settings: BaseModel, _environ: Mapping[str, str]) -> None:
    """Settings the project file holds in full: loading it checked them."""


def _pagerduty_token(_settings: PagerDutySettings, environ: Mapping[str, str]) -> str | None:
    if environ.get(ENV_TOKEN, "").strip():
        return None
    return (
        f"the on-call provider is PagerDuty but {ENV_TOKEN} is not set: set it to a "
        "PagerDuty REST API token with read access"
    )


def _pagerduty(
    settings: PagerDutySettings,
    environ: Mapping[str, str],
    session: requests.Session | None,
) -> OnCallProvider:
    problem = _pagerduty_token(settings, environ)
    if problem is not None:
        raise OnCallError(problem)
    from campaign_guard.oncall.pagerduty import PagerDuty  # needs requests: only now

    return PagerDuty(
        environ[ENV_TOKEN].strip(),
        schedule_id=settings.schedule_id,
        escalation_policy_id=settings.escalation_policy_id,
        users_by_email={
            m.email: JiraIdentity(m.jira_account_id, m.jira_user_name) for m in settings.people
        },
        session=session,
    )


FIXED = ProviderKind(settings=FixedSettings, ask=_fixed, doctor=_nothing_to_check)
ROTATION = ProviderKind(settings=RotationSettings, ask=_rotation, doctor=_nothing_to_check)
PAGERDUTY = ProviderKind(
    settings=PagerDutySettings,
    ask=_pagerduty,
    doctor=_pagerduty_token,
    asked_when_filed="(asked from PagerDuty when filed)",
    environment=(ENV_TOKEN,),
)

PROVIDERS: tuple[ProviderKind[Any], ...] = (FIXED, ROTATION, PAGERDUTY)
PROVIDER_KINDS: Mapping[str, ProviderKind[Any]] = {kind.name: kind for kind in PROVIDERS}
"""Every provider by the name ``provider:`` gives it."""


def provider_kind(settings: ProviderSettings) -> ProviderKind[Any]:
    """The registration of the provider ``settings`` are for."""
    return PROVIDER_KINDS[settings.provider]


def provider_from(
    settings: ProviderSettings,
    environ: Mapping[str, str],
    session: requests.Session | None = None,
) -> OnCallProvider:
    """The provider ``settings`` describe; secrets come from ``environ`` only."""
    return provider_kind(settings).ask(settings, environ, session)
