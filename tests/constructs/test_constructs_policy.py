"""Policy: what each type synthesizes (snake_case, nested attributes), references from ModelEndpoint, and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from blaxel_constructs import BlaxelProvider, Flavor, ModelEndpoint, ModelRuntime, Policy
from blaxel_constructs.constructs import BlaxelIntegrationConnectionResource, BlaxelPolicyResource
from blaxel_constructs.document import PolicyLocation, PolicyMaxTokens
from blaxel_constructs.errors import SpecError

from .conftest import Synth


def _policy(doc: dict[str, Any]) -> dict[str, Any]:
    resources = doc["resource"]["blaxel_policy"]
    assert len(resources) == 1, resources
    return {key: value for key, value in next(iter(resources.values())).items() if key != "//"}


def test_a_location_policy_synthesizes_its_locations_and_resource_types(stack, synth: Synth) -> None:
    Policy(
        stack,
        "eu",
        name="eu-only",
        type="location",
        locations=[PolicyLocation(name="EU", type="continent"), {"name": "FR", "type": "country"}],
        resource_types=["model"],
        display_name="EU only",
        labels={"team": "ml"},
    )

    assert _policy(synth(stack)) == {
        "name": "eu-only",
        "type": "location",
        "locations": [{"name": "EU", "type": "continent"}, {"name": "FR", "type": "country"}],
        "resource_types": ["model"],
        "sandbox": False,
        "display_name": "EU only",
        "labels": {"team": "ml"},
    }


def test_a_flavor_policy_synthesizes_its_flavors(stack, synth: Synth) -> None:
    Policy(stack, "cpu", name="cpu-only", type="flavor", flavors=[Flavor(name="t4", type="cpu")])

    assert _policy(synth(stack))["flavors"] == [{"name": "t4", "type": "cpu"}]


def test_a_max_token_policy_takes_snake_or_camel_case_and_synthesizes_snake_case_without_unset_counts(
    stack, synth: Synth
) -> None:
    Policy(
        stack,
        "tokens",
        name="tokens",
        type="maxToken",
        max_tokens={"granularity": "minute", "total": 10000, "ratioInputOverOutput": 3},
    )

    assert _policy(synth(stack))["max_tokens"] == {
        "granularity": "minute",
        "total": 10000,
        "ratio_input_over_output": 3,
    }


def test_a_max_token_policy_from_the_typed_value_synthesizes_the_same(stack, synth: Synth) -> None:
    Policy(
        stack,
        "tokens",
        name="tokens",
        type="maxToken",
        max_tokens=PolicyMaxTokens(granularity="minute", input=100, ratio_input_over_output=2),
    )

    assert _policy(synth(stack))["max_tokens"] == {"granularity": "minute", "input": 100, "ratio_input_over_output": 2}


def test_a_policy_passed_to_a_model_endpoint_renders_as_a_reference_to_its_name(stack, synth: Synth) -> None:
    policy = Policy(stack, "eu", name="eu-only", type="location", locations=[{"name": "EU", "type": "continent"}])

    ModelEndpoint(
        stack, "gpt", name="gpt", runtime=ModelRuntime(type="openai", model="gpt-4.1"), policies=["by-hand", policy]
    )

    doc = synth(stack)
    (logical_id,) = doc["resource"]["blaxel_policy"]
    (model,) = doc["resource"]["blaxel_model"].values()
    assert model["policies"] == ["by-hand", f"${{blaxel_policy.{logical_id}.name}}"]


VALID: dict[str, Any] = {"name": "eu-only", "type": "location", "locations": [{"name": "EU", "type": "continent"}]}

CASES: list[tuple[str, dict[str, Any], str]] = [
    ("name with uppercase", {"name": "EU"}, "name"),
    ("missing type", {"type": None}, "type"),
    ("unknown type", {"type": "region"}, "type"),
    ("unknown location type", {"locations": [{"name": "EU", "type": "planet"}]}, "locations[0].type"),
    ("location without a name", {"locations": [{"type": "country"}]}, "locations[0].name"),
    ("location policy without locations", {"locations": None}, "locations"),
    ("location policy with flavors", {"flavors": [{"name": "t4", "type": "cpu"}]}, "flavors"),
    ("flavor policy without flavors", {"type": "flavor", "locations": None}, "flavors"),
    (
        "unknown flavor type",
        {"type": "flavor", "locations": None, "flavors": [{"name": "t", "type": "tpu"}]},
        "flavors[0].type",
    ),
    ("max token policy without max_tokens", {"type": "maxToken", "locations": None}, "max_tokens"),
    (
        "zero total tokens",
        {"type": "maxToken", "locations": None, "max_tokens": {"granularity": "minute", "total": 0}},
        "max_tokens.total",
    ),
    (
        "negative ratio",
        {"type": "maxToken", "locations": None, "max_tokens": {"total": 5, "ratioInputOverOutput": -1}},
        "max_tokens.ratio_input_over_output",
    ),
    (
        "token count as a string",
        {"type": "maxToken", "locations": None, "max_tokens": {"total": "5"}},
        "max_tokens.total",
    ),
    ("unknown max_tokens key", {"type": "maxToken", "locations": None, "max_tokens": {"totl": 5}}, "max_tokens.totl"),
    ("unknown resource type", {"resource_types": ["robot"]}, "resource_types[0]"),
    ("sandbox as a string", {"sandbox": "no"}, "sandbox"),
    ("label value not a string", {"labels": {"team": 1}}, "labels.team"),
]


@pytest.mark.parametrize(("case", "change", "field"), CASES, ids=[case for case, _, _ in CASES])
def test_invalid_policy_input_raises_a_spec_error_naming_the_field_and_the_construct_path(
    stack, case: str, change: dict[str, Any], field: str
) -> None:
    BlaxelProvider(stack, "blaxel")

    with pytest.raises(SpecError) as raised:
        Policy(stack, "bad", **{**VALID, **change})

    assert raised.value.field == field, (case, str(raised.value))
    assert raised.value.path == "test/bad"
    assert stack.node.try_find_child("bad") is None


def test_a_model_endpoint_may_depend_on_a_policy_construct_which_renders_as_its_resource(stack, synth: Synth) -> None:
    policy = Policy(stack, "eu", name="eu-only", type="location", locations=[{"name": "EU", "type": "continent"}])

    ModelEndpoint(stack, "gpt", name="gpt", runtime=ModelRuntime(type="openai", model="gpt-4.1"), depends_on=[policy])

    doc = synth(stack)
    (logical_id,) = doc["resource"]["blaxel_policy"]
    (model,) = doc["resource"]["blaxel_model"].values()
    assert model["depends_on"] == [f"blaxel_policy.{logical_id}"]


@pytest.mark.parametrize(("scope", "id"), [("not a construct", "raw"), (None, "raw"), ("stack", 42)])
@pytest.mark.parametrize("binding", ["policy", "connection"])
def test_the_low_level_policy_and_connection_resources_reject_a_scope_or_id_of_the_wrong_type(
    stack, binding, scope, id
):
    arguments = {"name": "raw", "type": "location"} if binding == "policy" else {"name": "raw", "integration": "openai"}
    resource = BlaxelPolicyResource if binding == "policy" else BlaxelIntegrationConnectionResource

    with pytest.raises(TypeError, match=r"scope must be a Construct|id must be a string"):
        resource(stack if scope == "stack" else scope, id, **arguments)


def test_the_low_level_policy_resource_with_a_provider_and_dependencies_synthesizes_both(stack, synth: Synth) -> None:
    shared = BlaxelProvider(stack, "shared", alias="shared")
    first = BlaxelPolicyResource(stack, "first", name="first", type="location")

    BlaxelPolicyResource(stack, "second", name="second", type="location", provider=shared, depends_on=[first])

    second = synth(stack)["resource"]["blaxel_policy"]["second"]
    assert second["provider"] == "blaxel.shared"
    assert second["depends_on"] == ["blaxel_policy.first"]
    assert {key: value for key, value in second.items() if key not in ("provider", "depends_on", "//")} == {
        "name": "second",
        "type": "location",
    }
