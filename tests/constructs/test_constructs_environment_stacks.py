"""Multiple environments, one EnvironmentStack each: its provider, names and endpoints, and the aspects that stamp
labels (EnvironmentLabels) and enforce the environment's policy (EnvironmentPolicy) at synth."""

from __future__ import annotations

import json
from typing import Any

import pytest

from blaxel_constructs import BlaxelProvider, ModelEndpoint, ModelRuntime
from blaxel_constructs.constructs.environments import (
    ENVIRONMENT_LABEL,
    EnvironmentConfig,
    EnvironmentLabels,
    EnvironmentPolicy,
    EnvironmentStack,
)
from blaxel_constructs.document.rules import OWNER_LABEL
from blaxel_constructs.environment_metadata import ENVIRONMENT_METADATA_KEY, EnvironmentMetadata
from blaxel_constructs.errors import SpecError
from tests.support.cdk import App, Aspects, TerraformStack, TerraformVariable, Token
from tests.support.cdk import Testing as CdktfTesting

from .conftest import Synth
from .environment_inputs import NO_PG


def _models(synth: Synth, stack: TerraformStack) -> dict[str, dict[str, Any]]:
    """The stack's blaxel_model resources by model name."""
    return {model["name"]: model for model in synth(stack)["resource"]["blaxel_model"].values()}


# --- EnvironmentStack: providers, names, labels -----------------------------------------------


def test_a_stack_per_environment_deploys_the_configured_endpoints_with_its_names_and_workspace(
    app: App, environments: dict[str, EnvironmentConfig], synth: Synth
) -> None:
    dev = EnvironmentStack(app, environments["dev"], environ=NO_PG)
    dev.model_endpoints()

    doc = synth(dev)
    (chat,) = doc["resource"]["blaxel_model"].values()

    assert dev.node.id == "dev"
    assert doc["provider"] == {"blaxel": [{"workspace": "acme"}]}
    assert chat["name"] == "chat-dev"
    assert chat["sandbox"] is True
    assert chat["runtime"] == {"type": "openai", "model": "gpt-4.1-nano"}
    assert chat["flavors"] == [{"name": "t4", "type": "cpu"}]


def test_every_model_endpoint_of_the_stack_is_stamped_even_one_written_by_hand(
    app: App, environments: dict[str, EnvironmentConfig], synth: Synth
) -> None:
    dev = EnvironmentStack(app, environments["dev"], environ=NO_PG)
    dev.model_endpoint("chat")
    ModelEndpoint(dev, "manual", name="manual-dev", runtime=ModelRuntime(type="openai", model="o3"), labels={"x": "y"})

    models = _models(synth, dev)

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
    app: App, environments: dict[str, EnvironmentConfig], synth: Synth
) -> None:
    prod = EnvironmentStack(app, environments["prod"], environ=NO_PG)

    prod.model_endpoint("chat", name="assistant", display_name="Assistant")
    prod.model_endpoint("extra", runtime={"type": "openai", "model": "o3"}, flavors=[{"name": "t4", "type": "cpu"}])

    models = _models(synth, prod)
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
    app: App, environments: dict[str, EnvironmentConfig], synth: Synth
) -> None:
    prod = EnvironmentStack(app, environments["prod"], environ=NO_PG)
    endpoints = prod.model_endpoints()

    doc = synth(prod)
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


def test_a_sandbox_endpoint_passes_in_dev_whose_policy_allows_sandboxes(
    app: App, environments: dict[str, EnvironmentConfig], synth: Synth
) -> None:
    dev = EnvironmentStack(app, environments["dev"], environ=NO_PG)
    ModelEndpoint(dev, "playground", name="playground", runtime={"type": "openai"}, sandbox=True)

    synth(dev)

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


# --- the environment's own settings, recorded for `blaxel-constructs environments` -------------------------


def test_each_stack_records_its_environment_settings_and_place_under_the_comment_key_terraform_ignores(
    app: App, environments: dict[str, EnvironmentConfig], synth: Synth
) -> None:
    dev = EnvironmentStack(app, environments["dev"], environ=NO_PG)
    prod = EnvironmentStack(app, environments["prod"], environ=NO_PG)
    dev.model_endpoints()
    prod.model_endpoints()

    recorded = {stack.node.id: EnvironmentMetadata.of_stack(_with_comments(stack)) for stack in (dev, prod)}

    assert recorded["dev"] == EnvironmentMetadata(
        name="dev",
        name_suffix="-dev",
        labels={"team": "ml", "cost-center": "sandbox", ENVIRONMENT_LABEL: "dev"},
        position=0,
    )
    assert recorded["prod"] is not None
    assert (recorded["prod"].name, recorded["prod"].name_prefix, recorded["prod"].position) == ("prod", "acme-", 1)
    assert _with_comments(prod)["//"][ENVIRONMENT_METADATA_KEY]["labels"][ENVIRONMENT_LABEL] == "prod"


def test_a_plain_stack_records_no_environment(app: App) -> None:
    stack = TerraformStack(app, "plain")
    BlaxelProvider(stack, "blaxel")

    assert EnvironmentMetadata.of_stack(_with_comments(stack)) is None


def _with_comments(stack: TerraformStack) -> dict[str, Any]:
    """The stack's Terraform JSON as ``cdk.tf.json`` holds it, ``"//"`` included (``Testing.synth`` drops it)."""
    return dict(json.loads(json.dumps(stack.to_terraform())))
