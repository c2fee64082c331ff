"""The same behavioural cases over every kind: one ``KindHandler``, one table, the kind the only parameter.

Create-once (a name clash, an ambiguous POST applied or not), Terraform's stop before and after the POST, a
404 on read, an update, a delete refused while in use (retried for a kind whose description says so, raised
at once otherwise), and the write fence around every write: what differs between the kinds is only what
their descriptions say, and the messages name the kind.
"""

from __future__ import annotations

from typing import Any

import pytest

from blaxel_constructs.cancellation import Cancellation
from blaxel_constructs.errors import (
    BadRequestError,
    ConflictError,
    DeploymentInterruptedError,
    NameTakenError,
    OperationInterrupted,
    RequestTimeout,
    ServerError,
    StillInUseError,
)
from blaxel_constructs.handler import DEFAULT_BACKOFF, KindHandler, Waiter
from blaxel_constructs.kinds import INTEGRATION_CONNECTION, KINDS, MODEL, POLICY
from blaxel_constructs.kinds.description import Kind
from tests.support.clock import FakeClock
from tests.support.objects_fake import FakeObjects, Fault

#: A valid document of each kind, as the provider sends it.
SENT: dict[Kind, dict[str, Any]] = {
    MODEL: {
        "metadata": {"name": "chat", "labels": {"team": "ml"}},
        "spec": {"runtime": {"type": "openai", "model": "gpt-4.1"}},
    },
    INTEGRATION_CONNECTION: {
        "metadata": {"name": "chat", "labels": {"team": "ml"}},
        "spec": {"integration": "openai", "secret": {"apiKey": "sk-live"}},
    },
    POLICY: {
        "metadata": {"name": "chat", "labels": {"team": "ml"}},
        "spec": {"type": "location", "locations": [{"name": "eu", "type": "continent"}]},
    },
}


def other(kind: Kind) -> dict[str, Any]:
    """Another object of the same name: the document sent, with other labels."""
    return {**SENT[kind], "metadata": {"name": "chat", "labels": {"team": "someone-else"}}}


def ambiguous(method: str = "POST") -> ServerError:
    return ServerError(method=method, path="/", status=502, error="bad gateway")


class StoppingClock(FakeClock):
    """A virtual clock whose sleeps go through ``cancellation``, which Terraform cancels at the ``stop_at``-th."""

    def __init__(self, cancellation: Cancellation, stop_at: int) -> None:
        super().__init__(100.0)
        self.cancellation, self.stop_at = cancellation, stop_at

    def sleep(self, seconds: float) -> None:
        if len(self.sleeps) + 1 == self.stop_at:
            self.cancellation.cancel()
        self.cancellation.check()
        super().sleep(seconds)


def handler_over(api: FakeObjects, *, stop_at: int = 0, cancelled: bool = False) -> KindHandler:
    """The kind's handler over ``api``; Terraform asks to stop at the ``stop_at``-th sleep, or already has."""
    cancellation = Cancellation()
    clock = StoppingClock(cancellation, stop_at)
    api.clock = clock
    if cancelled:
        cancellation.cancel()
    waiter = Waiter(DEFAULT_BACKOFF, clock=clock.as_clock())
    return KindHandler(
        api, kind=api.kind, waiter=waiter, cancellation=cancellation, on_write=lambda: api.log.append("fence")
    )


@pytest.fixture(params=KINDS, ids=lambda kind: kind.name)
def kind(request: pytest.FixtureRequest) -> Kind:
    chosen: Kind = request.param
    return chosen


def writes(api: FakeObjects) -> list[str]:
    """The calls that change something, in order."""
    return [call for call in api.log if call in ("POST", "PUT", "DELETE")]


# -- create ----------------------------------------------------------------------------------------------


def test_given_a_free_name_when_creating_then_one_post_makes_the_object(kind: Kind) -> None:
    api = FakeObjects(kind)

    created = handler_over(api).create(SENT[kind], timeout=60)

    assert writes(api) == ["POST"]
    assert kind.same_document(created, SENT[kind]) and list(api.objects) == ["chat"]


def test_given_the_name_taken_by_another_object_when_creating_then_the_409_is_raised_and_nothing_changes(
    kind: Kind,
) -> None:
    api = FakeObjects(kind)
    api.seed(other(kind))

    with pytest.raises(ConflictError) as raised:
        handler_over(api).create(SENT[kind], timeout=60)

    assert not isinstance(raised.value, NameTakenError)
    assert writes(api) == ["POST"] and api.objects["chat"] == other(kind)


