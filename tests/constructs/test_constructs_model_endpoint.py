"""ModelEndpoint: the blaxel_model resource it synthesizes, its references, and cdktf meta-arguments."""

from __future__ import annotations

import pytest

from blaxel_constructs import BlaxelProvider, Flavor, ModelEndpoint, ModelRuntime
from blaxel_constructs.constructs import RESOURCE_TYPE, BlaxelModelResource
from blaxel_constructs.constructs._validation import construct_path
from blaxel_constructs.document import wire
from blaxel_constructs.document.model_document import Generation, RuntimeType
from blaxel_constructs.document.rules import OWNER_LABEL
from tests.support.cdk import TerraformOutput, TerraformVariable, Token

GPT = ModelRuntime(type="openai", model="gpt-4.1")


def test_a_minimal_endpoint_synthesizes_its_name_runtime_and_the_api_defaults(stack, model_resource):
    BlaxelProvider(stack, "blaxel")
    ModelEndpoint(stack, "gpt", name="my-gpt", runtime=GPT)

    assert model_resource(stack) == {
        "name": "my-gpt",
        "labels": {OWNER_LABEL: "test/gpt"},
        "enabled": True,
        "sandbox": False,
        "runtime": {"type": "openai", "model": "gpt-4.1"},
    }


def test_every_argument_is_synthesized_in_snake_case(stack, model_resource):
    BlaxelProvider(stack, "blaxel")
    ModelEndpoint(
        stack,
        "hf",
        name="my-hf",
        display_name="My HF endpoint",
        external_id="ext-42",
        labels={"team": "ml", "app.kubernetes.io/name": "demo", "camelKey": "kept"},
        flavors=[Flavor(name="t4", type="cpu"), {"name": "a100", "type": "gpu"}],
        integration_connections=["hf-conn"],
        policies=["eu-only", "no-logs"],
        enabled=False,
        sandbox=True,
        runtime=ModelRuntime(
            type="hf_private_endpoint",
            model="meta-llama/Llama-3-8B",
            endpoint_name="llama-ep",
            organization="org-abc123",
            generation="mk3",
        ),
        timeouts={"create": "30m", "update": "1h30m", "delete": "45s"},
    )

    assert model_resource(stack) == {
        "name": "my-hf",
        "display_name": "My HF endpoint",
        "external_id": "ext-42",
        "labels": {"team": "ml", "app.kubernetes.io/name": "demo", "camelKey": "kept", OWNER_LABEL: "test/hf"},
        "flavors": [{"name": "t4", "type": "cpu"}, {"name": "a100", "type": "gpu"}],
        "integration_connections": ["hf-conn"],
        "policies": ["eu-only", "no-logs"],
        "enabled": False,
        "sandbox": True,
        "runtime": {
            "type": "hf_private_endpoint",
            "model": "meta-llama/Llama-3-8B",
            "endpoint_name": "llama-ep",
            "organization": "org-abc123",
            "generation": "mk3",
        },
        "timeouts": {"create": "30m", "update": "1h30m", "delete": "45s"},
    }


def test_a_runtime_dict_may_use_wire_names_and_enum_members(stack, model_resource):
    BlaxelProvider(stack, "blaxel")
    ModelEndpoint(
        stack,
        "hf",
        name="my-hf",
        runtime={"type": RuntimeType.HF_PUBLIC_ENDPOINT, "endpointName": "ep", "generation": Generation.MK2},
    )

    assert model_resource(stack)["runtime"] == {
        "type": "hf_public_endpoint",
        "endpoint_name": "ep",
        "generation": "mk2",
    }


def test_synthesized_arguments_are_exactly_the_terraform_arguments_of_the_wire_mapping(stack, model_resource):
    BlaxelProvider(stack, "blaxel")
    ModelEndpoint(
        stack,
        "gpt",
        name="my-gpt",
        runtime=GPT,
        display_name="d",
        external_id="e",
        labels={},
        flavors=[],
        integration_connections=[],
        policies=[],
        timeouts={"create": "1m"},
    )

    assert set(model_resource(stack)) == {*wire.ARGUMENTS, "timeouts"}


def test_the_endpoint_has_one_child_named_resource_of_type_blaxel_model(stack):
    BlaxelProvider(stack, "blaxel")
    endpoint = ModelEndpoint(stack, "gpt", name="my-gpt", runtime=GPT)

    assert [child.node.id for child in endpoint.node.children] == ["Resource"]
    assert isinstance(endpoint.resource, BlaxelModelResource)
    assert endpoint.resource.terraform_resource_type == RESOURCE_TYPE == endpoint.terraform_resource_type
    assert endpoint.node.path == "test/gpt"


def test_read_only_attributes_render_as_terraform_references(stack, synth):
    BlaxelProvider(stack, "blaxel")
    endpoint = ModelEndpoint(stack, "gpt", name="my-gpt", runtime=GPT)
    for attribute in ("url", "status", "workspace", "model_name"):
        value = getattr(endpoint, attribute)
        assert Token.is_unresolved(value)
        TerraformOutput(stack, attribute, value=value)

    outputs = synth(stack)["output"]

    logical_id = endpoint.resource.friendly_unique_id
    assert outputs == {
        "url": {"value": f"${{blaxel_model.{logical_id}.url}}"},
        "status": {"value": f"${{blaxel_model.{logical_id}.status}}"},
        "workspace": {"value": f"${{blaxel_model.{logical_id}.workspace}}"},
        "model_name": {"value": f"${{blaxel_model.{logical_id}.name}}"},
    }


