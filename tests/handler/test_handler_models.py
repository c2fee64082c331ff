"""ModelHandler: start an operation, then wait for its goal status, a failure, a 404 or the deadline."""

from __future__ import annotations

from typing import Any

import pytest

from blaxel_constructs.errors import (
    ConflictError,
    ConnectError,
    DeploymentFailedError,
    DeploymentTimeoutError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    SpecError,
)
from tests.support.clock import FakeClock

from .fakes import FakeModelsAPI, document, handler_over, not_found

SPEC: dict[str, Any] = {"metadata": {"name": "my-model"}, "spec": {"runtime": {"type": "openai"}}}
DISABLED: dict[str, Any] = {"metadata": {"name": "my-model"}, "spec": {"enabled": False}}


def unavailable() -> ServerError:
    return ServerError(method="GET", path="/models/my-model", status=503, error="Service Unavailable")


# -- create -------------------------------------------------------------------------------------------


def test_given_a_model_deployed_after_three_polls_when_creating_then_the_deployed_document_is_returned() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("UPLOADING", "DEPLOYING", "DEPLOYED", clock=clock)

    created = handler_over(api, clock).create(SPEC, timeout=60)

    assert created["status"] == "DEPLOYED"
    assert api.calls[0] == ("create", SPEC)
    assert api.polls == 3
    assert clock.sleeps == pytest.approx([0.3, 0.45])


def test_given_a_post_answer_already_deployed_when_creating_then_one_get_confirms_it() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("DEPLOYED", clock=clock)
    api.write_answer = document(status="DEPLOYED")

    handler_over(api, clock).create(SPEC, timeout=60)

    assert api.polls == 1
    assert clock.sleeps == []


def test_given_a_document_without_status_when_waiting_then_it_counts_as_in_progress() -> None:
    clock = FakeClock()
    api = FakeModelsAPI(None, None, "DEPLOYED", clock=clock)

    assert handler_over(api, clock).create(SPEC, timeout=60)["status"] == "DEPLOYED"
    assert api.polls == 3


def test_given_a_failed_deployment_when_creating_then_the_error_carries_the_latest_events_message() -> None:
    clock = FakeClock()
    failed = document(
        status="FAILED",
        events=[
            {"type": "deployment", "status": "FAILED", "message": "Invalid API key", "time": "2026-05-01T10:00:09Z"},
            {"type": "deployment", "status": "DEPLOYING", "message": "Deploying", "time": "2026-05-01T10:00:01Z"},
            {"type": "deployment", "status": "UPLOADING", "message": "Uploading", "time": "2026-05-01T10:00:00Z"},
        ],
    )
    api = FakeModelsAPI("DEPLOYING", failed, clock=clock)

    with pytest.raises(DeploymentFailedError) as caught:
        handler_over(api, clock).create(SPEC, timeout=60)

    error = caught.value
    assert (error.name, error.last_status, error.message) == ("my-model", "FAILED", "Invalid API key")
    assert error.waited == 0.3
    assert error.document is failed
    assert str(error) == "model 'my-model' ended FAILED after 0.3s: Invalid API key"


def test_given_events_without_times_when_failing_then_the_last_message_in_the_list_is_used() -> None:
    clock = FakeClock()
    failed = document(status="FAILED", events=[{"message": "first"}, {"message": "quota exceeded"}, {"type": "x"}])
    api = FakeModelsAPI(failed, clock=clock)

    with pytest.raises(DeploymentFailedError, match="quota exceeded"):
        handler_over(api, clock).create(SPEC, timeout=60)


def test_given_a_terminated_model_when_creating_then_it_is_a_failure_without_a_message() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("TERMINATED", clock=clock)

    with pytest.raises(DeploymentFailedError, match=r"ended TERMINATED .* the API gave no event message"):
        handler_over(api, clock).create(SPEC, timeout=60)


def test_given_enabled_false_when_the_model_ends_deactivated_then_that_is_success() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("DEACTIVATING", "DEACTIVATED", clock=clock)

    assert handler_over(api, clock).create(DISABLED, timeout=60)["status"] == "DEACTIVATED"


def test_given_enabled_false_when_the_model_is_still_deployed_then_it_keeps_waiting() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("DEPLOYED", "DEACTIVATING", "DEACTIVATED", clock=clock)

    handler_over(api, clock).create(DISABLED, timeout=60)

    assert api.polls == 3


