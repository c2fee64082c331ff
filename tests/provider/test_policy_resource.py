"""The ``blaxel_policy`` resource and data source over a fake handler: state, removal, import and diagnostics.

Terraform's rules these methods keep (DESIGN.md "Known traps"): a read that returns None removes the resource;
a plan marks what the apply will change as unknown; an import returns every attribute key; no exception escapes.
"""

from __future__ import annotations

from typing import Any

from tf.iface import (
    CreateContext,
    DeleteContext,
    ImportContext,
    PlanContext,
    ReadContext,
    ReadDataContext,
    UpdateContext,
)
from tf.types import Unknown
from tf.utils import Diagnostics

from blaxel_constructs import errors
from blaxel_constructs.kinds import POLICY
from blaxel_constructs.provider.kind_data_source import PolicyDataSource
from blaxel_constructs.provider.kind_resource import KindResource, PolicyResource
from tests.support.handler_fake import FakeHandler, FakeProvider, policy_document

ALL_KEYS = [attr.name for attr in POLICY.attributes]

PLANNED: dict[str, Any] = {
    **dict.fromkeys(ALL_KEYS),
    "name": "eu-only",
    "type": "location",
    "locations": [{"name": "eu", "type": "continent"}],
    "sandbox": False,
}


def resource(**answers: Any) -> tuple[KindResource, FakeHandler]:
    handler = FakeHandler(**answers)
    return PolicyResource(FakeProvider(handler)), handler


def errors_of(diags: Diagnostics) -> list[tuple[str, str]]:
    return [(d.summary, d.detail) for d in diags.diagnostics if d.severity == "error"]


def current() -> dict[str, Any]:
    return POLICY.state_of(policy_document(), prior=PLANNED)


def test_a_create_sends_the_wire_document_once_and_returns_every_attribute() -> None:
    policy, handler = resource(create=policy_document())
    diags = Diagnostics()

    state = policy.create(CreateContext(diags, "blaxel_policy"), dict(PLANNED))

    assert state is not None and set(state) == set(ALL_KEYS)
    assert (state["id"], state["workspace"], state["created_by"]) == ("eu-only", "ws", "apikey-1")
    assert state["locations"] == PLANNED["locations"] and errors_of(diags) == []
    ((method, (sent,), _),) = handler.calls
    assert method == "create"
    assert sent == {
        "metadata": {"name": "eu-only"},
        "spec": {"type": "location", "locations": [{"name": "eu", "type": "continent"}], "sandbox": False},
    }


def test_a_max_token_policy_is_sent_in_camel_case_and_read_back_in_the_plans_spelling() -> None:
    planned = {
        **PLANNED,
        "type": "maxToken",
        "locations": None,
        "max_tokens": {
            "granularity": "minute",
            "input": None,
            "output": None,
            "total": 1000,
            "step": None,
            "ratio_input_over_output": 2,
        },
    }
    remote = policy_document(
        type="maxToken", maxTokens={"granularity": "minute", "total": 1000, "ratioInputOverOutput": 2}
    )
    policy, handler = resource(create=remote)

    state = policy.create(CreateContext(Diagnostics(), "blaxel_policy"), planned)

    assert handler.calls[0][1][0]["spec"]["maxTokens"] == {
        "granularity": "minute",
        "total": 1000,
        "ratioInputOverOutput": 2,
    }
    assert state is not None and state["max_tokens"] == planned["max_tokens"] and state["locations"] is None


def test_a_refused_create_reports_the_apis_message_and_records_nothing() -> None:
    refused = errors.BadRequestError(
        method="POST", path="/policies", status=400, error="Invalid policy", message="spec.locations: is required"
    )
    policy, _ = resource(create=refused)
    diags = Diagnostics()

    state = policy.create(CreateContext(diags, "blaxel_policy"), dict(PLANNED))

    assert state is None
    ((summary, detail),) = errors_of(diags)
    assert summary == "Blaxel rejected policy 'eu-only'" and "spec.locations: is required" in detail


def test_a_create_meeting_an_untracked_policy_of_that_name_says_how_to_import_it() -> None:
    policy, _ = resource(create=errors.ConflictError(method="POST", path="/policies", status=409, error="exists"))
    diags = Diagnostics()

    assert policy.create(CreateContext(diags, "blaxel_policy"), dict(PLANNED)) is None

    ((summary, detail),) = errors_of(diags)
    assert summary == "Policy 'eu-only' already exists" and "terraform import" in detail


