"""``Backoff``: the one exponential schedule of the client's retries and of the handler's status polling.

Each user picks its own numbers (``client.retry.DEFAULT_RETRY_BACKOFF``: full jitter after failures;
``handler.waiter.DEFAULT_BACKOFF``: a little jitter while polling; the docstrings there say why), but the
formula and its checks live here once. A leaf module (no imports of ours), so the client and the handler,
which must not import each other, share it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Backoff"]


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with proportional jitter.

    ``cap(n) = min(max_delay, initial_delay * multiplier**n)`` and
    ``delay(n) = max(min_delay, cap(n) * (1 - jitter * (1 - random())))``: a draw of 1 gives the full cap,
    a draw of 0 gives ``(1 - jitter) * cap``. ``jitter=0`` is a fixed schedule (how the benchmarks model
    fixed 5 s polling and Terraform's ``StateChangeConf``); ``jitter=1`` is full jitter (AWS Architecture
    Blog, "Exponential Backoff and Jitter"). ``min_delay`` keeps an unlucky draw from turning into a busy loop.
    """

    initial_delay: float
    max_delay: float
    multiplier: float
    jitter: float = 1.0
    min_delay: float = 0.0

    def __post_init__(self) -> None:
        if not 0 < self.initial_delay <= self.max_delay:
            raise ValueError("Backoff needs 0 < initial_delay <= max_delay")
        if self.multiplier < 1:
            raise ValueError("Backoff.multiplier must be at least 1")
        if not 0 <= self.min_delay <= self.max_delay:
            raise ValueError("Backoff needs 0 <= min_delay <= max_delay")
        if not 0 <= self.jitter <= 1:
            raise ValueError("Backoff.jitter must be between 0 and 1")

    def cap(self, attempt: int) -> float:
        """The upper bound of the ``attempt``-th delay (attempt 0 is the first sleep); overflow-safe."""
        try:
            grown = self.initial_delay * self.multiplier ** max(0, attempt)
        except OverflowError:
            grown = math.inf
        return min(self.max_delay, grown)

    def delay(self, attempt: int, random: Callable[[], float]) -> float:
        """A delay in ``[(1 - jitter) * cap(attempt), cap(attempt)]``, at least ``min_delay``.

        ``random`` returns floats in ``[0, 1)``.
        """
        cap = self.cap(attempt)
        return max(self.min_delay, cap * (1.0 - self.jitter * (1.0 - random())))
