"""``PolicyHandler``: one call per operation, no waiting, and a create that leaves exactly one policy."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import pytest

from blaxel_constructs.cancellation import Cancellation
from blaxel_constructs.errors import (
    BadRequestError,
    ConflictError,
    ConnectError,
    DeploymentInterruptedError,
    NameTakenError,
    NotFoundError,
    RequestTimeout,
    ServerError,
)
from blaxel_constructs.handler import DEFAULT_BACKOFF, MAX_CREATE_ATTEMPTS, PolicyHandler, Waiter
from blaxel_constructs.kinds import POLICY
from tests.support.clock import FakeClock

same_policy = POLICY.same_document

SENT: dict[str, Any] = {
    "metadata": {"name": "eu-only", "labels": {"team": "ml"}},
    "spec": {
        "type": "location",
        "locations": [{"name": "eu", "type": "continent"}, {"name": "us", "type": "country"}],
        "resourceTypes": ["model"],
    },
}


def as_stored(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document as the API answers it: server-set metadata added, ``sandbox`` filled in."""
    stored = copy.deepcopy(dict(document))
    stored["metadata"].update(workspace="ws", createdAt="2026-11-30T10:00:00Z", updatedAt="2026-11-30T10:00:00Z")
    stored["spec"].setdefault("sandbox", False)
    return stored