def test_an_unexpected_exception_becomes_a_readable_diagnostic_instead_of_escaping() -> None:
    policy, _ = resource(update=KeyError("spec"))
    diags = Diagnostics()

    state = policy.update(UpdateContext(diags, "blaxel_policy"), current(), dict(PLANNED))

    assert state == current()
    ((summary, detail),) = errors_of(diags)
    assert summary == "Unexpected error while trying to update policy 'eu-only'" and "KeyError" in detail


def test_a_read_of_a_policy_deleted_outside_terraform_removes_it_from_state() -> None:
    policy, _ = resource(read=None)

    assert policy.read(ReadContext(Diagnostics(), "blaxel_policy"), current()) is None


def test_a_read_shows_a_change_made_outside_terraform_as_drift() -> None:
    changed = policy_document(type="location", locations=[{"name": "us", "type": "country"}])
    policy, _ = resource(read=changed)

    state = policy.read(ReadContext(Diagnostics(), "blaxel_policy"), current())

    assert state is not None and state["locations"] == [{"name": "us", "type": "country"}]


def test_a_read_that_fails_keeps_the_state_and_reports_why() -> None:
    policy, _ = resource(read=errors.ConnectError("refused", method="GET", path="/policies/eu-only"))
    diags = Diagnostics()

    assert policy.read(ReadContext(diags, "blaxel_policy"), current()) == current()
    assert errors_of(diags)[0][0] == "Could not read policy 'eu-only'"


def test_an_update_plan_marks_only_the_update_time_and_author_unknown() -> None:
    policy, _ = resource()
    planned = {**current(), "labels": {"team": "ml"}}

    out = policy.plan(PlanContext(Diagnostics(), "blaxel_policy", changed_fields={"labels"}), current(), planned)

    assert out["updated_at"] is Unknown and out["updated_by"] is Unknown
    assert out["created_at"] == current()["created_at"] and out["workspace"] == "ws"


def test_an_update_puts_the_whole_document_under_the_policys_name() -> None:
    planned = {**current(), "labels": {"team": "ml"}, "updated_at": Unknown, "updated_by": Unknown}
    answer = policy_document()
    answer["metadata"]["labels"] = {"team": "ml"}
    answer["metadata"]["updatedAt"] = "2026-11-30T11:00:00Z"
    policy, handler = resource(update=answer)

    state = policy.update(UpdateContext(Diagnostics(), "blaxel_policy"), current(), planned)

    ((_, (name, sent), _),) = handler.calls
    assert name == "eu-only" and sent["metadata"]["labels"] == {"team": "ml"} and sent["spec"]["type"] == "location"
    assert state is not None and state["updated_at"] == "2026-11-30T11:00:00Z"


def test_a_delete_removes_the_policy_and_a_failed_one_keeps_it() -> None:
    gone, _ = resource(delete=None)
    failing, _ = resource(delete=errors.ServerError(method="DELETE", path="/policies/eu-only", status=500))
    diags = Diagnostics()

    assert gone.delete(DeleteContext(Diagnostics(), "blaxel_policy"), current()) is None
    assert failing.delete(DeleteContext(diags, "blaxel_policy"), current()) == current()
    assert errors_of(diags)[0][0] == "Could not delete policy 'eu-only'"


def test_an_import_by_name_returns_every_attribute_key() -> None:
    policy, handler = resource(read=policy_document())

    state = policy.import_(ImportContext(Diagnostics(), "blaxel_policy"), "eu-only")

    assert state is not None and set(state) == set(ALL_KEYS) and state["sandbox"] is False
    assert handler.calls[0][:2] == ("read", ("eu-only",))


def test_importing_a_missing_policy_says_it_does_not_exist() -> None:
    policy, _ = resource(read=None)
    diags = Diagnostics()

    assert policy.import_(ImportContext(diags, "blaxel_policy"), "nope") is None
    assert errors_of(diags)[0][0] == "Cannot import policy 'nope': it does not exist"


def test_the_data_source_reads_every_attribute_and_a_missing_policy_is_an_error() -> None:
    handler = FakeHandler(read=policy_document())
    found = PolicyDataSource(FakeProvider(handler)).read(ReadDataContext(Diagnostics(), "x"), {"name": "eu-only"})
    missing_diags = Diagnostics()
    missing = PolicyDataSource(FakeProvider(FakeHandler(read=None))).read(
        ReadDataContext(missing_diags, "x"), {"name": "nope"}
    )

    assert found is not None and set(found) == set(ALL_KEYS) and found["type"] == "location"
    assert missing is None and errors_of(missing_diags)[0][0] == "Policy 'nope' not found"
