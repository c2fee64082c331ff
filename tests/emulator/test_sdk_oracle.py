"""The SDK oracle itself: it passes what the API returns and fails on every malformed shape, never silently."""

from __future__ import annotations

import copy
import logging
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from blaxel_constructs.document import rules

from .documents import full_document
from .sdk_oracle import SdkOracle, sdk_quarantine


def deployed_model() -> dict[str, Any]:
    """A Model as the API answers it: every writable field, the read-only metadata, events and a status."""
    document = full_document("m1")
    document["metadata"].update(
        workspace="test-ws",
        url="https://run.blaxel.ai/test-ws/models/m1",
        plan="base",
        createdAt="2026-04-28T10:00:00Z",
        updatedAt="2026-04-28T10:00:02Z",
        createdBy="key:test",
        updatedBy="key:test",
    )
    document["events"] = [
        {"status": "DEPLOYING", "type": "deployment", "message": "", "time": "2026-04-28T10:00:00Z", "revision": "r1"},
        {"status": "DEPLOYED", "type": "deployment", "message": "ok", "time": "2026-04-28T10:00:02Z", "revision": "r1"},
    ]
    document["status"] = "DEPLOYED"
    return document


def with_change(path: str, value: Any) -> dict[str, Any]:
    """``deployed_model()`` with the dotted ``path`` set to ``value`` (``path`` ending in ``-`` deletes the key)."""
    document = deployed_model()
    *parents, last = path.split(".")
    target: Any = document
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if last.endswith("-"):
        del target[last[:-1]]
    else:
        target[last] = value
    return document


def test_given_a_model_as_the_api_answers_it_when_checked_then_there_is_no_problem(oracle: SdkOracle) -> None:
    assert oracle.problems(deployed_model(), "Model") == []


def test_given_a_model_without_events_or_labels_when_checked_then_the_sdk_defaults_are_not_problems(
    oracle: SdkOracle,
) -> None:
    document = with_change("events-", None)
    document["metadata"]["labels"] = {}

    assert oracle.problems(document, "Model") == []


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        ("kind", "Model", "Model.kind: not defined by the SDK's Model"),
        ("metadata.nmae", "typo", "Model.metadata.nmae: not defined by the SDK's Metadata"),
        ("spec.replicas", 3, "Model.spec.replicas: not defined by the SDK's ModelSpec"),
        ("spec.runtime.temperature", 0.2, "Model.spec.runtime.temperature: not defined by the SDK's ModelRuntime"),
        ("spec.flavors.0.size", 1, "Model.spec.flavors[0].size: not defined by the SDK's Flavor"),
        ("events.0.detail", "x", "Model.events[0].detail: not defined by the SDK's CoreEvent"),
        ("status", "RUNNING", "'RUNNING' is not a valid Status"),
        ("spec.runtime.type", "llama-hub", "'llama-hub' is not a valid ModelRuntimeType"),
        ("spec.runtime.generation", "mk4", "'mk4' is not a valid ModelRuntimeGeneration"),
        ("spec.flavors.1.type", "tpu", "'tpu' is not a valid FlavorType"),
        ("metadata.name", 7, "Model.metadata.name: expected str, got int 7"),
        ("metadata.createdAt", 1714298400, "Model.metadata.createdAt: expected str | Unset, got int"),
        ("metadata.labels", {"team": 1}, "Model.metadata.labels.team: expected str, got int 1"),
        ("spec.enabled", "yes", "Model.spec.enabled: expected bool | Unset, got str 'yes'"),
        ("spec.sandbox", 0, "Model.spec.sandbox: expected bool | Unset, got int 0"),
        ("spec.integrationConnections", ["ok", 3], "Model.spec.integrationConnections[1]: expected str, got int 3"),
        ("spec.policies", "eu-only", "Model.spec.policies: expected list[str] | Unset, got str"),
        ("events.1.status", 200, "Model.events[1].status: expected str | Unset, got int 200"),
        ("spec.runtime.endpoint_name", "e", "Model.spec.runtime.endpoint_name: dropped by the SDK's round trip"),
        ("status", "", "Model.status: dropped by the SDK's round trip (sent '')"),
        ("metadata.labels", None, "Model.metadata.labels: dropped by the SDK's round trip (sent None)"),
        ("events", None, "Model.events: sent None, the SDK's round trip gives []"),
        ("metadata-", None, "Model: required key 'metadata' is missing"),
        ("metadata.name-", None, "Model: required key 'name' is missing"),
    ],
)
def test_given_a_malformed_model_when_checked_then_the_oracle_names_the_problem(
    oracle: SdkOracle, path: str, value: Any, problem: str
) -> None:
    found = oracle.problems(with_change(path, value), "Model")

    assert any(problem in line for line in found), found


