"""The ``blaxel_integration_connection`` resource and data source over a fake handler: which secret is sent
when, that no secret is ever read back or kept write-only, removal on 404, import, and diagnostics."""

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
from blaxel_constructs.kinds import INTEGRATION_CONNECTION
from blaxel_constructs.provider.kind_data_source import IntegrationConnectionDataSource
from blaxel_constructs.provider.kind_resource import IntegrationConnectionResource, KindResource
from blaxel_constructs.provider.schema import CONNECTION_DELETE_TIMEOUT
from tests.support.handler_fake import FakeHandler, FakeProvider

TYPE = "blaxel_integration_connection"
ALL_KEYS = [attr.name for attr in INTEGRATION_CONNECTION.attributes]

PLANNED: dict[str, Any] = {
    **dict.fromkeys(ALL_KEYS),
    "name": "openai-prod",
    "integration": "openai",
    "config": {"region": "us"},
    "sandbox": False,
    "secret_wo": {"apiKey": "sk-WO-1"},
    "secret_wo_version": 1,
}


def remote(**spec: Any) -> dict[str, Any]:
    """A connection as the API shows it: server metadata, every secret value masked."""
    return {
        "metadata": {
            "name": "openai-prod",
            "workspace": "ws",
            "createdAt": "2026-11-30T10:00:00Z",
            "updatedAt": "2026-11-30T10:00:01Z",
            "createdBy": "apikey-1",
            "updatedBy": "apikey-1",
        },
        "spec": {"integration": "openai", "config": {"region": "us"}, "secret": {"apiKey": "********"}, **spec},
    }


def resource(**answers: Any) -> tuple[KindResource, FakeHandler]:
    handler = FakeHandler(**answers)
    return IntegrationConnectionResource(FakeProvider(handler)), handler


def errors_of(diags: Diagnostics) -> list[tuple[str, str]]:
    return [(d.summary, d.detail) for d in diags.diagnostics if d.severity == "error"]


def prior() -> dict[str, Any]:
    state = {**PLANNED, "secret_wo": None, "id": "openai-prod", "workspace": "ws"}
    state.update(created_at="t0", updated_at="t1", created_by="apikey-1", updated_by="apikey-1")
    return state


def sent_secret(handler: FakeHandler, call: int = 0) -> Any:
    document = handler.calls[call][1][-1]
    return document["spec"].get("secret")


# -- create -------------------------------------------------------------------------------------------


def test_a_create_sends_the_write_only_secret_and_returns_a_state_without_it() -> None:
    connection, handler = resource(create=remote())
    diags = Diagnostics()

    state = connection.create(CreateContext(diags, TYPE), dict(PLANNED))

    assert errors_of(diags) == []
    assert sent_secret(handler) == {"apiKey": "sk-WO-1"}
    assert handler.calls[0][1][0]["spec"]["integration"] == "openai"
    assert state is not None and set(state) == set(ALL_KEYS)
    assert state["secret_wo"] is None
    assert state["secret_wo_version"] == 1
    assert (state["id"], state["workspace"], state["config"]) == ("openai-prod", "ws", {"region": "us"})
    assert "sk-WO-1" not in repr(state)


def test_a_create_with_the_stored_secret_sends_it_and_keeps_it_in_state() -> None:
    connection, handler = resource(create=remote())
    planned = {**PLANNED, "secret_wo": None, "secret_wo_version": None, "secret": {"apiKey": "sk-STORED"}}

    state = connection.create(CreateContext(Diagnostics(), TYPE), planned)

    assert sent_secret(handler) == {"apiKey": "sk-STORED"}
    assert state is not None and state["secret"] == {"apiKey": "sk-STORED"}


def test_a_create_without_any_secret_sends_no_secret_member() -> None:
    connection, handler = resource(create=remote())

    connection.create(CreateContext(Diagnostics(), TYPE), {**PLANNED, "secret_wo": None, "secret_wo_version": None})

    assert sent_secret(handler) is None


def test_a_name_taken_create_returns_nothing_and_says_to_import_without_quoting_the_secret() -> None:
    conflict = errors.ConflictError(method="POST", path="/integrations/connections", status=409, error="exists")
    connection, _ = resource(create=conflict)
    diags = Diagnostics()

    state = connection.create(CreateContext(diags, TYPE), dict(PLANNED))

    assert state is None
    [(summary, detail)] = errors_of(diags)
    assert summary == "Integration connection 'openai-prod' already exists"
    assert "terraform import <resource address> openai-prod" in detail
    assert "sk-WO-1" not in summary + detail


# -- plan and update ----------------------------------------------------------------------------------


def test_a_version_bump_alone_is_an_update_that_marks_updated_at_unknown() -> None:
    connection, _ = resource()
    planned = {**prior(), "secret_wo_version": 2}

    result = connection.plan(PlanContext(Diagnostics(), TYPE, changed_fields={"secret_wo_version"}), prior(), planned)

    assert result["updated_at"] is Unknown and result["updated_by"] is Unknown


def test_no_change_plans_nothing_unknown() -> None:
    connection, _ = resource()

    result = connection.plan(PlanContext(Diagnostics(), TYPE, changed_fields=set()), prior(), dict(prior()))

    assert result["updated_at"] == "t1"


def test_an_update_with_a_new_version_sends_the_secret_taken_from_the_configuration() -> None:
    connection, handler = resource(update=remote())
    planned = {**prior(), "secret_wo": {"apiKey": "sk-WO-2"}, "secret_wo_version": 2, "updated_at": Unknown}

    state = connection.update(UpdateContext(Diagnostics(), TYPE), prior(), planned)

    assert handler.methods() == ["update"]
    assert sent_secret(handler) == {"apiKey": "sk-WO-2"}
    assert state is not None and state["secret_wo"] is None and state["secret_wo_version"] == 2


