"""What sits in front of the edge proxies, and how they learn the client's address.

Behind a CDN or a load balancer every request comes from the front's own addresses, so
a limit per client address would count everyone as one client. nginx's realip module
(``set_real_ip_from``, ``real_ip_header``, ``real_ip_recursive``) and HAProxy's
``http-request set-src`` take the client's address from the header the front adds, but
only from the front's own addresses: trusting anyone lets a client pick its address.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaign_guard.protect.numbers import Finding
from campaign_guard.spec.edge import Edge

HEADERS = {
    # Cloudflare documentation, "HTTP request headers": CF-Connecting-IP holds the
    # client's address; X-Forwarded-For is appended to when it already exists.
    "cloudflare": "CF-Connecting-IP",
    # Amazon CloudFront developer guide, "Adding CloudFront request headers": the
    # viewer's address is appended to X-Forwarded-For.
    "cloudfront": "X-Forwarded-For",
    "lb": "X-Forwarded-For",
}


@dataclass(frozen=True)
class Front:
    """How the proxies learn the client's address."""

    in_front: str | None
    """cloudflare, cloudfront, lb, none, or ``None`` when the profile does not say."""
    trusted: tuple[str, ...]
    header: str | None
    """The header carrying the client's address; ``None``: the connection's own."""

    @property
    def known(self) -> bool:
        return self.in_front is not None and (self.header is None or bool(self.trusted))


def front_of(edge: Edge | None) -> tuple[Front, list[Finding]]:
    """The front the profile describes, and a finding when it says too little."""
    if edge is None or edge.in_front is None:
        return Front(None, (), None), [
            Finding(
                None,
                ("edge",) if edge is not None else (),
                "edge-front-unknown",
                "the capacity profile does not say what is in front of the proxies "
                "(edge.in_front: cloudflare, cloudfront, lb or none); behind a CDN or load "
                "balancer the limit per client would count all its visitors as one client",
                "warning",
            )
        ]
    header = HEADERS.get(edge.in_front)
    front = Front(edge.in_front, tuple(edge.trusted_proxies), header)
    if header is not None and not edge.trusted_proxies:
        return front, [
            Finding(
                None,
                ("edge", "in_front"),
                "edge-front-untrusted",
                f"edge.trusted_proxies is empty, so the client's address cannot be taken "
                f"from {header}: the limit per client counts the {edge.in_front}'s addresses "
                "(list its address ranges)",
                "warning",
            )
        ]
    return front, []