@pytest.mark.parametrize(
    ("body", "schema", "problem"),
    [
        ([deployed_model()], "ModelList", "ModelList: expected a non-empty JSON object, got list"),
        ({}, "Model", "Model: expected a non-empty JSON object"),
        ({"data": [deployed_model()], "meta": {"nextCursor": 3}}, "ModelList", "ModelList.meta.nextCursor: expected"),
        ({"data": [with_change("status", "UP")]}, "ModelList", "'UP' is not a valid Status"),
        ({"data": [], "meta": {}, "links": {}}, "ModelList", "ModelList.links: not defined by the SDK's ModelList"),
        ({"error": "Conflict", "code": "409"}, "Error", "Error.code: expected int | Unset, got str '409'"),
        ({"error": "Conflict", "code": True}, "Error", "Error.code: expected int | Unset, got bool True"),
        ({"error": "Conflict", "detail": "x"}, "Error", "Error.detail: not defined by the SDK's Error"),
        ({"code": 409, "message": "exists"}, "Error", "Error: required key 'error' is missing"),
        ({"id": "r1", "trafficPercent": "100"}, "RevisionMetadata", "RevisionMetadata.trafficPercent: expected"),
        ({"id": "r1", "active": "yes"}, "RevisionMetadata", "RevisionMetadata.active: expected bool | Unset"),
    ],
)
def test_given_a_malformed_list_error_or_revision_when_checked_then_the_oracle_names_the_problem(
    oracle: SdkOracle, body: Any, schema: str, problem: str
) -> None:
    found = oracle.problems(copy.deepcopy(body), schema)

    assert any(problem in line for line in found), found


def test_given_well_formed_list_error_and_revision_bodies_when_checked_then_there_is_no_problem(
    oracle: SdkOracle,
) -> None:
    listing = {"data": [deployed_model()], "meta": {"hasMore": False, "nextCursor": "", "total": 1}}
    revision = {"id": "r1", "active": True, "canary": False, "createdAt": "2026-04-28T10:00:00Z", "trafficPercent": 100}

    assert oracle.problems(listing, "ModelList") == []
    assert oracle.problems({"error": "Conflict", "code": 409, "message": "exists"}, "Error") == []
    assert oracle.problems(revision, "RevisionMetadata") == []


def test_given_the_sdk_enums_then_the_projects_runtime_flavor_and_generation_values_are_exactly_them(
    oracle: SdkOracle,
) -> None:
    assert sorted(rules.RUNTIME_TYPES) == sorted(oracle.enum("ModelRuntimeType"))
    assert sorted(rules.FLAVOR_TYPES) == sorted(oracle.enum("FlavorType"))
    assert sorted(rules.GENERATIONS) == sorted(oracle.enum("ModelRuntimeGeneration"))


def test_given_the_sdk_status_enum_then_every_status_the_project_knows_is_one_the_api_can_send(
    oracle: SdkOracle,
) -> None:
    """The SDK may know newer statuses (0.4.24 adds the ARCHIVED family); the project must know none it lacks."""
    assert set(rules.STATUSES) <= set(oracle.enum("Status"))


def test_given_a_name_that_is_not_a_generated_model_or_enum_when_asked_then_the_oracle_refuses(
    oracle: SdkOracle,
) -> None:
    with pytest.raises(TypeError, match="not a generated model"):
        oracle.problems({"x": 1}, "Status")
    with pytest.raises(TypeError, match="not an enum"):
        oracle.enum("Model")


