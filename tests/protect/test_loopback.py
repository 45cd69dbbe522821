"""The generated limits in real nginx and HAProxy, under load, on 127.0.0.1.

Each test starts the proxy with the generated files in front of a small upstream
(a real proxied location: a ``return`` would bypass the limits), sends a fixed number
of requests from one client, and compares what got through with the limit's rate and
burst (within 15 %). Bounded: at most 80 requests and a few seconds per test.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import campaign_guard.api as cg
from campaign_guard.protect.edge import Protected
from tests.protect.conftest import Files
from tests.protect.servers import running_haproxy, running_nginx, upstream

# One proxy, clients straight to it; 100 people behind an address x 2 requests in 10 s
# = 20 requests/s per client, burst 20: the limit per client binds (the endpoint-wide
# cap is 1,000/s).
LOOPBACK = {
    "nodes: 2\n  in_front: lb\n  trusted_proxies: [10.0.0.0/8]\n": (
        "nodes: 1\n  in_front: none\n  clients_per_address: 100\n"
    )
}
BURST = 60
TOLERANCE = 0.15
Answer = tuple[int, str | None]


def _send(port: int, method: str = "POST") -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        body = b"{}" if method == "POST" else None
        connection.request(method, "/api/signup", body=body)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Retry-After")
    finally:
        connection.close()


def _at_once(port: int, count: int = BURST) -> list[Answer]:
    """``count`` requests released together from as many threads."""
    start = threading.Barrier(count)

    def one(_: int) -> Answer:
        start.wait(timeout=10)
        return _send(port)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def _paced(port: int, per_second: float, seconds: float) -> list[Answer]:
    """Requests one after another at ``per_second`` for ``seconds``."""
    answers, begin = [], time.monotonic()
    for index in range(round(per_second * seconds)):
        delay = begin + index / per_second - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        answers.append(_send(port))
    return answers


@dataclass(frozen=True)
class Run:
    signup: Protected
    answers: list[Answer]
    log: str
    """The limiter's decisions: nginx's access log, HAProxy's request log."""
    seconds: float = 0.0
    """How long sending took: the bucket drains at the rate meanwhile."""


def _run(
    files: Files, folder: Path, target: str, send: Callable[[int], list[Answer]], *, enforce: bool
) -> Run:
    """The generated ``target`` config in front of an upstream; ``send``'s answers."""
    spec, profile = files(profile=LOOPBACK)
    log = folder / ("limits.log" if target == "nginx" else "haproxy.log")
    access_log = str(log) if target == "nginx" else None
    result = cg.protect_edge(
        [spec], capacity=profile, target=target, enforce=enforce, access_log=access_log
    )
    (signup,) = result.plan.endpoints
    assert (signup.client.rate.text, signup.client.burst) == ("20r/s", 20)
    assert signup.whole.rate.per_second >= 500  # not the one that binds here
    proxy = running_nginx if target == "nginx" else running_haproxy
    with upstream() as app, proxy(result.files, folder, app) as port:
        begin = time.monotonic()
        answers = send(port)
        took = time.monotonic() - begin
        time.sleep(0.2)  # the last log lines
    return Run(signup, answers, log.read_text(encoding="utf-8"), took)


def _near(admitted: int, expected: float) -> None:
    assert abs(admitted - expected) <= TOLERANCE * expected, (admitted, expected)


def _refused(answers: list[Answer]) -> int:
    """How many were refused, each with 429 and ``Retry-After: 1``."""
    refused = [a for a in answers if a[0] == 429]
    assert all(a == (429, "1") for a in refused), set(refused)
    assert {status for status, _ in answers} <= {200, 429}
    return len(refused)


def _decisions(log: str) -> list[str]:
    return [line.rsplit(" ", 1)[1] for line in log.splitlines()]


def test_nginx_admits_one_burst_and_refuses_the_rest_with_retry_after(
    files: Files, tmp_path: Path
) -> None:
    def burst_then_gets(port: int) -> list[Answer]:
        return _at_once(port) + [_send(port, "GET") for _ in range(5)]

    run = _run(files, tmp_path, "nginx", burst_then_gets, enforce=True)
    answers, gets = run.answers[:BURST], run.answers[BURST:]
    refused = _refused(answers)
    _near(BURST - refused, 1 + run.signup.client.burst)
    assert gets == [(200, None)] * 5  # only POST is limited
    assert _decisions(run.log).count("REJECTED") == refused


def test_nginx_admits_the_rate_after_the_burst(files: Files, tmp_path: Path) -> None:
    seconds = 2.0

    def twice_the_rate(port: int) -> list[Answer]:
        return _paced(port, 40.0, seconds)

    run = _run(files, tmp_path, "nginx", twice_the_rate, enforce=True)
    client = run.signup.client
    # the first request and the burst, then the rate for the rest of the time
    _near(len(run.answers) - _refused(run.answers), 1 + client.burst + client.rate.count * seconds)


def test_nginx_dry_run_admits_everything_and_logs_what_it_would_refuse(
    files: Files, tmp_path: Path
) -> None:
    run = _run(files, tmp_path, "nginx", _at_once, enforce=False)
    assert run.answers == [(200, None)] * BURST
    decisions = _decisions(run.log)
    assert len(decisions) == BURST
    # at most the excess over one burst; fewer by what the bucket drained while the
    # requests went out (a busy machine sends "at once" over a few tenths of a second)
    most = BURST - 1 - run.signup.client.burst
    drained = run.signup.client.rate.per_second * run.seconds
    would_refuse = decisions.count("REJECTED_DRY_RUN")
    assert (1 - TOLERANCE) * (most - drained) <= would_refuse <= (1 + TOLERANCE) * most, (
        would_refuse,
        most,
        drained,
    )


