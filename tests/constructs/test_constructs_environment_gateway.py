"""environments.yaml with connections and Blaxel policies: per environment, referenced, secrets by name only."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from blaxel_constructs.constructs.environments import EnvironmentConfigError, EnvironmentStack, load_environments
from blaxel_constructs.errors import SpecError

from .conftest import Synth

CONFIG = """
defaults:
  labels: {team: ml}
  connections:
    openai:
      integration: openai
      config: {organization: org-1}
      secret_env: {apiKey: OPENAI_API_KEY}
  policies:
    eu:
      type: location
      locations: [{name: EU, type: continent}]
      resource_types: [model]
  endpoints:
    chat:
      runtime: {type: openai, model: gpt-4.1}
      integration_connections: [openai, made-by-hand]
      policies: [eu]
environments:
  dev:
    name_suffix: -dev
    policies: {eu: null}
    endpoints: {chat: {policies: null}}
  prod:
    connections:
      openai: {secret_env: {apiKey: OPENAI_API_KEY_PROD}, secret_version: 2}
    policies:
      tokens:
        type: maxToken
        max_tokens: {granularity: minute, total: 10000}
"""

Write = Callable[[str], Path]


@pytest.fixture
def write(tmp_path: Path) -> Write:
    def make(text: str) -> Path:
        path = tmp_path / "environments.yaml"
        path.write_text(text)
        return path

    return make


def _stacks(app: Any, path: Path) -> dict[str, EnvironmentStack]:
    stacks = {}
    for name, environment in load_environments(path).items():
        stack = EnvironmentStack(app, environment, environ={})
        stack.model_endpoints()
        stacks[name] = stack
    return stacks


def _by_name(doc: dict[str, Any], resource_type: str) -> dict[str, tuple[str, dict[str, Any]]]:
    return {body["name"]: (logical_id, body) for logical_id, body in doc["resource"].get(resource_type, {}).items()}


def test_each_environment_deploys_its_connections_and_policies_named_and_labelled_like_its_endpoints(
    app, synth: Synth, write: Write
) -> None:
    stacks = _stacks(app, write(CONFIG))

    dev = synth(stacks["dev"])
    prod = synth(stacks["prod"])

    assert set(_by_name(dev, "blaxel_integration_connection")) == {"openai-dev"}
    assert set(_by_name(dev, "blaxel_policy")) == set()
    assert set(_by_name(prod, "blaxel_integration_connection")) == {"openai"}
    assert set(_by_name(prod, "blaxel_policy")) == {"eu", "tokens"}
    _, connection = _by_name(dev, "blaxel_integration_connection")["openai-dev"]
    assert connection["labels"] == {"team": "ml", "environment": "dev"}
    assert connection["config"] == {"organization": "org-1"}
    _, tokens = _by_name(prod, "blaxel_policy")["tokens"]
    assert tokens["max_tokens"] == {"granularity": "minute", "total": 10000}


def test_secrets_are_ephemeral_variables_named_by_the_environment_of_each_stack(
    app, synth: Synth, write: Write
) -> None:
    stacks = _stacks(app, write(CONFIG))

    dev, prod = synth(stacks["dev"]), synth(stacks["prod"])

    _, dev_connection = _by_name(dev, "blaxel_integration_connection")["openai-dev"]
    _, prod_connection = _by_name(prod, "blaxel_integration_connection")["openai"]
    assert dev_connection["secret_wo"] == {"apiKey": "${var.OPENAI_API_KEY}"}
    assert dev_connection["secret_wo_version"] == 1
    assert prod_connection["secret_wo"] == {"apiKey": "${var.OPENAI_API_KEY_PROD}"}
    assert prod_connection["secret_wo_version"] == 2
    assert dev["variable"]["OPENAI_API_KEY"]["ephemeral"] is True
    assert list(prod["variable"]) == ["OPENAI_API_KEY_PROD"]


def test_an_endpoint_naming_a_configured_key_references_its_construct_and_other_names_pass_as_written(
    app, synth: Synth, write: Write
) -> None:
    stacks = _stacks(app, write(CONFIG))

    prod = synth(stacks["prod"])

    connection_id, _ = _by_name(prod, "blaxel_integration_connection")["openai"]
    policy_id, _ = _by_name(prod, "blaxel_policy")["eu"]
    _, model = _by_name(prod, "blaxel_model")["chat"]
    assert model["integration_connections"] == [
        f"${{blaxel_integration_connection.{connection_id}.name}}",
        "made-by-hand",
    ]
    assert model["policies"] == [f"${{blaxel_policy.{policy_id}.name}}"]


def test_no_secret_value_from_the_environment_reaches_the_synthesized_stacks(
    app, synth: Synth, write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TF_VAR_OPENAI_API_KEY", "sk-value-in-the-environment")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-value-in-the-environment")

    stacks = _stacks(app, write(CONFIG))

    assert "sk-value-in-the-environment" not in json.dumps([synth(stack) for stack in stacks.values()])


def test_a_literal_secret_in_the_file_is_refused_without_showing_it(write: Write) -> None:
    text = CONFIG.replace("secret_env: {apiKey: OPENAI_API_KEY}", "secret: {apiKey: sk-live-in-the-file}")

    with pytest.raises(EnvironmentConfigError) as raised:
        load_environments(write(text))

    message = str(raised.value)
    assert message.startswith("environments.yaml: field 'defaults.connections.openai' (for environment 'dev'): ")
    assert "secret_env: {apiKey: OPENAI_API_KEY}" in message
    assert "sk-live-in-the-file" not in message


CASES = [
    (
        "secret named with its TF_VAR_ prefix",
        ("secret_env: {apiKey: OPENAI_API_KEY}", "secret_env: {apiKey: TF_VAR_OPENAI_API_KEY}"),
        "defaults.connections.openai.secret_env",
    ),
    (
        "connection without an integration",
        ("      integration: openai\n", ""),
        "environments.dev.connections.openai.integration",  # missing: reported where it should be written
    ),
    (
        "secret version zero",
        ("secret_version: 2", "secret_version: 0"),
        "environments.prod.connections.openai.secret_version",
    ),
    (
        "unknown policy type",
        ("type: maxToken", "type: maxTokens"),
        "environments.prod.policies.tokens.type",
    ),
    (
        "a rule of another type",
        ("max_tokens: {granularity: minute, total: 10000}", "locations: [{name: EU, type: continent}]"),
        "environments.prod.policies.tokens.locations",
    ),
    (
        "a token count of zero",
        ("total: 10000", "total: 0"),
        "environments.prod.policies.tokens.max_tokens.total",
    ),
]


@pytest.mark.parametrize(("case", "change", "field"), CASES, ids=[case for case, _, _ in CASES])
def test_a_bad_connection_or_policy_entry_names_the_file_and_the_field(
    write: Write, case: str, change: tuple[str, str], field: str
) -> None:
    old, new = change
    assert old in CONFIG, case

    with pytest.raises(EnvironmentConfigError) as raised:
        load_environments(write(CONFIG.replace(old, new)))

    assert raised.value.field == field, str(raised.value)


def test_asking_a_stack_for_a_connection_it_does_not_configure_names_the_ones_it_does(app, write: Write) -> None:
    environment = load_environments(write(CONFIG))["dev"]
    stack = EnvironmentStack(app, environment, environ={})

    with pytest.raises(SpecError, match=r"configured: openai"):
        stack.integration_connection("anthropic")