class FakePolicies:
    """A server's policies by name; ``post_faults`` are raised by the next POSTs, after storing when ``applied``."""

    def __init__(self, *post_faults: tuple[BaseException, bool], get_fault: BaseException | None = None) -> None:
        self.policies: dict[str, dict[str, Any]] = {}
        self.post_faults = list(post_faults)
        self.get_fault = get_fault
        self.calls: list[str] = []
        self.deadlines: list[float | None] = []

    def _enter(self, call: str, deadline: float | None) -> None:
        self.calls.append(call)
        self.deadlines.append(deadline)

    def get_policy(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        self._enter("GET", deadline)
        if self.get_fault is not None:
            raise self.get_fault
        if name not in self.policies:
            raise NotFoundError(method="GET", path=f"/policies/{name}", status=404, error="Policy not found")
        return copy.deepcopy(self.policies[name])

    def create_policy(self, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        self._enter("POST", deadline)
        name = document["metadata"]["name"]
        fault = self.post_faults.pop(0) if self.post_faults else None
        if fault is not None and not fault[1]:
            raise fault[0]
        if name in self.policies:
            raise ConflictError(method="POST", path="/policies", status=409, error="Policy already exists")
        self.policies[name] = as_stored(document)
        if fault is not None:
            raise fault[0]
        return copy.deepcopy(self.policies[name])

    def update_policy(self, name: str, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        self._enter("PUT", deadline)
        if name not in self.policies:
            raise NotFoundError(method="PUT", path=f"/policies/{name}", status=404, error="Policy not found")
        self.policies[name] = as_stored(document)
        return copy.deepcopy(self.policies[name])

    def delete_policy(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        self._enter("DELETE", deadline)
        if name not in self.policies:
            raise NotFoundError(method="DELETE", path=f"/policies/{name}", status=404, error="Policy not found")
        return self.policies.pop(name)


def handler_over(api: FakePolicies, clock: FakeClock, cancellation: Cancellation | None = None) -> PolicyHandler:
    return PolicyHandler(api, waiter=Waiter(DEFAULT_BACKOFF, clock=clock.as_clock()), cancellation=cancellation)


def timeout_error() -> RequestTimeout:
    return RequestTimeout("read timed out", method="POST", path="/policies")


# -- one call each, with the operation's deadline ---------------------------------------------------------


def test_a_create_is_one_post_carrying_the_operations_deadline_and_returns_the_policy() -> None:
    api, clock = FakePolicies(), FakeClock(now=100.0)

    created = handler_over(api, clock).create(SENT, timeout=60.0)

    assert created["metadata"]["workspace"] == "ws"
    assert api.calls == ["POST"] and api.deadlines == [160.0]
    assert clock.sleeps == []


def test_an_update_is_one_put_and_a_delete_one_delete_with_no_waiting() -> None:
    api, clock = FakePolicies(), FakeClock()
    handler = handler_over(api, clock)
    handler.create(SENT, timeout=60.0)
    changed = {**SENT, "spec": {**SENT["spec"], "locations": [{"name": "fr", "type": "country"}]}}

    updated = handler.update("eu-only", changed, timeout=30.0)
    handler.delete("eu-only", timeout=30.0)

    assert updated["spec"]["locations"] == [{"name": "fr", "type": "country"}]
    assert api.calls == ["POST", "PUT", "DELETE"] and api.policies == {}
    assert clock.sleeps == []


def test_deleting_a_policy_that_is_already_gone_succeeds() -> None:
    api = FakePolicies()

    handler_over(api, FakeClock()).delete("eu-only", timeout=30.0)

    assert api.calls == ["DELETE"]


def test_reading_a_missing_policy_gives_none_and_a_present_one_its_document() -> None:
    api = FakePolicies()
    handler = handler_over(api, FakeClock())

    assert handler.read("eu-only", timeout=5.0) is None
    handler.create(SENT, timeout=5.0)
    read = handler.read("eu-only", timeout=5.0)

    assert read is not None and read["spec"]["type"] == "location"


# -- exactly one policy ---------------------------------------------------------------------------------


def test_a_create_whose_post_was_applied_but_whose_answer_was_lost_adopts_the_policy_without_posting_again() -> None:
    api = FakePolicies((timeout_error(), True))

    created = handler_over(api, FakeClock()).create(SENT, timeout=60.0)

    assert api.calls == ["POST", "GET"]
    assert same_policy(created, SENT) and list(api.policies) == ["eu-only"]


def test_a_create_whose_post_was_not_applied_posts_again_after_a_backoff() -> None:
    api, clock = FakePolicies((ServerError(method="POST", path="/policies", status=503), False)), FakeClock()

    handler_over(api, clock).create(SENT, timeout=60.0)

    assert api.calls == ["POST", "GET", "POST"]
    assert len(clock.sleeps) == 1 and list(api.policies) == ["eu-only"]


def test_a_create_that_keeps_failing_ambiguously_gives_up_after_the_maximum_posts_with_the_last_error() -> None:
    api = FakePolicies(*[(timeout_error(), False)] * MAX_CREATE_ATTEMPTS)

    with pytest.raises(RequestTimeout):
        handler_over(api, FakeClock()).create(SENT, timeout=600.0)

    assert api.calls.count("POST") == MAX_CREATE_ATTEMPTS and api.policies == {}


def test_a_create_that_finds_a_different_policy_after_an_ambiguous_failure_raises_name_taken_and_changes_nothing() -> (
    None
):
    api = FakePolicies((timeout_error(), False))
    other = as_stored({"metadata": {"name": "eu-only"}, "spec": {"type": "flavor", "flavors": [{"name": "t4"}]}})
    api.policies["eu-only"] = other

    with pytest.raises(NameTakenError, match="a different policy named 'eu-only'"):  # as for a model
        handler_over(api, FakeClock()).create(SENT, timeout=60.0)

    assert api.calls == ["POST", "GET"] and api.policies["eu-only"] == other


def test_a_plain_409_is_raised_unchanged_even_when_the_existing_policy_is_identical() -> None:
    api = FakePolicies()
    api.policies["eu-only"] = as_stored(SENT)

    with pytest.raises(ConflictError, match="already exists"):
        handler_over(api, FakeClock()).create(SENT, timeout=60.0)

    assert api.calls == ["POST", "GET"]


def test_a_409_after_an_earlier_ambiguous_post_adopts_the_policy_that_post_created_late() -> None:
    # The first POST timed out unapplied (the GET finds nothing), then landed late: the second POST meets it.
    late = ConflictError(method="POST", path="/policies", status=409, error="Policy already exists")
    api = FakePolicies((timeout_error(), False), (late, True))

    created = handler_over(api, FakeClock()).create(SENT, timeout=60.0)

    assert api.calls == ["POST", "GET", "POST", "GET"] and same_policy(created, SENT)


def test_a_refused_create_is_raised_at_once_without_a_lookup() -> None:
    api = FakePolicies((BadRequestError(method="POST", path="/policies", status=400, error="bad type"), False))

    with pytest.raises(BadRequestError):
        handler_over(api, FakeClock()).create(SENT, timeout=60.0)

    assert api.calls == ["POST"]


def test_a_create_that_cannot_look_up_after_an_ambiguous_failure_raises_the_lookup_error_chained_to_the_first() -> None:
    api = FakePolicies((timeout_error(), False), get_fault=ConnectError("refused", method="GET", path="/policies/x"))

    with pytest.raises(ConnectError) as raised:
        handler_over(api, FakeClock()).create(SENT, timeout=60.0)

    assert isinstance(raised.value.__cause__, RequestTimeout)


def test_nothing_is_sent_once_terraform_has_asked_the_provider_to_stop_and_each_operation_says_so() -> None:
    api, cancellation = FakePolicies(), Cancellation()
    cancellation.cancel()
    handler = handler_over(api, FakeClock(), cancellation)

    for operation in (
        lambda: handler.create(SENT, timeout=5.0),
        lambda: handler.update("eu-only", SENT, timeout=5.0),
        lambda: handler.delete("eu-only", timeout=5.0),
    ):
        with pytest.raises(DeploymentInterruptedError) as caught:
            operation()
        assert not caught.value.sent and "policy 'eu-only'" in str(caught.value)

    assert api.calls == []


# -- same_policy ------------------------------------------------------------------------------------------


def test_same_policy_ignores_server_metadata_list_order_empty_values_and_the_sandbox_default() -> None:
    remote = as_stored(SENT)
    remote["spec"]["locations"].reverse()
    remote["metadata"]["displayName"] = ""
    remote["usage"] = {"models": 2}

    assert same_policy(remote, SENT)


def test_same_policy_tells_a_changed_token_limit_or_label_apart() -> None:
    tokens = {"metadata": {"name": "cap"}, "spec": {"type": "maxToken", "maxTokens": {"total": 100}}}

    assert not same_policy(tokens, {**tokens, "spec": {"type": "maxToken", "maxTokens": {"total": 101}}})
    assert not same_policy(as_stored(SENT), {**SENT, "metadata": {"name": "eu-only", "labels": {"team": "x"}}})
