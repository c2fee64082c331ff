"""What ModelEndpoint and BlaxelProvider synthesize is exactly what the provider's schema accepts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tf.schema import Attribute

from blaxel_constructs import BlaxelProvider, Flavor, ModelEndpoint, ModelRuntime
from blaxel_constructs.provider.schema import model_schema, provider_schema
from blaxel_constructs.provider.tftypes import NestedAttribute
from tests.support.cdk import TerraformStack

from .conftest import Synth


def _settable(attributes: list[Attribute]) -> dict[str, Attribute]:
    return {a.name: a for a in attributes if a.required or a.optional}


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


def test_a_fully_specified_endpoint_synthesizes_every_resource_argument_and_nothing_else(
    stack: TerraformStack, model_resource: Callable[[TerraformStack], dict[str, Any]]
) -> None:
    ModelEndpoint(
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
    )

    synthesized = {k: v for k, v in model_resource(stack).items() if k != "//"}

    _assert_fits(synthesized, model_schema().attributes, "blaxel_model")
    assert set(synthesized) == set(_settable(model_schema().attributes))
    runtime_attr = next(a for a in model_schema().attributes if a.name == "runtime")
    assert set(synthesized["runtime"]) == {a.name for a in runtime_attr.attributes}


def test_the_provider_block_uses_only_provider_arguments(stack: TerraformStack, synth: Synth) -> None:
    BlaxelProvider(stack, "blaxel", api_url="http://127.0.0.1:1/v0", workspace="w", api_version="2026-04-28")

    (block,) = synth(stack)["provider"]["blaxel"]

    _assert_fits(block, provider_schema().attributes, "provider.blaxel")
