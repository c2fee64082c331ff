"""What IntegrationConnection and Policy synthesize is exactly what the provider's schemas accept, as JSON and HCL."""

from __future__ import annotations

from typing import Any

from tf.schema import Attribute, Schema

from blaxel_constructs import BlaxelProvider, IntegrationConnection, Policy, Secret
from blaxel_constructs.provider.schema import integration_connection_schema, policy_schema
from blaxel_constructs.provider.tftypes import NestedAttribute
from blaxel_constructs.provider.write_only import WriteOnlyAttribute
from tests.support import cdk
from tests.support.cdk import TerraformStack

from .conftest import Synth

#: Arguments that a construct never writes, with why.
NOT_SYNTHESIZED = {
    # The stored, sensitive alternative for Terraform < 1.11: a construct's secret always goes write-only.
    "secret",
}


def _settable(attributes: list[Attribute]) -> dict[str, Attribute]:
    return {a.name: a for a in attributes if a.required or a.optional}


#: Terraform's meta-arguments, which every resource takes and no provider schema lists.
META_ARGUMENTS = {"//", "provider", "depends_on"}


def _body(doc: dict[str, Any], resource_type: str) -> dict[str, Any]:
    (body,) = doc["resource"][resource_type].values()
    return {key: value for key, value in body.items() if key not in META_ARGUMENTS}


def _assert_fits(value: dict[str, Any], attributes: list[Attribute], where: str) -> None:
    allowed = _settable(attributes)
    assert set(value) <= set(allowed), f"{where}: {set(value) - set(allowed)} are not provider arguments"
    required = {name for name, a in allowed.items() if a.required}
    assert required <= set(value), f"{where}: required {required - set(value)} missing"
    for name, inner in value.items():
        attr = allowed[name]
        if isinstance(attr, NestedAttribute):
            items = [inner] if attr.nesting == "single" else inner
            for index, item in enumerate(items):
                _assert_fits(item, attr.attributes, f"{where}.{name}[{index}]")


def _inner_names(schema: Schema, name: str) -> set[str]:
    attribute = next(a for a in schema.attributes if a.name == name)
    assert isinstance(attribute, NestedAttribute), name
    return {a.name for a in attribute.attributes}


def _full_connection(stack: TerraformStack) -> IntegrationConnection:
    return IntegrationConnection(
        stack,
        "openai",
        name="openai",
        integration="openai",
        config={"organization": "org-1"},
        secret={"apiKey": Secret.from_env("OPENAI_API_KEY")},
        secret_version=2,
        sandbox=True,
        display_name="OpenAI",
        labels={"team": "ml"},
        provider=BlaxelProvider(stack, "blaxel"),
    )


def _full_policies(stack: TerraformStack) -> list[Policy]:
    every = {"display_name": "All", "labels": {"a": "b"}, "resource_types": ["model", "agent"], "sandbox": True}
    return [
        Policy(stack, "where", name="where", type="location", locations=[{"name": "EU", "type": "continent"}], **every),
        Policy(stack, "what", name="what", type="flavor", flavors=[{"name": "t4", "type": "cpu"}], **every),
        Policy(
            stack,
            "tokens",
            name="tokens",
            type="maxToken",
            max_tokens={
                "granularity": "minute",
                "input": 1,
                "output": 2,
                "total": 3,
                "step": 4,
                "ratio_input_over_output": 5,
            },
            **every,
        ),
    ]


def test_a_fully_specified_connection_synthesizes_every_argument_but_the_stored_secret(
    stack: TerraformStack, synth: Synth
) -> None:
    _full_connection(stack)

    body = _body(synth(stack), "blaxel_integration_connection")

    schema = integration_connection_schema()
    _assert_fits(body, schema.attributes, "blaxel_integration_connection")
    assert set(body) == set(_settable(schema.attributes)) - NOT_SYNTHESIZED


def test_the_argument_the_construct_writes_its_secret_to_is_write_only_in_the_provider_schema() -> None:
    attributes = {a.name: a for a in integration_connection_schema().attributes}

    assert isinstance(attributes["secret_wo"], WriteOnlyAttribute)
    assert attributes["secret"].sensitive


def test_fully_specified_policies_of_every_type_synthesize_every_argument_and_every_inner_one(
    stack: TerraformStack, synth: Synth
) -> None:
    _full_policies(stack)

    bodies = list(synth(stack)["resource"]["blaxel_policy"].values())

    schema = policy_schema()
    seen: set[str] = set()
    for body in bodies:
        body = {key: value for key, value in body.items() if key not in META_ARGUMENTS}
        _assert_fits(body, schema.attributes, f"blaxel_policy {body['name']}")
        seen |= set(body)
    assert seen == set(_settable(schema.attributes))
    (tokens,) = [body for body in bodies if body["type"] == "maxToken"]
    assert set(tokens["max_tokens"]) == _inner_names(schema, "max_tokens")
    (where,) = [body for body in bodies if body["type"] == "location"]
    assert set(where["locations"][0]) == _inner_names(schema, "locations")


def test_the_hcl_of_a_connection_and_of_policies_has_exactly_the_arguments_of_their_json(stack: TerraformStack) -> None:
    resources = [_full_connection(stack).resource, *(policy.resource for policy in _full_policies(stack))]

    for resource in resources:
        kind = resource.TF_RESOURCE_TYPE
        json_arguments = _body(resource.to_terraform(), kind)
        hcl_arguments = _body(resource.to_hcl_terraform(), kind)
        assert set(hcl_arguments) == set(json_arguments), kind


def test_the_hcl_writes_nested_policy_rules_as_attributes_and_the_secret_as_a_variable_reference(
    stack: TerraformStack,
) -> None:
    _full_connection(stack)
    _full_policies(stack)

    text = cdk.Testing.synth_hcl(stack)
    lines = {line.strip() for line in text.splitlines()}

    assert {"max_tokens = {", "locations = [", "flavors = [", "secret_wo = {"} <= lines
    assert not {"max_tokens {", "locations {", "secret_wo {"} & lines
    assert 'apiKey = "${var.OPENAI_API_KEY}"' in lines
    assert "secret_wo_version = 2" in lines
    assert "ratio_input_over_output = 5" in lines
    assert "ephemeral = true" in lines
