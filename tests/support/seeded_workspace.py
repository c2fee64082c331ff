"""A Blaxel workspace made the way another tool would make it: raw HTTP against the emulator's REST API.

The import tests (``tests/e2e/test_import_*.py``) adopt what is already there, so the workspace must not be
made through this project's client or provider (their own conventions would hide what the importer must cope
with). ``seed_workspace`` POSTs the documents of ``SEED`` with ``requests``, as ``bl apply`` or the console would,
then waits until every model has settled (DEPLOYED, or DEACTIVATED when disabled) and leaves one model DELETING,
which the importer must skip and report, as it must the model that has no runtime.

The content is chosen for what adoption can get wrong:

- connections with secrets whose values (``SECRET_VALUES``) must never appear in generated code or in a state,
  one of them a sandbox connection, display names and labels with quotes, dots, slashes, ``${`` and non-ASCII;
- a policy of every type the API has (location, with each location type; flavor; maxToken), one a sandbox policy;
- ten models: disabled, sandbox, multi-flavor, seven runtime types, names such as ``4o-mini`` (a leading digit)
  and ``chat-1`` beside ``chat1`` (which naive identifier rules collide), labels with odd characters, models
  naming connections and policies (one naming two connections, one naming two policies);
- one model without a runtime (the API takes it; ``blaxel_model`` requires one): skipped and reported, not written.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import requests

from blaxel_constructs.emulator.process import EmulatorProcess

__all__ = [
    "DELETING_MODEL",
    "INCOMPLETE_MODEL",
    "ODD_LABELS",
    "SECRET_VALUES",
    "SEED",
    "WRITES",
    "Seed",
    "SeededWorkspace",
    "api",
    "connection_document",
    "model_document",
    "resource_writes",
    "seed_workspace",
    "seeded_emulator",
    "wait_until_settled",
]

_TIMEOUT = 10.0
#: How long the deleting model stays DELETING: far longer than any test module runs.
_DELETING_SECONDS = 3600.0
_SETTLE_TIMEOUT = 30.0
SETTLED: Final = frozenset({"DEPLOYED", "DEACTIVATED"})


def connection_document(
    name: str,
    integration: str,
    secret: Mapping[str, str],
    *,
    display_name: str | None = None,
    labels: Mapping[str, str] | None = None,
    config: Mapping[str, str] | None = None,
    sandbox: bool | None = None,
) -> dict[str, Any]:
    """An ``IntegrationConnection`` body as the API takes it (camelCase, only what is given)."""
    metadata: dict[str, Any] = {"name": name}
    if display_name is not None:
        metadata["displayName"] = display_name
    if labels:
        metadata["labels"] = dict(labels)
    spec: dict[str, Any] = {"integration": integration, "secret": dict(secret)}
    if config:
        spec["config"] = dict(config)
    if sandbox is not None:
        spec["sandbox"] = sandbox
    return {"metadata": metadata, "spec": spec}


def model_document(
    name: str,
    runtime: Mapping[str, str],
    *,
    display_name: str | None = None,
    labels: Mapping[str, str] | None = None,
    external_id: str | None = None,
    enabled: bool | None = None,
    sandbox: bool | None = None,
    flavors: Iterable[Mapping[str, str]] = (),
    connections: Iterable[str] = (),
    policies: Iterable[str] = (),
) -> dict[str, Any]:
    """A ``Model`` body as the API takes it (camelCase, only what is given)."""
    metadata: dict[str, Any] = {"name": name}
    if display_name is not None:
        metadata["displayName"] = display_name
    if labels:
        metadata["labels"] = dict(labels)
    if external_id is not None:
        metadata["externalId"] = external_id
    spec: dict[str, Any] = {"runtime": dict(runtime)}
    for key, value in (("enabled", enabled), ("sandbox", sandbox)):
        if value is not None:
            spec[key] = value
    for key, values in (
        ("flavors", [dict(flavor) for flavor in flavors]),
        ("integrationConnections", list(connections)),
        ("policies", list(policies)),
    ):
        if values:
            spec[key] = values
    return {"metadata": metadata, "spec": spec}


def _policy(name: str, spec: Mapping[str, Any], *, display_name: str | None = None, **labels: str) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if display_name is not None:
        metadata["displayName"] = display_name
    if labels:
        metadata["labels"] = labels
    return {"metadata": metadata, "spec": dict(spec)}


#: Every secret value seeded: none may appear in generated code, a state, a plan or the importer's output.
SECRET_VALUES: Final = (
    "sk-seeded-openai-prod-4f1c9a7e0b",
    "sk-ant-seeded-main-77d2e815aa",
    "seeded-mistral-sandbox-c0ffee11",
    "hf_seededTokenValue9921",
    "seeded-hf-webhook-secret-5150",
)

#: Labels whose keys and values hold what code generation must escape or keep verbatim.
ODD_LABELS: Final = {
    "app.kubernetes.io/part-of": "gateway/edge.v2",
    "quote": 'it\'s "quoted"',
    "template": "${not.a.reference} and %{ if x }",
    "unicode": "Zürich → 東京 ✓",
    "back\\slash": "C:\\models\\new",
}

DELETING_MODEL: Final = "retired-model"
INCOMPLETE_MODEL: Final = "no-runtime"


@dataclass(frozen=True)
class Seed:
    """The documents of a workspace, in the order they must be created (connections and policies first)."""

    connections: tuple[dict[str, Any], ...]
    policies: tuple[dict[str, Any], ...]
    models: tuple[dict[str, Any], ...]
    #: Models created, then deleted with a long deletion: DELETING for the whole test.
    deleting: tuple[dict[str, Any], ...] = ()
    #: Models the API accepts but the provider cannot manage (no runtime, which ``blaxel_model`` requires).
    incomplete: tuple[dict[str, Any], ...] = ()


SEED: Final = Seed(
    connections=(
        connection_document(
            "openai-prod",
            "openai",
            {"apiKey": SECRET_VALUES[0]},
            display_name='OpenAI "prod" key — Zürich',
            labels={"team": "ml", "app.kubernetes.io/name": "gateway", "note": "uses ${var.x} and 'quotes'"},
            config={"region": "us", "endpoint": "https://api.openai.com/v1"},
        ),
        connection_document(
            "anthropic-main",
            "anthropic",
            {"apiKey": SECRET_VALUES[1]},
            display_name="Anthropic / main.v1",
            labels={"team": "research"},
        ),
        connection_document(
            "mistral-sandbox",
            "mistral",
            {"apiKey": SECRET_VALUES[2]},
            display_name="Mistral (sandbox) ${sandbox}",
            sandbox=True,
        ),
        connection_document(
            "hf-tokens",
            "huggingface",
            {"token": SECRET_VALUES[3], "webhookSecret": SECRET_VALUES[4]},
            labels={"team": "ml", **ODD_LABELS},
        ),
    ),
    policies=(
        _policy(
            "eu-only",
            {
                "type": "location",
                "resourceTypes": ["model"],
                "locations": [
                    {"name": "eu", "type": "continent"},
                    {"name": "ch", "type": "country"},
                    {"name": "eu-west-3", "type": "location"},
                ],
            },
            display_name='EU "only" — données',
            team="platform",
        ),
        _policy(
            "cpu-only",
            {"type": "flavor", "resourceTypes": ["model", "agent"], "flavors": [{"name": "t4", "type": "cpu"}]},
        ),
        _policy(
            "gpu-sandbox",
            {"type": "flavor", "sandbox": True, "flavors": [{"name": "a100", "type": "gpu"}]},
            display_name="GPU sandbox/test.1",
        ),
        _policy(
            "token-cap",
            {
                "type": "maxToken",
                "resourceTypes": ["model"],
                "maxTokens": {
                    "granularity": "minute",
                    "input": 10000,
                    "output": 5000,
                    "total": 15000,
                    "ratioInputOverOutput": 2,
                },
            },
            team="ml",
        ),
    ),
    models=(
        model_document(
            "4o-mini",
            {"type": "openai", "model": "gpt-4o-mini"},
            labels={"team": "ml"},
            connections=["openai-prod"],
            policies=["eu-only", "token-cap"],
        ),
        model_document(
            "chat-1",
            {"type": "anthropic", "model": "claude-3-5-haiku"},
            connections=["anthropic-main"],
        ),
        model_document(
            "chat1",
            {"type": "anthropic", "model": "claude-3-7-sonnet"},
            display_name='Chat "one" (no dash)',
            connections=["anthropic-main"],
        ),
        model_document(
            "disabled-gpt",
            {"type": "openai", "model": "gpt-4.1"},
            enabled=False,
            connections=["openai-prod"],
        ),
        model_document(
            "sandbox-mistral",
            {"type": "mistral", "model": "mistral-small"},
            sandbox=True,
            connections=["mistral-sandbox"],
            policies=["gpu-sandbox"],
        ),
        model_document(
            "multi-flavor",
            {"type": "hf_public_endpoint", "model": "meta-llama/Llama-3.1-8B", "organization": "meta-llama"},
            flavors=[{"name": "t4", "type": "cpu"}, {"name": "a100", "type": "gpu"}, {"name": "l4", "type": "gpu"}],
            policies=["cpu-only"],
        ),
        model_document(
            "hf-private",
            {"type": "hf_private_endpoint", "endpointName": "llama-private-ep", "generation": "mk3"},
            connections=["hf-tokens"],
            labels={"team": "ml"},
        ),
        model_document(
            "gemini-flash",
            {"type": "gemini", "model": "gemini-2.0-flash"},
            labels=ODD_LABELS,
            display_name="Gemini ⚡ flash.v2 ${x}",
        ),
        model_document(
            "groq-llama",
            {"type": "groq", "model": "llama-3.3-70b"},
            external_id="ext-groq-0001",
            labels={"team": "research"},
        ),
        model_document(
            "mistral-large",
            {"type": "mistral", "model": "mistral-large-latest"},
            display_name="Mistral / large.v2",
            connections=["mistral-sandbox", "openai-prod"],
            policies=["token-cap"],
        ),
    ),
    deleting=(
        model_document(DELETING_MODEL, {"type": "openai", "model": "gpt-3.5-turbo"}, connections=["openai-prod"]),
    ),
    incomplete=({"metadata": {"name": INCOMPLETE_MODEL}, "spec": {"policies": ["cpu-only"]}},),
)


@dataclass(frozen=True)
class SeededWorkspace:
    """What was seeded, by name: what the importer must adopt, what it must skip, what it must never show."""

    connections: tuple[str, ...]
    policies: tuple[str, ...]
    models: tuple[str, ...]
    deleting: tuple[str, ...]
    incomplete: tuple[str, ...] = ()
    secret_values: tuple[str, ...] = field(default=SECRET_VALUES)

    @property
    def managed(self) -> int:
        """How many objects the importer must adopt: every connection, policy and model, except those being deleted
        and those it cannot manage."""
        return len(self.connections) + len(self.policies) + len(self.models)


def api(emulator: EmulatorProcess, method: str, path: str, body: Any = None) -> Any:
    """One raw request to the emulator's ``/v0`` API with its key; the JSON answer (HTTPError on failure)."""
    response = requests.request(
        method, emulator.base_url + path, headers=emulator.headers(), json=body, timeout=_TIMEOUT
    )
    response.raise_for_status()
    return response.json()


