"""Policies in the emulator: the spec's shapes and status codes, the type rules, paginated lists from
2026-04-28, usage counts and ``/usages`` naming the models that use a policy."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from .documents import DELETE_SECONDS, PAGINATED, WORKSPACE, headers, model_document, policy_document
from .fakes import FakeClock
from .sdk_oracle import SdkOracle

POLICIES = "/v0/policies"
NO_USE = {"agents": 0, "functions": 0, "jobs": 0, "models": 0, "sandboxes": 0}


def create(client: FlaskClient, name: str = "eu-only", **spec: Any) -> dict[str, Any]:
    response = client.post(POLICIES, json=policy_document(name, **spec), headers=headers())
    assert response.status_code == 200, response.get_json()
    result: dict[str, Any] = response.get_json()
    return result


@pytest.mark.parametrize(
    "spec",
    [
        {"type": "location", "locations": [{"name": "EU", "type": "continent"}, {"name": "FR", "type": "country"}]},
        {"type": "flavor", "flavors": [{"name": "t4", "type": "cpu"}], "locations": None},
        {
            "type": "maxToken",
            "locations": None,
            "maxTokens": {
                "granularity": "minute",
                "input": 10000,
                "output": 5000,
                "total": 15000,
                "step": 1,
                "ratioInputOverOutput": 2,
            },
        },
    ],
)
def test_given_a_policy_of_each_type_when_posted_then_200_returns_it_as_sent_as_the_sdk_reads_it(
    client: FlaskClient, oracle: SdkOracle, spec: dict[str, Any]
) -> None:
    sent = policy_document("p1", **spec, resourceTypes=["model", "agent"], sandbox=False)

    response = client.post(POLICIES, json=sent, headers=headers())

    assert response.status_code == 200
    policy = response.get_json()
    assert oracle.problems(policy, "Policy") == []
    assert policy["spec"] == {k: v for k, v in sent["spec"].items() if v is not None}
    assert policy["metadata"]["workspace"] == WORKSPACE
    assert policy["usage"] == NO_USE


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"type": "region"}, "spec.type: must be one of location, flavor, maxToken (got 'region')"),
        ({"type": None}, "spec.type: is required (one of location, flavor, maxToken)"),
        ({"locations": []}, "spec.locations: is required for a policy of type 'location'"),
        (
            {"flavors": [{"name": "t4", "type": "cpu"}]},
            "spec.flavors: is only for a policy of type 'flavor' (this one is 'location')",
        ),
        (
            {"locations": [{"name": "EU", "type": "planet"}]},
            "spec.locations[0].type: must be one of location, country, continent (got 'planet')",
        ),
        ({"locations": [{"name": "EU"}]}, "spec.locations[0].type: is required"),
        (
            {"type": "maxToken", "locations": None, "maxTokens": {"input": 0}},
            "spec.maxTokens.input: must be a positive integer (got 0)",
        ),
        (
            {"type": "maxToken", "locations": None, "maxTokens": {"total": "many"}},
            "spec.maxTokens.total: must be an integer (got string)",
        ),
        (
            {"type": "maxToken", "locations": None, "maxTokens": {"granularity": "minute"}},
            "spec.maxTokens: must set at least one of input, output, total",
        ),
        (
            {"resourceTypes": ["model", "robot"]},
            "spec.resourceTypes[1]: must be one of model, function, agent, sandbox, application (got 'robot')",
        ),
        ({"regions": ["EU"]}, "spec.regions: unknown field"),
    ],
)
def test_given_a_policy_breaking_a_rule_when_posted_then_400_naming_the_field(
    client: FlaskClient, oracle: SdkOracle, spec: dict[str, Any], message: str
) -> None:
    response = client.post(POLICIES, json=policy_document(**spec), headers=headers())

    assert response.status_code == 400
    assert response.get_json() == {"error": "Invalid policy", "code": 400, "message": message}
    assert oracle.problems(response.get_json(), "Error") == []


def test_given_a_policy_when_read_updated_and_deleted_then_each_answers_the_policy(client: FlaskClient) -> None:
    create(client)

    read = client.get(f"{POLICIES}/eu-only", headers=headers())
    updated = client.put(
        f"{POLICIES}/eu-only", json=policy_document(locations=[{"name": "FR", "type": "country"}]), headers=headers()
    )
    deleted = client.delete(f"{POLICIES}/eu-only", headers=headers())

    assert read.status_code == 200
    assert updated.status_code == 200
    assert updated.get_json()["spec"]["locations"] == [{"name": "FR", "type": "country"}]
    assert deleted.status_code == 200
    assert deleted.get_json()["spec"]["locations"] == [{"name": "FR", "type": "country"}]
    assert client.get(f"{POLICIES}/eu-only", headers=headers()).status_code == 404


def test_given_an_existing_name_when_posted_again_then_409(client: FlaskClient) -> None:
    create(client)

    response = client.post(POLICIES, json=policy_document(), headers=headers())

    assert response.status_code == 409
    assert response.get_json() == {"error": "Resource already exists: eu-only", "code": 409}


@pytest.mark.parametrize("path", ["/ghost", "/ghost/usages"])
def test_given_no_such_policy_when_addressed_then_404_naming_it(client: FlaskClient, path: str) -> None:
    response = client.get(f"{POLICIES}{path}", headers=headers())

    assert response.status_code == 404
    assert response.get_json() == {"error": "Policy not found: ghost", "code": 404}


def test_given_policies_when_listed_before_2026_04_28_then_a_bare_array_newest_first(
    client: FlaskClient, clock: FakeClock
) -> None:
    create(client, "a")
    clock.advance(1)
    create(client, "b")

    listed = client.get(POLICIES, headers=headers()).get_json()

    assert [p["metadata"]["name"] for p in listed] == ["b", "a"]


def test_given_policies_when_listed_from_2026_04_28_then_pages_follow_the_cursor(
    client: FlaskClient, clock: FakeClock, oracle: SdkOracle
) -> None:
    for name in ("a", "b", "c"):
        create(client, name)
        clock.advance(1)

    first = client.get(f"{POLICIES}?limit=2", headers=headers(Blaxel_Version=PAGINATED)).get_json()
    cursor = first["meta"]["nextCursor"]
    second = client.get(f"{POLICIES}?limit=2&cursor={cursor}", headers=headers(Blaxel_Version=PAGINATED)).get_json()

    assert oracle.problems(first, "PolicyList") == []
    assert [p["metadata"]["name"] for p in first["data"]] == ["c", "b"]
    assert first["meta"] == {"hasMore": True, "nextCursor": cursor, "total": 3}
    assert [p["metadata"]["name"] for p in second["data"]] == ["a"]
    assert second["meta"]["hasMore"] is False


def test_given_models_naming_a_policy_when_usages_are_asked_then_they_are_named_and_counted(
    client: FlaskClient, clock: FakeClock, oracle: SdkOracle
) -> None:
    create(client)
    for name in ("m2", "m1"):
        client.post("/v0/models", json=model_document(name, policies=["eu-only"]), headers=headers())
    client.post("/v0/models", json=model_document("other"), headers=headers())
    client.delete("/v0/models/m2", headers=headers())

    while_deleting = client.get(f"{POLICIES}/eu-only/usages", headers=headers()).get_json()
    clock.advance(DELETE_SECONDS)
    once_gone = client.get(f"{POLICIES}/eu-only/usages", headers=headers()).get_json()

    assert oracle.problems(while_deleting, "PolicyUsages") == []
    assert while_deleting == {
        "models": [{"name": "m1"}, {"name": "m2"}],
        "agents": [],
        "functions": [],
        "jobs": [],
        "sandboxes": [],
    }
    assert once_gone["models"] == [{"name": "m1"}]
    assert client.get(f"{POLICIES}/eu-only", headers=headers()).get_json()["usage"] == NO_USE | {"models": 1}


def test_given_a_policy_in_use_when_deleted_then_200_as_the_spec_documents(client: FlaskClient) -> None:
    create(client)
    client.post("/v0/models", json=model_document("m1", policies=["eu-only"]), headers=headers())

    assert client.delete(f"{POLICIES}/eu-only", headers=headers()).status_code == 200


def test_given_policy_requests_when_counted_then_the_stats_use_the_spec_path_templates(client: FlaskClient) -> None:
    create(client)
    client.get(f"{POLICIES}/eu-only/usages", headers=headers())

    requests = client.get("/_emulator/stats").get_json()["requests"]

    assert requests == {"POST /v0/policies": 1, "GET /v0/policies/{policyName}/usages": 1}


def test_given_no_credentials_when_listing_policies_then_401(client: FlaskClient) -> None:
    assert client.get(POLICIES).status_code == 401
