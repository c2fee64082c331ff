"""Helpers of the tests that speak HTTP to a real emulator process: requests with its credentials, polling."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.support.emulator_process import EmulatorProcess

__all__ = ["TIMEOUT", "api", "get_model", "poll", "wait_for_status"]

TIMEOUT = 10.0


def poll(read: Callable[[], Any], until: Callable[[Any], bool], *, deadline: float = 15.0) -> Any:
    """Call ``read`` every 50 ms until ``until`` holds for its result; fail with the last result at the deadline."""
    end = time.monotonic() + deadline
    while True:
        value = read()
        if until(value):
            return value
        if time.monotonic() > end:
            pytest.fail(f"condition not met within {deadline}s; last value: {value!r}")
        time.sleep(0.05)


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
    model: dict[str, Any] = poll(lambda: get_model(emulator, name), lambda m: m["status"] == status)
    return model
