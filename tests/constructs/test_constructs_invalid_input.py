"""Bad input is rejected when the construct is created, naming the field and the construct path."""

from __future__ import annotations

from typing import Any

import pytest

from blaxel_constructs import BlaxelProvider, ModelEndpoint
from blaxel_constructs.errors import SpecError

VALID: dict[str, Any] = {"name": "ok-model", "runtime": {"type": "openai", "model": "gpt-4.1"}}

CASES: list[tuple[str, dict[str, Any], str]] = [
    ("name too long", {"name": "a" * 50}, "name"),
    ("name with uppercase", {"name": "MyModel"}, "name"),
    ("empty name", {"name": ""}, "name"),
    ("name with a leading hyphen", {"name": "-model"}, "name"),
    ("name with a trailing hyphen", {"name": "model-"}, "name"),
    ("name with an underscore", {"name": "my_model"}, "name"),
    ("name not a string", {"name": 123}, "name"),
    ("unknown runtime type", {"runtime": {"type": "openia"}}, "runtime.type"),
    ("unknown key in the runtime dict", {"runtime": {"type": "openai", "modle": "gpt-4.1"}}, "runtime.modle"),
    ("unknown generation", {"runtime": {"type": "openai", "generation": "mk4"}}, "runtime.generation"),
    ("runtime not a mapping", {"runtime": "openai"}, "runtime"),
    ("missing runtime", {"runtime": None}, "runtime"),
    ("unknown flavor type", {"flavors": [{"name": "t4", "type": "tpu"}]}, "flavors[0].type"),
    ("flavor without a name", {"flavors": [{"name": "t4", "type": "cpu"}, {"type": "gpu"}]}, "flavors[1].name"),
    ("display name of 64 characters", {"display_name": "x" * 64}, "display_name"),
    ("external id with a space", {"external_id": "bad id"}, "external_id"),
    ("label value not a string", {"labels": {"team": 7}}, "labels.team"),
    ("labels not a mapping", {"labels": ["team"]}, "labels"),
    ("enabled as the string yes", {"enabled": "yes"}, "enabled"),
    ("sandbox as an int", {"sandbox": 1}, "sandbox"),
    ("policies as a plain string", {"policies": "eu-only"}, "policies"),
    ("integration connection not a string", {"integration_connections": [3]}, "integration_connections[0]"),
    ("timeout in words", {"timeouts": {"create": "10 minutes"}}, "timeouts.create"),
    ("negative timeout", {"timeouts": {"update": "-5m"}}, "timeouts.update"),
    ("timeout without a unit", {"timeouts": {"delete": "30"}}, "timeouts.delete"),
    ("zero timeout", {"timeouts": {"create": "0s"}}, "timeouts.create"),
    ("unknown timeout operation", {"timeouts": {"read": "5m"}}, "timeouts.read"),
    ("timeout not a string", {"timeouts": {"create": 30}}, "timeouts.create"),
]


@pytest.mark.parametrize(("case", "change", "field"), CASES, ids=[case for case, _, _ in CASES])
def test_invalid_input_raises_a_spec_error_naming_the_field_and_the_construct_path(stack, case, change, field):
    BlaxelProvider(stack, "blaxel")

    with pytest.raises(SpecError) as raised:
        ModelEndpoint(stack, "bad", **{**VALID, **change})

    error = raised.value
    assert error.field == field, case
    assert error.path == "test/bad"
    assert f"field {field!r}" in str(error)
    assert "construct test/bad" in str(error)
    assert stack.node.try_find_child("bad") is None, "a rejected endpoint must not stay in the tree"


def test_every_problem_is_listed_in_one_error_the_first_one_named_as_its_field(stack):
    with pytest.raises(SpecError) as raised:
        ModelEndpoint(stack, "bad", name="Bad", runtime={"type": "nope"}, enabled="yes")

    assert raised.value.field == "name"
    message = str(raised.value)
    assert "and 2 more" in message
    assert "runtime.type" in message
    assert "enabled" in message


def test_an_unknown_runtime_key_lists_the_expected_ones(stack):
    with pytest.raises(SpecError, match="expected one of: type, model, endpoint_name, organization, generation"):
        ModelEndpoint(stack, "bad", name="ok", runtime={"type": "openai", "endpoint": "x"})


def test_a_provider_argument_that_is_not_a_blaxel_provider_is_rejected(stack):
    with pytest.raises(SpecError) as raised:
        ModelEndpoint(stack, "bad", name="ok", runtime={"type": "openai"}, provider=stack)

    assert raised.value.field == "provider"


def test_the_same_id_can_be_used_again_after_a_rejected_attempt(stack):
    with pytest.raises(SpecError):
        ModelEndpoint(stack, "gpt", name="Not Valid", runtime={"type": "openai"})

    endpoint = ModelEndpoint(stack, "gpt", name="valid", runtime={"type": "openai"})

    assert endpoint.node.path == "test/gpt"


def test_a_display_name_is_measured_as_terraform_reads_it_escapes_included(stack):
    """``$${`` stands for ``${`` in cdk.tf.json: 63 characters once read, though 64 in Python."""
    BlaxelProvider(stack, "blaxel")
    read_as_63 = "a" * 58 + " $${x}"  # Terraform reads "... ${x}": 63 characters

    ModelEndpoint(stack, "ok", **{**VALID, "display_name": read_as_63})

    with pytest.raises(SpecError) as raised:
        ModelEndpoint(stack, "bad", **{**VALID, "name": "other", "display_name": "b" + read_as_63})
    assert raised.value.field == "display_name"
