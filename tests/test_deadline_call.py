"""A server that answers one byte at a time cannot hold a request past its limit."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
import requests

from campaign_guard.deadline_call import within
from campaign_guard.oncall.base import OnCallError
from campaign_guard.oncall.pagerduty import PagerDuty
from campaign_guard.retry import RetryPolicy


@contextlib.contextmanager
def dripping_server(interval: float = 0.1) -> Iterator[str]:
    """A server on 127.0.0.1 that sends an endless status line, a byte per ``interval``."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=drip, args=(conn,), daemon=True).start()

    def drip(conn: socket.socket) -> None:
        with contextlib.suppress(OSError), conn:
            conn.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000:
                if stop.is_set():
                    return
                conn.sendall(bytes([byte]))
                time.sleep(interval)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=2)


def test_within_gives_up_on_a_dripping_answer() -> None:
    with dripping_server() as url:
        started = time.monotonic()
        with pytest.raises(requests.ReadTimeout, match="within 1 s"):
            within(1.0, lambda: requests.get(url, timeout=(1, 1)))
        assert time.monotonic() - started < 2.0


def test_within_returns_and_raises_as_the_call_does() -> None:
    assert within(1.0, lambda: 42) == 42
    with pytest.raises(ZeroDivisionError):
        within(1.0, lambda: 1 / 0)


def test_pagerduty_gives_up_on_a_dripping_server() -> None:
    policy = RetryPolicy(attempts=2, budget=5, sleep=lambda _: None)
    with dripping_server() as url:
        provider = PagerDuty(
            "t0ken", schedule_id="PSCHED1", base_url=url, timeout=(0.5, 0.5), retry=policy
        )
        started = time.monotonic()
        with pytest.raises(OnCallError, match="did not answer"):
            provider.on_call(datetime.now(timezone.utc))
        assert time.monotonic() - started < 4.0
