"""Polling with exponential backoff, a little jitter and a deadline: ``Backoff`` and ``Waiter``.

The AWS CDK provider framework's split: the handler starts an operation, then asks "is it complete?"
through ``Waiter.poll`` until yes or the deadline. Time is injected (a ``timing.Clock``: now, sleep,
random) so tests run on a virtual clock and never really sleep.

``clock`` is also the clock of every deadline the handler passes to its ``ModelsAPI``: give the client
the same ``Clock`` (``SYSTEM_CLOCK`` for both by default).

Why these defaults: deployments on Blaxel take from under a second (the emulator's default is 1 s) to
minutes, and a poller is judged on two things: how late it notices that a deployment ended (the
*overshoot*, about half the interval in force at that moment) and how many GETs it spends. The delay
starts at 0.3 s and grows by 1.5x per attempt (0.3, 0.45, 0.68, 1.01, 1.52, 2.28, 3.42 s), reaching its
4.5 s cap after about 13 s of waiting: dense while most deployments end, then one GET every 4.3 s or so.
``make bench`` measures it side by side with fixed 5 s polling (the AWS CDK provider framework's
default) and Terraform's ``StateChangeConf`` schedule (0.2 s doubling to a 10 s cap) on the emulator
(README "Benchmarks"). Median lateness there: about 0.3 s for 0.5-1.5 s deployments (``StateChangeConf``
0.35 s, fixed 5 s polling 4 s) for the same 4 GETs; about 1.8 s for 24-36 s ones (fixed 5 s 2.1 s,
``StateChangeConf`` 5.9 s) for 13 GETs, within 1.5x the 9 of ``StateChangeConf``; and it notices a 2 s
deployment about 0.3 s late (``StateChangeConf``: 1 s). For 4-6 s deployments it beats
``StateChangeConf``, but against fixed 5 s polling the outcome depends on where the deployments end
relative to its 5 s tick: no schedule whose delays never shrink wins that every time without going over
the GET budget on long deployments (``python -m benchmarks.simulate`` replays the comparison).

Why so little jitter (each delay is drawn from ``[0.9, 1] x cap``, not ``[0, 1] x cap``): full jitter
(AWS Architecture Blog, "Exponential Backoff and Jitter") is the right tool for *retrying* after an
overload, where many clients failed at the same instant. Polling a deployment is not that: the mean
delay under full jitter is half the cap, so for the same worst-case lateness it sends about twice the
GETs (the earlier full-jitter default, 0.25 s doubling to 5 s, needed 17 GETs for a 30 s deployment
against 9 for ``StateChangeConf``), and its occasional near-zero draws poll in bursts. Ten percent is
enough to keep the parallel creates of one ``terraform apply``, which start within milliseconds of each
other, from polling in lockstep. The client's retries after errors keep full jitter
(``blaxel_constructs.client.retry``).
"""

from __future__ import annotations

import statistics
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from typing import Final, TypeVar

from blaxel_constructs.backoff import Backoff
from blaxel_constructs.timing import SYSTEM_CLOCK, Clock

__all__ = [
    "DEFAULT_BACKOFF",
    "DEFAULT_INITIAL_DELAY",
    "DEFAULT_JITTER",
    "DEFAULT_MAX_DELAY",
    "DEFAULT_MIN_DELAY",
    "DEFAULT_MULTIPLIER",
    "SIZING_MIN_SAMPLES",
    "SIZING_WINDOW",
    "Backoff",
    "SettleTimes",
    "Waiter",
]

T = TypeVar("T")

#: First delay cap (seconds): short, so a deployment that is already done costs almost no latency.
DEFAULT_INITIAL_DELAY: Final = 0.3
#: Largest delay cap (seconds): bounds how late a finished deployment is noticed (about 2 s on average,
#: at most 4.5 s) and keeps a long wait at about one GET every 4.3 s, near the official CLI's 3 s cadence.
DEFAULT_MAX_DELAY: Final = 4.5
#: Growth per attempt: 0.3, 0.45, 0.68, 1.01, 1.52, 2.28, 3.42, 4.5, ... seconds of cap. Gentler than
#: doubling, so that the polls of the first seconds, where most deployments end, stay close together.
DEFAULT_MULTIPLIER: Final = 1.5
#: Share of each delay that is random: a delay is drawn from ``[1 - jitter, 1] x cap`` (0: fixed delays;
#: 1: full jitter, ``[0, 1] x cap``). 0.1 de-synchronises concurrent pollers at almost no cost in GETs.
DEFAULT_JITTER: Final = 0.1
#: Floor under any jittered delay (seconds): with a large ``jitter`` a draw can be ~0, and 0.05 s keeps a
#: poll loop to at most 20 requests per second instead of a hot loop.
DEFAULT_MIN_DELAY: Final = 0.05


DEFAULT_BACKOFF: Final = Backoff(
    DEFAULT_INITIAL_DELAY,
    DEFAULT_MAX_DELAY,
    DEFAULT_MULTIPLIER,
    jitter=DEFAULT_JITTER,
    min_delay=DEFAULT_MIN_DELAY,
)


#: Completed waits remembered per kind of operation to size the first poll of the next one.
SIZING_WINDOW: Final = 16
#: Completed waits needed before the first poll is sized; until then the default schedule (probe at once).
SIZING_MIN_SAMPLES: Final = 3
#: After a sized first poll finds the operation still under way, the next delay is this share of the first.
SIZED_FOLLOW_UP: Final = 0.25