def test_an_aliased_provider_is_set_on_the_resource(stack, model_resource):
    BlaxelProvider(stack, "blaxel")
    eu = BlaxelProvider(stack, "blaxel-eu", workspace="eu", alias="eu")
    ModelEndpoint(stack, "gpt", name="my-gpt", runtime=GPT, provider=eu)

    assert model_resource(stack)["provider"] == "blaxel.eu"


def test_depends_on_accepts_resources_and_other_endpoints(stack, synth):
    BlaxelProvider(stack, "blaxel")
    first = ModelEndpoint(stack, "first", name="first", runtime=GPT)
    second = ModelEndpoint(stack, "second", name="second", runtime=GPT, depends_on=[first, first.resource])

    resources = synth(stack)["resource"]["blaxel_model"]

    first_address = f"blaxel_model.{first.resource.friendly_unique_id}"
    assert resources[second.resource.friendly_unique_id]["depends_on"] == [first_address, first_address]


def test_token_values_are_passed_through_without_validation(stack, model_resource):
    BlaxelProvider(stack, "blaxel")
    name = TerraformVariable(stack, "model_name", type="string")
    kind = TerraformVariable(stack, "runtime_type", type="string")
    enabled = TerraformVariable(stack, "enabled", type="bool")
    policies = TerraformVariable(stack, "policies", type="list(string)")
    flavors = TerraformVariable(stack, "flavors", type="list(object({name=string, type=string}))")
    timeout = TerraformVariable(stack, "create_timeout", type="string")
    ModelEndpoint(
        stack,
        "gpt",
        name=name.string_value,
        runtime={"type": kind.string_value, "model": "gpt-4.1"},
        enabled=enabled.boolean_value,
        policies=policies.list_value,
        flavors=flavors.list_value,
        labels={"owner": name.string_value},
        timeouts={"create": timeout.string_value},
    )

    assert model_resource(stack) == {
        "name": "${var.model_name}",
        "runtime": {"type": "${var.runtime_type}", "model": "gpt-4.1"},
        "enabled": "${var.enabled}",
        "sandbox": False,
        "policies": "${var.policies}",
        "flavors": "${var.flavors}",
        "labels": {"owner": "${var.model_name}", OWNER_LABEL: "test/gpt"},
        "timeouts": {"create": "${var.create_timeout}"},
    }


def test_a_construct_path_is_known_before_the_construct_exists_even_for_ids_with_slashes(stack):
    expected = construct_path(stack, "team/gpt")

    endpoint = ModelEndpoint(stack, "team/gpt", name="my-gpt", runtime=GPT)

    assert endpoint.node.path == expected == "test/team--gpt"


def test_whole_arguments_may_be_tokens_too(stack, model_resource):
    BlaxelProvider(stack, "blaxel")
    runtime = TerraformVariable(stack, "runtime", type="object({type=string, model=string})")
    labels = TerraformVariable(stack, "labels", type="map(string)")
    sandbox = TerraformVariable(stack, "sandbox", type="bool")

    ModelEndpoint(
        stack,
        "gpt",
        name="my-gpt",
        runtime=runtime.value,
        labels=Token.as_string_map(labels.value),
        sandbox=sandbox.boolean_value,
    )

    assert model_resource(stack) == {
        "name": "my-gpt",
        "runtime": "${var.runtime}",
        "labels": "${var.labels}",
        "enabled": True,
        "sandbox": "${var.sandbox}",
    }


def test_the_low_level_resource_synthesizes_only_the_arguments_it_is_given(stack, model_resource):
    BlaxelProvider(stack, "blaxel")

    BlaxelModelResource(stack, "raw", name="raw-model", runtime={"type": "groq", "model": None}, policies=["p"])

    assert model_resource(stack) == {"name": "raw-model", "runtime": {"type": "groq"}, "policies": ["p"]}


@pytest.mark.parametrize(("scope", "id"), [("not a construct", "raw"), (None, "raw"), ("stack", 42)])
def test_the_low_level_resource_rejects_a_scope_or_id_of_the_wrong_type_with_a_type_error(stack, scope, id):
    with pytest.raises(TypeError, match=r"scope must be a Construct|id must be a string"):
        BlaxelModelResource(stack if scope == "stack" else scope, id, name="raw-model")


def test_every_endpoint_carries_an_ownership_label_with_its_construct_path(stack, model_resource):
    endpoint = ModelEndpoint(stack, "gpt", name="my-gpt", runtime=GPT, labels={"team": "ml"})

    assert model_resource(stack)["labels"] == {"team": "ml", OWNER_LABEL: "test/gpt"}
    assert endpoint.owner == "test/gpt"


def test_an_ownership_label_set_by_the_user_wins(stack, model_resource):
    ModelEndpoint(stack, "gpt", name="my-gpt", runtime=GPT, labels={OWNER_LABEL: "legacy-stack/chat"})

    assert model_resource(stack)["labels"] == {OWNER_LABEL: "legacy-stack/chat"}
