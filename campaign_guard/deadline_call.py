"""A whole HTTP exchange within a time limit, however slowly the server answers.

``requests``' timeouts apply to each socket read, so a server (or a proxy) that sends
one byte a second never times out. :func:`within` runs the request in a daemon thread
and gives up waiting once the limit has passed, raising :class:`requests.ReadTimeout`
as a read timeout would: callers treat it the same way (a read is tried again; a POST's
outcome is unknown). The abandoned exchange ends with the process, which does not wait
for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import requests

T = TypeVar("T")


def within(seconds: float, call: Callable[[], T]) -> T:
    """``call()``'s result, or :class:`requests.ReadTimeout` after ``seconds``."""
    done = threading.Event()
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)
        finally:
            done.set()

    threading.Thread(target=run, name="campaign-guard-http", daemon=True).start()
    if not done.wait(max(seconds, 0.0)):
        raise requests.ReadTimeout(f"no complete answer within {seconds:.0f} s")
    if failure:
        raise failure[0]
    return outcome[0]
