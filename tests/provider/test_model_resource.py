"""The ``blaxel_model`` resource's CRUD methods over a fake handler: state, taint, removal and diagnostics.

Terraform's rules these methods must keep (DESIGN.md "Known traps"): a create that returns a state with an
error leaves the resource tainted; a read that returns None removes it; a plan marks what the apply will
change as unknown; an import returns every attribute key; no exception escapes.
"""

from __future__ import annotations

from typing import Any

import pytest
from tf.iface import CreateContext, DeleteContext, ImportContext, PlanContext, ReadContext, UpdateContext
from tf.types import Unknown
from tf.utils import Diagnostics

from blaxel_constructs import errors
from blaxel_constructs.kinds import MODEL
from blaxel_constructs.provider.kind_resource import KindResource, ModelResource
from tests.support.handler_fake import FakeHandler, FakeProvider, api_document

ALL_KEYS = [attr.name for attr in MODEL.attributes]

PLANNED: dict[str, Any] = {
    **dict.fromkeys(ALL_KEYS),
    "name": "chat",
    "runtime": {"type": "openai", "model": "gpt-4.1", "endpoint_name": None, "organization": None, "generation": None},
    "enabled": True,
    "sandbox": False,
}


def resource(**answers: Any) -> tuple[KindResource, FakeHandler]:
    handler = FakeHandler(**answers)
    return ModelResource(FakeProvider(handler)), handler


def errors_of(diags: Diagnostics) -> list[tuple[str, str]]:
    return [(d.summary, d.detail) for d in diags.diagnostics if d.severity == "error"]


def current(status: str = "DEPLOYED") -> dict[str, Any]:
    return MODEL.state_of(api_document(status=status), prior=PLANNED)


# -- create -------------------------------------------------------------------------------------------


def test_a_deployed_create_returns_every_attribute_and_no_diagnostic() -> None:
    model, handler = resource(create=api_document())
    diags = Diagnostics()

    state = model.create(CreateContext(diags, "blaxel_model"), dict(PLANNED))

    assert state is not None and set(state) == set(ALL_KEYS)
    assert (state["id"], state["status"], state["workspace"]) == ("chat", "DEPLOYED", "ws")
    assert errors_of(diags) == []
    assert handler.calls[0][2] == {"timeout": 1200.0}  # the default create timeout, 20m


def test_a_failed_create_returns_the_remote_object_with_an_error_so_terraform_taints_it() -> None:
    failed = api_document(status="FAILED")
    model, _ = resource(
        create=errors.DeploymentFailedError(
            name="chat", last_status="FAILED", message="quota exceeded", waited=3.0, document=failed
        )
    )
    diags = Diagnostics()

    state = model.create(CreateContext(diags, "blaxel_model"), dict(PLANNED))

    assert state is not None and state["status"] == "FAILED"
    ((summary, detail),) = errors_of(diags)
    assert summary == "Model 'chat' failed to deploy"
    assert "quota exceeded" in detail and "tainted" in detail


def test_a_create_interrupted_while_deploying_keeps_the_model_tainted_and_says_what_happens_next() -> None:
    deploying = api_document(status="DEPLOYING")
    model, _ = resource(
        create=errors.DeploymentInterruptedError(
            name="chat", action="create", sent=True, last_status="DEPLOYING", waited=4.0, document=deploying
        )
    )
    diags = Diagnostics()

    state = model.create(CreateContext(diags, "blaxel_model"), dict(PLANNED))

    assert state is not None and state["status"] == "DEPLOYING"
    ((summary, detail),) = errors_of(diags)
    assert summary == "Interrupted while model 'chat' was DEPLOYING"
    assert "Terraform keeps it in state (tainted): the next apply replaces it" in detail


def test_a_create_interrupted_before_its_request_records_nothing() -> None:
    model, _ = resource(
        create=errors.DeploymentInterruptedError(name="chat", action="create", sent=False, last_status=None, waited=0)
    )
    diags = Diagnostics()

    assert model.create(CreateContext(diags, "blaxel_model"), dict(PLANNED)) is None
    ((_, detail),) = errors_of(diags)
    assert "nothing was changed" in detail


def test_an_unexpected_exception_in_create_becomes_a_diagnostic_instead_of_escaping() -> None:
    model, _ = resource(create=KeyError("boom"))
    diags = Diagnostics()

    assert model.create(CreateContext(diags, "blaxel_model"), dict(PLANNED)) is None
    ((summary, detail),) = errors_of(diags)
    assert summary == "Unexpected error while trying to create model 'chat'"
    assert "please report it" in detail


# -- read ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("remote", [None, api_document(status="DELETING")], ids=["404", "deleting"])
def test_a_read_of_a_model_gone_or_going_removes_it_from_state(remote: dict[str, Any] | None) -> None:
    model, _ = resource(read=remote)

    assert model.read(ReadContext(Diagnostics(), "blaxel_model"), current()) is None


def test_a_read_that_fails_keeps_the_state_and_reports_the_error() -> None:
    model, _ = resource(read=errors.ServerError(method="GET", path="/models/chat", status=503, error="unavailable"))
    diags = Diagnostics()
    prior = current()

    assert model.read(ReadContext(diags, "blaxel_model"), prior) == prior
    ((summary, _),) = errors_of(diags)
    assert summary == "Could not read model 'chat'"


def test_a_read_keeps_the_prior_spelling_of_values_that_mean_the_same() -> None:
    model, _ = resource(read=api_document())  # no labels at all on the wire
    prior = {**current(), "labels": {}}

    state = model.read(ReadContext(Diagnostics(), "blaxel_model"), prior)

    assert state is not None and state["labels"] == {}


# -- plan and update ----------------------------------------------------------------------------------


