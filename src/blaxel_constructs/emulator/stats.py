"""Counters behind ``GET /_emulator/stats``: requests, statuses, injected faults, real creates and deletes.

Tests use them to assert how a client behaved (how many polls, no retried POST, each model created
exactly once through lost answers...). Paths are counted by their route template
(``GET /v0/models/{modelName}``), never by the concrete URL, so counts aggregate. ``DELETE
/_emulator/stats`` resets every counter::

    {
      "requests": {"POST /v0/models": 3, ...},   # by method and route template
      "statuses": {"200": 2, "503": 1, ...},     # by the status the client got; "dropped": no answer at all
      "total": 3,                                # every /v0 request (the sum of "statuses")
      "faults": {"injected": 1, "by_status": {"503": 1}, "dropped": 0, "after": 0},
      "models_created": {"my-model": 1},         # creates really applied, even when their answer was lost
      "models_deleted": {"my-model": 1}          # deletions really started
    }
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from typing import Any, Final

__all__ = ["DROPPED", "UNMATCHED", "RequestStats", "route_template"]

#: Template recorded for a request that matched no route (a 404 or 405 from routing).
UNMATCHED: Final = "(unmatched)"
#: Status recorded for a request whose connection an injected fault dropped without an answer.
DROPPED: Final = "dropped"
_CONVERTER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def route_template(rule: str | None) -> str:
    """A Flask rule in the spec's style: ``/v0/models/<modelName>`` -> ``/v0/models/{modelName}``."""
    if rule is None:
        return UNMATCHED
    return _CONVERTER.sub(r"{\1}", rule)


def _sorted(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items()))


class RequestStats:
    """Thread-safe counters, reset by ``reset``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: Counter[str] = Counter()
        self._statuses: Counter[str] = Counter()
        self._faults: Counter[str] = Counter()
        self._fault_statuses: Counter[str] = Counter()
        self._created: Counter[str] = Counter()
        self._deleted: Counter[str] = Counter()

    def record(self, method: str, template: str, status: int | str) -> None:
        """Count one finished request; ``status`` is the code answered, or ``DROPPED``."""
        with self._lock:
            self._requests[f"{method} {template}"] += 1
            self._statuses[str(status)] += 1

    def record_fault(self, *, status: int | None, drop: bool, after: bool) -> None:
        """Count one injected fault: an error ``status`` answered, or a dropped connection, maybe ``after``."""
        with self._lock:
            self._faults["injected"] += 1
            if drop:
                self._faults["dropped"] += 1
            elif status is not None:
                self._fault_statuses[str(status)] += 1
            if after:
                self._faults["after"] += 1

    def model_created(self, name: str) -> None:
        """Count a create that was really applied (whatever became of its answer)."""
        with self._lock:
            self._created[name] += 1

    def model_deleted(self, name: str) -> None:
        """Count a deletion that was really started."""
        with self._lock:
            self._deleted[name] += 1

    def snapshot(self) -> dict[str, Any]:
        """Every counter, as ``GET /_emulator/stats`` shows them (the module docstring), keys sorted."""
        with self._lock:
            return {
                "requests": _sorted(self._requests),
                "statuses": _sorted(self._statuses),
                "total": sum(self._statuses.values()),
                "faults": {
                    "injected": self._faults["injected"],
                    "by_status": _sorted(self._fault_statuses),
                    "dropped": self._faults["dropped"],
                    "after": self._faults["after"],
                },
                "models_created": _sorted(self._created),
                "models_deleted": _sorted(self._deleted),
            }

    def reset(self) -> None:
        """Forget every count."""
        with self._lock:
            for counter in (
                self._requests,
                self._statuses,
                self._faults,
                self._fault_statuses,
                self._created,
                self._deleted,
            ):
                counter.clear()
