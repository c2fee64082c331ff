"""Terraform duration strings (``"20m"``, ``"1h30m"``, ``"1.5h"``), as Go's ``time.ParseDuration`` reads them.

Used wherever a ``timeouts`` value is checked or applied (the constructs at construction time, the
provider at validate and apply time), so every layer accepts exactly what Terraform users write.
"""

from __future__ import annotations

import re
from typing import Final

from blaxel_constructs.errors import DurationError

__all__ = ["DurationError", "format_duration", "parse_duration"]

_UNITS: Final = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")


def parse_duration(text: str) -> float:
    """Seconds in a duration string such as ``"1h30m"``; raises ``DurationError`` for anything else.

    Negative durations and bare numbers are rejected: a timeout must say its unit and be positive.
    """
    if not isinstance(text, str) or not text:
        raise DurationError(f"{text!r} is not a duration: use a number and a unit, e.g. 30s, 20m or 1h30m")
    pos = 0
    total = 0.0
    for match in _PART.finditer(text):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if pos != len(text):
        raise DurationError(
            f"{text!r} is not a duration: use numbers with units ns, us, ms, s, m or h, e.g. 30s, 20m or 1h30m"
        )
    if total <= 0:
        raise DurationError(f"{text!r} must be longer than zero")
    return total


def format_duration(seconds: float) -> str:
    """A short human form of ``seconds`` for messages, e.g. ``"20m0s"`` or ``"1.5s"``."""
    if seconds < 60:
        return f"{seconds:.3g}s"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes}m{secs}s" if hours else f"{minutes}m{secs}s"
