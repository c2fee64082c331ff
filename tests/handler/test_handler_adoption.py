"""A create never leaves a duplicate or an orphan: ambiguous failures and 409s end with exactly one model."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from blaxel_constructs.document.rules import OWNER_LABEL
from blaxel_constructs.errors import (
    BadRequestError,
    BlaxelError,
    ConflictError,
    ConnectError,
    NameTakenError,
    RateLimitedError,
    RequestTimeout,
    ServerError,
    TransportError,
    is_ambiguous,
)
from blaxel_constructs.handler import LOGGER_NAME, MAX_CREATE_ATTEMPTS, STALE_READ_GRACE
from tests.support.clock import FakeClock

from .fakes import FakeModelsAPI, FakeRemote, Fault, document, handler_over, not_found

OWNER = "stack/model"
SENT: dict[str, Any] = {
    "metadata": {"name": "my-model", "displayName": "My model", "labels": {OWNER_LABEL: OWNER, "team": "ml"}},
    "spec": {
        "enabled": True,
        "runtime": {"type": "openai", "model": "gpt-4.1"},
        "flavors": [{"name": "t4", "type": "cpu"}],
    },
}


def variant(**spec: Any) -> dict[str, Any]:
    """``SENT`` with some spec fields changed."""
    return {"metadata": {**SENT["metadata"]}, "spec": {**SENT["spec"], **spec}}


def labelled(owner: str | None, **spec: Any) -> dict[str, Any]:
    """``SENT`` (or a variant) carrying ``owner`` as its owner label, or no owner label at all."""
    doc = variant(**spec)
    labels = {k: v for k, v in doc["metadata"]["labels"].items() if k != OWNER_LABEL}
    if owner is not None:
        labels[OWNER_LABEL] = owner
    doc["metadata"]["labels"] = labels
    return doc


def timed_out() -> RequestTimeout:
    return RequestTimeout("no answer from the Blaxel API in time (read timed out)", method="POST", path="/models")


def ambiguous_errors() -> dict[str, BlaxelError]:
    return {
        "read timeout": timed_out(),
        "dropped after send": TransportError(
            "the connection failed after the request was sent", method="POST", path="/models"
        ),
        "408": BadRequestError(method="POST", path="/models", status=408, error="Request Timeout"),
        "500": ServerError(method="POST", path="/models", status=500, error="boom"),
        "502": ServerError(method="POST", path="/models", status=502, error="Bad Gateway"),
        "503": ServerError(method="POST", path="/models", status=503, error="Service Unavailable"),
        "504": ServerError(method="POST", path="/models", status=504, error="Gateway Timeout"),
        "2xx with a broken body": ServerError(method="POST", path="/models", status=200, error="invalid JSON"),
    }


# -- an ambiguous POST ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(ambiguous_errors()))
def test_given_an_ambiguous_post_that_was_not_applied_when_creating_then_it_is_posted_exactly_once_more(
    kind: str,
) -> None:
    clock = FakeClock()
    remote = FakeRemote(Fault("create", ambiguous_errors()[kind], applied=False), clock=clock)
    handler = handler_over(remote, clock)

    created = handler.create(SENT, timeout=60)

    assert remote.calls == ["create", "get", "create", "get"]
    assert list(remote.models) == ["my-model"]
    assert created["status"] == "DEPLOYED"
    assert (handler.post_attempts, handler.adopted) == (2, 0)
    assert clock.sleeps == [0.3]  # one backoff before posting again


@pytest.mark.parametrize("kind", list(ambiguous_errors()))
def test_given_an_ambiguous_post_that_was_applied_when_creating_then_the_model_is_adopted_without_a_second_post(
    kind: str,
) -> None:
    clock = FakeClock()
    remote = FakeRemote(Fault("create", ambiguous_errors()[kind], applied=True), clock=clock)
    handler = handler_over(remote, clock)

    created = handler.create(SENT, timeout=60)

    assert remote.count("create") == 1
    assert remote.count("update") == 0
    assert list(remote.models) == ["my-model"]
    assert created["status"] == "DEPLOYED"
    assert (handler.post_attempts, handler.adopted) == (1, 1)


def test_given_an_ambiguous_post_when_a_different_model_has_the_name_then_name_taken_is_raised() -> None:
    clock = FakeClock()
    theirs = labelled(None, runtime={"type": "anthropic", "model": "claude"})
    remote = FakeRemote(Fault("create", timed_out()), clock=clock)
    remote.seed(theirs)

    with pytest.raises(NameTakenError) as caught:
        handler_over(remote, clock).create(SENT, timeout=60)

    error = caught.value
    assert isinstance(error, ConflictError) and error.status == 409
    assert str(error).startswith("a different model named 'my-model' already exists (after the create's own request")
    assert "read timed out" in str(error)
    assert error.document is not None and error.document["spec"]["runtime"]["type"] == "anthropic"
    assert remote.calls == ["create", "get"]
    assert remote.models["my-model"] == theirs


def test_given_an_ambiguous_post_when_our_labelled_model_with_another_spec_is_found_then_it_is_adopted_and_put() -> (
    None
):
    clock = FakeClock()
    remote = FakeRemote(Fault("create", timed_out()), clock=clock)
    remote.seed(variant(enabled=False))

    handler_over(remote, clock).create(SENT, timeout=60)

    assert remote.calls[:3] == ["create", "get", "update"]
    assert remote.models["my-model"] == SENT


def test_given_an_ambiguous_post_applied_late_when_the_repost_gets_409_then_the_identical_model_is_adopted() -> None:
    clock = FakeClock()
    unlabelled = labelled(None)
    remote = FakeRemote(Fault("create", timed_out()), clock=clock)
    # The lookup is answered (404) just before the first POST lands on the server.
    remote.faults.append(Fault("get", not_found(), then=lambda: remote.seed(unlabelled)))
    handler = handler_over(remote, clock)

    handler.create(unlabelled, timeout=60)

    assert remote.calls == ["create", "get", "create", "get", "get"]  # 404, re-POST, 409, identical: adopted
    assert list(remote.models) == ["my-model"]
    assert (handler.post_attempts, handler.adopted) == (2, 1)


def test_given_every_post_fails_ambiguously_and_is_not_applied_when_creating_then_the_last_error_is_raised() -> None:
    clock = FakeClock()
    errors = [timed_out() for _ in range(MAX_CREATE_ATTEMPTS)]
    remote = FakeRemote(*(Fault("create", e) for e in errors), clock=clock)
    handler = handler_over(remote, clock)

    with pytest.raises(RequestTimeout) as caught:
        handler.create(SENT, timeout=600)

    assert caught.value is errors[-1]
    assert remote.count("create") == handler.post_attempts == MAX_CREATE_ATTEMPTS == 5
    assert remote.models == {}
    assert clock.sleeps == pytest.approx([0.3, 0.45, 0.675, 1.0125])


def test_given_an_ambiguous_post_when_the_deadline_has_passed_after_the_lookup_then_no_second_post_is_sent() -> None:
    clock = FakeClock()
    api = FakeModelsAPI(not_found(), clock=clock, write_latency=10.0)
    api.write_answer = timed_out()

    with pytest.raises(RequestTimeout):
        handler_over(api, clock).create(SENT, timeout=5)

    assert [call for call, _ in api.calls] == ["create", "get"]
    assert clock.sleeps == []


def test_given_an_ambiguous_post_when_the_lookup_fails_too_then_that_error_is_raised_chained_to_the_post_error() -> (
    None
):
    clock = FakeClock()
    lookup = ServerError(method="GET", path="/models/my-model", status=503, error="Service Unavailable")
    remote = FakeRemote(Fault("create", timed_out()), Fault("get", lookup), clock=clock)

    with pytest.raises(ServerError) as caught:
        handler_over(remote, clock).create(SENT, timeout=60)

    assert caught.value is lookup
    assert isinstance(caught.value.__cause__, RequestTimeout)


@pytest.mark.parametrize(
    "error",
    [
        ConnectError("could not connect", method="POST", path="/models"),
        RateLimitedError(method="POST", path="/models", status=429, error="slow down"),
        BadRequestError(method="POST", path="/models", status=400, error="bad runtime"),
    ],
)
def test_given_a_post_failure_that_proves_nothing_was_applied_when_creating_then_it_is_raised_without_a_lookup(
    error: BlaxelError,
) -> None:
    clock = FakeClock()
    remote = FakeRemote(Fault("create", error), clock=clock)

    with pytest.raises(type(error)):
        handler_over(remote, clock).create(SENT, timeout=60)

    assert remote.calls == ["create"]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (timed_out(), True),
        (TransportError("dropped", method="POST", path="/models"), True),
        (ServerError(method="POST", path="/models", status=503), True),
        (BadRequestError(method="POST", path="/models", status=408), True),
        (ConnectError("refused", method="POST", path="/models"), False),
        (RateLimitedError(method="POST", path="/models", status=429), False),
        (ConflictError(method="POST", path="/models", status=409), False),
        (BadRequestError(method="POST", path="/models", status=400), False),
    ],
)
def test_given_a_post_error_when_classifying_then_only_those_that_may_have_applied_are_ambiguous(
    error: BlaxelError, expected: bool
) -> None:
    assert is_ambiguous(error) is expected


# -- a 409 on POST --------------------------------------------------------------------------------------


def test_given_409_and_our_own_identical_model_when_creating_then_it_is_adopted_without_a_put() -> None:
    clock = FakeClock()
    remote = FakeRemote(clock=clock)
    remote.seed(SENT)
    handler = handler_over(remote, clock)

    created = handler.create(SENT, timeout=60)

    assert remote.calls == ["create", "get", "get"]  # 409, look, then the usual wait
    assert created["status"] == "DEPLOYED"
    assert (handler.post_attempts, handler.adopted) == (1, 1)


def test_given_409_and_our_own_model_with_another_spec_when_creating_then_the_sent_document_is_put_then_waited_on() -> (
    None
):
    clock = FakeClock()
    remote = FakeRemote(clock=clock)
    remote.seed(variant(runtime={"type": "openai", "model": "gpt-4o"}, flavors=[]))
    handler = handler_over(remote, clock)

    created = handler.create(SENT, timeout=60)

    assert remote.calls == ["create", "get", "update", "get"]
    assert remote.models["my-model"] == SENT  # the full document, not a patch
    assert created["spec"]["runtime"]["model"] == "gpt-4.1"
    assert handler.adopted == 1


@pytest.mark.parametrize(
    ("sent_owner", "remote_owner"),
    [(OWNER, None), (OWNER, "another/stack"), (None, OWNER), (None, None)],
)
def test_given_409_and_a_model_that_is_not_ours_when_creating_then_the_conflict_is_raised_and_nothing_changed(
    sent_owner: str | None, remote_owner: str | None
) -> None:
    clock = FakeClock()
    remote = FakeRemote(clock=clock)
    theirs = labelled(remote_owner)
    remote.seed(theirs)
    handler = handler_over(remote, clock)

    with pytest.raises(ConflictError) as caught:
        handler.create(labelled(sent_owner), timeout=60)

    assert type(caught.value) is ConflictError  # the API's own 409: the provider says "import it"
    assert "already exists" in str(caught.value)
    assert remote.calls == ["create", "get"]
    assert remote.models["my-model"] == theirs
    assert handler.adopted == 0


def test_given_409_when_the_model_is_gone_by_the_lookup_then_it_is_posted_again() -> None:
    clock = FakeClock()
    remote = FakeRemote(Fault("create", ConflictError(method="POST", path="/models", status=409)), clock=clock)

    handler_over(remote, clock).create(SENT, timeout=60)

    assert remote.calls == ["create", "get", "create", "get"]
    assert list(remote.models) == ["my-model"]


# -- deadlines and records ------------------------------------------------------------------------------


def test_given_an_adoption_when_it_runs_then_every_call_gets_the_operations_deadline() -> None:
    clock = FakeClock()
    clock.now = 10.0
    remote = FakeRemote(Fault("create", timed_out()), clock=clock)
    remote.seed(variant(enabled=False))

    handler_over(remote, clock).create(SENT, timeout=60)

    assert set(remote.deadlines) == {70.0}


def test_given_an_adoption_when_logging_then_it_is_reported_at_info(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    remote = FakeRemote(Fault("create", timed_out(), applied=True), clock=clock)

    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        handler_over(remote, clock).create(SENT, timeout=60)

    messages = [r.getMessage() for r in caplog.records if r.name == LOGGER_NAME and r.levelno == logging.INFO]
    assert "adopted existing model 'my-model' after an ambiguous create: it already has the document sent" in messages


# -- a stale read after a PUT ---------------------------------------------------------------------------


def test_given_a_stale_deployed_read_after_an_update_when_waiting_then_it_is_not_taken_for_the_new_deployment() -> None:
    clock = FakeClock()
    old = document(status="DEPLOYED", metadata=SENT["metadata"], spec={"runtime": {"type": "openai", "model": "old"}})
    new = {**SENT, "status": "DEPLOYED", "events": []}
    api = FakeModelsAPI(old, {**new, "status": "DEPLOYING"}, new, clock=clock)

    updated = handler_over(api, clock).update("my-model", SENT, timeout=60)

    assert updated is new
    assert api.polls == 3


def test_given_a_stale_failed_read_after_an_update_when_waiting_then_the_previous_failure_is_not_reported() -> None:
    clock = FakeClock()
    old = document(status="FAILED", metadata=SENT["metadata"], spec={"runtime": {"type": "broken"}})
    new = {**SENT, "status": "DEPLOYED", "events": []}
    api = FakeModelsAPI(old, new, clock=clock)

    assert handler_over(api, clock).update("my-model", SENT, timeout=60) is new


def test_given_a_server_that_rewrites_documents_when_updating_then_its_status_is_believed_after_the_grace() -> None:
    clock = FakeClock()
    rewritten = document(status="DEPLOYED", metadata=SENT["metadata"], spec={**SENT["spec"], "serverField": "x"})
    api = FakeModelsAPI(rewritten, clock=clock)

    handler_over(api, clock).update("my-model", SENT, timeout=60)

    assert STALE_READ_GRACE <= api.poll_times[-1] < STALE_READ_GRACE + 5.0
