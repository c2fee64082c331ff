"""Multiple environments: the configuration file, EnvironmentStack, its label and policy aspects, its backend."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from blaxel_constructs import BlaxelProvider, ModelEndpoint, ModelRuntime
from blaxel_constructs.constructs.environments import (
    ENVIRONMENT_LABEL,
    STATE_PG_VARIABLE,
    EnvironmentConfig,
    EnvironmentConfigError,
    EnvironmentLabels,
    EnvironmentPolicy,
    EnvironmentStack,
    StatePasswordWarning,
    load_environments,
    state_backend,
)
from blaxel_constructs.constructs.environments.state_backend import without_password
from blaxel_constructs.document.rules import OWNER_LABEL
from blaxel_constructs.errors import SpecError
from tests.support.cdk import App, Aspects, TerraformStack, TerraformVariable, Token
from tests.support.cdk import Testing as CdktfTesting

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "multi_env"

CONFIG = """
defaults:
  workspace: acme
  labels: {team: ml, cost-center: research}
  endpoints:
    chat:
      runtime: {type: openai, model: gpt-4.1-mini}
      flavors: [{name: t4, type: cpu}]
    embed:
      runtime: {type: mistral, model: mistral-embed}
environments:
  dev:
    name_suffix: -dev
    labels: {cost-center: sandbox}
    endpoints:
      chat: {sandbox: true, runtime: {model: gpt-4.1-nano}}
      embed: null
  prod:
    workspace: acme-prod
    name_prefix: acme-
    policy: {allow_sandbox: false, require_flavors: true, required_labels: [team]}
    providers:
      shared: {workspace: acme-shared}
    endpoints:
      chat:
        flavors: [{name: a100, type: gpu}]
      embed:
        flavors: [{name: t4, type: cpu}]
        provider: shared
"""

NO_PG: dict[str, str] = {}
PG = {STATE_PG_VARIABLE: "postgres://terraform@db.internal:5432/state?sslmode=require"}

Write = Callable[..., Path]


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """Write a configuration file into the test's directory and return its path."""

    def make(text: str, name: str = "environments.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return make


@pytest.fixture
def environments(write: Write) -> dict[str, EnvironmentConfig]:
    return load_environments(write(CONFIG))


def _synth(stack: TerraformStack) -> dict[str, Any]:
    return dict(json.loads(CdktfTesting.synth(stack)))


def _models(stack: TerraformStack) -> dict[str, dict[str, Any]]:
    """The stack's blaxel_model resources by model name."""
    return {model["name"]: model for model in _synth(stack)["resource"]["blaxel_model"].values()}


# --- the configuration file -------------------------------------------------------------------


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


def test_a_toml_file_is_read_the_same_way(write: Write) -> None:
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


def test_a_missing_file_is_reported_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentConfigError, match="cannot be read"):
        load_environments(tmp_path / "nowhere.yaml")


# --- EnvironmentStack: providers, names, labels -----------------------------------------------


def test_a_stack_per_environment_deploys_the_configured_endpoints_with_its_names_and_workspace(
    app: App, environments: dict[str, EnvironmentConfig]
) -> None:
    dev = EnvironmentStack(app, environments["dev"], environ=NO_PG)
    dev.model_endpoints()

    doc = _synth(dev)
    (chat,) = doc["resource"]["blaxel_model"].values()

    assert dev.node.id == "dev"
    assert doc["provider"] == {"blaxel": [{"workspace": "acme"}]}
    assert chat["name"] == "chat-dev"
    assert chat["sandbox"] is True
    assert chat["runtime"] == {"type": "openai", "model": "gpt-4.1-nano"}
    assert chat["flavors"] == [{"name": "t4", "type": "cpu"}]