def test_haproxy_admits_the_rate_and_refuses_the_rest_with_retry_after(
    files: Files, tmp_path: Path
) -> None:
    run = _run(files, tmp_path, "haproxy", _at_once, enforce=True)
    # no burst in HAProxy: the 1 s window admits the rate
    _near(BURST - _refused(run.answers), run.signup.client.rate.count)


def test_haproxy_dry_run_admits_everything_and_logs_what_it_would_refuse(
    files: Files, tmp_path: Path
) -> None:
    run = _run(files, tmp_path, "haproxy", _at_once, enforce=False)
    assert run.answers == [(200, None)] * BURST
    _near(run.log.count("REJECTED_DRY_RUN"), BURST - run.signup.client.rate.count)


# The endpoint-wide cap binds: api takes 1 x 40 requests/s, 20 at its 50 % target, no
# baseline, one proxy; the rate is 20r/s, 1 s of queue = 20 queued, the 20 requests/s
# between the target and 100 % pass at once: burst 40, delay=20. Every request comes
# from a client of its own (X-Forwarded-For, believed from the loopback "load
# balancer"), so the limit per client never binds.
WHOLE = {
    "    requests_per_second_per_instance: 250\n    instances: 6\n": (
        "    requests_per_second_per_instance: 40\n    instances: 1\n"
    ),
    "    target_utilisation: 70%\n    baseline: {weekday: 50}\n": ("    target_utilisation: 50%\n"),
    "nodes: 2\n  in_front: lb\n  trusted_proxies: [10.0.0.0/8]\n": (
        "nodes: 1\n  in_front: lb\n  trusted_proxies: [127.0.0.0/8]\n  max_queue_delay: 1s\n"
    ),
}
CLIENTS = 80
Timed = tuple[int, str | None, float, float]
"""Status, Retry-After, when it was sent and how long its answer took (seconds)."""


def _from_clients(port: int, count: int = CLIENTS) -> list[Timed]:
    """``count`` requests released together, each from its own client address."""
    start = threading.Barrier(count)

    def one(index: int) -> Timed:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"X-Forwarded-For": f"198.51.100.{index + 1}"}
        try:
            start.wait(timeout=10)
            begin = time.monotonic()
            connection.request("POST", "/api/signup", body=b"{}", headers=headers)
            response = connection.getresponse()
            response.read()
            took = time.monotonic() - begin
            return response.status, response.getheader("Retry-After"), begin, took
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def _whole_run(files: Files, folder: Path, target: str) -> tuple[Protected, list[Timed]]:
    spec, profile = files(profile=WHOLE)
    result = cg.protect_edge([spec], capacity=profile, target=target, enforce=True)
    (signup,) = result.plan.endpoints
    whole = signup.whole
    assert (whole.rate.text, whole.burst, whole.delay) == ("20r/s", 40, 20)
    proxy = running_nginx if target == "nginx" else running_haproxy
    with upstream() as app, proxy(result.files, folder, app) as port:
        return signup, _from_clients(port)


def test_nginx_endpoint_wide_cap_passes_delay_at_once_and_queues_the_rest(
    files: Files, tmp_path: Path
) -> None:
    """nginx's leaky bucket with ``burst=40 delay=20``: of 80 requests at once the first
    and 20 more pass at once, 20 wait their turn at 20/s (the last about 1 s, the
    profile's max_queue_delay) and the rest are refused with Retry-After."""
    signup, answers = _whole_run(files, tmp_path, "nginx")
    whole = signup.whole
    assert whole.delay is not None
    refused = _refused([(status, retry) for status, retry, *_ in answers])
    admitted = sorted(took for status, _, _, took in answers if status == 200)
    # the bucket drains at the rate while the requests go out ("at once" takes a few
    # hundredths of a second, more on a busy machine)
    sending = max(a[2] for a in answers) - min(a[2] for a in answers)
    expected = 1 + whole.burst + whole.rate.per_second * sending
    _near(len(admitted), expected)
    assert len(admitted) + refused == CLIENTS
    queued = whole.burst - whole.delay
    longest = queued / whole.rate.per_second  # 1 s
    # the queued ones were held back: the last about max_queue_delay, never much more
    assert (1 - TOLERANCE) * longest <= admitted[-1] <= longest + 1.0, admitted
    # those within delay= were not: the (1 + delay) fastest took under half of it
    assert admitted[whole.delay] < longest / 2, admitted


def test_haproxy_endpoint_wide_cap_admits_the_rate_across_clients(
    files: Files, tmp_path: Path
) -> None:
    """HAProxy has no queue: of 80 requests at once from 80 clients, the endpoint-wide
    table admits its 20 a second and refuses the rest at once."""
    signup, answers = _whole_run(files, tmp_path, "haproxy")
    refused = _refused([(status, retry) for status, retry, *_ in answers])
    _near(CLIENTS - refused, signup.whole.rate.count)
    assert max(took for *_, took in answers) < 1.0