def test_given_enabled_true_when_the_model_ends_deactivated_then_that_is_a_failure() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("DEACTIVATED", clock=clock)

    with pytest.raises(DeploymentFailedError) as caught:
        handler_over(api, clock).create({**SPEC, "spec": {"enabled": True}}, timeout=60)

    assert caught.value.last_status == "DEACTIVATED"


def test_given_a_model_stuck_deploying_when_the_timeout_passes_then_the_error_names_model_status_and_seconds() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("DEPLOYING", clock=clock)

    with pytest.raises(DeploymentTimeoutError) as caught:
        handler_over(api, clock).create(SPEC, timeout=30)

    error = caught.value
    assert str(error) == "model 'my-model' did not become DEPLOYED within 30.0s; last status: DEPLOYING"
    assert (error.name, error.last_status, error.goal, error.waited) == ("my-model", "DEPLOYING", "DEPLOYED", 30.0)
    assert error.document is not None and error.document["status"] == "DEPLOYING"
    assert api.poll_times[-1] == 30.0  # a last look at the deadline itself


def test_given_a_slow_post_when_waiting_then_the_timeout_covers_the_whole_operation() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("DEPLOYING", clock=clock, write_latency=4.0)

    with pytest.raises(DeploymentTimeoutError) as caught:
        handler_over(api, clock).create(SPEC, timeout=10)

    # the POST took 4 s of the 10
    assert api.poll_times == pytest.approx([4.0, 4.3, 4.75, 5.425, 6.4375, 7.95625, 10.0])
    assert caught.value.waited == 10.0


def test_given_a_document_without_a_name_when_creating_then_nothing_is_sent() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("DEPLOYED", clock=clock)

    with pytest.raises(SpecError, match=r"metadata\.name"):
        handler_over(api, clock).create({"metadata": {}, "spec": {}}, timeout=60)
    assert api.calls == []


# -- transient and fatal errors while waiting ------------------------------------------------------------


def test_given_transient_errors_while_polling_when_the_model_deploys_then_create_succeeds() -> None:
    clock = FakeClock()
    dropped = ConnectError("connection refused", method="GET", path="/models/my-model")
    limited = RateLimitedError(method="GET", path="/models/my-model", status=429, error="slow down")
    api = FakeModelsAPI("DEPLOYING", unavailable(), dropped, limited, "DEPLOYED", clock=clock)

    assert handler_over(api, clock).create(SPEC, timeout=60)["status"] == "DEPLOYED"
    assert api.polls == 5


def test_given_errors_until_the_deadline_when_it_passes_then_the_timeout_names_the_last_error() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("DEPLOYING", unavailable(), clock=clock)

    with pytest.raises(DeploymentTimeoutError) as caught:
        handler_over(api, clock).create(SPEC, timeout=20)

    error = caught.value
    assert error.last_status == "DEPLOYING"  # from the last document actually read
    assert "last error while polling: GET /models/my-model returned 503: Service Unavailable" in str(error)
    assert isinstance(error.__cause__, ServerError)


def test_given_a_recovered_error_when_the_timeout_passes_then_the_old_error_is_not_blamed() -> None:
    clock = FakeClock()
    api = FakeModelsAPI(unavailable(), "DEPLOYING", clock=clock)

    with pytest.raises(DeploymentTimeoutError) as caught:
        handler_over(api, clock).create(SPEC, timeout=20)

    assert "last error" not in str(caught.value)
    assert caught.value.__cause__ is None


def test_given_a_forbidden_answer_while_polling_when_creating_then_it_propagates_at_once() -> None:
    clock = FakeClock()
    api = FakeModelsAPI(
        ForbiddenError(method="GET", path="/models/my-model", status=403, error="Forbidden"), clock=clock
    )

    with pytest.raises(ForbiddenError):
        handler_over(api, clock).create(SPEC, timeout=60)
    assert api.polls == 1


def test_given_the_model_vanishes_while_waiting_when_creating_then_not_found_propagates_unchanged() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("DEPLOYING", not_found(), clock=clock)

    with pytest.raises(NotFoundError, match="GET /models/my-model returned 404"):
        handler_over(api, clock).create(SPEC, timeout=60)


def test_given_a_conflict_on_post_with_a_model_not_ours_when_creating_then_it_propagates_without_waiting() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("DEPLOYED", clock=clock)
    conflict = ConflictError(method="POST", path="/models", status=409, error="Resource already exists")
    api.write_answer = conflict

    with pytest.raises(ConflictError) as caught:
        handler_over(api, clock).create(SPEC, timeout=60)

    assert caught.value is conflict
    assert [call for call, _ in api.calls] == ["create", "get"]  # looked up once, then left alone


