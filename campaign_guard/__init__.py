"""campaign-guard: no big marketing campaign launches without a capacity review."""

import time as _time

__version__ = "0.2.0"

STARTED = _time.monotonic()
"""When this process started (``time.monotonic()``), as near as Python code can tell:
commands that wait on Jira count their time budget from here, start-up included."""
