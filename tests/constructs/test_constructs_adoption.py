"""Adopting existing objects with constructs: the option that adds nothing, and the app ``import`` generates.

The generated app (``workspace_import.python_rendering``) is run here in-process on this venv's framework and
synthesized: every resource is marked for import by name, models refer to the adopted connections and
policies, and nothing the constructs would add on their own (the owner label) is there to change on import.
"""

from __future__ import annotations

import importlib
import inspect
import json

from blaxel_constructs import ModelEndpoint, ModelRuntime
from blaxel_constructs.document.rules import OWNER_LABEL, SECRET_MASK
from blaxel_constructs.kinds import INTEGRATION_CONNECTION, KINDS, MODEL, POLICY
from blaxel_constructs.kinds.description import Role
from blaxel_constructs.workspace_import.adoption import adopt
from blaxel_constructs.workspace_import.python_rendering import render_app
from blaxel_constructs.workspace_import.workspace_reading import ListedObject
from tests.support import cdk


def test_owner_label_false_leaves_the_owner_label_off_and_keeps_the_users_labels(stack, model_resource):
    ModelEndpoint(
        stack,
        "adopted",
        name="chat",
        runtime=ModelRuntime(type="openai", model="gpt-4.1"),
        labels={"team": "ml"},
        owner_label=False,
    )

    assert model_resource(stack)["labels"] == {"team": "ml"}


def test_owner_label_false_without_labels_sends_no_labels(stack, model_resource):
    ModelEndpoint(stack, "adopted", name="chat", runtime={"type": "openai"}, owner_label=False)

    assert "labels" not in model_resource(stack)


def test_by_default_the_owner_label_is_still_added(stack, model_resource):
    ModelEndpoint(stack, "made", name="chat", runtime={"type": "openai"})

    assert model_resource(stack)["labels"] == {OWNER_LABEL: "test/made"}


def test_every_kinds_construct_takes_what_generated_code_passes_it():
    for kind in KINDS:
        module, name = kind.construct
        parameters = inspect.signature(getattr(importlib.import_module(module), name).__init__).parameters
        written = [a for a in kind.settable if (a.role is Role.ARGUMENT and a.readable) or a.write_only]
        versions = [kind.attribute(a.version) for a in kind.write_only if a.version]
        for attr in [*written, *versions]:
            assert attr.keyword in parameters, f"{name} takes no {attr.keyword} (for {attr.name})"
        if kind.owner_label:
            assert "owner_label" in parameters, name


def documents():
    yield ListedObject(
        INTEGRATION_CONNECTION,
        "openai-prod",
        {
            "metadata": {"name": "openai-prod", "displayName": 'OpenAI "prod" ${x} %{y}', "labels": {"a.b/c": "d"}},
            "spec": {"integration": "openai", "config": {"org": "o"}, "secret": {"apiKey": SECRET_MASK}},
        },
    )
    yield ListedObject(
        POLICY,
        "tokens",
        {
            "metadata": {"name": "tokens"},
            "spec": {"type": "maxToken", "maxTokens": {"granularity": "minute", "total": 9}},
        },
    )
    yield ListedObject(
        MODEL,
        "4o-mini",
        {
            "metadata": {"name": "4o-mini", "labels": {"team": "ml"}},
            "spec": {
                "enabled": False,
                "runtime": {"type": "openai", "model": "gpt-4o-mini"},
                "integrationConnections": ["openai-prod"],
                "policies": ["tokens", "filtered-out"],
                "flavors": [{"name": "t4", "type": "cpu"}],
            },
            "status": "DEACTIVATED",
        },
    )


def synthesized(take_over_secrets: bool = False):
    source = render_app(
        adopt(list(documents()), take_over_secrets=take_over_secrets),
        framework=cdk.FRAMEWORK.name,
        stack="adopted",
        source="a test",
    )
    body, synth_call = source.rstrip().rsplit("\n", 1)
    assert synth_call == "app.synth()"
    namespace: dict[str, object] = {}
    exec(compile(body, "main.py", "exec"), namespace)  # the app minus its synth to disk
    return json.loads(cdk.Testing.synth(namespace["stack"]))


def test_the_generated_app_marks_every_resource_for_import_by_name():
    config = synthesized()

    imports = {item["id"]: item["to"] for item in config["import"]}
    assert set(imports) == {"openai-prod", "tokens", "4o-mini"}
    for name, address in imports.items():
        resource_type, logical_id = address.split(".")
        assert config["resource"][resource_type][logical_id]["name"] == name


def test_the_generated_app_refers_to_adopted_objects_and_adds_nothing_of_its_own():
    config = synthesized()

    (model,) = config["resource"]["blaxel_model"].values()
    (connection_id,) = config["resource"]["blaxel_integration_connection"]
    (policy_id,) = config["resource"]["blaxel_policy"]
    assert model["integration_connections"] == [f"${{blaxel_integration_connection.{connection_id}.name}}"]
    assert model["policies"] == [f"${{blaxel_policy.{policy_id}.name}}", "filtered-out"]
    assert model["labels"] == {"team": "ml"}
    assert model["enabled"] is False
    connection = config["resource"]["blaxel_integration_connection"][connection_id]
    assert connection["display_name"] == 'OpenAI "prod" $${x} %%{y}'  # Terraform reads the literal characters
    assert "secret_wo" not in connection and "variable" not in config


def test_a_taken_over_secret_synthesizes_the_write_only_argument_from_its_ephemeral_variable():
    config = synthesized(take_over_secrets=True)

    (connection,) = config["resource"]["blaxel_integration_connection"].values()
    assert connection["secret_wo"] == {"apiKey": "${var.OPENAI_PROD__API_KEY}"}
    assert connection["secret_wo_version"] == 1
    assert config["variable"]["OPENAI_PROD__API_KEY"]["ephemeral"] is True
