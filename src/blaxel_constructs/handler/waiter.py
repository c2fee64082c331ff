"""Polling with exponential backoff, full jitter and a deadline: ``Backoff`` and ``Waiter``.

The AWS CDK provider framework's split: the handler starts an operation, then asks "is it complete?"
through ``Waiter.poll`` until yes or the deadline. Time is injected (``clock``, ``sleep``, ``rng``) so
tests run on a virtual clock and never really sleep.

``clock`` is also the clock of every deadline the handler passes to its ``ModelsAPI``: keep it the same
as the client's (``time.monotonic`` for both by default).

Why these defaults: deployments on Blaxel take seconds (the emulator's default is 1 s) to minutes.
Starting at 0.25 s catches a fast deployment almost as soon as it ends; doubling reaches the 5 s cap
after about 8 s of waiting, and with full jitter the average steady-state interval is 2.5 s, close to
the 3 s the official CLI polls at, while concurrent ``terraform apply`` runs do not poll in lockstep.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, TypeVar

__all__ = [
    "DEFAULT_BACKOFF",
    "DEFAULT_INITIAL_DELAY",
    "DEFAULT_MAX_DELAY",
    "DEFAULT_MIN_DELAY",
    "DEFAULT_MULTIPLIER",
    "Backoff",
    "Waiter",
]

T = TypeVar("T")

#: First delay cap (seconds): short, so a deployment that is already done costs almost no latency.
DEFAULT_INITIAL_DELAY: Final = 0.25
#: Largest delay cap (seconds): bounds how late a finished deployment is noticed, and keeps a long
#: wait at no more than one GET every 2.5 s on average, near the official CLI's 3 s cadence.
DEFAULT_MAX_DELAY: Final = 5.0
#: Growth per attempt: the classic doubling (0.25, 0.5, 1, 2, 4, 5, 5, ... seconds of cap).
DEFAULT_MULTIPLIER: Final = 2.0
#: Floor under any jittered delay (seconds): full jitter can draw ~0, and 0.05 s keeps a poll loop to
#: at most 20 requests per second instead of a hot loop.
DEFAULT_MIN_DELAY: Final = 0.05


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter: ``delay(n) = rng() * min(max_delay, initial * multiplier**n)``.

    Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter") spreads concurrent pollers
    best; ``min_delay`` keeps an unlucky draw from turning into a busy loop.
    """

    initial_delay: float = DEFAULT_INITIAL_DELAY
    max_delay: float = DEFAULT_MAX_DELAY
    multiplier: float = DEFAULT_MULTIPLIER
    min_delay: float = DEFAULT_MIN_DELAY

    def __post_init__(self) -> None:
        if not 0 < self.initial_delay <= self.max_delay:
            raise ValueError("Backoff needs 0 < initial_delay <= max_delay")
        if self.multiplier < 1:
            raise ValueError("Backoff.multiplier must be at least 1")
        if not 0 <= self.min_delay <= self.max_delay:
            raise ValueError("Backoff needs 0 <= min_delay <= max_delay")

    def cap(self, attempt: int) -> float:
        """The upper bound of the ``attempt``-th delay (attempt 0 is the first sleep)."""
        try:
            grown = self.initial_delay * self.multiplier ** max(0, attempt)
        except OverflowError:
            grown = math.inf
        return min(self.max_delay, grown)

    def delay(self, attempt: int, rng: Callable[[], float]) -> float:
        """A jittered delay in ``[min_delay, cap(attempt)]``; ``rng`` returns floats in ``[0, 1)``."""
        return max(self.min_delay, rng() * self.cap(attempt))


DEFAULT_BACKOFF: Final = Backoff()


class Waiter:
    """Calls a probe until it reports completion, sleeping with backoff, within a deadline.

    ``probes`` and ``slept`` accumulate over every ``poll`` of this waiter, so tests and benchmarks
    can read how many requests and how much (virtual) time a wait took.
    """

    def __init__(
        self,
        backoff: Backoff = DEFAULT_BACKOFF,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.backoff = backoff
        self.clock = clock
        self.sleep = sleep
        self.rng = rng
        self.probes = 0
        self.slept = 0.0

    def pause(self, attempt: int, *, deadline: float) -> bool:
        """Sleep the ``attempt``-th backoff delay, clipped to end at ``deadline`` (on ``clock``).

        False, without sleeping, when the deadline has already passed. For loops other than ``poll``
        (the handler's repeated create) that should back off the same way.
        """
        remaining = deadline - self.clock()
        if remaining <= 0:
            return False
        delay = min(self.backoff.delay(attempt, self.rng), remaining)
        self.sleep(delay)
        self.slept += delay
        return True

    def poll(
        self,
        probe: Callable[[], tuple[bool, T]],
        *,
        timeout: float,
        on_timeout: Callable[[T | None, float], Exception],
    ) -> T:
        """Return the value of the first ``(True, value)`` from ``probe``, or raise ``on_timeout(last, waited)``.

        The probe runs at once, then after each backoff delay. A delay never runs past the deadline:
        the last one is clipped so that a final probe happens at the deadline itself, and only if that
        one is not done either does the wait time out. Exceptions from the probe propagate unchanged
        (that is how a probe reports a failure that waiting cannot fix).
        """
        started = self.clock()
        deadline = started + max(0.0, timeout)
        last: T | None = None
        attempt = 0
        while True:
            self.probes += 1
            done, value = probe()
            if done:
                return value
            last = value
            now = self.clock()
            remaining = deadline - now
            if remaining <= 0:
                raise on_timeout(last, now - started)
            delay = min(self.backoff.delay(attempt, self.rng), remaining)
            self.sleep(delay)
            self.slept += delay
            attempt += 1
