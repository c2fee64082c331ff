"""Integration connections in the emulator: the spec's status codes, the secret stored and never answered,
models refused when they name a missing connection, and a connection in use kept until its models are gone."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from blaxel_constructs.document import rules
from blaxel_constructs.emulator.authentication import identity_for_key

from .documents import API_KEY, DELETE_SECONDS, PAGINATED, WORKSPACE, connection_document, headers, model_document
from .fakes import FakeClock
from .sdk_oracle import SdkOracle

CONNECTIONS = "/v0/integrations/connections"
SECRET = "sk-live-do-not-leak-7f3a"


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def post(client: FlaskClient, body: Any, **extra: str) -> Any:
    return client.post(CONNECTIONS, json=body, headers=headers(**extra))


def create(client: FlaskClient, name: str = "openai-conn", **spec: Any) -> dict[str, Any]:
    response = post(client, connection_document(name, **spec))
    assert response.status_code == 200, response.get_json()
    result: dict[str, Any] = response.get_json()
    return result


def test_given_a_connection_when_posted_then_200_returns_it_with_the_secret_masked_as_the_sdk_reads_it(
    client: FlaskClient, oracle: SdkOracle
) -> None:
    sent = connection_document("openai-conn", config={"organization": "org-1"}, sandbox=True, secret={"apiKey": SECRET})
    sent["metadata"]["displayName"] = "OpenAI"

    response = post(client, sent)

    assert response.status_code == 200
    connection = response.get_json()
    assert oracle.problems(connection, "IntegrationConnection") == []
    assert connection["spec"] == {
        "integration": "openai",
        "config": {"organization": "org-1"},
        "sandbox": True,
        "secret": {"apiKey": rules.SECRET_MASK},
    }
    assert connection["metadata"]["displayName"] == "OpenAI"
    assert connection["metadata"]["workspace"] == WORKSPACE
    assert connection["metadata"]["createdBy"] == identity_for_key(API_KEY)


def test_given_a_connection_when_read_listed_updated_or_deleted_then_no_answer_holds_the_secret(
    client: FlaskClient,
) -> None:
    create(client, secret={"apiKey": SECRET})
    answers = [
        client.get(f"{CONNECTIONS}/openai-conn", headers=headers()),
        client.get(CONNECTIONS, headers=headers()),
        client.get(CONNECTIONS, headers=headers(Blaxel_Version=PAGINATED)),
        client.put(f"{CONNECTIONS}/openai-conn", json=connection_document(config={"a": "b"}), headers=headers()),
        client.delete(f"{CONNECTIONS}/openai-conn", headers=headers()),
    ]

    assert [a.status_code for a in answers] == [200] * 5
    assert all(SECRET not in a.get_data(as_text=True) for a in answers)
    assert all(sha256(SECRET) not in a.get_data(as_text=True) for a in answers)


def test_given_a_connection_when_its_digest_is_asked_then_the_control_endpoint_shows_the_sha256_of_each_value(
    client: FlaskClient,
) -> None:
    create(client, secret={"apiKey": SECRET, "orgKey": "second"})

    response = client.get("/_emulator/secrets/openai-conn")

    assert response.status_code == 200
    assert response.get_json() == {"apiKey": sha256(SECRET), "orgKey": sha256("second")}


def test_given_no_such_connection_when_its_digest_is_asked_then_404(client: FlaskClient) -> None:
    assert client.get("/_emulator/secrets/nothing").status_code == 404


def test_given_a_remote_client_when_it_asks_for_a_digest_then_403(client: FlaskClient) -> None:
    create(client)

    response = client.get("/_emulator/secrets/openai-conn", environ_base={"REMOTE_ADDR": "10.0.0.7"})

    assert response.status_code == 403


def test_given_a_put_without_a_secret_when_applied_then_the_stored_secret_is_kept(client: FlaskClient) -> None:
    create(client, secret={"apiKey": SECRET})
    body = connection_document(config={"region": "eu"})
    del body["spec"]["secret"]

    response = client.put(f"{CONNECTIONS}/openai-conn", json=body, headers=headers())

    assert response.status_code == 200
    assert response.get_json()["spec"]["config"] == {"region": "eu"}
    assert response.get_json()["spec"]["secret"] == {"apiKey": rules.SECRET_MASK}
    assert client.get("/_emulator/secrets/openai-conn").get_json() == {"apiKey": sha256(SECRET)}


def test_given_a_put_with_a_new_secret_when_applied_then_the_secret_is_rotated_to_exactly_its_keys(
    client: FlaskClient,
) -> None:
    create(client, secret={"apiKey": SECRET, "old": "x"})

    response = client.put(
        f"{CONNECTIONS}/openai-conn", json=connection_document(secret={"apiKey": "sk-rotated"}), headers=headers()
    )

    assert response.status_code == 200
    assert client.get("/_emulator/secrets/openai-conn").get_json() == {"apiKey": sha256("sk-rotated")}


def test_given_a_put_echoing_the_masked_secret_when_applied_then_the_stored_values_are_unchanged(
    client: FlaskClient,
) -> None:
    read = create(client, secret={"apiKey": SECRET})

    response = client.put(f"{CONNECTIONS}/openai-conn", json=read, headers=headers())

    assert response.status_code == 200
    assert client.get("/_emulator/secrets/openai-conn").get_json() == {"apiKey": sha256(SECRET)}


def test_given_an_existing_name_when_posted_again_then_409(client: FlaskClient, oracle: SdkOracle) -> None:
    create(client)

    response = post(client, connection_document())

    assert response.status_code == 409
    assert response.get_json() == {"error": "Resource already exists: openai-conn", "code": 409}
    assert oracle.problems(response.get_json(), "Error") == []


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_given_no_such_connection_when_addressed_then_404_naming_it(client: FlaskClient, method: str) -> None:
    response = client.open(f"{CONNECTIONS}/ghost", method=method, json=connection_document("ghost"), headers=headers())

    assert response.status_code == 404
    assert response.get_json() == {"error": "Integration connection not found: ghost", "code": 404}


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ({"integration": None}, "spec.integration: is required"),
        ({"integration": ""}, "spec.integration: must not be empty"),
        ({"config": {"a": 1}}, "spec.config.a: must be a string (got number)"),
        ({"secret": {"apiKey": 42}}, "spec.secret.apiKey: must be a string (got number)"),
        ({"secret": "sk-raw"}, "spec.secret: must be an object (got string)"),
        ({"token": "x"}, "spec.token: unknown field"),
    ],
)
def test_given_an_invalid_connection_when_posted_then_400_naming_the_field(
    client: FlaskClient, spec: dict[str, Any], field: str
) -> None:
    response = post(client, connection_document(**spec))

    assert response.status_code == 400
    assert response.get_json() == {"error": "Invalid integration connection", "code": 400, "message": field}


def test_given_a_put_naming_another_connection_when_sent_then_400_because_names_are_immutable(
    client: FlaskClient,
) -> None:
    create(client)

    response = client.put(f"{CONNECTIONS}/openai-conn", json=connection_document("other"), headers=headers())

    assert response.status_code == 400
    assert "immutable" in response.get_json()["message"]


def test_given_a_secret_of_the_wrong_type_when_refused_then_neither_the_answer_nor_the_log_quotes_it(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = connection_document(secret={"apiKey": SECRET, "bad": ["not", SECRET]})

    response = post(client, body)

    assert response.status_code == 400
    assert SECRET not in response.get_data(as_text=True)
    assert SECRET not in caplog.text


def test_given_connections_when_listed_then_a_bare_array_newest_first_at_every_version(
    client: FlaskClient, clock: FakeClock, oracle: SdkOracle
) -> None:
    create(client, "first")
    clock.advance(1)
    create(client, "second")

    for version in rules.API_VERSIONS:
        listed = client.get(CONNECTIONS, headers=headers(Blaxel_Version=version)).get_json()

        assert [c["metadata"]["name"] for c in listed] == ["second", "first"]
        assert all(oracle.problems(c, "IntegrationConnection") == [] for c in listed)


def test_given_a_model_naming_a_missing_connection_when_created_then_400_naming_it(
    client: FlaskClient, oracle: SdkOracle
) -> None:
    create(client, "present")

    response = client.post(
        "/v0/models",
        json=model_document("m1", integrationConnections=["present", "absent", "gone"]),
        headers=headers(),
    )

    assert response.status_code == 400
    assert response.get_json() == {
        "error": "Invalid model",
        "code": 400,
        "message": "spec.integrationConnections: integration connection not found: absent, gone",
    }
    assert oracle.problems(response.get_json(), "Error") == []
    assert client.get("/v0/models/m1", headers=headers()).status_code == 404


def test_given_a_model_when_updated_to_name_a_missing_connection_then_400_and_the_model_is_unchanged(
    client: FlaskClient,
) -> None:
    client.post("/v0/models", json=model_document("m1"), headers=headers())

    response = client.put(
        "/v0/models/m1", json=model_document("m1", integrationConnections=["absent"]), headers=headers()
    )

    assert response.status_code == 400
    assert "absent" in response.get_json()["message"]
    assert "integrationConnections" not in client.get("/v0/models/m1", headers=headers()).get_json()["spec"]


def test_given_models_naming_a_connection_when_it_is_deleted_then_409_naming_them_all(client: FlaskClient) -> None:
    create(client)
    for name in ("m2", "m1"):
        client.post("/v0/models", json=model_document(name, integrationConnections=["openai-conn"]), headers=headers())

    response = client.delete(f"{CONNECTIONS}/openai-conn", headers=headers())

    assert response.status_code == 409
    assert response.get_json() == {
        "error": "Integration connection openai-conn is in use by models: m1, m2",
        "code": 409,
    }
    assert client.get(f"{CONNECTIONS}/openai-conn", headers=headers()).status_code == 200


def test_given_the_model_using_a_connection_is_deleting_when_the_connection_is_deleted_then_409_until_it_is_gone(
    client: FlaskClient, clock: FakeClock
) -> None:
    create(client)
    client.post("/v0/models", json=model_document("m1", integrationConnections=["openai-conn"]), headers=headers())
    client.delete("/v0/models/m1", headers=headers())

    while_deleting = client.delete(f"{CONNECTIONS}/openai-conn", headers=headers())
    clock.advance(DELETE_SECONDS)
    once_gone = client.delete(f"{CONNECTIONS}/openai-conn", headers=headers())

    assert while_deleting.status_code == 409
    assert "m1" in while_deleting.get_json()["error"]
    assert once_gone.status_code == 200
    assert once_gone.get_json()["metadata"]["name"] == "openai-conn"
    assert client.get(f"{CONNECTIONS}/openai-conn", headers=headers()).status_code == 404


def test_given_connection_requests_when_counted_then_the_stats_use_the_spec_path_templates(
    client: FlaskClient,
) -> None:
    create(client)
    client.get(f"{CONNECTIONS}/openai-conn", headers=headers())

    requests = client.get("/_emulator/stats").get_json()["requests"]

    assert requests == {
        "POST /v0/integrations/connections": 1,
        "GET /v0/integrations/connections/{connectionName}": 1,
    }


@pytest.mark.parametrize(
    ("auth", "status"),
    [({}, 401), ({"X-Blaxel-Authorization": f"Bearer {API_KEY}"}, 200), ({"Authorization": "Bearer wrong"}, 401)],
)
def test_given_credentials_when_listing_connections_then_both_headers_work_and_others_get_401(
    app: Flask, auth: dict[str, str], status: int
) -> None:
    with app.test_client() as anonymous:
        assert anonymous.get(CONNECTIONS, headers=auth).status_code == status


def test_given_another_workspace_when_listing_connections_then_403(client: FlaskClient) -> None:
    assert client.get(CONNECTIONS, headers=headers(X_Blaxel_Workspace="elsewhere")).status_code == 403


def test_given_an_unknown_api_version_when_creating_a_connection_then_400(client: FlaskClient) -> None:
    response = post(client, connection_document(), Blaxel_Version="2026-99-99")

    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_api_version"


def test_given_a_fault_rule_on_connections_when_posting_then_the_fault_answers(client: FlaskClient) -> None:
    client.put("/_emulator/faults", json=[{"method": "POST", "path": "/v0/integrations/*", "status": 503, "count": 1}])

    assert post(client, connection_document()).status_code == 503
    assert post(client, connection_document()).status_code == 200
