"""Multiple environments, the configuration file: defaults merged into each environment, YAML or TOML, and
errors that name the file and the field where a bad value is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from blaxel_constructs.constructs.environments import (
    ENVIRONMENT_LABEL,
    EnvironmentConfig,
    EnvironmentConfigError,
    load_environments,
)
from blaxel_constructs.errors import SpecError

from .environment_inputs import Write


def test_each_environment_is_the_defaults_deep_merged_with_its_own_entry(
    environments: dict[str, EnvironmentConfig],
) -> None:
    dev, prod = environments["dev"], environments["prod"]

    assert list(environments) == ["dev", "prod"]
    assert dev.workspace == "acme" and prod.workspace == "acme-prod"
    assert dev.labels == {"team": "ml", "cost-center": "sandbox"}  # maps merge key by key
    assert dev.endpoints["chat"].runtime.model == "gpt-4.1-nano"
    assert dev.endpoints["chat"].runtime.type == "openai"  # kept from the defaults
    assert dev.endpoints["chat"].sandbox is True
    assert list(dev.endpoints) == ["chat"]  # null removes the endpoint from dev
    assert [f.name for f in prod.endpoints["chat"].flavors or []] == ["a100"]  # lists replace
    assert prod.policy.allow_sandbox is False
    assert dev.policy.allow_sandbox is True
    assert prod.model_name("chat") == "acme-chat" and dev.model_name("chat") == "chat-dev"
    assert prod.stamped_labels == {"team": "ml", "cost-center": "research", ENVIRONMENT_LABEL: "prod"}


def test_an_environments_file_in_toml_is_read_the_same_way_as_yaml(write: Write) -> None:
    path = write(
        """
[defaults.endpoints.chat]
runtime = { type = "openai", model = "gpt-4.1" }

[environments.staging]
name_suffix = "-staging"
""",
        "environments.toml",
    )

    staging = load_environments(path)["staging"]

    assert staging.model_name("chat") == "chat-staging"
    assert staging.endpoints["chat"].runtime.model == "gpt-4.1"


def test_null_inside_a_mapping_that_only_one_side_writes_is_dropped_too(write: Write) -> None:
    path = write(
        "defaults:\n  labels: {team: ml, legacy: null}\n"
        "environments:\n  dev:\n    endpoints: {chat: {runtime: {type: openai}}, old: null}\n"
    )

    dev = load_environments(path)["dev"]

    assert dev.labels == {"team": "ml"}
    assert list(dev.endpoints) == ["chat"]


INVALID: list[tuple[str, str, str]] = [
    (
        "unknown key in an environment",
        "environments:\n  prod:\n    endpoints:\n      chat: {runtime: {type: openai}, flavours: []}\n",
        "environments.yaml: field 'environments.prod.endpoints.chat.flavours': unknown key 'flavours'; "
        "expected one of: runtime, name, display_name, labels, flavors, enabled, sandbox, policies, "
        "integration_connections, timeouts, provider",
    ),
    (
        "bad value inherited from the defaults",
        "defaults:\n  endpoints:\n    chat: {runtime: {type: openia}}\nenvironments:\n  dev: {}\n",
        "environments.yaml: field 'defaults.endpoints.chat.runtime.type' (for environment 'dev'): Input should be",
    ),
    (
        "missing runtime",
        "environments:\n  dev:\n    endpoints:\n      chat: {enabled: true}\n",
        "environments.yaml: field 'environments.dev.endpoints.chat.runtime': is required",
    ),
    (
        "flag that is not a boolean",
        "environments:\n  dev:\n    endpoints:\n      chat: {runtime: {type: openai}, enabled: 'maybe'}\n",
        "environments.yaml: field 'environments.dev.endpoints.chat.enabled': Input should be a valid boolean "
        "(got 'maybe')",
    ),
    (
        "suffix that makes the model name invalid",
        "environments:\n  dev:\n    name_suffix: _DEV\n    endpoints:\n      chat: {runtime: {type: openai}}\n",
        "environments.yaml: field 'environments.dev.endpoints.chat': the deployed name name_prefix + name + "
        "name_suffix = 'chat_DEV' must be lowercase letters",
    ),
    (
        "endpoint on an undefined provider alias",
        "environments:\n  prod:\n    endpoints:\n      chat: {runtime: {type: openai}, provider: shared}\n",
        "environments.yaml: field 'environments.prod.endpoints.chat.provider': no provider alias 'shared'; "
        "'providers' defines: none",
    ),
    (
        "environment label set to another environment",
        "defaults:\n  labels: {environment: prod}\nenvironments:\n  dev: {}\n",
        "environments.yaml: field 'defaults.labels.environment' (for environment 'dev'): is stamped with the "
        "environment's name 'dev'; remove it",
    ),
    (
        "environment name that cannot be a stack id",
        "environments:\n  Prod EU: {}\n",
        "environments.yaml: field 'environments.Prod EU': an environment name must be lowercase",
    ),
    (
        "unknown top-level key",
        "environment:\n  dev: {}\n",
        "environments.yaml: field 'environment': unknown key; expected one of: defaults, environments",
    ),
    ("no environment at all", "defaults: {}\n", "environments.yaml: field 'environments': must map at least one"),
    ("invalid YAML", "environments: [dev\n", "environments.yaml: is not valid YAML"),
]


@pytest.mark.parametrize(("case", "text", "message"), INVALID, ids=[case for case, _, _ in INVALID])
def test_an_invalid_configuration_fails_naming_the_file_and_the_field_where_the_value_is_written(
    write: Write, case: str, text: str, message: str
) -> None:
    with pytest.raises(EnvironmentConfigError) as raised:
        load_environments(write(text))

    assert str(raised.value).startswith(message), case
    assert isinstance(raised.value, SpecError)


def test_a_missing_environments_file_is_reported_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentConfigError, match="cannot be read"):
        load_environments(tmp_path / "nowhere.yaml")
