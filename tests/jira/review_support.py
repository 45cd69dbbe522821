"""Gateways for the Jira tests: on ``responses`` (nothing sent on connect), or on the
fake Jira's socket."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator
from datetime import datetime

import requests

from campaign_guard.jira.gateway import JiraGateway
from campaign_guard.jira.settings import Credentials, JiraSettings
from campaign_guard.jira.snapshot import Snapshot
from campaign_guard.retry import RetryPolicy
from campaign_guard.secret import Secret
from testing.fake_jira import FakeJira

CANARY = "CANARY-review-5d1e"
CLOUD = "https://example.atlassian.net"
DC = "https://jira.example.com"


class Sleeps(list[float]):
    """A ``time.sleep`` that records how long it was asked to wait."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def site(cloud: bool) -> str:
    return CLOUD if cloud else DC


def gateway(cloud: bool) -> JiraGateway:
    """A gateway whose requests ``responses`` answers; its sleeps are instant."""
    settings = JiraSettings(site=site(cloud), project="OPS", retry_budget_seconds=60)
    creds = (
        Credentials("basic", Secret(CANARY), "bot@example.com")
        if cloud
        else Credentials("bearer", Secret(CANARY))
    )
    policy = RetryPolicy(attempts=3, budget=60, sleep=lambda _s: None, jitter=lambda: 1.0)
    return JiraGateway.connect(settings, creds, session=requests.Session(), retry=policy)


def snapshot(digest: str = "a" * 64, campaign_id: str = "spring-sale") -> Snapshot:
    fields: dict[str, str | tuple[str, ...] | None] = {
        "name": "Spring sale",
        "launch": "2027-03-01 09:00 Europe/Paris",
        "channels": ("email: 80,000 recipients",),
        "targets": ("https://example.com/spring",),
        "data_fields": (),
        "estimate": "OK: web at 60% of capacity",
    }
    return Snapshot(campaign_id, fields, digest)


@contextlib.contextmanager
def fake_gateway(
    fake: FakeJira,
    sleep: Callable[[float], None],
    *,
    token: str = "t0ken",
    timeout: float = 0.5,
    now: Callable[[], datetime] | None = None,
) -> Iterator[JiraGateway]:
    """A gateway on the running ``fake`` (Cloud or Data Center as it plays)."""
    # the fake speaks plain HTTP on 127.0.0.1, which JiraSettings' https rule refuses
    settings = JiraSettings.model_construct(
        site=fake.url,
        deployment="cloud" if fake.cloud else "data-center",
        project="OPS",
        timeout_seconds=timeout,
        retry_budget_seconds=60,
    )
    creds = (
        Credentials("basic", Secret(token), "bot@example.com")
        if fake.cloud
        else Credentials("bearer", Secret(token))
    )
    policy = RetryPolicy(attempts=4, budget=60, sleep=sleep, jitter=lambda: 1.0)
    if now is not None:
        policy = dataclasses.replace(policy, now=now)
    with requests.Session() as session:
        gw = JiraGateway.connect(settings, creds, session=session, retry=policy)
        yield gw
        gw.client.close()
