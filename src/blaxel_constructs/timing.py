"""``Clock``: the one injected source of time of the client and the handler (now, sleep, random).

Deadlines cross the layers: the handler computes an operation's deadline on its clock and passes it to
every client call, whose retries must end within it. So both take the same ``Clock`` object rather than
three callables each that "must be the same". Tests pass a virtual one (nothing really sleeps); the
provider passes one whose ``sleep`` is interruptible (``Cancellation.sleep``), so that Terraform's
StopProvider ends every wait at once.
"""

from __future__ import annotations

import random as _random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

__all__ = ["SYSTEM_CLOCK", "Clock"]


@dataclass(frozen=True)
class Clock:
    """``now()`` in seconds on a monotonic scale, ``sleep(seconds)``, and ``random()`` in ``[0, 1)``."""

    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = _random.random


#: Real time: ``time.monotonic``, ``time.sleep``, ``random.random``.
SYSTEM_CLOCK: Final = Clock()
