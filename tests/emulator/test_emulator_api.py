"""The /v0 models API through Flask's test client: status codes, bodies, lifecycle, and the official shapes.

Every Model, list, revision and error body the app returns is checked against Blaxel's official SDK
models (not the project's pydantic models), so a field the real API does not have cannot slip in.
"""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from blaxel_constructs.emulator.authentication import identity_for_key
from tests.support.clock import FakeClock

from .documents import (
    API_KEY,
    DEPLOY_SECONDS,
    WORKSPACE,
    connection_document,
    full_document,
    headers,
    model_document,
)
from .sdk_oracle import SdkOracle


def create(client: FlaskClient, document: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/v0/models", json=document, headers=headers())
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def create_connection(client: FlaskClient) -> None:
    """Create the connection ``full_document`` names (the API refuses a model naming a missing one)."""
    response = client.post("/v0/integrations/connections", json=connection_document(), headers=headers())
    assert response.status_code == 200, response.get_json()


def assert_model_matches_sdk(oracle: SdkOracle, model: dict[str, Any]) -> None:
    assert oracle.problems(model, "Model") == []
    assert model["status"] in oracle.enum("Status")
    assert all(event["status"] in oracle.enum("Status") for event in model["events"])


def test_given_a_valid_document_when_posted_then_200_returns_the_model_deploying_as_the_spec_defines_it(
    client: FlaskClient, oracle: SdkOracle, clock: FakeClock
) -> None:
    create_connection(client)
    response = client.post("/v0/models", json=full_document("m1"), headers=headers())

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    model = response.get_json()
    assert_model_matches_sdk(oracle, model)
    assert model["status"] == "DEPLOYING"
    assert model["spec"] == full_document("m1")["spec"]
    assert model["metadata"]["workspace"] == WORKSPACE
    assert model["metadata"]["url"] == f"https://run.blaxel.ai/{WORKSPACE}/models/m1"
    assert model["metadata"]["createdBy"] == identity_for_key(API_KEY)


def test_given_a_created_model_when_time_passes_then_get_shows_deploying_then_deployed(
    client: FlaskClient, oracle: SdkOracle, clock: FakeClock
) -> None:
    create(client, model_document("m1"))

    assert client.get("/v0/models/m1", headers=headers()).get_json()["status"] == "DEPLOYING"
    clock.advance(DEPLOY_SECONDS)
    response = client.get("/v0/models/m1", headers=headers())

    assert response.status_code == 200
    model = response.get_json()
    assert_model_matches_sdk(oracle, model)
    assert model["status"] == "DEPLOYED"
    assert [e["status"] for e in model["events"]] == ["DEPLOYING", "DEPLOYED"]


def test_given_an_existing_name_when_posted_again_then_409_with_the_api_error_body(
    client: FlaskClient, oracle: SdkOracle
) -> None:
    create(client, model_document("m1"))

    response = client.post("/v0/models", json=model_document("m1"), headers=headers())

    assert response.status_code == 409
    assert response.get_json() == {"error": "Resource already exists: m1", "code": 409}
    assert oracle.problems(response.get_json(), "Error") == []


def test_given_no_such_model_when_read_updated_deleted_or_its_revisions_listed_then_404(
    client: FlaskClient, oracle: SdkOracle
) -> None:
    answers = [
        client.get("/v0/models/ghost", headers=headers()),
        client.put("/v0/models/ghost", json=model_document("ghost"), headers=headers()),
        client.delete("/v0/models/ghost", headers=headers()),
        client.get("/v0/models/ghost/revisions", headers=headers()),
    ]

    assert [a.status_code for a in answers] == [404, 404, 404, 404]
    assert all(a.get_json() == {"error": "Model not found: ghost", "code": 404} for a in answers)
    assert all(oracle.problems(a.get_json(), "Error") == [] for a in answers)


def test_given_a_model_when_put_then_the_whole_document_is_replaced_and_redeploys(
    client: FlaskClient, oracle: SdkOracle, clock: FakeClock
) -> None:
    create_connection(client)
    create(client, full_document("m1"))
    clock.advance(DEPLOY_SECONDS)

    response = client.put("/v0/models/m1", json=model_document("m1", policies=["p"]), headers=headers())

    assert response.status_code == 200
    model = response.get_json()
    assert_model_matches_sdk(oracle, model)
    assert model["status"] == "DEPLOYING"
    assert model["spec"] == model_document("m1", policies=["p"])["spec"]
    assert "labels" not in model["metadata"]


def test_given_a_put_naming_another_model_when_sent_then_400_because_names_are_immutable(
    client: FlaskClient,
) -> None:
    create(client, model_document("m1"))

    response = client.put("/v0/models/m1", json=model_document("m2"), headers=headers())

    assert response.status_code == 400
    assert response.get_json()["error"] == "Invalid model"
    assert "metadata.name" in response.get_json()["message"]
    assert client.get("/v0/models/m2", headers=headers()).status_code == 404


def test_given_a_deleting_model_when_put_then_409_says_it_is_being_deleted(client: FlaskClient) -> None:
    create(client, model_document("m1"))
    client.delete("/v0/models/m1", headers=headers())

    response = client.put("/v0/models/m1", json=model_document("m1"), headers=headers())

    assert response.status_code == 409
    assert response.get_json() == {"error": "Resource is being deleted: m1", "code": 409}


def test_given_a_model_when_deleted_then_200_returns_it_deleting_and_then_it_is_gone(
    client: FlaskClient, oracle: SdkOracle, clock: FakeClock
) -> None:
    create(client, model_document("m1"))

    response = client.delete("/v0/models/m1", headers=headers())

    assert response.status_code == 200
    assert_model_matches_sdk(oracle, response.get_json())
    assert response.get_json()["status"] == "DELETING"
    clock.advance(0.5)
    assert client.get("/v0/models/m1", headers=headers()).status_code == 404
    assert client.get("/v0/models", headers=headers()).get_json() == []


def test_given_enabled_false_when_created_then_it_ends_deactivated(client: FlaskClient, clock: FakeClock) -> None:
    assert create(client, model_document("m1", enabled=False))["status"] == "DEACTIVATING"

    clock.advance(DEPLOY_SECONDS)

    assert client.get("/v0/models/m1", headers=headers()).get_json()["status"] == "DEACTIVATED"


def test_given_fail_names_configured_when_a_matching_model_is_created_then_it_ends_failed_with_the_message(
    client: FlaskClient, clock: FakeClock
) -> None:
    client.put("/_emulator/config", json={"fail_names": ["bad-*"], "fail_message": "no capacity in eu-west"})

    create(client, model_document("bad-1"))
    create(client, model_document("good-1"))
    clock.advance(DEPLOY_SECONDS)

    bad = client.get("/v0/models/bad-1", headers=headers()).get_json()
    assert bad["status"] == "FAILED"
    assert bad["events"][-1]["message"] == "no capacity in eu-west"
    assert client.get("/v0/models/good-1", headers=headers()).get_json()["status"] == "DEPLOYED"


def test_given_an_updated_model_when_revisions_are_listed_then_the_latest_is_active(
    client: FlaskClient, oracle: SdkOracle, clock: FakeClock
) -> None:
    first = create(client, model_document("m1"))["events"][0]["revision"]
    clock.advance(DEPLOY_SECONDS)
    client.put("/v0/models/m1", json=model_document("m1", sandbox=True), headers=headers())

    response = client.get("/v0/models/m1/revisions", headers=headers())

    assert response.status_code == 200
    revisions = response.get_json()
    assert all(oracle.problems(revision, "RevisionMetadata") == [] for revision in revisions)
    assert {k for r in revisions for k in r} == {
        "id",
        "active",
        "canary",
        "previousActive",
        "createdAt",
        "createdBy",
        "status",
        "trafficPercent",
    }
    assert [(r["active"], r["status"]) for r in revisions] == [(True, "DEPLOYING"), (False, "DEPLOYED")]
    assert revisions[1]["id"] == first


def test_given_a_client_echoing_a_read_document_when_put_then_read_only_fields_are_ignored(
    client: FlaskClient,
) -> None:
    read = create(client, model_document("m1"))
    read["metadata"]["displayName"] = "Renamed"

    response = client.put("/v0/models/m1", json=read, headers=headers())

    assert response.status_code == 200
    assert response.get_json()["metadata"]["displayName"] == "Renamed"
    assert response.get_json()["metadata"]["workspace"] == WORKSPACE


def test_given_a_body_with_keys_in_some_order_when_echoed_then_the_order_is_kept(client: FlaskClient) -> None:
    raw = '{"metadata":{"name":"m1","labels":{"z":"1","a":"2"}},"spec":{"sandbox":false,"enabled":true}}'

    response = client.post("/v0/models", data=raw, headers=headers(Content_Type="application/json"))

    text = response.get_data(as_text=True)
    assert text.index('"z"') < text.index('"a"')
    assert text.index('"sandbox"') < text.index('"enabled"')


def test_given_any_answer_when_inspected_then_the_api_key_never_appears(client: FlaskClient) -> None:
    create(client, model_document("m1"))
    answers = [
        client.get("/v0/models/m1", headers=headers()),
        client.get("/v0/models/m1/revisions", headers=headers()),
        client.get("/v0/models", headers={"Authorization": "Bearer wrong-key"}),
        client.get("/_emulator/config"),
    ]

    assert all(API_KEY not in answer.get_data(as_text=True) for answer in answers)
