"""IntegrationConnection and Secret: what they synthesize, that no secret value is ever synthesized, and bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from constructs import Construct

from blaxel_constructs import BlaxelProvider, IntegrationConnection, ModelEndpoint, ModelRuntime, Secret
from blaxel_constructs.constructs import ephemeral_variable
from blaxel_constructs.errors import SpecError
from tests.support.cdk import TerraformStack

from .conftest import Synth


def _connection(doc: dict[str, Any]) -> dict[str, Any]:
    resources = doc["resource"]["blaxel_integration_connection"]
    assert len(resources) == 1, resources
    return {key: value for key, value in next(iter(resources.values())).items() if key != "//"}


def test_a_secret_from_the_environment_synthesizes_an_ephemeral_sensitive_variable_wired_to_secret_wo(
    stack, synth: Synth
) -> None:
    IntegrationConnection(
        stack,
        "openai",
        name="openai",
        integration="openai",
        config={"organization": "org-1"},
        secret={"apiKey": Secret.from_env("OPENAI_API_KEY")},
    )

    doc = synth(stack)

    assert _connection(doc) == {
        "name": "openai",
        "integration": "openai",
        "config": {"organization": "org-1"},
        "sandbox": False,
        "secret_wo": {"apiKey": "${var.OPENAI_API_KEY}"},
        "secret_wo_version": 1,
    }
    variable = doc["variable"]["OPENAI_API_KEY"]
    assert variable["ephemeral"] is True
    assert variable["sensitive"] is True
    assert variable["type"] == "string"
    assert "TF_VAR_OPENAI_API_KEY" in variable["description"]


def test_the_value_of_the_environment_variable_at_synth_time_is_never_written(
    stack, synth: Synth, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-synth-time-value")
    monkeypatch.setenv("TF_VAR_OPENAI_API_KEY", "sk-synth-time-value")

    IntegrationConnection(
        stack, "openai", name="openai", integration="openai", secret={"apiKey": Secret.from_env("OPENAI_API_KEY")}
    )

    assert "sk-synth-time-value" not in json.dumps(synth(stack))


def test_a_new_secret_version_is_synthesized_as_secret_wo_version_to_rotate_the_secret(stack, synth: Synth) -> None:
    IntegrationConnection(
        stack,
        "openai",
        name="openai",
        integration="openai",
        secret={"apiKey": Secret.from_env("OPENAI_API_KEY")},
        secret_version=3,
    )

    assert _connection(synth(stack))["secret_wo_version"] == 3


def test_a_connection_without_a_secret_synthesizes_neither_secret_argument_nor_a_variable(stack, synth: Synth) -> None:
    IntegrationConnection(
        stack, "github", name="github", integration="github", display_name="GitHub", labels={"a": "b"}
    )

    doc = synth(stack)

    assert _connection(doc) == {
        "name": "github",
        "integration": "github",
        "sandbox": False,
        "display_name": "GitHub",
        "labels": {"a": "b"},
    }
    assert "variable" not in doc


def test_two_connections_reading_the_same_environment_variable_share_one_terraform_variable(
    stack, synth: Synth
) -> None:
    key = Secret.from_env("SHARED_KEY")
    IntegrationConnection(stack, "one", name="one", integration="openai", secret={"apiKey": key})
    IntegrationConnection(stack, "two", name="two", integration="openai", secret={"apiKey": key, "other": key})

    doc = synth(stack)

    assert list(doc["variable"]) == ["SHARED_KEY"]
    values = [body["secret_wo"] for body in doc["resource"]["blaxel_integration_connection"].values()]
    assert values == [{"apiKey": "${var.SHARED_KEY}"}, {"apiKey": "${var.SHARED_KEY}", "other": "${var.SHARED_KEY}"}]


def test_one_secret_used_in_two_stacks_gets_a_variable_in_each_stack(app, synth: Synth) -> None:
    key = Secret.from_env("SHARED_KEY")
    stacks = [TerraformStack(app, "first"), TerraformStack(app, "second")]
    for stack in stacks:
        IntegrationConnection(stack, "c", name="c", integration="openai", secret={"apiKey": key})

    for stack in stacks:
        doc = synth(stack)
        assert list(doc["variable"]) == ["SHARED_KEY"]
        assert _connection(doc)["secret_wo"] == {"apiKey": "${var.SHARED_KEY}"}


def test_connections_in_a_nested_construct_share_their_stack_variable_with_the_stack_own(stack, synth: Synth) -> None:
    key = Secret.from_env("SHARED_KEY")
    team = Construct(stack, "team")
    IntegrationConnection(stack, "top", name="top", integration="openai", secret={"apiKey": key})
    IntegrationConnection(team, "nested", name="nested", integration="openai", secret={"apiKey": key})

    doc = synth(stack)

    assert list(doc["variable"]) == ["SHARED_KEY"]
    values = [body["secret_wo"] for body in doc["resource"]["blaxel_integration_connection"].values()]
    assert values == [{"apiKey": "${var.SHARED_KEY}"}] * 2


def test_a_terraform_reference_such_as_an_ephemeral_variable_is_accepted_as_a_secret_value(stack, synth: Synth) -> None:
    variable = ephemeral_variable(stack, "my_key", type="string")

    IntegrationConnection(stack, "c", name="c", integration="openai", secret={"apiKey": variable.string_value})

    assert _connection(synth(stack))["secret_wo"] == {"apiKey": "${var.my_key}"}


def test_secret_from_env_says_which_environment_variable_terraform_reads() -> None:
    secret = Secret.from_env("OPENAI_API_KEY")

    assert secret.environment_variable == "TF_VAR_OPENAI_API_KEY"
    assert secret.reference == "${var.OPENAI_API_KEY}"


def test_a_literal_secret_is_refused_with_what_to_write_instead_and_without_echoing_the_value(stack) -> None:
    with pytest.raises(SpecError) as raised:
        IntegrationConnection(stack, "openai", name="openai", integration="openai", secret={"apiKey": "sk-live-123"})

    error = raised.value
    assert error.field == "secret.apiKey"
    assert error.path == "test/openai"
    assert "Secret.from_env('OPENAI_API_KEY')" in str(error)
    assert "TF_VAR_OPENAI_API_KEY" in str(error)
    assert "sk-live-123" not in str(error)
    assert stack.node.try_find_child("openai") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [("1PASSWORD", "environment variable name"), ("MY-KEY", "environment variable name"), ("", "environment")],
)
def test_secret_from_env_refuses_a_name_that_is_not_an_environment_variable_name(name: str, expected: str) -> None:
    with pytest.raises(SpecError, match=expected):
        Secret.from_env(name)


def test_secret_from_env_refuses_the_tf_var_prefix_and_says_to_drop_it() -> None:
    with pytest.raises(SpecError) as raised:
        Secret.from_env("TF_VAR_OPENAI_API_KEY")

    assert "Secret.from_env('OPENAI_API_KEY')" in str(raised.value)


VALID: dict[str, Any] = {"name": "openai", "integration": "openai"}

CASES: list[tuple[str, dict[str, Any], str]] = [
    ("name with uppercase", {"name": "OpenAI"}, "name"),
    ("name too long", {"name": "a" * 50}, "name"),
    ("missing integration", {"integration": None}, "integration"),
    ("empty integration", {"integration": ""}, "integration"),
    ("config value not a string", {"config": {"region": 1}}, "config.region"),
    ("sandbox as a string", {"sandbox": "yes"}, "sandbox"),
    ("display name of 64 characters", {"display_name": "x" * 64}, "display_name"),
    ("label value not a string", {"labels": {"team": 7}}, "labels.team"),
    ("secret as a plain string", {"secret": "sk-live"}, "secret"),
    ("secret value of another type", {"secret": {"apiKey": 42}}, "secret.apiKey"),
    ("empty secret mapping", {"secret": {}}, "secret"),
    ("secret version zero", {"secret": {"k": Secret.from_env("K")}, "secret_version": 0}, "secret_version"),
    ("secret version as a string", {"secret": {"k": Secret.from_env("K")}, "secret_version": "2"}, "secret_version"),
    ("secret version without a secret", {"secret_version": 2}, "secret_version"),
]


@pytest.mark.parametrize(("case", "change", "field"), CASES, ids=[case for case, _, _ in CASES])
def test_invalid_connection_input_raises_a_spec_error_naming_the_field_and_the_construct_path(
    stack, case: str, change: dict[str, Any], field: str
) -> None:
    BlaxelProvider(stack, "blaxel")

    with pytest.raises(SpecError) as raised:
        IntegrationConnection(stack, "bad", **{**VALID, **change})

    assert raised.value.field == field, (case, str(raised.value))
    assert raised.value.path == "test/bad"
    assert stack.node.try_find_child("bad") is None


def test_a_connection_passed_to_a_model_endpoint_renders_as_a_reference_to_its_name(stack, synth: Synth) -> None:
    connection = IntegrationConnection(
        stack, "openai", name="openai", integration="openai", secret={"apiKey": Secret.from_env("OPENAI_API_KEY")}
    )

    ModelEndpoint(
        stack,
        "gpt",
        name="gpt",
        runtime=ModelRuntime(type="openai", model="gpt-4.1"),
        integration_connections=[connection, "made-by-hand"],
    )

    doc = synth(stack)
    (logical_id,) = doc["resource"]["blaxel_integration_connection"]
    (model,) = doc["resource"]["blaxel_model"].values()
    assert model["integration_connections"] == [f"${{blaxel_integration_connection.{logical_id}.name}}", "made-by-hand"]
