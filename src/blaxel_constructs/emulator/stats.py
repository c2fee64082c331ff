"""Request counters behind ``GET /_emulator/stats``: by method and path template, and by status code.

Tests use them to assert how a client behaved (how many polls, no retried POST...). Paths are counted by
their route template (``GET /v0/models/{modelName}``), never by the concrete URL, so counts aggregate.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from typing import Any, Final

__all__ = ["UNMATCHED", "RequestStats", "route_template"]

#: Template recorded for a request that matched no route (a 404 or 405 from routing).
UNMATCHED: Final = "(unmatched)"
_CONVERTER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def route_template(rule: str | None) -> str:
    """A Flask rule in the spec's style: ``/v0/models/<modelName>`` -> ``/v0/models/{modelName}``."""
    if rule is None:
        return UNMATCHED
    return _CONVERTER.sub(r"{\1}", rule)


class RequestStats:
    """Thread-safe counters of requests, reset by ``reset``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: Counter[str] = Counter()
        self._statuses: Counter[str] = Counter()

    def record(self, method: str, template: str, status: int) -> None:
        """Count one finished request."""
        with self._lock:
            self._requests[f"{method} {template}"] += 1
            self._statuses[str(status)] += 1

    def snapshot(self) -> dict[str, Any]:
        """``{"requests": {...}, "statuses": {...}, "total": n}``, keys sorted."""
        with self._lock:
            return {
                "requests": dict(sorted(self._requests.items())),
                "statuses": dict(sorted(self._statuses.items())),
                "total": sum(self._statuses.values()),
            }

    def reset(self) -> None:
        """Forget every count."""
        with self._lock:
            self._requests.clear()
            self._statuses.clear()
