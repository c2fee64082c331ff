"""Bad input of every kind gets a 4xx with the API's JSON error body, never a 500, and the server keeps serving.

The same table runs twice: against the app (test client) and against one real emulator process.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from blaxel_constructs.emulator import EmulatorConfig, create_app
from blaxel_constructs.emulator.settings import MAX_BODY_BYTES
from tests.support.clock import FakeClock
from tests.support.emulator_process import EmulatorProcess

from .documents import headers, model_document
from .sdk_oracle import SdkOracle

JSON = "application/json"


def with_metadata(**metadata: Any) -> str:
    document = model_document("m1")
    document["metadata"].update(metadata)
    return json.dumps(document)


def with_spec(**spec: Any) -> str:
    return json.dumps(model_document("m1", **spec))


HOSTILE_BODIES: dict[str, tuple[str | bytes, str, int]] = {
    "malformed JSON": ("{not json", JSON, 400),
    "empty body": ("", JSON, 400),
    "truncated JSON": ('{"metadata": {"name": "m1"}', JSON, 400),
    "NaN literal": ('{"metadata": {"name": "m1"}, "spec": {"x": NaN}}', JSON, 400),
    "not UTF-8": (b'{"metadata": {"name": "\xff\xfe"}}', JSON, 400),
    "deeply nested": ("[" * 100_000 + "]" * 100_000, JSON, 400),
    "a JSON array": ("[]", JSON, 400),
    "a JSON string": ('"model"', JSON, 400),
    "wrong content type": (json.dumps(model_document("m1")), "text/plain", 415),
    "form content type": ("name=m1", "application/x-www-form-urlencoded", 415),
    "over 1 MiB": ('{"metadata": {"name": "' + "a" * MAX_BODY_BYTES + '"}}', JSON, 413),
    "unknown top-level field": (json.dumps({**model_document("m1"), "kind": "Model"}), JSON, 400),
    "unknown metadata field": (with_metadata(namespace="x"), JSON, 400),
    "unknown spec field": (with_spec(replicas=2), JSON, 400),
    "uppercase name": (with_metadata(name="MyModel"), JSON, 400),
    "name of 50 characters": (with_metadata(name="a" * 50), JSON, 400),
    "name with an underscore": (with_metadata(name="my_model"), JSON, 400),
    "display name of 64 characters": (with_metadata(displayName="d" * 64), JSON, 400),
    "unknown runtime type": (with_spec(runtime={"type": "skynet"}), JSON, 400),
    "unknown generation": (with_spec(runtime={"type": "openai", "generation": "mk9"}), JSON, 400),
    "flavor type tpu": (with_spec(flavors=[{"name": "v5e", "type": "tpu"}]), JSON, 400),
    "labels with a number": (with_metadata(labels={"a": 1}), JSON, 400),
    "labels as a list": (with_metadata(labels=["a"]), JSON, 400),
    "enabled as a string": (with_spec(enabled="true"), JSON, 400),
    "enabled as yes": (with_spec(enabled="yes"), JSON, 400),
    "sandbox as a number": (with_spec(sandbox=1), JSON, 400),
    "name as a number": (with_metadata(name=42), JSON, 400),
    "flavors as an object": (with_spec(flavors={"name": "t4", "type": "cpu"}), JSON, 400),
    "runtime as a list": (with_spec(runtime=["openai", "gpt-4.1"]), JSON, 400),
    "integrationConnections as a string": (with_spec(integrationConnections="conn"), JSON, 400),
    "policies with a number": (with_spec(policies=["eu", 7]), JSON, 400),
    "metadata as an array": (json.dumps({"metadata": [], "spec": {}}), JSON, 400),
    "unknown runtime field": (with_spec(runtime={"type": "openai", "region": "eu"}), JSON, 400),
    "unknown flavor field": (with_spec(flavors=[{"name": "t4", "type": "cpu", "count": 2}]), JSON, 400),
    "empty name": (with_metadata(name=""), JSON, 400),
    "name with a leading hyphen": (with_metadata(name="-m1"), JSON, 400),
    "name with a trailing hyphen": (with_metadata(name="m1-"), JSON, 400),
    "externalId with a space": (with_metadata(externalId="ext 1"), JSON, 400),
    "externalId of 65 characters": (with_metadata(externalId="e" * 65), JSON, 400),
    "a JSON number": ("42", JSON, 400),
    "a JSON null": ("null", JSON, 400),
    "a huge float": ('{"metadata": {"name": 1e999}, "spec": {}}', JSON, 400),
    "a huge integer": ('{"metadata": {"name": "m1"}, "spec": {"enabled": ' + "9" * 5000 + "}}", JSON, 400),
    "deeply nested objects": ('{"a":' * 10_000 + "1" + "}" * 10_000, JSON, 400),
    "deeply nested arrays in a field": (
        '{"metadata": {"name": "m1"}, "spec": {"policies": ' + "[" * 10_000 + "]" * 10_000 + "}}",
        JSON,
        400,
    ),
}


@pytest.mark.parametrize("case", HOSTILE_BODIES)
def test_given_a_hostile_body_when_posted_then_4xx_with_the_json_error_body_and_the_app_keeps_serving(
    client: FlaskClient, oracle: SdkOracle, case: str
) -> None:
    data, content_type, status = HOSTILE_BODIES[case]

    response = client.post("/v0/models", data=data, headers=headers(Content_Type=content_type))

    assert response.status_code == status
    body = response.get_json()
    assert body["code"] == status
    assert isinstance(body["error"], str)
    assert oracle.problems(body, "Error") == []
    assert client.get("/v0/models", headers=headers()).get_json() == []


@pytest.mark.parametrize("case", ["malformed JSON", "wrong content type", "over 1 MiB", "uppercase name"])
def test_given_a_hostile_body_when_put_then_it_is_refused_the_same_way(client: FlaskClient, case: str) -> None:
    client.post("/v0/models", json=model_document("m1"), headers=headers())
    data, content_type, status = HOSTILE_BODIES[case]

    response = client.put("/v0/models/m1", data=data, headers=headers(Content_Type=content_type))

    assert response.status_code == status
    assert response.get_json()["code"] == status


def test_given_an_unknown_field_when_refused_then_the_message_names_it(client: FlaskClient) -> None:
    response = client.post("/v0/models", data=with_spec(replicas=2), headers=headers(Content_Type=JSON))

    assert response.get_json() == {"error": "Invalid model", "code": 400, "message": "spec.replicas: unknown field"}


def test_given_a_json_content_type_with_a_charset_when_posted_then_it_is_accepted(client: FlaskClient) -> None:
    response = client.post(
        "/v0/models",
        data=json.dumps(model_document("m1")),
        headers=headers(Content_Type="application/json; charset=utf-8"),
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/v0/agents", 404),
        ("GET", "/", 404),
        ("GET", "/v0/models/", 404),
        ("PATCH", "/v0/models/m1", 405),
        ("DELETE", "/v0/models", 405),
        ("POST", "/_emulator/health", 405),
    ],
)
def test_given_an_unknown_route_or_method_when_called_then_the_error_is_json_too(
    client: FlaskClient, oracle: SdkOracle, method: str, path: str, status: int
) -> None:
    response = client.open(path, method=method, headers=headers())

    assert response.status_code == status
    assert response.get_json()["code"] == status
    assert oracle.problems(response.get_json(), "Error") == []
    if status == 405:
        assert response.headers["Allow"]


class ExplodingStore:
    """A store that fails on every call, as a corrupt database would."""

    def get(self, workspace: str, name: str) -> dict[str, Any] | None:
        raise RuntimeError("disk on fire")

    def put(self, workspace: str, name: str, record: dict[str, Any]) -> None:
        raise RuntimeError("disk on fire")

    def delete(self, workspace: str, name: str) -> None:
        raise RuntimeError("disk on fire")

    def list(self, workspace: str) -> list[dict[str, Any]]:
        raise RuntimeError("disk on fire")


def test_given_an_internal_failure_when_calling_then_500_still_has_the_json_error_body(clock: FakeClock) -> None:
    app: Flask = create_app(EmulatorConfig(), clock=clock, store=ExplodingStore())

    response = app.test_client().get("/v0/models/m1", headers={"Authorization": "Bearer emulator-key"})

    assert response.status_code == 500
    assert response.get_json() == {
        "error": "Internal Server Error",
        "code": 500,
        "message": "unexpected emulator error; see its log",
    }
    assert "disk on fire" not in response.get_data(as_text=True)


@pytest.fixture(scope="module")
def shared_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    """One real emulator process for the whole table."""
    with EmulatorProcess(tmp_path_factory.mktemp("hostile") / "emulator.db") as process:
        yield process


@pytest.mark.parametrize("case", HOSTILE_BODIES)
def test_given_a_hostile_body_when_posted_to_the_real_server_then_4xx_json_and_it_keeps_serving(
    shared_emulator: EmulatorProcess, oracle: SdkOracle, case: str
) -> None:
    data, content_type, status = HOSTILE_BODIES[case]
    url = f"{shared_emulator.base_url}/models"

    response = requests.post(
        url, data=data, headers=shared_emulator.headers(**{"Content-Type": content_type}), timeout=30
    )

    assert response.status_code == status
    body = response.json()
    assert body["code"] == status
    assert oracle.problems(body, "Error") == []
    assert requests.get(url, headers=shared_emulator.headers(), timeout=10).json() == []
    assert "Traceback" not in shared_emulator.stderr()


@pytest.mark.parametrize(
    ("path", "data", "content_type", "status"),
    [
        ("/oauth/token", "{", JSON, 400),
        ("/oauth/token", "[" * 100_000, JSON, 400),
        ("/oauth/token", "grant_type=client_credentials", "text/plain", 415),
        ("/oauth/token", b"grant_type=\xff\xfe", "application/x-www-form-urlencoded", 400),
        ("/oauth/token", "x" * (MAX_BODY_BYTES + 1), "application/x-www-form-urlencoded", 413),
    ],
)
def test_given_a_hostile_token_request_to_the_real_server_then_4xx_json(
    shared_emulator: EmulatorProcess, path: str, data: str | bytes, content_type: str, status: int
) -> None:
    response = requests.post(
        f"{shared_emulator.base_url}{path}", data=data, headers={"Content-Type": content_type}, timeout=30
    )

    assert response.status_code == status
    assert response.json()["code"] == status


def test_given_the_whole_table_when_sent_to_the_real_server_then_it_never_answered_500(
    shared_emulator: EmulatorProcess,
) -> None:
    for data, content_type, _ in HOSTILE_BODIES.values():
        requests.post(
            f"{shared_emulator.base_url}/models",
            data=data,
            headers=shared_emulator.headers(**{"Content-Type": content_type}),
            timeout=30,
        )

    statuses = shared_emulator.stats()["statuses"]

    assert not [status for status in statuses if status.startswith("5")]
    assert shared_emulator.health() == {"status": "ok"}
    assert "Traceback" not in shared_emulator.stderr()
