"""ModelHandler when Terraform asks the provider to stop: nothing new is sent, and what exists is reported."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from blaxel_constructs.cancellation import Cancellation
from blaxel_constructs.errors import ConflictError, DeploymentInterruptedError, OperationInterrupted
from blaxel_constructs.handler import DEFAULT_BACKOFF, ModelHandler, Waiter
from tests.support.clock import FakeClock

from .fakes import FakeModelsAPI, document, not_found

SPEC: dict[str, Any] = {"metadata": {"name": "my-model"}, "spec": {"runtime": {"type": "openai"}}}


class CancellingClock(FakeClock):
    """A virtual clock whose ``sleep`` goes through a ``Cancellation``, cancelled at the ``cancel_at``-th sleep."""

    def __init__(self, cancellation: Cancellation, cancel_at: int) -> None:
        super().__init__()
        self.cancellation = cancellation
        self.cancel_at = cancel_at

    def sleep(self, seconds: float) -> None:
        if len(self.sleeps) + 1 == self.cancel_at:
            self.cancellation.cancel()
        self.cancellation.check()
        super().sleep(seconds)


def handler(api: FakeModelsAPI, *, cancel_at: int) -> tuple[ModelHandler, Cancellation]:
    cancellation = Cancellation()
    clock = CancellingClock(cancellation, cancel_at)
    api.clock = clock
    waiter = Waiter(DEFAULT_BACKOFF, clock=clock.as_clock())
    return ModelHandler(api, waiter=waiter, cancellation=cancellation), cancellation


def test_given_a_cancellation_when_sleeping_then_it_raises_at_once_instead_of_sleeping() -> None:
    cancellation = Cancellation()
    threading.Timer(0.05, cancellation.cancel).start()
    started = time.monotonic()

    with pytest.raises(OperationInterrupted):
        cancellation.sleep(30)

    assert time.monotonic() - started < 1.0


def test_given_no_cancellation_when_sleeping_then_it_sleeps_the_whole_delay_and_returns() -> None:
    started = time.monotonic()

    Cancellation().sleep(0.05)

    assert time.monotonic() - started >= 0.05


def test_given_a_stop_before_the_create_when_creating_then_nothing_is_sent() -> None:
    api = FakeModelsAPI("DEPLOYED")
    model_handler, cancellation = handler(api, cancel_at=99)
    cancellation.cancel()

    with pytest.raises(DeploymentInterruptedError) as caught:
        model_handler.create(SPEC, timeout=60)

    assert api.calls == []
    assert (caught.value.sent, caught.value.document) == (False, None)
    assert "nothing was changed" in str(caught.value)


def test_given_a_stop_while_deploying_when_creating_then_the_error_carries_the_model_last_read() -> None:
    api = FakeModelsAPI("DEPLOYING")
    model_handler, _ = handler(api, cancel_at=2)

    with pytest.raises(DeploymentInterruptedError) as caught:
        model_handler.create(SPEC, timeout=600)

    error = caught.value
    assert (error.action, error.sent, error.last_status) == ("create", True, "DEPLOYING")
    assert error.document is not None and error.document["metadata"]["name"] == "my-model"
    assert [call for call, _ in api.calls].count("create") == 1


def test_given_a_stop_before_any_poll_answered_when_creating_then_the_post_answer_is_reported() -> None:
    api = FakeModelsAPI(OperationInterrupted())  # the client was interrupted while retrying the first GET
    api.write_answer = document(status="DEPLOYING")
    model_handler, _ = handler(api, cancel_at=99)

    with pytest.raises(DeploymentInterruptedError) as caught:
        model_handler.create(SPEC, timeout=600)

    assert caught.value.document == document(status="DEPLOYING")


def test_given_a_stop_while_deploying_when_updating_then_the_error_reports_the_update() -> None:
    api = FakeModelsAPI("DEPLOYING")
    model_handler, _ = handler(api, cancel_at=1)

    with pytest.raises(DeploymentInterruptedError) as caught:
        model_handler.update("my-model", SPEC, timeout=600)

    assert (caught.value.action, caught.value.last_status) == ("update", "DEPLOYING")


def test_given_a_stop_while_deleting_when_deleting_then_the_error_carries_the_deleting_model() -> None:
    api = FakeModelsAPI("DELETING")
    model_handler, _ = handler(api, cancel_at=1)

    with pytest.raises(DeploymentInterruptedError) as caught:
        model_handler.delete("my-model", timeout=600)

    assert (caught.value.action, caught.value.last_status) == ("delete", "DELETING")


def test_given_a_model_of_that_name_still_deleting_when_creating_then_it_waits_for_the_404_and_posts_again() -> None:
    api = FakeModelsAPI(document(status="DELETING"), document(status="DELETING"), not_found(), "DEPLOYED")
    api.write_answer = ConflictError(method="POST", path="/models", status=409, error="exists")
    model_handler, _ = handler(api, cancel_at=99)
    posts = 0
    original = api.create_model

    def create_model(document: Any, *, deadline: float | None = None) -> dict[str, Any]:
        nonlocal posts
        posts += 1
        if posts == 2:
            api.write_answer = {"metadata": {"name": "my-model"}, "status": "DEPLOYING"}
        return original(document, deadline=deadline)

    api.create_model = create_model  # type: ignore[method-assign]

    created = model_handler.create(SPEC, timeout=600)

    assert created["status"] == "DEPLOYED"
    assert posts == 2


def test_given_a_stop_while_waiting_for_an_old_model_to_go_when_creating_then_nothing_is_reported_as_ours() -> None:
    api = FakeModelsAPI(document(status="DELETING"))
    api.write_answer = ConflictError(method="POST", path="/models", status=409, error="exists")
    model_handler, _ = handler(api, cancel_at=1)

    with pytest.raises(DeploymentInterruptedError) as caught:
        model_handler.create(SPEC, timeout=600)

    assert (caught.value.sent, caught.value.document) == (False, None)
