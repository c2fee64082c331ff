"""The one poll-until helper of the test suite, for tests that watch a real process change state.

End-to-end and process tests cannot inject a clock into terraform or the emulator process, so they poll
what they can observe (the emulator's API or stats, a database) until it holds, with a short interval and
a deadline. A timeout fails the test with an assertion that names what was awaited and for how long,
and, when the caller can say it, what was last seen.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["POLL_INTERVAL", "wait_until"]

#: Seconds between two checks: short enough not to slow a test, long enough not to flood the emulator.
POLL_INTERVAL = 0.05


def wait_until(
    predicate: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    last_seen: Callable[[], object] | None = None,
    interval: float = POLL_INTERVAL,
) -> None:
    """Return once ``predicate()`` holds, checking every ``interval`` seconds of real time.

    Fails with ``AssertionError("timed out after <timeout> s waiting for <what>")`` when it still does not
    hold ``timeout`` seconds after the first check, followed by ``last_seen()`` when given (for example the
    last value the predicate read), so a failure says where things stood.
    """
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            message = f"timed out after {timeout:g} s waiting for {what}"
            if last_seen is not None:
                message += f"; last seen: {last_seen()!r}"
            raise AssertionError(message)
        time.sleep(interval)
