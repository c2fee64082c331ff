"""Model documents and request headers as a client would send them to the app under test."""

from __future__ import annotations

from typing import Any

API_KEY = "test-key"
WORKSPACE = "test-ws"
DEPLOY_SECONDS = 2.0
DELETE_SECONDS = 0.5
PAGINATED = "2026-04-28"


def headers(**extra: str) -> dict[str, str]:
    """Authenticated headers for the test app (``Authorization: Bearer``), plus ``extra`` (``_`` -> ``-``)."""
    result = {"Authorization": f"Bearer {API_KEY}"}
    result.update({key.replace("_", "-"): value for key, value in extra.items()})
    return result


def model_document(name: str = "my-model", **spec: Any) -> dict[str, Any]:
    """A valid Model body named ``name``; ``spec`` keys replace the default runtime-only spec."""
    body_spec: dict[str, Any] = {"runtime": {"type": "openai", "model": "gpt-4.1"}}
    body_spec.update(spec)
    return {"metadata": {"name": name}, "spec": body_spec}


def connection_document(name: str = "openai-conn", **spec: Any) -> dict[str, Any]:
    """A valid IntegrationConnection body named ``name``; ``spec`` keys replace the default openai spec."""
    body_spec: dict[str, Any] = {"integration": "openai", "secret": {"apiKey": "sk-test-0001"}}
    body_spec.update(spec)
    return {"metadata": {"name": name}, "spec": body_spec}


def policy_document(name: str = "eu-only", **spec: Any) -> dict[str, Any]:
    """A valid Policy body named ``name``; ``spec`` keys replace the default location policy's."""
    body_spec: dict[str, Any] = {"type": "location", "locations": [{"name": "EU", "type": "continent"}]}
    body_spec.update(spec)
    return {"metadata": {"name": name}, "spec": body_spec}


def full_document(name: str = "full-model") -> dict[str, Any]:
    """A Model body that uses every writable field (it names the connection ``openai-conn``, which must exist
    for the API to accept it: ``connection_document()``)."""
    return {
        "metadata": {
            "name": name,
            "displayName": "My Model: GPT 4.1 (prod)",
            "externalId": "ext-123",
            "labels": {"team": "ml", "env": "prod"},
        },
        "spec": {
            "enabled": True,
            "flavors": [{"name": "t4", "type": "cpu"}, {"name": "a100", "type": "gpu"}],
            "integrationConnections": ["openai-conn"],
            "policies": ["eu-only"],
            "runtime": {
                "type": "azure-openai-service",
                "model": "gpt-4.1",
                "endpointName": "my-endpoint",
                "organization": "org-abc123",
                "generation": "mk3",
            },
            "sandbox": False,
        },
    }