def test_every_model_endpoint_of_the_stack_is_stamped_even_one_written_by_hand(
    app: App, environments: dict[str, EnvironmentConfig]
) -> None:
    dev = EnvironmentStack(app, environments["dev"], environ=NO_PG)
    dev.model_endpoint("chat")
    ModelEndpoint(dev, "manual", name="manual-dev", runtime=ModelRuntime(type="openai", model="o3"), labels={"x": "y"})

    models = _models(dev)

    assert models["chat-dev"]["labels"] == {
        OWNER_LABEL: "dev/chat",
        "team": "ml",
        "cost-center": "sandbox",
        ENVIRONMENT_LABEL: "dev",
    }
    assert models["manual-dev"]["labels"] == {
        OWNER_LABEL: "dev/manual",
        "x": "y",
        "team": "ml",
        "cost-center": "sandbox",
        ENVIRONMENT_LABEL: "dev",
    }
    assert dev.labels.violations == []


def test_a_label_that_contradicts_the_stamp_fails_synth_naming_the_endpoint(
    app: App, environments: dict[str, EnvironmentConfig]
) -> None:
    dev = EnvironmentStack(app, environments["dev"], environ=NO_PG)
    ModelEndpoint(dev, "rogue", name="rogue", runtime={"type": "openai"}, labels={"environment": "prod"})

    with pytest.raises(RuntimeError) as raised:
        app.synth()

    (violation,) = dev.labels.violations
    assert violation.path == "dev/rogue" and violation.field == "labels.environment"
    assert "[dev/rogue] field 'labels.environment': is 'prod' on this endpoint but 'dev' is stamped" in str(
        raised.value
    )


def test_model_endpoint_overrides_win_over_the_configuration_and_keep_the_environment_naming(
    app: App, environments: dict[str, EnvironmentConfig]
) -> None:
    prod = EnvironmentStack(app, environments["prod"], environ=NO_PG)

    prod.model_endpoint("chat", name="assistant", display_name="Assistant")
    prod.model_endpoint("extra", runtime={"type": "openai", "model": "o3"}, flavors=[{"name": "t4", "type": "cpu"}])

    models = _models(prod)
    assert models["acme-assistant"]["display_name"] == "Assistant"
    assert models["acme-extra"]["runtime"] == {"type": "openai", "model": "o3"}


def test_an_endpoint_that_is_neither_configured_nor_given_a_runtime_is_an_error(
    app: App, environments: dict[str, EnvironmentConfig]
) -> None:
    dev = EnvironmentStack(app, environments["dev"], environ=NO_PG)

    with pytest.raises(SpecError) as raised:
        dev.model_endpoint("embed")  # removed from dev with null

    assert str(raised.value).startswith(
        "construct dev/embed, field 'endpoints.embed': is not configured for environment 'dev' (configured: chat)"
    )


def test_an_aliased_provider_lets_one_stack_deploy_into_a_second_workspace(
    app: App, environments: dict[str, EnvironmentConfig]
) -> None:
    prod = EnvironmentStack(app, environments["prod"], environ=NO_PG)
    endpoints = prod.model_endpoints()

    doc = _synth(prod)
    resources = doc["resource"]["blaxel_model"]

    assert doc["provider"] == {"blaxel": [{"workspace": "acme-prod"}, {"alias": "shared", "workspace": "acme-shared"}]}
    assert prod.aliased_provider("shared").alias == "shared"
    by_name = {r["name"]: r for r in resources.values()}
    assert by_name["acme-embed"]["provider"] == "blaxel.shared"
    assert "provider" not in by_name["acme-chat"]
    assert sorted(endpoints) == ["chat", "embed"]
    with pytest.raises(SpecError, match="no provider alias 'other' in environment 'prod' \\(defined: shared\\)"):
        prod.aliased_provider("other")


# --- EnvironmentPolicy --------------------------------------------------------------------------


