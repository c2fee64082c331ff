"""IntegrationConnectionHandler: one call per operation, ambiguous creates resolved, deletes retried while in use."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import pytest

from blaxel_constructs.cancellation import Cancellation
from blaxel_constructs.errors import (
    BadRequestError,
    ConflictError,
    DeploymentInterruptedError,
    NameTakenError,
    NotFoundError,
    OperationInterrupted,
    ServerError,
    StillInUseError,
)
from blaxel_constructs.handler import DEFAULT_BACKOFF, IntegrationConnectionHandler, Waiter, users_named_in
from tests.support.clock import FakeClock

PATH = "/integrations/connections"


def sent(name: str = "openai-prod", key: str = "sk-1") -> dict[str, Any]:
    return {
        "metadata": {"name": name},
        "spec": {"integration": "openai", "config": {"region": "us"}, "secret": {"apiKey": key}},
    }


def in_use(*models: str) -> ConflictError:
    return ConflictError(
        method="DELETE", path=f"{PATH}/openai-prod", status=409, error="Conflict",
        message=f"integration connection openai-prod is in use by models: {', '.join(models)}",
    )  # fmt: skip


class FakeConnections:
    """A server's connections: secrets stored, masked on read; scripted errors per call, consumed in order."""

    def __init__(self, clock: FakeClock, **errors: list[BaseException]) -> None:
        self.clock = clock
        self.stored: dict[str, dict[str, Any]] = {}
        self.errors = errors
        self.calls: list[str] = []
        self.deadlines: list[float | None] = []

    def _enter(self, call: str, deadline: float | None) -> None:
        self.calls.append(call)
        self.deadlines.append(deadline)

    def _fail(self, call: str) -> None:
        pending = self.errors.get(call) or []
        if pending:
            raise pending.pop(0)

    def _read(self, name: str) -> dict[str, Any]:
        document = copy.deepcopy(self.stored[name])
        secret = document["spec"].get("secret") or {}
        document["spec"]["secret"] = {key: "********" for key in secret}
        document["metadata"]["workspace"] = "ws"
        return document

    def get_integration_connection(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        self._enter("get", deadline)
        self._fail("get")
        if name not in self.stored:
            raise NotFoundError(method="GET", path=f"{PATH}/{name}", status=404, error="Not found")
        return self._read(name)

    def create_integration_connection(
        self, document: Mapping[str, Any], *, deadline: float | None = None
    ) -> dict[str, Any]:
        self._enter("create", deadline)
        pending = self.errors.get("create") or []
        error = pending.pop(0) if pending else None
        if isinstance(error, ServerError) and error.error == "applied":
            self.stored[document["metadata"]["name"]] = copy.deepcopy(dict(document))
        if error is not None:
            raise error
        name = document["metadata"]["name"]
        if name in self.stored:
            raise ConflictError(method="POST", path=PATH, status=409, error="Conflict")
        self.stored[name] = copy.deepcopy(dict(document))
        return self._read(name)

    def update_integration_connection(
        self, name: str, document: Mapping[str, Any], *, deadline: float | None = None
    ) -> dict[str, Any]:
        self._enter("update", deadline)
        self._fail("update")
        previous = self.stored[name]
        updated = copy.deepcopy(dict(document))
        if "secret" not in updated["spec"] and "secret" in previous["spec"]:
            updated["spec"]["secret"] = previous["spec"]["secret"]
        self.stored[name] = updated
        return self._read(name)

    def delete_integration_connection(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        self._enter("delete", deadline)
        self.clock.now += 0.1  # each refusal takes a little time, as a real request would
        self._fail("delete")
        if name not in self.stored:
            raise NotFoundError(method="DELETE", path=f"{PATH}/{name}", status=404, error="Not found")
        return self._read(name) | {"deleted": self.stored.pop(name) is not None}


def handler_over(api: FakeConnections, clock: FakeClock, cancellation: Cancellation | None = None) -> Any:
    return IntegrationConnectionHandler(
        api, waiter=Waiter(DEFAULT_BACKOFF, clock=clock.as_clock()), cancellation=cancellation
    )


def ambiguous(applied: bool) -> ServerError:
    return ServerError(method="POST", path=PATH, status=502, error="applied" if applied else "not applied")


def test_given_a_document_when_creating_then_one_post_stores_its_secret_and_the_answer_is_masked() -> None:
    clock = FakeClock(100.0)
    api = FakeConnections(clock)

    created = handler_over(api, clock).create(sent(), timeout=60)

    assert api.calls == ["create"]
    assert api.deadlines == [160.0]
    assert api.stored["openai-prod"]["spec"]["secret"] == {"apiKey": "sk-1"}
    assert created["spec"]["secret"] == {"apiKey": "********"}


def test_given_a_post_that_failed_ambiguously_but_was_applied_when_creating_then_the_secret_is_sent_again() -> None:
    clock = FakeClock()
    api = FakeConnections(clock, create=[ambiguous(applied=True)])

    handler_over(api, clock).create(sent(), timeout=60)

    assert api.calls == ["create", "get", "update"]
    assert api.stored["openai-prod"]["spec"]["secret"] == {"apiKey": "sk-1"}


def test_given_a_post_that_failed_ambiguously_and_was_not_applied_when_creating_then_it_is_posted_again() -> None:
    clock = FakeClock()
    api = FakeConnections(clock, create=[ambiguous(applied=False)])

    handler_over(api, clock).create(sent(), timeout=60)

    assert api.calls == ["create", "get", "create"]
    assert clock.sleeps  # backed off before posting again


def test_given_an_ambiguous_post_and_another_connection_of_that_name_when_creating_then_name_taken_is_raised() -> None:
    clock = FakeClock()
    api = FakeConnections(clock, create=[ambiguous(applied=False)])
    api.stored["openai-prod"] = {"metadata": {"name": "openai-prod"}, "spec": {"integration": "anthropic"}}

    with pytest.raises(NameTakenError):
        handler_over(api, clock).create(sent(), timeout=60)
    assert api.calls == ["create", "get"]


def test_given_a_name_that_exists_when_creating_then_the_409_is_raised_unchanged() -> None:
    clock = FakeClock()
    api = FakeConnections(clock)
    api.stored["openai-prod"] = sent()

    with pytest.raises(ConflictError) as raised:
        handler_over(api, clock).create(sent(key="sk-other"), timeout=60)
    assert not isinstance(raised.value, NameTakenError)
    assert api.stored["openai-prod"]["spec"]["secret"] == {"apiKey": "sk-1"}


def test_given_a_rejected_document_when_creating_then_the_400_is_raised_without_looking() -> None:
    clock = FakeClock()
    api = FakeConnections(clock, create=[BadRequestError(method="POST", path=PATH, status=400, error="bad")])

    with pytest.raises(BadRequestError):
        handler_over(api, clock).create(sent(), timeout=60)
    assert api.calls == ["create"]


def test_given_a_document_without_secret_when_updating_then_one_put_keeps_the_stored_secret() -> None:
    clock = FakeClock()
    api = FakeConnections(clock)
    api.stored["openai-prod"] = sent()
    document = sent()
    del document["spec"]["secret"]
    document["spec"]["config"] = {"region": "eu"}

    handler_over(api, clock).update("openai-prod", document, timeout=60)

    assert api.calls == ["update"]
    assert api.stored["openai-prod"]["spec"] == {**sent()["spec"], "config": {"region": "eu"}}


def test_given_a_missing_connection_when_reading_then_none_is_returned() -> None:
    clock = FakeClock()

    assert handler_over(FakeConnections(clock), clock).read("nope", timeout=5) is None


def test_given_a_connection_gone_already_when_deleting_then_it_is_a_success() -> None:
    clock = FakeClock()
    api = FakeConnections(clock)

    handler_over(api, clock).delete("openai-prod", timeout=60)

    assert api.calls == ["delete"]


def test_given_a_model_releasing_the_connection_when_deleting_then_the_delete_is_retried_until_it_succeeds() -> None:
    clock = FakeClock()
    api = FakeConnections(clock, delete=[in_use("chat"), in_use("chat")])
    api.stored["openai-prod"] = sent()

    handler_over(api, clock).delete("openai-prod", timeout=60)

    assert api.calls == ["delete", "delete", "delete"]
    assert "openai-prod" not in api.stored
    assert len(clock.sleeps) == 2


def test_given_a_connection_in_use_until_the_deadline_when_deleting_then_the_error_names_the_models() -> None:
    clock = FakeClock()
    api = FakeConnections(clock, delete=[in_use("chat", "summarize") for _ in range(1000)])
    api.stored["openai-prod"] = sent()

    with pytest.raises(StillInUseError) as raised:
        handler_over(api, clock).delete("openai-prod", timeout=30)

    assert raised.value.users == ["chat", "summarize"]
    assert "in use by models: chat, summarize" in str(raised.value)
    assert isinstance(raised.value.__cause__, ConflictError)
    assert 30.0 <= clock.now <= 31.0
    assert "openai-prod" in api.stored


def test_given_terraform_asks_to_stop_while_a_delete_is_refused_then_it_ends_at_once_with_nothing_deleted() -> None:
    clock = FakeClock()
    cancellation = Cancellation()
    api = FakeConnections(clock, delete=[in_use("chat") for _ in range(100)])
    api.stored["openai-prod"] = sent()
    waiter_clock = clock.as_clock()

    def sleep(seconds: float) -> None:
        cancellation.cancel()
        raise OperationInterrupted()

    handler = IntegrationConnectionHandler(
        api,
        waiter=Waiter(DEFAULT_BACKOFF, clock=type(waiter_clock)(now=clock, sleep=sleep, random=lambda: 1.0)),
        cancellation=cancellation,
    )

    with pytest.raises(DeploymentInterruptedError) as raised:
        handler.delete("openai-prod", timeout=600)
    assert raised.value.sent is False
    assert api.calls == ["delete"]


def test_given_a_409_message_when_reading_its_users_then_the_model_names_are_listed() -> None:
    assert users_named_in(in_use("a", "b-c")) == ["a", "b-c"]
    assert users_named_in(ConflictError(method="DELETE", path=PATH, status=409, error="Conflict")) == []