# -- deadlines ------------------------------------------------------------------------------------------


def test_given_a_create_when_it_runs_then_every_api_call_gets_the_operations_deadline() -> None:
    clock = FakeClock()
    clock.now = 100.0
    api = FakeModelsAPI("DEPLOYING", "DEPLOYED", clock=clock, write_latency=2.0)

    handler_over(api, clock).create(SPEC, timeout=60)

    assert api.deadlines == [160.0, 160.0, 160.0]  # started + timeout, on the waiter's clock


def test_given_an_update_and_a_delete_when_they_run_then_every_api_call_gets_the_operations_deadline() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("DEPLOYED", clock=clock)
    handler = handler_over(api, clock)

    handler.update("my-model", SPEC, timeout=30)
    api.gets = [not_found()]
    clock.now = 50.0
    handler.delete("my-model", timeout=20)

    assert api.deadlines == [30.0, 30.0, 70.0, 70.0]


def test_given_a_read_with_a_timeout_when_reading_then_its_deadline_is_passed_and_none_without() -> None:
    clock = FakeClock()
    clock.now = 5.0
    api = FakeModelsAPI("DEPLOYED", clock=clock)
    handler = handler_over(api, clock)

    handler.read("my-model", timeout=10)
    handler.read("my-model")

    assert api.deadlines == [15.0, None]


# -- update ---------------------------------------------------------------------------------------------


def test_given_an_update_when_it_deploys_then_the_document_was_put_by_name_and_the_result_returned() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("DEPLOYING", "DEPLOYED", clock=clock)

    updated = handler_over(api, clock).update("my-model", SPEC, timeout=60)

    assert api.calls[0] == ("update", ("my-model", SPEC))
    assert updated["status"] == "DEPLOYED"


def test_given_an_update_that_disables_the_model_when_it_deactivates_then_that_is_success() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("DEACTIVATING", "DEACTIVATED", clock=clock)

    assert handler_over(api, clock).update("my-model", DISABLED, timeout=60)["status"] == "DEACTIVATED"


def test_given_a_started_deployment_when_resuming_the_wait_then_it_settles_without_another_write() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("BUILDING", "DEPLOYED", clock=clock)

    settled = handler_over(api, clock).wait_until_settled("my-model", timeout=60, goal="DEPLOYED")

    assert settled["status"] == "DEPLOYED"
    assert [call for call, _ in api.calls] == ["get", "get"]


def test_given_an_unknown_goal_when_waiting_then_it_is_rejected() -> None:
    clock = FakeClock()

    with pytest.raises(ValueError, match="goal"):
        handler_over(FakeModelsAPI("DEPLOYED"), clock).wait_until_settled("my-model", timeout=60, goal="READY")


# -- delete and read ------------------------------------------------------------------------------------


def test_given_a_model_when_deleting_then_it_waits_until_get_answers_404() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("DELETING", "DELETING", not_found(), clock=clock)

    handler_over(api, clock).delete("my-model", timeout=60)

    assert api.calls[0] == ("delete", "my-model")
    assert api.polls == 3


def test_given_an_absent_model_when_deleting_then_it_succeeds_without_waiting() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("DEPLOYED", clock=clock)
    api.write_answer = not_found()

    handler_over(api, clock).delete("my-model", timeout=60)

    assert api.polls == 0


def test_given_a_model_that_never_goes_away_when_deleting_then_it_times_out_with_goal_deleted() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("DELETING", clock=clock)

    with pytest.raises(DeploymentTimeoutError) as caught:
        handler_over(api, clock).delete("my-model", timeout=15)

    assert caught.value.goal == "deleted"
    assert str(caught.value) == "model 'my-model' did not become deleted within 15.0s; last status: DELETING"


def test_given_transient_errors_while_deleting_when_the_model_goes_away_then_delete_succeeds() -> None:
    clock = FakeClock()
    api = FakeModelsAPI("DELETING", unavailable(), not_found(), clock=clock)

    handler_over(api, clock).delete("my-model", timeout=60)

    assert api.polls == 3


def test_given_an_existing_model_when_reading_then_its_document_is_returned() -> None:
    api = FakeModelsAPI("DEPLOYED")

    read = handler_over(api, FakeClock()).read("my-model")

    assert read is not None and read["status"] == "DEPLOYED"


def test_given_an_absent_model_when_reading_then_none_is_returned() -> None:
    assert handler_over(FakeModelsAPI(not_found()), FakeClock()).read("my-model") is None
