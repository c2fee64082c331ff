"""OAuth client credentials: exchanged at /oauth/token, cached until shortly before expiry."""

from __future__ import annotations

import base64

import pytest

from blaxel_constructs.client.auth import TOKEN_REFRESH_MARGIN, ClientCredentialsToken
from blaxel_constructs.errors import ServerError, UnauthorizedError

from .fakes import Reply, client_with, model

SECRET = "client-SECRET-value"
CREDENTIALS = base64.b64encode(f"client-id:{SECRET}".encode()).decode()
TOKEN = "eyJ-access-TOKEN"


def test_given_client_credentials_when_requesting_then_a_token_is_fetched_once_and_sent_as_bearer() -> None:
    client, adapter = client_with(
        Reply(200, {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 7200}),
        Reply(200, model()),
        Reply(200, model()),
        api_key=None,
        client_credentials=CREDENTIALS,
    )

    client.get_model("my-model")
    client.get_model("my-model")

    token_request, first, second = adapter.sent
    assert (token_request.method, token_request.path_and_query) == ("POST", "/oauth/token")
    assert token_request.headers["Authorization"] == f"Basic {CREDENTIALS}"
    assert token_request.body == {"grant_type": "client_credentials"}
    assert first.headers["Authorization"] == second.headers["Authorization"] == f"Bearer {TOKEN}"


def test_given_an_api_key_and_client_credentials_when_requesting_then_the_api_key_wins() -> None:
    client, adapter = client_with(Reply(200, model()), client_credentials=CREDENTIALS)

    client.get_model("my-model")

    assert [s.path_and_query for s in adapter.sent] == ["/models/my-model"]


def test_given_rejected_client_credentials_when_requesting_then_no_secret_is_in_the_error() -> None:
    client, _ = client_with(
        Reply(401, {"error": f"bad client {CREDENTIALS} / {SECRET}"}), api_key=None, client_credentials=CREDENTIALS
    )

    with pytest.raises(UnauthorizedError) as caught:
        client.get_model("my-model")

    assert caught.value.path == "/oauth/token"
    assert CREDENTIALS not in str(caught.value)
    assert SECRET not in str(caught.value)


def test_given_a_token_rejected_later_when_requesting_again_then_a_new_token_is_fetched() -> None:
    client, adapter = client_with(
        Reply(200, {"access_token": TOKEN, "expires_in": 7200}),
        Reply(401, {"error": f"expired token {TOKEN}"}),
        Reply(200, {"access_token": "second-TOKEN", "expires_in": 7200}),
        Reply(200, model()),
        api_key=None,
        client_credentials=CREDENTIALS,
    )

    with pytest.raises(UnauthorizedError) as caught:
        client.get_model("my-model")
    client.get_model("my-model")

    assert TOKEN not in str(caught.value)
    assert adapter.sent[-1].headers["Authorization"] == "Bearer second-TOKEN"


def test_given_a_token_answer_without_access_token_when_requesting_then_it_is_a_server_error() -> None:
    client, _ = client_with(Reply(200, {"token_type": "Bearer"}), api_key=None, client_credentials=CREDENTIALS)

    with pytest.raises(ServerError, match="no access_token"):
        client.get_model("my-model")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_given_a_cached_token_when_its_expiry_nears_then_it_is_refreshed_a_margin_before() -> None:
    clock = Clock()
    tokens = iter(["t1", "t2"])
    source = ClientCredentialsToken(lambda: (next(tokens), 3600), clock=clock)

    assert source() == "t1"
    clock.now += 3600 - TOKEN_REFRESH_MARGIN - 1
    assert source() == "t1"
    clock.now += 1
    assert source() == "t2"
    assert source.fetches == 2


def test_given_a_token_without_expiry_when_cached_then_a_default_lifetime_applies() -> None:
    clock = Clock()
    source = ClientCredentialsToken(lambda: ("t", None), clock=clock)

    source()
    clock.now += 200
    source()

    assert source.fetches == 1
    assert repr(source) == "ClientCredentialsToken(cached=True)"