def test_given_an_ambiguous_post_and_another_object_of_that_name_when_creating_then_name_taken_names_the_kind(
    kind: Kind,
) -> None:
    api = FakeObjects(kind, Fault("POST", ambiguous()))
    api.seed(other(kind))

    with pytest.raises(NameTakenError) as raised:
        handler_over(api).create(SENT[kind], timeout=60)

    assert raised.value.kind == kind.noun and raised.value.path == kind.collection
    assert f"a different {kind.noun} named 'chat' already exists" in str(raised.value)
    assert writes(api) == ["POST"] and api.objects["chat"] == other(kind)


def test_given_an_ambiguous_post_that_was_applied_when_creating_then_the_object_is_adopted_from_one_post(
    kind: Kind,
) -> None:
    api = FakeObjects(kind, Fault("POST", ambiguous(), applied=True))
    handler = handler_over(api)

    handler.create(SENT[kind], timeout=60)

    # A secret cannot be read back to prove it is the one sent: it is sent again.
    assert writes(api) == ["POST", "PUT"] if kind.carries_secret(SENT[kind]) else ["POST"]
    assert (handler.post_attempts, handler.adopted) == (1, 1)
    assert api.objects["chat"] == SENT[kind]


def test_given_an_ambiguous_post_that_was_not_applied_when_creating_then_it_is_posted_again(kind: Kind) -> None:
    api = FakeObjects(kind, Fault("POST", RequestTimeout("read timed out", method="POST", path="/")))
    handler = handler_over(api)

    handler.create(SENT[kind], timeout=60)

    assert writes(api) == ["POST", "POST"] and handler.post_attempts == 2
    assert api.objects["chat"] == SENT[kind]


def test_given_a_refused_document_when_creating_then_the_400_is_raised_without_a_lookup(kind: Kind) -> None:
    api = FakeObjects(kind, Fault("POST", BadRequestError(method="POST", path="/", status=400, error="no")))

    with pytest.raises(BadRequestError):
        handler_over(api).create(SENT[kind], timeout=60)

    assert api.log == ["fence", "POST", "fence"]


# -- Terraform asks to stop ------------------------------------------------------------------------------


def test_given_a_stop_before_the_create_when_creating_then_nothing_is_sent_and_the_error_names_the_kind(
    kind: Kind,
) -> None:
    api = FakeObjects(kind)

    with pytest.raises(DeploymentInterruptedError) as raised:
        handler_over(api, cancelled=True).create(SENT[kind], timeout=60)

    assert api.log == []
    assert (raised.value.sent, raised.value.document, raised.value.kind) == (False, None, kind.noun)
    assert f"before the create of {kind.noun} 'chat' was sent; nothing was changed" in str(raised.value)


def test_given_a_stop_after_an_ambiguous_post_while_looking_it_up_when_creating_then_it_may_exist(kind: Kind) -> None:
    api = FakeObjects(kind, Fault("POST", ambiguous(), applied=True), Fault("GET", OperationInterrupted()))

    with pytest.raises(DeploymentInterruptedError) as raised:
        handler_over(api).create(SENT[kind], timeout=60)

    assert (raised.value.sent, raised.value.document) == (True, None)
    assert f"while {kind.noun} 'chat' was in an unknown state (create)" in str(raised.value)


def test_given_a_stop_after_a_post_proven_unapplied_when_creating_then_nothing_was_changed(kind: Kind) -> None:
    api = FakeObjects(kind, Fault("POST", ambiguous()))

    with pytest.raises(DeploymentInterruptedError) as raised:
        handler_over(api, stop_at=1).create(SENT[kind], timeout=60)  # the backoff before the second POST

    assert writes(api) == ["POST"] and api.objects == {}
    assert raised.value.sent is False


@pytest.mark.parametrize("kind", [k for k in KINDS if k.lifecycle], ids=lambda kind: kind.name)
def test_given_a_stop_while_deploying_when_creating_then_the_error_carries_the_object_last_read(kind: Kind) -> None:
    api = FakeObjects(kind, status="DEPLOYING")

    with pytest.raises(DeploymentInterruptedError) as raised:
        handler_over(api, stop_at=1).create(SENT[kind], timeout=60)

    assert raised.value.sent is True and raised.value.last_status == "DEPLOYING"
    assert raised.value.document is not None and raised.value.document["metadata"]["name"] == "chat"


