"""The exponential schedule shared by the client's retries and the handler's status polling.

A leaf module (no imports of ours), so the client and the handler, which must not import each other
upward, use one formula for "how long may the n-th wait be".
"""

from __future__ import annotations

import math

__all__ = ["exponential_cap"]


def exponential_cap(initial: float, multiplier: float, maximum: float, attempt: int) -> float:
    """``min(maximum, initial * multiplier**attempt)``, overflow-safe; attempt 0 is the first wait."""
    try:
        grown = initial * multiplier ** max(0, attempt)
    except OverflowError:
        grown = math.inf
    return min(maximum, grown)
