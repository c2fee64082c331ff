"""The one fake clock of the test suite: ``clock()`` and ``sleep()`` over virtual seconds.

Every layer that takes a clock (the handler's waiter, the client's retry policy, the emulator's state
machine and its injected delays) is tested on this one. A suite that needs absolute times starts it where
it reads well (``FakeClock(1000.0)``, or the emulator's fixed instant) instead of subclassing it.
"""

from __future__ import annotations

from blaxel_constructs.timing import Clock

__all__ = ["FakeClock"]


class FakeClock:
    """Callable as a clock; ``sleep`` advances virtual time and records each sleep (never really sleeps)."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass while the code under test is not sleeping (not recorded in ``sleeps``): for a
        test that plays the time between two calls, e.g. a deployment progressing between two requests."""
        assert seconds >= 0
        self.now += seconds

    def as_clock(self, random: float = 1.0) -> Clock:
        """The ``Clock`` the library takes: this virtual time, and ``random()`` always ``random``
        (1.0: every jittered delay is its full cap)."""
        return Clock(now=self, sleep=self.sleep, random=lambda: random)
