"""E-mail: the people who click, and the machines that open every message first.

Clicks follow the log-logistic delays GetResponse's hourly data fit, from a send at the
platform's rate; mail filters follow each tracked link at delivery. When the email's
images come from our own servers, Apple's privacy proxies fetch them at delivery for
every Apple Mail recipient, and everyone else loads them when they open the email.

Apple Mail's share is published as a share of *opens* counted after its proxies began to
open every message. With ``s`` that share and ``o`` the share of other recipients who
open, Apple's recipients ``a`` satisfy ``s = a / (a + (1 - a) o)``, so
``a = s o / (1 - s + s o)``: 42 % of opens at a 22.71 % open rate is 14 % of recipients,
not 42 %.
"""

from __future__ import annotations

from collections.abc import Mapping

from campaign_guard.defaults import Default
from campaign_guard.loadmodel.channels.kind import ChannelKind
from campaign_guard.loadmodel.channels.run import MIN_SEND_S, At, burst, log_logistic
from campaign_guard.loadmodel.channels.words import (
    CLICK_RATE,
    IMAGES,
    OPEN_RATE,
    SEND_OVER,
    VISITS,
    WHEN_AND_WHERE,
    count,
)
from campaign_guard.loadmodel.kernels import Kernel
from campaign_guard.spec.channels import Email


def click_kernel(defaults: Mapping[str, Default]) -> Kernel:
    """How long after delivery people click."""
    return log_logistic(defaults, "email.click_delay")


def opens_kernel(defaults: Mapping[str, Default]) -> Kernel:
    """How long after delivery people open."""
    return log_logistic(defaults, "email.open_delay")


def apple_share(of_opens: float, open_rate: float) -> float:
    """Recipients on Apple Mail, from their share of all opens (every one of them counted
    as an open) and the open rate of everyone else (see the module's documentation)."""
    rest = 1.0 - of_opens + of_opens * open_rate
    return of_opens * open_rate / rest if rest > 0.0 else 1.0


def scanner_kernel(defaults: Mapping[str, Default]) -> Kernel:
    """How long after delivery mail filters follow the links."""
    return log_logistic(defaults, "email.scanner_delay")


def send_time(at: At, people: float) -> float:
    """How long an email platform takes to send to ``people``, in seconds."""
    return people / (at.get("email.send_rate") / 60.0)


def flows(at: At, email: Email) -> None:
    click = at.rate(email.click_rate, "email.click_rate")
    visits = at.engaged(email.list_size, click, "email.click_rate")
    people = at.recipients(email.list_size, email.click_rate)
    ramp = email.send_over.total_seconds() if email.send_over else send_time(at, people)
    ramp = max(ramp, MIN_SEND_S)
    at.sent(visits, click_kernel, ramp)
    if at.gap() is not None:  # no list_size: the visits only
        return
    delivery = burst(at.start, at.run.kernel(scanner_kernel), ramp)
    links = email.tracked_links
    links_per_email = at.get("email.tracked_links") if links is None else float(links)
    at.add("scanner", people * at.get("email.scanned_share") * links_per_email, delivery)
    given = email.assets_from_origin()
    assets = at.get("email.origin_assets") if given is None else float(given)
    if assets > 0.0:
        opening = at.rate(email.open_rate, "email.open_rate") or 0.0
        apple = apple_share(at.get("email.prefetch_share"), opening)
        at.add("prefetch", people * apple * assets, delivery, pages=[None])
        opens = burst(at.start, at.run.kernel(opens_kernel), ramp)
        at.add("open", people * (1.0 - apple) * opening * assets, opens, pages=[None])


SENT_AND_CLICKED = (
    "email.click_rate",
    "email.click_delay.median",
    "email.click_delay.shape",
    "email.send_rate",
)
"""The defaults of a send and its clicks (partner newsletters are timed by them too)."""

EMAIL = ChannelKind(
    model=Email,
    flows=flows,
    reads=(
        *SENT_AND_CLICKED,
        "email.scanned_share",
        "email.tracked_links",
        "email.scanner_delay.median",
        "email.scanner_delay.shape",
        "email.open_rate",
        "email.open_delay.median",
        "email.open_delay.shape",
        "email.prefetch_share",
        "email.origin_assets",
    ),
    phrases=(
        count("list_size", "list of {}"),
        VISITS,
        count("tracked_links", "{} tracked links"),
        IMAGES,
        count("origin_assets", "{} files from our servers"),
        OPEN_RATE,
        CLICK_RATE,
        SEND_OVER,
        *WHEN_AND_WHERE,
    ),
    audience="`list_size`",
    overrides="`open_rate`, `click_rate`, `send_over`, `tracked_links`, `images_from_origin`, "
    "`origin_assets`",
)
