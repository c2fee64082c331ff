"""The same resource cases over every kind: one ``KindResource``, one diagnostics mapping, the kind the only
parameter. Each error a handler raises becomes one diagnostic whose words come from the kind's description
(a connection's never say "model"); a 404 on refresh drops the object from state; an import of a missing
object says so; a failed write keeps what Terraform had."""

from __future__ import annotations

from typing import Any

import pytest
from tf.iface import CreateContext, DeleteContext, ImportContext, ReadContext, UpdateContext
from tf.utils import Diagnostics

from blaxel_constructs import errors
from blaxel_constructs.kinds import INTEGRATION_CONNECTION, KINDS, MODEL, POLICY
from blaxel_constructs.kinds.description import Kind
from blaxel_constructs.provider.kind_resource import resource_class
from tests.support.handler_fake import FakeHandler, FakeProvider

#: The arguments of a planned object of each kind (every other attribute null).
VALUES: dict[Kind, dict[str, Any]] = {
    MODEL: {"name": "chat", "runtime": {"type": "openai", "model": "gpt-4.1"}, "enabled": True, "sandbox": False},
    INTEGRATION_CONNECTION: {"name": "chat", "integration": "openai", "sandbox": False},
    POLICY: {"name": "chat", "type": "location", "locations": [{"name": "eu", "type": "continent"}]},
}


@pytest.fixture(params=KINDS, ids=lambda kind: kind.name)
def kind(request: pytest.FixtureRequest) -> Kind:
    chosen: Kind = request.param
    return chosen


def planned(kind: Kind) -> dict[str, Any]:
    return {**dict.fromkeys(a.name for a in kind.attributes), **VALUES[kind]}


def errors_of(diags: Diagnostics) -> list[tuple[str, str]]:
    return [(d.summary, d.detail) for d in diags.diagnostics if d.severity == "error"]


def create_failing_with(kind: Kind, error: BaseException) -> tuple[dict[str, Any] | None, str, str]:
    resource = resource_class(kind)(FakeProvider(FakeHandler(create=error)))
    diags = Diagnostics()
    state = resource.create(CreateContext(diags, kind.type_name), planned(kind))
    ((summary, detail),) = errors_of(diags)
    return state, summary, detail


def test_given_a_name_taken_after_an_ambiguous_create_then_the_diagnostic_names_the_kind(kind: Kind) -> None:
    taken = errors.NameTakenError(name="chat", cause="POST returned 502", kind=kind.noun, path=kind.collection)

    state, summary, detail = create_failing_with(kind, taken)

    assert state is None
    assert summary == f"{kind.title} 'chat' already exists and is not this configuration's"
    assert f"found a different {kind.noun} named 'chat'" in detail and "terraform import" in detail


def test_given_a_plain_name_clash_then_the_diagnostic_says_to_import(kind: Kind) -> None:
    clash = errors.ConflictError(method="POST", path=kind.collection, status=409, error="exists")

    state, summary, detail = create_failing_with(kind, clash)

    assert state is None and summary == f"{kind.title} 'chat' already exists"
    assert "terraform import <resource address> chat" in detail
    assert ("blaxel-constructs-owner" in detail) is kind.owner_label


def test_given_a_stop_before_the_create_then_nothing_is_recorded_and_the_words_are_the_kinds(kind: Kind) -> None:
    stopped = errors.DeploymentInterruptedError(
        name="chat", action="create", sent=False, last_status=None, waited=0.0, kind=kind.noun
    )

    state, summary, detail = create_failing_with(kind, stopped)

    assert state is None
    assert summary == f"Interrupted while trying to create {kind.noun} 'chat'"
    assert f"before the create of {kind.noun} 'chat'" in detail and "nothing was changed" in detail
    assert kind is MODEL or "model" not in f"{summary} {detail}"


def test_given_a_stop_after_the_post_was_sent_then_the_diagnostic_says_it_may_exist(kind: Kind) -> None:
    stopped = errors.DeploymentInterruptedError(
        name="chat", action="create", sent=True, last_status=None, waited=2.0, kind=kind.noun
    )

    state, _, detail = create_failing_with(kind, stopped)

    assert state is None
    assert f"after the create of {kind.noun} 'chat'" in detail and "It may exist" in detail
    assert kind is MODEL or "model" not in detail


def test_given_an_object_gone_when_refreshing_then_it_is_dropped_from_state(kind: Kind) -> None:
    resource = resource_class(kind)(FakeProvider(FakeHandler(read=None)))

    assert resource.read(ReadContext(Diagnostics(), kind.type_name), {**planned(kind), "id": "chat"}) is None


def test_given_a_missing_object_when_importing_then_one_diagnostic_says_so(kind: Kind) -> None:
    resource = resource_class(kind)(FakeProvider(FakeHandler(read=None)))
    diags = Diagnostics()

    assert resource.import_(ImportContext(diags, kind.type_name), "chat") is None
    ((summary, detail),) = errors_of(diags)
    assert summary == f"Cannot import {kind.noun} 'chat': it does not exist"
    assert f"Import takes the {kind.short_noun}'s name" in detail


def test_given_an_update_refused_then_the_state_stays_what_terraform_had(kind: Kind) -> None:
    refused = errors.BadRequestError(method="PUT", path=kind.collection, status=400, error="invalid")
    resource = resource_class(kind)(FakeProvider(FakeHandler(update=refused)))
    current = {**planned(kind), "id": "chat"}
    diags = Diagnostics()

    kept = resource.update(UpdateContext(diags, kind.type_name), current, {**current, "labels": {"a": "b"}})

    assert kept == current
    ((summary, _),) = errors_of(diags)
    assert summary == f"Blaxel rejected {kind.noun} 'chat'"


def test_given_a_delete_refused_while_in_use_then_the_object_stays_in_state(kind: Kind) -> None:
    in_use = errors.StillInUseError(kind=kind.noun, name="chat", users=["m"], waited=600.0, message=None)
    resource = resource_class(kind)(FakeProvider(FakeHandler(delete=in_use)))
    current = {**planned(kind), "id": "chat"}
    diags = Diagnostics()

    assert resource.delete(DeleteContext(diags, kind.type_name), current) == current
    ((summary, _),) = errors_of(diags)
    assert summary == f"{kind.title} 'chat' is still in use"
