"""Who is on call now (the assignee) and at launch, from the project's ``oncall:`` section."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from campaign_guard.oncall.base import OnCallError, OnCallPerson
from campaign_guard.oncall.settings import OnCallSettings
from campaign_guard.spec.campaign import CampaignSpec


def on_call(
    oncall: OnCallSettings | None,
    spec: CampaignSpec,
    environ: Mapping[str, str],
    now: datetime,
    warnings: list[str],
) -> tuple[OnCallPerson | None, OnCallPerson | None]:
    """Who is on call now (the assignee) and at launch, or (None, None) without ``oncall:``.

    Not knowing who is on call now raises :class:`OnCallError` (the ticket must go to
    someone); not knowing who is on call at launch (a schedule not planned that far
    ahead) is a warning, and the ticket says so.
    """
    if oncall is None:
        warnings.append(
            "no oncall: section in the project file, so the ticket is unassigned; add one "
            "so the DevOps engineer on call gets it"
        )
        return None, None
    from campaign_guard.oncall.providers import provider_from

    provider = provider_from(oncall, environ)
    person = provider.on_call(now)
    try:
        at_launch = provider.on_call(spec.launch.start)
    except OnCallError as exc:
        warnings.append(f"who is on call at launch is not known yet ({exc})")
        at_launch = None
    return person, at_launch


def on_call_at(
    oncall: OnCallSettings | None, environ: Mapping[str, str]
) -> Callable[[datetime], OnCallPerson | None]:
    """Who is on call at a given moment, or None when that is not known (no ``oncall:``
    section, a provider that cannot answer, a schedule not planned that far ahead): a
    review shows the name when it can and never fails for want of it."""

    def ask(at: datetime) -> OnCallPerson | None:
        if oncall is None:
            return None
        from campaign_guard.errors import SetupError
        from campaign_guard.oncall.providers import provider_from

        try:
            return provider_from(oncall, environ).on_call(at)
        except (OnCallError, SetupError):
            return None

    return ask