def test_prod_rejects_a_sandbox_endpoint_at_synth_naming_the_construct_path(
    app: App, environments: dict[str, EnvironmentConfig]
) -> None:
    prod = EnvironmentStack(app, environments["prod"], environ=NO_PG)
    prod.model_endpoints()
    ModelEndpoint(prod, "playground", name="playground", runtime={"type": "openai"}, sandbox=True, flavors=[])

    with pytest.raises(RuntimeError) as raised:
        app.synth()

    message = str(raised.value)
    assert 'Encountered Annotations with level "ERROR"' in message
    assert (
        "[prod/playground] field 'sandbox': sandbox endpoints are not allowed in environment 'prod' "
        "(policy allow_sandbox: false)" in message
    )
    assert (
        "[prod/playground] field 'flavors': at least one flavor is required in environment 'prod' "
        "(policy require_flavors: true)" in message
    )
    assert [(v.path, v.field) for v in prod.policy.violations] == [
        ("prod/playground", "sandbox"),
        ("prod/playground", "flavors"),
    ]
    assert "prod/chat" not in message


def test_the_same_endpoint_passes_in_dev_whose_policy_allows_sandboxes(
    app: App, environments: dict[str, EnvironmentConfig]
) -> None:
    dev = EnvironmentStack(app, environments["dev"], environ=NO_PG)
    ModelEndpoint(dev, "playground", name="playground", runtime={"type": "openai"}, sandbox=True)

    _synth(dev)

    assert dev.policy.violations == []


def test_required_labels_are_checked_after_stamping_and_a_sandbox_reference_cannot_be_trusted(
    stack: TerraformStack,
) -> None:
    policy = EnvironmentPolicy("prod", allow_sandbox=False, required_labels=["team", "owner"])
    Aspects.of(stack).add(EnvironmentLabels({"team": "ml"}))
    Aspects.of(stack).add(policy)
    BlaxelProvider(stack, "blaxel")
    flag = TerraformVariable(stack, "sandbox", type="bool")
    ModelEndpoint(stack, "chat", name="chat", runtime={"type": "openai"}, sandbox=flag.boolean_value)

    CdktfTesting.synth(stack)

    assert sorted((v.field, v.reason) for v in policy.violations) == [
        ("labels.owner", "is required in environment 'prod' (policy required_labels)"),
        ("sandbox", "must be a literal false in environment 'prod' (policy allow_sandbox: false), not a reference"),
    ]


def test_add_labels_refuses_labels_given_as_one_reference_and_values_that_are_not_strings(
    stack: TerraformStack,
) -> None:
    BlaxelProvider(stack, "blaxel")
    labels = TerraformVariable(stack, "labels", type="map(string)")
    by_reference = ModelEndpoint(
        stack, "ref", name="ref", runtime={"type": "openai"}, labels=Token.as_string_map(labels.value)
    )

    with pytest.raises(SpecError, match="field 'labels': is a Terraform reference"):
        by_reference.add_labels({"team": "ml"})
    with pytest.raises(SpecError, match=r"field 'labels\.team': must be a string"):
        by_reference.add_labels({"team": 3})  # type: ignore[dict-item]


# --- state backend --------------------------------------------------------------------------------


def test_without_blaxel_state_pg_the_stack_keeps_a_local_state_file(
    app: App, environments: dict[str, EnvironmentConfig]
) -> None:
    dev = EnvironmentStack(app, environments["dev"], environ=NO_PG)

    backend = _synth(dev)["terraform"]["backend"]

    assert list(backend) == ["local"]
    assert backend["local"]["path"].endswith("terraform.dev.tfstate")


def test_with_blaxel_state_pg_every_stack_uses_the_pg_backend_in_its_own_schema(
    app: App, environments: dict[str, EnvironmentConfig]
) -> None:
    stacks = [EnvironmentStack(app, environment, environ=PG) for environment in environments.values()]

    backends = {stack.node.id: _synth(stack)["terraform"]["backend"] for stack in stacks}

    assert backends == {
        "dev": {"pg": {"conn_str": PG[STATE_PG_VARIABLE], "schema_name": "blaxel_dev"}},
        "prod": {"pg": {"conn_str": PG[STATE_PG_VARIABLE], "schema_name": "blaxel_prod"}},
    }


