"""On-call providers: who is the DevOps engineer on call at a given moment.

Every provider has ``on_call(at) -> OnCallPerson``; build one from the project file's
``oncall:`` section with :func:`provider_from`. Each provider is registered once, in
:mod:`.providers`: its settings, how to ask it, what ``doctor`` checks first.
"""

from __future__ import annotations

import importlib
from typing import Any

from campaign_guard.oncall.base import JiraIdentity, OnCallError, OnCallPerson, OnCallProvider
from campaign_guard.oncall.fixed import FixedUser
from campaign_guard.oncall.rotation import Rotation

# Loaded on first use: the PagerDuty client needs `requests`, which the project file's
# settings (read by every command, lint included) must not import.
_LAZY = {
    "PagerDuty": "pagerduty",
    "OnCallSettings": "settings",
    "provider_from": "providers",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(name)


__all__ = [
    "FixedUser",
    "JiraIdentity",
    "OnCallError",
    "OnCallPerson",
    "OnCallProvider",
    "OnCallSettings",
    "PagerDuty",
    "Rotation",
    "provider_from",
]
