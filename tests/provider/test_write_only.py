"""Write-only attributes through the real gRPC servicer methods (no Terraform, no network): the schema carries
field 11, plans and states hold null, the apply takes the value from the configuration, and a Terraform that
did not announce ``write_only_attributes_allowed`` (before 1.11) gets a validation error saying what to use."""

from __future__ import annotations

from typing import Any

from tf.gen import tfplugin_pb2 as pb
from tf.types import Unknown
from tf.utils import read_dynamic_value, to_dynamic_value

from blaxel_constructs.provider.servicer import BlaxelServicer
from blaxel_constructs.provider.terraform_provider import BlaxelTerraformProvider
from blaxel_constructs.provider.write_only import write_only_allowed
from tests.support.handler_fake import FakeHandler

TYPE = "blaxel_integration_connection"
SECRET = "sk-NEVER-STORED-4711"
#: ``ClientCapabilities{write_only_attributes_allowed: true}`` as field 3 of ``ValidateResourceConfig.Request``.
CAPABILITIES = b"\x1a\x02\x10\x01"


class ProviderOverFake(BlaxelTerraformProvider):
    """The real provider, with its handlers replaced by the scripted fake."""

    def __init__(self, handler: FakeHandler) -> None:
        super().__init__(environ={})
        self.fake = handler

    def handler_for(self, kind: Any) -> Any:
        return self.fake


def masked() -> dict[str, Any]:
    return {
        "metadata": {"name": "openai-prod", "workspace": "ws", "createdAt": "t0", "updatedAt": "t1"},
        "spec": {"integration": "openai", "secret": {"apiKey": "********"}},
    }


def servicer(**answers: Any) -> tuple[BlaxelServicer, FakeHandler]:
    handler = FakeHandler(**answers)
    return BlaxelServicer(ProviderOverFake(handler)), handler


def state(**values: Any) -> dict[str, Any]:
    """A full object of the resource's attributes (null unless given), as Terraform sends it."""
    base: dict[str, Any] = {
        "name": "openai-prod",
        "integration": "openai",
        "config": None,
        "secret_wo": None,
        "secret_wo_version": 1,
        "secret": None,
        "sandbox": False,
        "display_name": None,
        "labels": None,
        "id": None,
        "workspace": None,
        "created_at": None,
        "updated_at": None,
        "created_by": None,
        "updated_by": None,
    }
    return {**base, **values}


def config(**values: Any) -> dict[str, Any]:
    return state(secret_wo={"apiKey": SECRET}, **values)


def dv(value: Any) -> pb.DynamicValue:
    return to_dynamic_value(value)


def test_the_schema_marks_secret_wo_write_only_with_field_11_and_nothing_else() -> None:
    service, _ = servicer()

    response = service.GetProviderSchema(pb.GetProviderSchema.Request(), None)

    wire = pb.GetProviderSchema.Response.FromString(response.SerializeToString())
    attributes = {a.name: a.SerializeToString() for a in wire.resource_schemas[TYPE].block.attributes}
    assert attributes["secret_wo"].endswith(b"\x58\x01")  # field 11, varint, true
    assert [name for name, data in attributes.items() if data.endswith(b"\x58\x01")] == ["secret_wo"]


def test_a_terraform_without_client_capabilities_is_told_secret_wo_needs_1_11_and_to_use_secret() -> None:
    service, _ = servicer()
    request = pb.ValidateResourceConfig.Request(type_name=TYPE, config=dv(config()))

    response = service.ValidateResourceConfig(request, None)

    [diagnostic] = response.diagnostics
    assert diagnostic.summary == "secret_wo needs Terraform 1.11 or later"
    assert "use secret instead" in diagnostic.detail
    assert SECRET not in diagnostic.detail


def test_a_terraform_announcing_write_only_support_validates_secret_wo() -> None:
    service, _ = servicer()
    request = pb.ValidateResourceConfig.Request(type_name=TYPE, config=dv(config()))
    announced = pb.ValidateResourceConfig.Request.FromString(request.SerializeToString() + CAPABILITIES)

    response = service.ValidateResourceConfig(announced, None)

    assert list(response.diagnostics) == []
    assert write_only_allowed(announced.SerializeToString())


def test_an_old_terraform_with_the_stored_secret_form_validates() -> None:
    service, _ = servicer()
    request = pb.ValidateResourceConfig.Request(
        type_name=TYPE, config=dv(state(secret={"apiKey": SECRET}, secret_wo_version=None))
    )

    assert list(service.ValidateResourceConfig(request, None).diagnostics) == []


def test_a_create_plan_holds_null_for_the_write_only_value() -> None:
    service, _ = servicer()
    request = pb.PlanResourceChange.Request(
        type_name=TYPE, prior_state=dv(None), proposed_new_state=dv(config()), config=dv(config())
    )

    planned = read_dynamic_value(service.PlanResourceChange(request, None).planned_state)

    assert planned["secret_wo"] is None
    assert planned["secret_wo_version"] == 1


def test_an_unchanged_configuration_plans_no_change_although_the_write_only_value_is_set() -> None:
    service, _ = servicer()
    prior = state(id="openai-prod", workspace="ws", created_at="t0", updated_at="t1", created_by="k", updated_by="k")
    proposed = {**prior, "secret_wo": {"apiKey": SECRET}}
    request = pb.PlanResourceChange.Request(
        type_name=TYPE, prior_state=dv(prior), proposed_new_state=dv(proposed), config=dv(config())
    )

    planned = read_dynamic_value(service.PlanResourceChange(request, None).planned_state)

    assert planned == prior


def test_an_apply_whose_plan_holds_null_still_sends_the_secret_taken_from_the_configuration() -> None:
    service, handler = servicer(create=masked())
    request = pb.ApplyResourceChange.Request(
        type_name=TYPE,
        prior_state=dv(None),
        planned_state=dv(state(id=Unknown, workspace=Unknown, created_at=Unknown, updated_at=Unknown)),
        config=dv(config()),
    )

    response = service.ApplyResourceChange(request, None)

    assert list(response.diagnostics) == []
    [(method, (document,), _)] = handler.calls
    assert method == "create"
    assert document["spec"]["secret"] == {"apiKey": SECRET}
    new_state = read_dynamic_value(response.new_state)
    assert new_state["secret_wo"] is None
    assert SECRET.encode() not in response.SerializeToString()


def test_a_read_returns_null_for_the_write_only_attribute() -> None:
    service, _ = servicer(read=masked())
    current = state(id="openai-prod", workspace="ws")

    response = service.ReadResource(pb.ReadResource.Request(type_name=TYPE, current_state=dv(current)), None)

    assert read_dynamic_value(response.new_state)["secret_wo"] is None


def test_a_model_has_no_write_only_attribute_so_its_requests_pass_through_unchanged() -> None:
    service, _ = servicer()
    request = pb.ValidateResourceConfig.Request(type_name="blaxel_model", config=dv({"name": "chat"}))

    assert list(service.ValidateResourceConfig(request, None).diagnostics) == []


def test_malformed_request_bytes_never_count_as_write_only_support() -> None:
    assert write_only_allowed(b"") is False
    assert write_only_allowed(b"\x1a\x05\x10") is False  # truncated capabilities
    assert write_only_allowed(b"\x1a\x02\x10\x00") is False  # announced as false
    assert write_only_allowed(b"\x0a\x03abc" + CAPABILITIES) is True
