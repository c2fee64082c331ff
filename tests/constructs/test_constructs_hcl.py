"""``cdktf synth --hcl`` writes what ``cdktf synth`` writes: the same arguments, as HCL attributes.

cdktf builds HCL from ``to_hcl_terraform`` (``_synthesize_hcl_attributes``) and JSON from
``to_terraform`` (``_synthesize_attributes``): these tests compare the two through cdktf itself, so
an argument added to one and forgotten in the other fails here. That the two formats also *mean* the
same to Terraform is checked end to end in ``tests/e2e/test_hcl_synth.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from blaxel_constructs import BlaxelProvider, Flavor, ModelEndpoint, ModelRuntime
from blaxel_constructs.constructs._hcl import HclKind, hcl_attributes, hcl_string
from blaxel_constructs.provider.schema import model_schema
from tests.support import cdk
from tests.support.cdk import TerraformStack


def _body(config: dict[str, Any], block: str, type_: str) -> dict[str, Any]:
    (body,) = config[block][type_].values()
    return {key: value for key, value in body.items() if key != "//"}


def _full_endpoint(stack: TerraformStack) -> tuple[ModelEndpoint, ModelEndpoint]:
    """An endpoint setting every argument, and the endpoint it depends on."""
    shared = BlaxelProvider(stack, "shared", alias="shared", workspace="shared")
    first = ModelEndpoint(stack, "first", name="first", runtime=ModelRuntime(type="openai", model="gpt-4.1"))
    full = ModelEndpoint(
        stack,
        "full",
        name="full",
        runtime=ModelRuntime(type="huggingface", model="m", organization="o", endpoint_name="e", generation="mk3"),
        display_name="Full",
        external_id="ext-1",
        labels={"a": "b"},
        flavors=[Flavor(name="t4", type="cpu"), Flavor(name="a100", type="gpu")],
        integration_connections=["conn"],
        policies=["pol"],
        enabled=False,
        sandbox=True,
        timeouts={"create": "30m", "update": "20m", "delete": "5m"},
        provider=shared,
        depends_on=[first],
    )
    return full, first


def test_the_hcl_of_a_fully_specified_endpoint_has_exactly_the_arguments_of_its_json(stack: TerraformStack) -> None:
    resource = _full_endpoint(stack)[0].resource

    json_arguments = _body(resource.to_terraform(), "resource", "blaxel_model")
    hcl_arguments = _body(resource.to_hcl_terraform(), "resource", "blaxel_model")

    assert set(hcl_arguments) == set(json_arguments)
    settable = {a.name for a in model_schema().attributes if a.required or a.optional}
    assert settable | {"provider", "depends_on"} == set(json_arguments)  # the comparison covers every argument


def test_the_hcl_of_a_provider_has_exactly_the_arguments_of_its_json(stack: TerraformStack) -> None:
    provider = BlaxelProvider(
        stack,
        "blaxel",
        api_url="http://127.0.0.1:4010/v0",
        workspace="w",
        api_version="2026-04-28",
        alias="second",
    )

    (json_block,) = provider.to_terraform()["provider"]["blaxel"]
    (hcl_block,) = provider.to_hcl_terraform()["provider"]["blaxel"]

    assert set(hcl_block) == set(json_block) == {"api_url", "workspace", "api_version", "alias"}


def test_nested_attributes_and_references_are_written_as_hcl_attributes_never_as_blocks_or_strings(
    stack: TerraformStack,
) -> None:
    _, first = _full_endpoint(stack)

    lines = {line.strip() for line in cdk.Testing.synth_hcl(stack).splitlines()}

    assert {"runtime = {", "timeouts = {", "flavors = [", "labels = {"} <= lines
    assert not {"runtime {", "timeouts {", "flavors {"} & lines
    assert "provider = blaxel.shared" in lines
    assert f"depends_on = [blaxel_model.{first.resource.friendly_unique_id}]" in lines


def test_strings_are_escaped_as_hcl_quoted_strings_and_tokens_and_non_strings_pass_as_they_are() -> None:
    assert hcl_string('say "hi"\\now\nnext\ttab\r') == 'say \\"hi\\"\\\\now\\nnext\\ttab\\r'
    assert hcl_string("${TfToken[TOKEN.1]}") == "${TfToken[TOKEN.1]}"
    assert hcl_string(True) is True


def test_a_map_key_named_for_is_written_so_that_it_cannot_open_a_for_expression() -> None:
    (labels,) = hcl_attributes({"labels": {"for": "x"}}, {"labels": HclKind.STRING_MAP}).values()

    assert labels["value"] == {"\\u0066or": "x"}


def test_a_binding_argument_without_an_hcl_kind_fails_instead_of_vanishing_from_the_hcl() -> None:
    with pytest.raises(KeyError, match="new_argument"):
        hcl_attributes({"name": "x", "new_argument": 1}, {"name": HclKind.STRING})
