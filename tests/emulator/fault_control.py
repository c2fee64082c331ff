"""Requests to the app's fault-injection control endpoint (``/_emulator/faults``), shared by the fault tests."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from .documents import headers

__all__ = ["NO_FAULTS", "put_faults", "statuses"]

#: The ``faults`` counters of ``/_emulator/stats`` before any fault fired.
NO_FAULTS = {"injected": 0, "by_status": {}, "dropped": 0, "after": 0}


def put_faults(client: FlaskClient, body: Any) -> dict[str, Any]:
    """Replace the app's rules with ``body`` (a list of rules, or ``{"rules": ..., "seed": ...}``); the listing."""
    response = client.put("/_emulator/faults", json=body)
    assert response.status_code == 200, response.get_json()
    result: dict[str, Any] = response.get_json()
    return result


def statuses(client: FlaskClient, times: int, method: str = "GET", path: str = "/v0/models") -> list[int]:
    """The status codes of ``times`` authenticated ``method`` requests to ``path``, in order."""
    return [client.open(path, method=method, headers=headers()).status_code for _ in range(times)]
