"""OAuth client credentials in the app: POST /v0/oauth/token, and its tokens used like API keys until they expire."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from blaxel_constructs.emulator import EmulatorConfig, create_app
from blaxel_constructs.emulator.authentication import identity_for_client
from blaxel_constructs.emulator.oauth import basic_credentials
from blaxel_constructs.emulator.settings import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SettingsError,
    parse_client_pair,
)
from blaxel_constructs.emulator.storage import SqliteRecordStore
from tests.support.clock import FakeClock

from .documents import WORKSPACE, model_document
from .sdk_oracle import SdkOracle

CLIENT = (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
GRANT = {"grant_type": "client_credentials"}
TOKEN_URL = "/v0/oauth/token"


def basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def issue(client: FlaskClient, **kwargs: Any) -> str:
    response = client.post(TOKEN_URL, data=GRANT, auth=CLIENT, **kwargs)
    assert response.status_code == 200, response.get_json()
    token: str = response.get_json()["access_token"]
    return token


def bearer(token: str, header: str = "Authorization", **extra: str) -> dict[str, str]:
    return {header: f"Bearer {token}", **extra}


def jwt_payload(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return decoded


def test_given_basic_auth_and_a_form_body_when_asking_for_a_token_then_a_bearer_token_is_issued(
    client: FlaskClient, clock: FakeClock
) -> None:
    response = client.post(TOKEN_URL, data=GRANT, auth=CLIENT)

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 7200
    assert response.headers["Cache-Control"] == "no-store"
    claims = jwt_payload(body["access_token"])
    assert claims["sub"] == identity_for_client(DEFAULT_CLIENT_ID)
    assert claims["workspace"] == WORKSPACE
    assert claims["exp"] == clock.now + 7200
    assert DEFAULT_CLIENT_SECRET not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "send",
    [
        {"data": {**GRANT, "client_id": CLIENT[0], "client_secret": CLIENT[1]}},
        {"json": {**GRANT, "client_id": CLIENT[0], "client_secret": CLIENT[1]}},
        {"json": GRANT, "headers": basic(*CLIENT)},
        {"data": {**GRANT, "client_id": CLIENT[0]}, "headers": basic(*CLIENT)},
        {"data": {**GRANT, "scope": "openid"}, "headers": basic(*CLIENT)},
    ],
    ids=["form body", "json body", "json with basic", "basic and the same id in the body", "a scope"],
)
def test_given_the_client_in_basic_auth_or_the_body_when_asking_for_a_token_then_it_is_issued(
    client: FlaskClient, send: dict[str, Any]
) -> None:
    response = client.post(TOKEN_URL, **send)

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["token_type"] == "Bearer"


def test_given_two_tokens_when_issued_then_they_differ(client: FlaskClient) -> None:
    assert issue(client) != issue(client)


@pytest.mark.parametrize(
    "send",
    [
        {"data": GRANT, "auth": (CLIENT[0], "wrong-secret")},
        {"data": GRANT, "auth": ("someone-else", CLIENT[1])},
        {"data": {**GRANT, "client_id": CLIENT[0], "client_secret": "wrong-secret"}},
        {"data": {**GRANT, "client_id": CLIENT[0]}},
        {"data": GRANT},
        {"data": GRANT, "headers": {"Authorization": "Basic !!not-base64!!"}},
        {"data": GRANT, "headers": {"Authorization": "Basic " + base64.b64encode(b"no-colon").decode()}},
        {"data": GRANT, "headers": {"Authorization": "Bearer emulator-key"}},
    ],
    ids=[
        "wrong secret",
        "unknown id",
        "wrong secret in body",
        "no secret",
        "no client",
        "bad base64",
        "no colon",
        "bearer",
    ],
)
def test_given_a_bad_or_missing_client_when_asking_for_a_token_then_401_invalid_client_without_the_secret(
    client: FlaskClient, oracle: SdkOracle, send: dict[str, Any]
) -> None:
    response = client.post(TOKEN_URL, **send)

    assert response.status_code == 401
    body = response.get_json()
    assert body["error"] == "invalid_client"
    assert body["code"] == 401
    assert oracle.problems(body, "Error") == []
    assert "wrong-secret" not in response.get_data(as_text=True)
    assert CLIENT[1] not in response.get_data(as_text=True)


def test_given_wrong_basic_credentials_when_refused_then_the_answer_challenges_for_basic(client: FlaskClient) -> None:
    response = client.post(TOKEN_URL, data=GRANT, auth=(CLIENT[0], "wrong-secret"))

    assert response.headers["WWW-Authenticate"].startswith("Basic ")


@pytest.mark.parametrize("grant", ["password", "authorization_code", "refresh_token", "CLIENT_CREDENTIALS"])
def test_given_another_grant_type_when_asking_for_a_token_then_400_unsupported_grant_type(
    client: FlaskClient, grant: str
) -> None:
    response = client.post(TOKEN_URL, data={"grant_type": grant}, auth=CLIENT)

    assert response.status_code == 400
    assert response.get_json()["error"] == "unsupported_grant_type"
    assert response.get_json()["code"] == 400


@pytest.mark.parametrize(
    ("send", "status", "error"),
    [
        ({"data": {}}, 400, "invalid_request"),
        ({}, 400, "invalid_request"),
        ({"json": {"grant_type": 1}}, 400, "invalid_request"),
        ({"json": ["client_credentials"]}, 400, "invalid_request"),
        ({"data": "{", "content_type": "application/json"}, 400, "Malformed JSON"),
        ({"data": "grant_type=client_credentials", "content_type": "text/plain"}, 415, "Unsupported Media Type"),
        ({"data": "x" * (1024 * 1024 + 1), "content_type": "application/x-www-form-urlencoded"}, 413, None),
        ({"data": {**GRANT, "client_id": CLIENT[0], "client_secret": "other"}, "headers": basic(*CLIENT)}, 400, None),
    ],
    ids=["empty form", "no body", "grant as number", "json array", "malformed json", "text", "over 1 MiB", "twice"],
)
def test_given_a_bad_token_request_when_sent_then_4xx_with_the_api_error_body(
    client: FlaskClient, oracle: SdkOracle, send: dict[str, Any], status: int, error: str | None
) -> None:
    response = client.post(TOKEN_URL, **{"auth": CLIENT, **send} if "headers" not in send else send)

    assert response.status_code == status
    body = response.get_json()
    assert body["code"] == status
    assert oracle.problems(body, "Error") == []
    if error is not None:
        assert body["error"] == error


def test_given_a_non_utf8_form_when_asking_for_a_token_then_400_not_a_crash(client: FlaskClient) -> None:
    response = client.post(
        TOKEN_URL,
        data=b"grant_type=client_credentials&client_id=\xff\xfe&client_secret=%ff",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400  # werkzeug drops a form it cannot decode: no grant_type is left
    assert response.get_json()["error"] == "invalid_request"


@pytest.mark.parametrize("header", ["Authorization", "X-Blaxel-Authorization"])
def test_given_a_token_when_calling_the_api_in_either_header_then_it_works_like_an_api_key(
    client: FlaskClient, header: str
) -> None:
    token = issue(client)

    created = client.post("/v0/models", json=model_document("m1"), headers=bearer(token, header))
    listed = client.get("/v0/models", headers=bearer(token, header, **{"X-Blaxel-Workspace": WORKSPACE}))

    assert created.status_code == 200
    assert created.get_json()["metadata"]["createdBy"] == identity_for_client(DEFAULT_CLIENT_ID)
    assert [m["metadata"]["name"] for m in listed.get_json()] == ["m1"]


def test_given_the_token_endpoint_when_called_then_it_needs_no_bearer_credential(client: FlaskClient) -> None:
    response = client.post(TOKEN_URL, data=GRANT, auth=CLIENT, headers={"X-Blaxel-Workspace": "anything"})

    assert response.status_code == 200


def test_given_a_token_when_its_lifetime_is_over_then_401_token_expired(
    client: FlaskClient, clock: FakeClock, oracle: SdkOracle
) -> None:
    client.put("/_emulator/config", json={"token_seconds": 60})
    token = issue(client)

    clock.advance(59.9)
    assert client.get("/v0/models", headers=bearer(token)).status_code == 200
    clock.advance(0.1)
    expired = client.get("/v0/models", headers=bearer(token))

    assert expired.status_code == 401
    assert expired.get_json() == {"error": "Unauthorized", "code": 401, "message": "token expired"}
    assert oracle.problems(expired.get_json(), "Error") == []


def test_given_a_shorter_token_lifetime_when_set_then_only_tokens_issued_afterwards_get_it(
    client: FlaskClient, clock: FakeClock
) -> None:
    long_lived = issue(client)
    configured = client.put("/_emulator/config", json={"token_seconds": 1.5}).get_json()
    short = client.post(TOKEN_URL, data=GRANT, auth=CLIENT).get_json()

    clock.advance(2)

    assert configured["token_seconds"] == 1.5
    assert short["expires_in"] == 2  # whole seconds, rounded up
    assert client.get("/v0/models", headers=bearer(long_lived)).status_code == 200
    assert client.get("/v0/models", headers=bearer(short["access_token"])).status_code == 401


def test_given_an_expired_token_and_a_valid_key_when_both_are_sent_then_the_key_is_enough(
    client: FlaskClient, clock: FakeClock
) -> None:
    client.put("/_emulator/config", json={"token_seconds": 1})
    token = issue(client)
    clock.advance(5)

    both = {"Authorization": f"Bearer {token}", "X-Blaxel-Authorization": "Bearer test-key"}

    assert client.get("/v0/models", headers=both).status_code == 200


@pytest.mark.parametrize(
    "token",
    ["not-a-token", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "test-key-but-longer"],
)
def test_given_a_token_never_issued_when_calling_then_401_unauthorized(client: FlaskClient, token: str) -> None:
    response = client.get("/v0/models", headers=bearer(token))

    assert (response.status_code, response.get_json()) == (401, {"error": "Unauthorized", "code": 401})


def test_given_a_token_and_another_workspace_when_calling_then_403_but_401_once_expired(
    client: FlaskClient, clock: FakeClock
) -> None:
    client.put("/_emulator/config", json={"token_seconds": 10})
    token = issue(client)
    other = bearer(token, **{"X-Blaxel-Workspace": "someone-else"})

    forbidden = client.get("/v0/models", headers=other)
    clock.advance(10)
    expired = client.get("/v0/models", headers=other)

    assert forbidden.status_code == 403
    assert forbidden.get_json()["error"] == "Forbidden"
    assert expired.status_code == 401


def test_given_a_token_issued_for_another_workspace_when_used_then_403(tmp_path: Path, clock: FakeClock) -> None:
    store = SqliteRecordStore(tmp_path / "state.db")
    token = issue(create_app(EmulatorConfig(workspace="team-a"), clock=clock, store=store).test_client())

    team_b = create_app(EmulatorConfig(workspace="team-b"), clock=clock, store=store).test_client()

    assert team_b.get("/v0/models", headers=bearer(token)).status_code == 403
    store.close()


def test_given_tokens_in_a_file_store_when_the_app_restarts_then_they_are_still_valid_until_they_expire(
    tmp_path: Path, clock: FakeClock
) -> None:
    before = SqliteRecordStore(tmp_path / "state.db")
    app = create_app(EmulatorConfig(), clock=clock, store=before)
    app.test_client().put("/_emulator/config", json={"token_seconds": 100})
    token = issue(app.test_client())
    before.close()

    after = SqliteRecordStore(tmp_path / "state.db")
    restarted = create_app(EmulatorConfig(), clock=clock, store=after).test_client()

    clock.advance(99)
    assert restarted.get("/v0/models", headers=bearer(token)).status_code == 200
    clock.advance(1)
    assert restarted.get("/v0/models", headers=bearer(token)).get_json()["message"] == "token expired"
    after.close()


def test_given_issued_tokens_when_stored_then_the_database_holds_no_token_and_no_secret(
    tmp_path: Path, clock: FakeClock
) -> None:
    store = SqliteRecordStore(tmp_path / "state.db")
    client = create_app(EmulatorConfig(), clock=clock, store=store).test_client()
    tokens = [issue(client) for _ in range(3)]
    store.close()

    raw = b"".join(path.read_bytes() for path in tmp_path.iterdir())

    for token in tokens:
        assert token.encode() not in raw
        assert token.split(".")[2].encode() not in raw
    assert DEFAULT_CLIENT_SECRET.encode() not in raw


def test_given_an_expired_token_when_a_day_has_passed_then_it_is_forgotten(clock: FakeClock) -> None:
    store = SqliteRecordStore(None)
    client = create_app(EmulatorConfig(), clock=clock, store=store).test_client()
    client.put("/_emulator/config", json={"token_seconds": 1})
    old = issue(client)

    clock.advance(86_402)
    issue(client)  # issuing purges tokens expired more than a day ago

    assert client.get("/v0/models", headers=bearer(old)).get_json() == {"error": "Unauthorized", "code": 401}
    store.close()


def test_given_configured_clients_when_asking_then_each_works_and_the_default_one_is_gone(clock: FakeClock) -> None:
    app: Flask = create_app(EmulatorConfig(clients=(("ci", "s1"), ("ops", "s2:with:colons"))), clock=clock)
    client = app.test_client()

    codes = [
        client.post(TOKEN_URL, data=GRANT, auth=pair).status_code
        for pair in (("ci", "s1"), ("ops", "s2:with:colons"), CLIENT, ("ci", "s2:with:colons"))
    ]

    assert codes == [200, 200, 401, 401]


def test_given_no_clients_when_asking_for_a_token_then_every_client_is_refused(clock: FakeClock) -> None:
    client = create_app(EmulatorConfig(clients=()), clock=clock).test_client()

    assert client.post(TOKEN_URL, data=GRANT, auth=CLIENT).status_code == 401


def test_given_form_encoded_basic_credentials_when_asking_then_they_are_decoded(clock: FakeClock) -> None:
    client = create_app(EmulatorConfig(clients=(("my client", "p&ss word"),)), clock=clock).test_client()

    encoded = client.post(TOKEN_URL, data=GRANT, headers=basic("my+client", "p%26ss+word"))
    raw = client.post(TOKEN_URL, data=GRANT, headers=basic("my client", "p&ss word"))

    assert (encoded.status_code, raw.status_code) == (200, 200)


def test_given_basic_header_values_when_parsed_then_only_well_formed_ones_count() -> None:
    assert basic_credentials(basic("id", "se:cret")["Authorization"]) == ("id", "se:cret")
    assert basic_credentials("basic " + base64.b64encode(b"a:").decode()) == ("a", "")
    assert basic_credentials("Bearer abc") is None
    assert basic_credentials("Basic " + base64.b64encode(b"\xff:x").decode()) is None
    assert basic_credentials(None) is None


def test_given_client_pairs_when_parsed_then_bad_ones_are_refused_without_quoting_them() -> None:
    assert parse_client_pair("id:secret:with:colons") == ("id", "secret:with:colons")
    for bad in ("no-colon-s3cr3t", ":s3cr3t", "id:"):
        with pytest.raises(SettingsError) as caught:
            parse_client_pair(bad)
        assert "s3cr3t" not in str(caught.value)


def test_given_a_config_with_clients_when_shown_then_no_secret_is_in_its_repr() -> None:
    config = EmulatorConfig(clients=(("ci", "TOP-SECRET"),))

    assert "TOP-SECRET" not in repr(config)
    with pytest.raises(SettingsError):
        EmulatorConfig(clients=(("a:b", "secret"),))