def test_a_config_change_with_the_same_version_updates_without_sending_the_secret() -> None:
    connection, handler = resource(update=remote(config={"region": "eu"}))
    planned = {**prior(), "secret_wo": {"apiKey": "sk-WO-1"}, "config": {"region": "eu"}, "updated_at": Unknown}

    state = connection.update(UpdateContext(Diagnostics(), TYPE), prior(), planned)

    assert sent_secret(handler) is None
    assert handler.calls[0][1][1]["spec"]["config"] == {"region": "eu"}
    assert state is not None and state["config"] == {"region": "eu"}


def test_an_update_with_nothing_changed_but_the_write_only_value_calls_nothing() -> None:
    connection, handler = resource()

    state = connection.update(UpdateContext(Diagnostics(), TYPE), prior(), {**prior(), "secret_wo": {"apiKey": "x"}})

    assert handler.calls == []
    assert state is not None and state["secret_wo"] is None


# -- read, delete, import -----------------------------------------------------------------------------


def test_a_read_keeps_the_stored_secret_and_version_since_the_api_masks_secrets() -> None:
    connection, _ = resource(read=remote())
    current = {**prior(), "secret_wo": None, "secret": {"apiKey": "sk-STORED"}}

    state = connection.read(ReadContext(Diagnostics(), TYPE), current)

    assert state is not None
    assert state["secret"] == {"apiKey": "sk-STORED"} and state["secret_wo_version"] == 1
    assert "********" not in repr(state)


def test_a_read_shows_drift_of_config_made_outside_terraform() -> None:
    connection, _ = resource(read=remote(config={"region": "ap"}))

    state = connection.read(ReadContext(Diagnostics(), TYPE), prior())

    assert state is not None and state["config"] == {"region": "ap"}


def test_a_connection_deleted_outside_terraform_is_removed_from_state() -> None:
    connection, _ = resource(read=None)

    assert connection.read(ReadContext(Diagnostics(), TYPE), prior()) is None


def test_a_delete_still_refused_at_its_deadline_keeps_the_state_and_names_the_models() -> None:
    in_use = errors.StillInUseError(
        kind="integration connection", name="openai-prod", users=["chat", "summarize"], waited=600.0, message=None
    )
    connection, handler = resource(delete=in_use)
    diags = Diagnostics()

    state = connection.delete(DeleteContext(diags, TYPE), prior())

    assert state == prior()
    assert handler.calls[0][2] == {"timeout": CONNECTION_DELETE_TIMEOUT}
    [(summary, detail)] = errors_of(diags)
    assert summary == "Integration connection 'openai-prod' is still in use"
    assert "models: chat, summarize" in detail


def test_an_import_returns_every_key_with_no_secret() -> None:
    connection, _ = resource(read=remote())

    state = connection.import_(ImportContext(Diagnostics(), TYPE), "openai-prod")

    assert state is not None and set(state) == set(ALL_KEYS)
    assert state["secret"] is None and state["secret_wo"] is None and state["secret_wo_version"] is None


def test_an_import_of_a_missing_connection_says_it_does_not_exist() -> None:
    connection, _ = resource(read=None)
    diags = Diagnostics()

    assert connection.import_(ImportContext(diags, TYPE), "nope") is None
    assert errors_of(diags)[0][0] == "Cannot import integration connection 'nope': it does not exist"


# -- validation -----------------------------------------------------------------------------------------


def test_both_secret_forms_at_once_fail_validation() -> None:
    connection, _ = resource()
    diags = Diagnostics()

    connection.validate(diags, TYPE, {**PLANNED, "secret": {"apiKey": "x"}})

    assert [summary for summary, _ in errors_of(diags)] == ["Conflicting secret arguments"]


def test_a_version_without_a_write_only_secret_fails_validation_but_an_unknown_secret_does_not() -> None:
    connection, _ = resource()
    without, unknown = Diagnostics(), Diagnostics()

    connection.validate(without, TYPE, {**PLANNED, "secret_wo": None})
    connection.validate(unknown, TYPE, {**PLANNED, "secret_wo": Unknown})

    assert [summary for summary, _ in errors_of(without)] == ["secret_wo_version without secret_wo"]
    assert errors_of(unknown) == []


def test_a_bad_name_fails_validation() -> None:
    connection, _ = resource()
    diags = Diagnostics()

    connection.validate(diags, TYPE, {**PLANNED, "name": "Bad_Name"})

    assert errors_of(diags)[0][0] == "Invalid name"


# -- data source --------------------------------------------------------------------------------------


def test_the_data_source_reads_a_connection_without_any_secret_attribute() -> None:
    handler = FakeHandler(read=remote())
    source = IntegrationConnectionDataSource(FakeProvider(handler))

    state = source.read(ReadDataContext(Diagnostics(), TYPE), {"name": "openai-prod"})

    assert state is not None
    assert not {"secret", "secret_wo", "secret_wo_version"} & set(state)
    assert (state["integration"], state["config"]) == ("openai", {"region": "us"})
    assert {a.name for a in source.get_schema().attributes} == set(state)


def test_a_plan_with_a_version_does_not_complain_about_the_write_only_value_it_never_sees() -> None:
    connection, _ = resource()
    diags = Diagnostics()

    connection.plan(PlanContext(diags, TYPE, changed_fields=set()), prior(), dict(prior()))

    assert errors_of(diags) == []
