"""On-call providers: who is the DevOps engineer on call at a given moment.

Every provider has ``on_call(at) -> OnCallPerson``; build one from the project file's
``oncall:`` section with :func:`provider_from`.
"""

from campaign_guard.oncall.base import JiraIdentity, OnCallError, OnCallPerson, OnCallProvider
from campaign_guard.oncall.fixed import FixedUser
from campaign_guard.oncall.pagerduty import PagerDuty, RetryPolicy, Secret
from campaign_guard.oncall.rotation import Rotation
from campaign_guard.oncall.settings import OnCallSettings, provider_from

__all__ = [
    "FixedUser",
    "JiraIdentity",
    "OnCallError",
    "OnCallPerson",
    "OnCallProvider",
    "OnCallSettings",
    "PagerDuty",
    "RetryPolicy",
    "Rotation",
    "Secret",
    "provider_from",
]