def test_the_variable_is_read_from_the_process_environment_by_default(
    app: App, environments: dict[str, EnvironmentConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(STATE_PG_VARIABLE, "host=db.internal dbname=state")

    dev = EnvironmentStack(app, environments["dev"])

    assert _synth(dev)["terraform"]["backend"] == {
        "pg": {"conn_str": "host=db.internal dbname=state", "schema_name": "blaxel_dev"}
    }


def test_a_state_schema_in_the_configuration_replaces_the_default_one(app: App, write: Write) -> None:
    staging = load_environments(write("environments:\n  staging: {state_schema: tf_assistant_staging}\n"))["staging"]

    stack = EnvironmentStack(app, staging, environ=PG)

    assert _synth(stack)["terraform"]["backend"]["pg"]["schema_name"] == "tf_assistant_staging"


@pytest.mark.parametrize(
    ("conninfo", "safe"),
    [
        ("postgres://tf:s3cret@db:5432/state?sslmode=require", "postgres://tf@db:5432/state?sslmode=require"),
        ("postgresql://tf@db/state?password=s3cret&sslmode=disable", "postgresql://tf@db/state?sslmode=disable"),
        ("host=db dbname=state password='s3 cret' user=tf", "host=db dbname=state user=tf"),
    ],
)
def test_a_password_in_the_connection_string_never_reaches_the_synthesized_json(
    stack: TerraformStack, conninfo: str, safe: str
) -> None:
    with pytest.warns(StatePasswordWarning, match="PGPASSWORD"):
        state_backend(stack, "prod", environ={STATE_PG_VARIABLE: conninfo})

    text = CdktfTesting.synth(stack)

    assert json.loads(text)["terraform"]["backend"]["pg"]["conn_str"] == safe
    assert "s3cret" not in text and "s3 cret" not in text


def test_a_connection_string_without_password_is_kept_as_written_and_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert without_password("postgres://tf@db/state?sslmode=require") == (
            "postgres://tf@db/state?sslmode=require",
            False,
        )


def test_a_value_that_is_not_a_connection_string_is_rejected_naming_the_variable(stack: TerraformStack) -> None:
    with pytest.raises(SpecError, match="field 'BLAXEL_STATE_PG': must be a libpq connection string"):
        state_backend(stack, "prod", environ={STATE_PG_VARIABLE: "db.internal:5432"})


# --- the example ----------------------------------------------------------------------------------


def _run_example(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != STATE_PG_VARIABLE}
    env.update(CDKTF_OUTDIR=str(tmp_path / "cdktf.out"), **extra)
    return subprocess.run(
        [sys.executable, str(EXAMPLE / "main.py")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_example_synthesizes_one_stack_per_environment_each_with_its_outputs(tmp_path: Path) -> None:
    completed = _run_example(tmp_path, **PG)

    assert completed.returncode == 0, completed.stderr
    stacks = tmp_path / "cdktf.out" / "stacks"
    assert sorted(p.name for p in stacks.iterdir()) == ["dev", "prod", "staging"]
    prod = json.loads((stacks / "prod" / "cdk.tf.json").read_text())
    assert sorted(prod["output"]) == [
        "chat_next_status",
        "chat_next_url",
        "chat_status",
        "chat_url",
        "summarize_status",
        "summarize_url",
    ]
    assert prod["terraform"]["backend"]["pg"]["schema_name"] == "blaxel_prod"
    assert [p.get("alias") for p in prod["provider"]["blaxel"]] == [None, "shared"]


def test_the_example_fails_at_synth_when_prod_asks_for_a_sandbox(tmp_path: Path) -> None:
    document = yaml.safe_load((EXAMPLE / "environments.yaml").read_text())
    document["environments"]["prod"]["endpoints"]["chat"]["sandbox"] = True
    path = tmp_path / "environments.yaml"
    path.write_text(yaml.safe_dump(document))

    completed = _run_example(tmp_path, BLAXEL_ENVIRONMENTS=str(path))

    assert completed.returncode == 1
    assert completed.stderr.strip() == (
        "ERROR [prod/chat]: field 'sandbox': sandbox endpoints are not allowed in environment 'prod' "
        "(policy allow_sandbox: false)"
    )
    assert not (tmp_path / "cdktf.out" / "stacks" / "prod" / "cdk.tf.json").exists()
