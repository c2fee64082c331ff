"""ModelEndpoint.from_model: the same endpoint from an API document, a CLI manifest or a Model."""

from __future__ import annotations

import pytest
import yaml

from blaxel_constructs import BlaxelProvider, Model, ModelEndpoint
from blaxel_constructs.document.rules import OWNER_LABEL
from blaxel_constructs.errors import SpecError

API_DOCUMENT = {
    "metadata": {
        "name": "support-claude",
        "displayName": "Support Claude",
        "externalId": "crm-17",
        "labels": {"team": "support", OWNER_LABEL: "test/claude"},
        "workspace": "acme",
        "url": "https://run.blaxel.ai/acme/models/support-claude",
        "createdAt": "2025-01-15T10:30:00Z",
        "createdBy": "someone",
    },
    "spec": {
        "enabled": True,
        "flavors": [{"name": "t4", "type": "cpu"}],
        "integrationConnections": ["anthropic-prod"],
        "policies": ["eu-only"],
        "runtime": {"type": "anthropic", "model": "claude-sonnet-4", "organization": "org-abc123"},
        "sandbox": False,
    },
    "status": "DEPLOYED",
    "events": [{"type": "deployment", "status": "DEPLOYED", "message": "Deployment successful"}],
}

EXPECTED = {
    "name": "support-claude",
    "display_name": "Support Claude",
    "external_id": "crm-17",
    "labels": {"team": "support", OWNER_LABEL: "test/claude"},
    "enabled": True,
    "sandbox": False,
    "flavors": [{"name": "t4", "type": "cpu"}],
    "integration_connections": ["anthropic-prod"],
    "policies": ["eu-only"],
    "runtime": {"type": "anthropic", "model": "claude-sonnet-4", "organization": "org-abc123"},
}

MANIFEST = """
apiVersion: blaxel.ai/v1alpha1
kind: Model
metadata:
  name: sandbox-mistral
  displayName: Sandbox Mistral
  labels:
    env: dev
spec:
  sandbox: true
  integrationConnections:
    - mistral-dev
  runtime:
    type: mistral
    model: mistral-large-latest
    generation: mk3
  flavors:
    - name: a10g
      type: gpu
"""


def test_an_api_document_becomes_an_endpoint_and_its_read_only_fields_are_ignored(stack, model_resource):
    BlaxelProvider(stack, "blaxel")

    ModelEndpoint.from_model(stack, "claude", API_DOCUMENT)

    assert model_resource(stack) == EXPECTED


def test_a_cli_manifest_parsed_from_yaml_becomes_an_endpoint_with_api_defaults(stack, model_resource):
    BlaxelProvider(stack, "blaxel")

    ModelEndpoint.from_model(stack, "mistral", yaml.safe_load(MANIFEST), timeouts={"create": "20m"})

    assert model_resource(stack) == {
        "name": "sandbox-mistral",
        "display_name": "Sandbox Mistral",
        "labels": {"env": "dev", OWNER_LABEL: "test/mistral"},
        "enabled": True,
        "sandbox": True,
        "integration_connections": ["mistral-dev"],
        "runtime": {"type": "mistral", "model": "mistral-large-latest", "generation": "mk3"},
        "flavors": [{"name": "a10g", "type": "gpu"}],
        "timeouts": {"create": "20m"},
    }


def test_a_model_instance_and_an_aliased_provider_are_accepted(stack, model_resource):
    BlaxelProvider(stack, "blaxel")
    eu = BlaxelProvider(stack, "blaxel-eu", alias="eu")

    ModelEndpoint.from_model(stack, "claude", Model.model_validate(API_DOCUMENT), provider=eu)

    assert model_resource(stack) == {**EXPECTED, "provider": "blaxel.eu"}


def test_a_manifest_of_another_kind_is_rejected(stack):
    with pytest.raises(SpecError) as raised:
        ModelEndpoint.from_model(stack, "agent", {"apiVersion": "blaxel.ai/v1alpha1", "kind": "Agent"})

    assert raised.value.field == "kind"
    assert raised.value.path == "test/agent"


def test_document_errors_name_the_document_field_and_the_construct_path(stack):
    document = yaml.safe_load(MANIFEST)
    document["spec"]["runtime"]["type"] = "mistrall"

    with pytest.raises(SpecError) as raised:
        ModelEndpoint.from_model(stack, "mistral", document)

    assert raised.value.field == "spec.runtime.type"
    assert raised.value.path == "test/mistral"
    assert stack.node.try_find_child("mistral") is None


def test_a_document_with_unknown_fields_is_rejected(stack):
    document = yaml.safe_load(MANIFEST)
    document["spec"]["replicas"] = 3

    with pytest.raises(SpecError) as raised:
        ModelEndpoint.from_model(stack, "mistral", document)

    assert raised.value.field == "spec.replicas"


def test_a_document_without_a_runtime_is_rejected(stack):
    with pytest.raises(SpecError) as raised:
        ModelEndpoint.from_model(stack, "empty", {"metadata": {"name": "empty"}, "spec": {}})

    assert raised.value.field == "spec.runtime"
