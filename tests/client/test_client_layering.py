"""The client's place in the layers: fast to import (no pydantic), and usable by the handler as a ModelsAPI
whose retries and deadlines run on the same clock as the handler's waiter."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from http.client import RemoteDisconnected

import pytest
import requests
from urllib3.exceptions import ProtocolError

from blaxel_constructs.client import BlaxelClient
from blaxel_constructs.errors import DeploymentTimeoutError
from blaxel_constructs.handler import DEFAULT_BACKOFF, ModelHandler, ModelsAPI, Waiter
from blaxel_constructs.timing import Clock
from tests.support.clock import FakeClock

from .fakes import FakeAdapter, Reply, Script, client_with, model, retry_on


@pytest.mark.parametrize("module", ["blaxel_constructs.client", "blaxel_constructs.handler"])
def test_given_a_fresh_interpreter_when_importing_the_layer_then_no_heavy_dependency_is_loaded(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "heavy = sorted(m for m in ('pydantic', 'cdktf', 'constructs', 'jsii', 'tf') if m in sys.modules); "
        "print(','.join(heavy))"
    )

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == ""


def test_given_a_blaxel_client_when_the_handler_drives_it_then_create_posts_and_polls_until_deployed() -> None:
    client, adapter = client_with(Reply(200, model()), Reply(200, model()), Reply(200, model(status="DEPLOYED")))
    api: ModelsAPI = client
    sleeps: list[float] = []
    handler = ModelHandler(
        api, waiter=Waiter(replace(DEFAULT_BACKOFF, jitter=1.0), clock=Clock(sleep=sleeps.append, random=lambda: 0.0))
    )

    created = handler.create({"metadata": {"name": "my-model"}, "spec": {}}, timeout=60)

    assert created["status"] == "DEPLOYED"
    assert [(s.method, s.path_and_query) for s in adapter.sent] == [
        ("POST", "/models"),
        ("GET", "/models/my-model"),
        ("GET", "/models/my-model"),
    ]
    assert sleeps == [0.05]  # under full jitter, a draw of 0 still waits the floor


# -- the handler over the real client, on one virtual clock ---------------------------------------------

SENT = {"metadata": {"name": "my-model"}, "spec": {"enabled": True, "runtime": {"type": "openai", "model": "gpt-4.1"}}}


def handler_and_client(*script: Script) -> tuple[ModelHandler, BlaxelClient, FakeAdapter, FakeClock]:
    clock = FakeClock(1000.0)
    client, adapter = client_with(*script, retry=retry_on(clock))
    waiter = Waiter(DEFAULT_BACKOFF, clock=clock.as_clock())
    return ModelHandler(client, waiter=waiter), client, adapter, clock


def answer(status: str) -> Reply:
    return Reply(200, {**SENT, "metadata": {"name": "my-model", "workspace": "my-team"}, "status": status})


def test_given_a_post_that_times_out_unapplied_when_the_handler_creates_then_one_model_results_from_two_posts() -> None:
    handler, client, adapter, _ = handler_and_client(
        requests.ReadTimeout("read timed out"),
        Reply(404, {"error": "Model not found"}),
        answer("DEPLOYING"),
        answer("DEPLOYED"),
    )

    created = handler.create(SENT, timeout=60)

    assert created["status"] == "DEPLOYED"
    assert [s.method for s in adapter.sent] == ["POST", "GET", "POST", "GET"]
    assert (handler.post_attempts, handler.adopted, client.retries) == (2, 0, 0)  # the client never replayed it


def test_given_a_post_dropped_after_it_applied_when_the_handler_creates_then_the_model_is_adopted() -> None:
    dropped = requests.ConnectionError(ProtocolError("Connection aborted.", RemoteDisconnected("closed")))
    handler, client, adapter, _ = handler_and_client(dropped, Reply(503), answer("DEPLOYING"), answer("DEPLOYED"))

    handler.create(SENT, timeout=60)

    assert [s.method for s in adapter.sent] == ["POST", "GET", "GET", "GET"]
    assert (handler.post_attempts, handler.adopted, client.retries) == (1, 1, 1)  # the lookup's 503 was retried


def test_given_an_api_failing_until_the_deadline_when_the_handler_waits_then_no_request_or_sleep_passes_it() -> None:
    handler, client, adapter, clock = handler_and_client(answer("DEPLOYING"), *[Reply(503)] * 200)
    deadline = clock.now + 3.0

    with pytest.raises(DeploymentTimeoutError, match="last error while polling: GET /models/my-model returned 503"):
        handler.update("my-model", SENT, timeout=3.0)

    assert clock.now == pytest.approx(deadline)
    assert all(s.at is not None and s.at <= deadline + 1e-9 for s in adapter.sent)
    assert client.retries > 0