def test_given_the_sdk_imported_by_the_oracle_then_it_found_no_credentials_of_this_machine(oracle: SdkOracle) -> None:
    """``autoload()`` builds its credentials at import: from an empty HOME and no BL_* variables, it has none."""
    settings = sys.modules["blaxel.core.common.settings"].settings

    assert type(settings.auth).__name__ == "MissingCredentials"


def test_given_the_quarantine_when_it_ends_then_environment_directory_and_logging_are_as_before() -> None:
    root = logging.getLogger()
    before = (dict(os.environ), os.getcwd(), list(root.handlers), root.level, logging.getLogger("httpx").level)

    with sdk_quarantine():
        inside = Path.cwd()
        assert Path.home().resolve() == inside.resolve()
        assert list(inside.iterdir()) == []
        assert os.environ["DO_NOT_TRACK"] == "1"
        assert "BL_API_KEY" not in os.environ
        os.environ["BL_API_KEY"] = "leaked"
        logging.basicConfig(level="DEBUG", handlers=[logging.StreamHandler()], force=True)
        logging.getLogger("httpx").setLevel(logging.CRITICAL)

    after = (dict(os.environ), os.getcwd(), list(root.handlers), root.level, logging.getLogger("httpx").level)
    assert after == before
    assert not inside.exists()


def _connection(**spec: Any) -> dict[str, Any]:
    return {"metadata": {"name": "c"}, "spec": {"integration": "openai", **spec}}


def _policy(**spec: Any) -> dict[str, Any]:
    return {"metadata": {"name": "p"}, "spec": {"type": "location", **spec}}


@pytest.mark.parametrize(
    ("body", "schema", "problem"),
    [
        (
            _connection(secret={"apiKey": 7}),
            "IntegrationConnection",
            "IntegrationConnection.spec.secret.apiKey: expected",
        ),
        (_connection(config={"region": None}), "IntegrationConnection", "IntegrationConnection.spec.config.region"),
        (
            _connection(token="x"),
            "IntegrationConnection",
            "spec.token: not defined by the SDK's IntegrationConnectionSpec",
        ),
        (_policy(type="region"), "Policy", "'region' is not a valid PolicySpecType"),
        (_policy(locations=[{"name": "EU", "type": "planet"}]), "Policy", "'planet' is not a valid PolicyLocationType"),
        (_policy(maxTokens={"ratio_input_over_output": 2}), "Policy", "Policy.spec.maxTokens.ratio_input_over_output"),
        (_policy(maxTokens={"input": "10"}), "Policy", "Policy.spec.maxTokens.input: expected int | Unset, got str"),
        (_policy(resourceTypes=["robot"]), "Policy", "'robot' is not a valid PolicyResourceType"),
        ({"models": [{"name": "m"}], "extra": []}, "PolicyUsages", "PolicyUsages.extra: not defined by the SDK's"),
    ],
)
def test_given_a_malformed_connection_policy_or_usages_when_checked_then_the_oracle_names_the_problem(
    oracle: SdkOracle, body: Any, schema: str, problem: str
) -> None:
    found = oracle.problems(copy.deepcopy(body), schema)

    assert any(problem in line for line in found), found


def test_given_well_formed_connection_and_policy_bodies_when_checked_then_there_is_no_problem(
    oracle: SdkOracle,
) -> None:
    max_tokens = {"granularity": "minute", "input": 1, "output": 2, "total": 3, "step": 1, "ratioInputOverOutput": 2}

    assert (
        oracle.problems(_connection(config={"a": "b"}, secret={"k": "********"}, sandbox=True), "IntegrationConnection")
        == []
    )
    assert oracle.problems(_policy(type="maxToken", maxTokens=max_tokens, resourceTypes=["model"]), "Policy") == []
    assert oracle.problems({"models": [{"name": "m"}], "agents": []}, "PolicyUsages") == []