class SettleTimes:
    """How long the last ``SIZING_WINDOW`` waits of one kind of operation took: a first poll sized to it.

    Why: the default schedule probes at once, then after 0.3 s, 0.45 s, ... A ``terraform apply`` sends
    hundreds of operations of the same kind to the same API, which take about as long as each other
    (on the emulator exactly ``deploy_seconds``); probing at once is then a wasted GET, and the fixed
    0.3 s step makes a 0.2 s deployment take 0.3 s and a 0.1 s deletion 0.3 s. Once ``SIZING_MIN_SAMPLES``
    waits have completed, the first probe of the next one happens after their median (with the waiter's
    jitter below it, which keeps probing down towards the real time), never later than the backoff's
    ``max_delay``, so a sized wait is never later than the default schedule's worst case. If that probe
    finds the operation still under way, polling goes on from ``SIZED_FOLLOW_UP`` of the first delay,
    growing as usual: a miss costs a fraction of the first delay, not a full step.

    Thread-safe: the parallel operations of one apply share it. One per kind of operation (create,
    update, delete), per handler: a provider process learns from its own apply only.
    """

    def __init__(self, window: int = SIZING_WINDOW, min_samples: int = SIZING_MIN_SAMPLES) -> None:
        self._seconds: deque[float] = deque(maxlen=window)
        self._min_samples = min_samples
        self._lock = threading.Lock()

    def record(self, seconds: float) -> None:
        """One wait completed ``seconds`` after it began (when the operation's request was answered)."""
        with self._lock:
            self._seconds.append(max(0.0, seconds))

    def typical(self) -> float | None:
        """The median of the recent waits, or None while fewer than the minimum have completed."""
        with self._lock:
            if len(self._seconds) < self._min_samples:
                return None
            return statistics.median(self._seconds)


class Waiter:
    """Calls a probe until it reports completion, sleeping with backoff, within a deadline.

    ``probes`` and ``slept`` accumulate over every ``poll`` of this waiter, so tests and benchmarks
    can read how many requests and how much (virtual) time a wait took.
    """

    def __init__(self, backoff: Backoff = DEFAULT_BACKOFF, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.backoff = backoff
        self.clock = clock
        self.probes = 0
        self.slept = 0.0

    def pause(self, attempt: int, *, deadline: float) -> bool:
        """Sleep the ``attempt``-th backoff delay, clipped to end at ``deadline`` (on ``clock``).

        False, without sleeping, when the deadline has already passed. For loops other than ``poll``
        (the handler's repeated create) that should back off the same way.
        """
        remaining = deadline - self.clock.now()
        if remaining <= 0:
            return False
        delay = min(self.backoff.delay(attempt, self.clock.random), remaining)
        self.clock.sleep(delay)
        self.slept += delay
        return True

    def poll(
        self,
        probe: Callable[[], tuple[bool, T]],
        *,
        timeout: float,
        on_timeout: Callable[[T | None, float], Exception],
        sizing: SettleTimes | None = None,
    ) -> T:
        """Return the value of the first ``(True, value)`` from ``probe``, or raise ``on_timeout(last, waited)``.

        The probe runs at once, then after each backoff delay; with ``sizing`` that knows the typical wait,
        the first probe comes after it instead (``SettleTimes``), and a completed wait is recorded there.
        A delay never runs past the deadline: the last one is clipped so that a final probe happens at the
        deadline itself, and only if that one is not done either does the wait time out. Exceptions from
        the probe propagate unchanged (that is how a probe reports a failure that waiting cannot fix).
        """
        started = self.clock.now()
        deadline = started + max(0.0, timeout)
        last: T | None = None
        attempt = 0
        backoff = self.backoff
        typical = sizing.typical() if sizing is not None else None
        if typical is not None:
            first = self._sized_delay(typical)
            self._sleep_until(first, deadline)
            backoff = replace(
                backoff, initial_delay=min(backoff.initial_delay, max(backoff.min_delay, first * SIZED_FOLLOW_UP, 1e-3))
            )
        while True:
            self.probes += 1
            sent = self.clock.now()
            done, value = probe()
            if done:
                if sizing is not None:
                    # Until the probe was sent, not until it returned: the operation was over by then, and
                    # adding each probe's round trip would make every sized wait longer than the last.
                    sizing.record(sent - started)
                return value
            last = value
            now = self.clock.now()
            remaining = deadline - now
            if remaining <= 0:
                raise on_timeout(last, now - started)
            delay = min(backoff.delay(attempt, self.clock.random), remaining)
            self.clock.sleep(delay)
            self.slept += delay
            attempt += 1

    def _sized_delay(self, typical: float) -> float:
        """A first delay of about ``typical`` seconds: jittered below it like any delay, within the backoff's bounds."""
        jittered = typical * (1.0 - self.backoff.jitter * (1.0 - self.clock.random()))
        return min(self.backoff.max_delay, max(self.backoff.min_delay, jittered))

    def _sleep_until(self, delay: float, deadline: float) -> None:
        remaining = deadline - self.clock.now()
        if remaining > 0:
            delay = min(delay, remaining)
            self.clock.sleep(delay)
            self.slept += delay
