"""Whether an address may carry a secret: ``https://``, or plain ``http://`` to this
machine only (a local test server), with no user, query or fragment in it."""

from __future__ import annotations

from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def safe_service_url(value: str) -> bool:
    """True when ``value`` is an https address, or an http one on this machine."""
    parts = urlsplit(value.strip())
    local_test = parts.scheme == "http" and parts.hostname in LOOPBACK
    return (
        (parts.scheme == "https" or local_test)
        and bool(parts.hostname)
        and not (parts.query or parts.fragment or parts.username or parts.password)
    )