# -- read and update -------------------------------------------------------------------------------------


def test_given_no_object_of_the_name_when_reading_then_none_is_returned(kind: Kind) -> None:
    api = FakeObjects(kind)

    assert handler_over(api).read("chat", timeout=5) is None
    assert api.log == ["GET"]


def test_given_an_object_when_updating_then_one_put_replaces_it(kind: Kind) -> None:
    api = FakeObjects(kind)
    api.seed(other(kind))

    updated = handler_over(api).update("chat", SENT[kind], timeout=60)

    assert writes(api) == ["PUT"] and api.objects["chat"] == SENT[kind]
    assert kind.same_document(updated, SENT[kind])


def test_given_a_stop_before_the_update_when_updating_then_nothing_is_sent(kind: Kind) -> None:
    api = FakeObjects(kind)

    with pytest.raises(DeploymentInterruptedError) as raised:
        handler_over(api, cancelled=True).update("chat", SENT[kind], timeout=60)

    assert api.log == [] and not raised.value.sent
    assert f"update of {kind.noun} 'chat'" in str(raised.value)


# -- delete ----------------------------------------------------------------------------------------------


def test_given_an_object_gone_already_when_deleting_then_it_is_a_success(kind: Kind) -> None:
    api = FakeObjects(kind)

    handler_over(api).delete("chat", timeout=60)

    assert writes(api) == ["DELETE"]


def test_given_a_model_releasing_the_object_when_deleting_then_kinds_that_wait_retry_and_others_refuse(
    kind: Kind,
) -> None:
    api = FakeObjects(kind)
    api.seed(SENT[kind])
    api.in_use["chat"] = ["chat-model"]
    refusals: list[int] = []

    def release() -> None:
        refusals.append(1)
        if len(refusals) == 2:
            api.in_use.clear()

    api.on_refused = release

    if kind.delete_waits_while_in_use:
        handler_over(api).delete("chat", timeout=60)
        assert writes(api) == ["DELETE", "DELETE", "DELETE"] and api.objects == {}
    else:
        with pytest.raises(ConflictError):
            handler_over(api).delete("chat", timeout=60)
        assert writes(api) == ["DELETE"] and "chat" in api.objects


@pytest.mark.parametrize("kind", [k for k in KINDS if k.delete_waits_while_in_use], ids=lambda kind: kind.name)
def test_given_an_object_in_use_until_the_deadline_when_deleting_then_the_error_names_its_users(kind: Kind) -> None:
    api = FakeObjects(kind)
    api.seed(SENT[kind])
    api.in_use["chat"] = ["chat-model", "other-model"]

    with pytest.raises(StillInUseError) as raised:
        handler_over(api).delete("chat", timeout=10)

    assert raised.value.users == ["chat-model", "other-model"]
    assert f"{kind.noun} 'chat' is still in use by models: chat-model, other-model" in str(raised.value)
    assert isinstance(raised.value.__cause__, ConflictError) and "chat" in api.objects


# -- the write fence: what writes tells the refresh snapshot, before and after ----------------------------


def test_every_write_is_fenced_before_it_is_sent_and_after_it_returned(kind: Kind) -> None:
    api = FakeObjects(kind)
    handler = handler_over(api)

    handler.create(SENT[kind], timeout=60)
    handler.update("chat", SENT[kind], timeout=60)
    handler.delete("chat", timeout=60)

    fenced = [call for call in api.log if call != "GET"]
    assert fenced == ["fence", "POST", "fence", "fence", "PUT", "fence", "fence", "DELETE", "fence"]


@pytest.mark.parametrize(
    ("call", "operation"),
    [
        ("POST", lambda handler, kind: handler.create(SENT[kind], timeout=60)),
        ("PUT", lambda handler, kind: handler.update("chat", SENT[kind], timeout=60)),
        ("DELETE", lambda handler, kind: handler.delete("chat", timeout=60)),
    ],
    ids=["create", "update", "delete"],
)
def test_a_write_that_fails_is_fenced_after_it_failed_too(kind: Kind, call: str, operation: Any) -> None:
    api = FakeObjects(kind, Fault(call, BadRequestError(method=call, path="/", status=400, error="refused")))
    if call != "POST":
        api.seed(SENT[kind])

    with pytest.raises(BadRequestError):
        operation(handler_over(api), kind)

    assert api.log == ["fence", call, "fence"]
