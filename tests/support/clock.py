"""The one fake clock of the test suite: ``clock()`` and ``sleep()`` over virtual seconds."""

from __future__ import annotations


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