def wait_until_settled(emulator: EmulatorProcess, names: Iterable[str], timeout: float = _SETTLE_TIMEOUT) -> None:
    """Poll each model until it is DEPLOYED or DEACTIVATED; RuntimeError naming those still pending at ``timeout``."""
    pending = list(names)
    deadline = time.monotonic() + timeout
    with requests.Session() as session:
        session.headers.update(emulator.headers())
        while pending:
            statuses = {
                name: session.get(f"{emulator.base_url}/models/{name}", timeout=_TIMEOUT).json().get("status")
                for name in pending
            }
            pending = [name for name, status in statuses.items() if status not in SETTLED]
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"models not settled after {timeout:.0f} s: {statuses}")
            if pending:
                time.sleep(0.05)


def seed_workspace(emulator: EmulatorProcess, seed: Seed = SEED) -> SeededWorkspace:
    """Create ``seed`` in the emulator's workspace by raw HTTP, wait for the models to settle, then start the long
    deletion of ``seed.deleting`` (the emulator's ``delete_seconds`` is restored afterwards)."""
    for path, documents in (
        ("/integrations/connections", seed.connections),
        ("/policies", seed.policies),
        ("/models", (*seed.models, *seed.deleting, *seed.incomplete)),
    ):
        for document in documents:
            api(emulator, "POST", path, document)
    models = tuple(document["metadata"]["name"] for document in seed.models)
    deleting = tuple(document["metadata"]["name"] for document in seed.deleting)
    incomplete = tuple(document["metadata"]["name"] for document in seed.incomplete)
    wait_until_settled(emulator, (*models, *deleting, *incomplete))
    if deleting:
        previous = emulator.config()["delete_seconds"]
        emulator.configure(delete_seconds=_DELETING_SECONDS)
        for name in deleting:
            api(emulator, "DELETE", f"/models/{name}")
        emulator.configure(delete_seconds=previous)
    return SeededWorkspace(
        connections=tuple(document["metadata"]["name"] for document in seed.connections),
        policies=tuple(document["metadata"]["name"] for document in seed.policies),
        models=models,
        deleting=deleting,
        incomplete=incomplete,
    )


#: Methods that change what the API holds.
WRITES: Final = ("POST", "PUT", "DELETE")


def resource_writes(emulator: EmulatorProcess) -> dict[str, int]:
    """The POST, PUT and DELETE requests on the API's objects since the stats were last reset, by method and path
    template (OAuth token requests aside): what adoption must never send."""
    return {
        request: count
        for request, count in emulator.stats()["requests"].items()
        if request.split(" ", 1)[0] in WRITES and "/oauth/" not in request
    }


@contextmanager
def seeded_emulator(directory: Path, seed: Seed = SEED) -> Iterator[tuple[EmulatorProcess, SeededWorkspace]]:
    """A started emulator process (fast deployments, database in ``directory``) holding ``seed``, its stats reset
    after seeding; stopped on exit. For a module-scoped fixture: one workspace shared by a module's tests."""
    with EmulatorProcess(directory / "emulator.db", deploy_seconds=0.05) as emulator:
        workspace = seed_workspace(emulator, seed)
        emulator.reset_stats()
        yield emulator, workspace
