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
