"""Helpers of the tests that speak HTTP to a real emulator process: requests with its credentials, polling.

Polling goes through the suite's one wait helper, ``tests.support.waiting.wait_until``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from tests.support.emulator_process import EmulatorProcess
from tests.support.waiting import wait_until

__all__ = ["TIMEOUT", "api", "get_model", "poll", "wait_for_status"]

TIMEOUT = 10.0


def poll(read: Callable[[], Any], until: Callable[[Any], bool], *, what: str, deadline: float = 15.0) -> Any:
    """Call ``read`` until ``until`` holds for its result and return that result; fail at the deadline,
    naming ``what`` was awaited and the last result read."""
    seen: list[Any] = []

    def holds() -> bool:
        seen.append(read())
        return until(seen[-1])

    wait_until(holds, timeout=deadline, what=what, last_seen=lambda: seen[-1])
    return seen[-1]


def api(emulator: EmulatorProcess, method: str, path: str, **kwargs: Any) -> requests.Response:
    """``method`` on ``{base_url}{path}`` with the emulator's key and workspace (plus ``headers``)."""
    extra = kwargs.pop("headers", {})
    kwargs.setdefault("timeout", TIMEOUT)
    return requests.request(method, f"{emulator.base_url}{path}", headers=emulator.headers(**extra), **kwargs)


def get_model(emulator: EmulatorProcess, name: str) -> dict[str, Any]:
    """The model ``name``, which must exist."""
    response = api(emulator, "GET", f"/models/{name}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def wait_for_status(emulator: EmulatorProcess, name: str, status: str) -> dict[str, Any]:
    """Poll the model ``name`` until it has ``status``."""
    model: dict[str, Any] = poll(
        lambda: get_model(emulator, name), lambda m: m["status"] == status, what=f"model {name} to be {status}"
    )
    return model