def test_a_plan_that_changes_an_argument_marks_status_and_update_stamps_unknown() -> None:
    model, _ = resource()
    planned = {**current(), "display_name": "Chat"}

    result = model.plan(PlanContext(Diagnostics(), "blaxel_model", changed_fields={"display_name"}), current(), planned)

    assert [key for key in ALL_KEYS if result[key] is Unknown] == ["status", "updated_at", "updated_by"]


def test_a_plan_that_changes_only_timeouts_marks_nothing_unknown() -> None:
    model, _ = resource()
    planned = {**current(), "timeouts": {"create": "1h", "update": None, "delete": None}}

    result = model.plan(PlanContext(Diagnostics(), "blaxel_model", changed_fields={"timeouts"}), current(), planned)

    assert [key for key in ALL_KEYS if result[key] is Unknown] == []


def test_a_plan_over_a_model_still_deploying_marks_its_status_unknown_so_the_apply_waits() -> None:
    model, _ = resource()

    result = model.plan(
        PlanContext(Diagnostics(), "blaxel_model", changed_fields=set()), current("DEPLOYING"), current("DEPLOYING")
    )

    assert result["status"] is Unknown


def test_an_update_with_only_a_deployment_under_way_waits_for_it_without_sending_anything() -> None:
    model, handler = resource(wait_until_settled=api_document(status="DEPLOYED"))
    planned = {**current("DEPLOYING"), "status": Unknown, "updated_at": Unknown, "updated_by": Unknown}

    state = model.update(UpdateContext(Diagnostics(), "blaxel_model"), current("DEPLOYING"), planned)

    assert state is not None and state["status"] == "DEPLOYED"
    assert handler.methods() == ["wait_until_settled"]
    assert handler.calls[0][2]["goal"] == "DEPLOYED"


def test_an_update_of_timeouts_alone_makes_no_call() -> None:
    model, handler = resource()
    planned = {**current(), "timeouts": {"create": "1h", "update": None, "delete": None}}

    state = model.update(UpdateContext(Diagnostics(), "blaxel_model"), current(), planned)

    assert state is not None and state["timeouts"] == planned["timeouts"]
    assert handler.calls == []


def test_a_failed_update_returns_the_remote_object_with_an_error() -> None:
    failed = api_document(status="FAILED")
    model, _ = resource(
        update=errors.DeploymentFailedError(name="chat", last_status="FAILED", message="bad", waited=1, document=failed)
    )
    diags = Diagnostics()
    planned = {**current(), "display_name": "Chat", "status": Unknown}

    state = model.update(UpdateContext(diags, "blaxel_model"), current(), planned)

    assert state is not None and state["status"] == "FAILED"
    assert len(errors_of(diags)) == 1


# -- delete and import --------------------------------------------------------------------------------


def test_a_delete_removes_the_resource() -> None:
    model, handler = resource(delete=None)

    assert model.delete(DeleteContext(Diagnostics(), "blaxel_model"), current()) is None
    assert handler.calls[0][1] == ("chat",)


def test_an_interrupted_delete_keeps_the_resource_in_state() -> None:
    model, _ = resource(
        delete=errors.DeploymentInterruptedError(
            name="chat", action="delete", sent=True, last_status="DELETING", waited=2, document=api_document()
        )
    )
    diags = Diagnostics()
    prior = current()

    assert model.delete(DeleteContext(diags, "blaxel_model"), prior) == prior
    ((summary, _),) = errors_of(diags)
    assert summary == "Interrupted while model 'chat' was DELETING"


def test_an_import_returns_every_attribute_key() -> None:
    remote = api_document()
    remote["metadata"]["labels"] = {"team": "ml"}
    model, _ = resource(read=remote)

    state = model.import_(ImportContext(Diagnostics(), "blaxel_model"), "chat")

    assert state is not None and set(state) == set(ALL_KEYS)
    assert state["labels"] == {"team": "ml"}


def test_an_import_of_a_missing_model_says_so() -> None:
    model, _ = resource(read=None)
    diags = Diagnostics()

    assert model.import_(ImportContext(diags, "blaxel_model"), "ghost") is None
    ((summary, _),) = errors_of(diags)
    assert summary == "Cannot import model 'ghost': it does not exist"


# -- every error class reads as a sentence ------------------------------------------------------------

API_ERRORS = [
    errors.BadRequestError(method="POST", path="/models", status=400, error="bad runtime"),
    errors.UnauthorizedError(method="POST", path="/models", status=401, error="unauthorized"),
    errors.ForbiddenError(method="POST", path="/models", status=403, error="forbidden"),
    errors.NotFoundError(method="GET", path="/models/chat", status=404, error="not found"),
    errors.ConflictError(method="POST", path="/models", status=409, error="exists"),
    errors.NameTakenError(name="chat", cause="timed out"),
    errors.RateLimitedError(method="POST", path="/models", status=429, error="slow down"),
    errors.ServerError(method="POST", path="/models", status=500, error="oops"),
    errors.ConnectError("refused", method="POST", path="/models"),
    errors.RequestTimeout("no answer", method="POST", path="/models"),
    errors.ConfigurationError("no credentials"),
    errors.DeploymentTimeoutError(name="chat", last_status="DEPLOYING", goal="DEPLOYED", waited=60),
    errors.OperationInterrupted(),
]


@pytest.mark.parametrize("error", API_ERRORS, ids=lambda e: type(e).__name__)
def test_every_library_error_becomes_one_readable_diagnostic(error: errors.BlaxelError) -> None:
    model, _ = resource(create=error)
    diags = Diagnostics()

    model.create(CreateContext(diags, "blaxel_model"), dict(PLANNED))

    ((summary, detail),) = errors_of(diags)
    assert not summary.startswith("Unexpected"), summary
    assert detail and "Traceback" not in detail
