"""OAuth client credentials: exchanged at /oauth/token, cached until shortly before expiry, renewed once on 401."""

from __future__ import annotations

import base64
import logging
import threading
from typing import Any

import pytest

from blaxel_constructs.client import BlaxelClient
from blaxel_constructs.client.credentials import TOKEN_REFRESH_MARGIN, ClientCredentialsToken
from blaxel_constructs.errors import APIError, ServerError, UnauthorizedError
from tests.support.clock import FakeClock

from .fakes import FakeAdapter, Reply, client_with, model, retry_on

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


def test_given_a_token_rejected_later_when_requesting_then_it_is_renewed_once_and_the_request_sent_again() -> None:
    client, adapter = client_with(
        Reply(200, {"access_token": TOKEN, "expires_in": 7200}),
        Reply(401, {"error": f"expired token {TOKEN}"}),
        Reply(200, {"access_token": "second-TOKEN", "expires_in": 7200}),
        Reply(200, model()),
        api_key=None,
        client_credentials=CREDENTIALS,
    )

    assert client.get_model("my-model")["metadata"]["name"] == "my-model"

    assert [(s.method, s.path_and_query) for s in adapter.sent] == [
        ("POST", "/oauth/token"),
        ("GET", "/models/my-model"),
        ("POST", "/oauth/token"),
        ("GET", "/models/my-model"),
    ]
    assert adapter.sent[1].headers["Authorization"] == f"Bearer {TOKEN}"
    assert adapter.sent[-1].headers["Authorization"] == "Bearer second-TOKEN"
    assert client.retries == 1


def test_given_a_token_answer_without_access_token_when_requesting_then_it_is_a_server_error() -> None:
    client, _ = client_with(Reply(200, {"token_type": "Bearer"}), api_key=None, client_credentials=CREDENTIALS)

    with pytest.raises(ServerError, match="no access_token"):
        client.get_model("my-model")


def test_given_a_cached_token_when_its_expiry_nears_then_it_is_refreshed_a_margin_before() -> None:
    clock = FakeClock(1000.0)
    tokens = iter(["t1", "t2"])
    source = ClientCredentialsToken(lambda deadline: (next(tokens), 3600), clock=clock)

    assert source() == "t1"
    clock.now += 3600 - TOKEN_REFRESH_MARGIN - 1
    assert source() == "t1"
    clock.now += 1
    assert source() == "t2"
    assert source.fetches == 2


def test_given_a_token_without_expiry_when_cached_then_a_default_lifetime_applies() -> None:
    clock = FakeClock(1000.0)
    source = ClientCredentialsToken(lambda deadline: ("t", None), clock=clock)

    source()
    clock.now += 200
    source()

    assert source.fetches == 1
    assert repr(source) == "ClientCredentialsToken(cached=True)"


# -- renewal after a 401 ---------------------------------------------------------------------------------


def oauth_client(*script: Reply | BaseException, **settings: Any) -> tuple[BlaxelClient, FakeAdapter, FakeClock]:
    clock = FakeClock(1000.0)
    client, adapter = client_with(
        *script, retry=retry_on(clock, **settings), api_key=None, client_credentials=CREDENTIALS
    )
    return client, adapter, clock


def token(value: str = TOKEN) -> Reply:
    return Reply(200, {"access_token": value, "token_type": "Bearer", "expires_in": 7200})


def test_given_a_post_whose_token_is_rejected_when_creating_then_it_is_sent_once_more_with_a_new_token() -> None:
    document = {"metadata": {"name": "my-model"}, "spec": {}}
    client, adapter, clock = oauth_client(
        token(), Reply(401, {"error": "Unauthorized"}), token("t2"), Reply(200, model())
    )

    client.create_model(document)

    posts = [s for s in adapter.sent if s.path_and_query == "/models"]
    assert [s.body for s in posts] == [document, document]  # a 401 means nothing was applied
    assert posts[1].headers["Authorization"] == "Bearer t2"
    assert (client.retries, clock.sleeps) == (1, [])


def test_given_the_renewed_token_is_rejected_too_when_requesting_then_unauthorized_is_raised_after_one_renewal() -> (
    None
):
    client, adapter, _ = oauth_client(
        token(), Reply(401, {"error": "Unauthorized"}), token("t2"), Reply(401, {"error": "Unauthorized"})
    )

    with pytest.raises(UnauthorizedError) as caught:
        client.get_model("my-model")

    assert caught.value.path == "/models/my-model"
    assert [s.path_and_query for s in adapter.sent] == ["/oauth/token", "/models/my-model"] * 2
    assert client.retries == 1


def test_given_two_rejections_when_requesting_again_later_then_a_fresh_token_is_fetched_first() -> None:
    client, adapter, _ = oauth_client(token(), Reply(401), token("t2"), Reply(401), token("t3"), Reply(200, model()))

    with pytest.raises(UnauthorizedError):
        client.get_model("my-model")
    client.get_model("my-model")

    assert adapter.sent[-1].headers["Authorization"] == "Bearer t3"


def test_given_an_api_key_when_a_request_gets_401_then_it_is_raised_without_a_retry() -> None:
    client, adapter = client_with(Reply(401, {"error": "Unauthorized"}), retry=retry_on(FakeClock(1000.0)))

    with pytest.raises(UnauthorizedError):
        client.get_model("my-model")

    assert len(adapter.sent) == 1
    assert client.retries == 0


def test_given_a_renewal_after_a_401_when_logging_at_debug_then_no_credential_or_token_appears(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client, _, _ = oauth_client(
        token(),
        Reply(401, {"error": f"token {TOKEN} expired"}),
        Reply(503, {"error": f"token service down for {CREDENTIALS} ({SECRET})"}),
        token("second-TOKEN"),
        Reply(503, {"error": "echo Bearer second-TOKEN"}),
        Reply(200, model()),
    )

    with caplog.at_level(logging.DEBUG, logger="blaxel_constructs"):
        client.get_model("my-model")

    messages = [r.getMessage() for r in caplog.records]
    assert any("OAuth token was rejected (401); renewing it" in m for m in messages)
    assert sum("retrying in" in m for m in messages) == 2
    for secret in (TOKEN, "second-TOKEN", CREDENTIALS, SECRET):
        assert secret not in caplog.text


def test_given_an_old_token_echoed_after_renewal_when_an_error_is_raised_then_it_is_still_redacted() -> None:
    client, _, _ = oauth_client(
        token(), Reply(401), token("t2-SECRET-token"), Reply(400, {"error": f"mismatch {TOKEN} vs t2-SECRET-token"})
    )

    with pytest.raises(APIError) as caught:
        client.get_model("my-model")

    assert TOKEN not in str(caught.value)
    assert "t2-SECRET-token" not in str(caught.value)


def test_given_a_token_rejected_by_one_thread_when_another_already_renewed_it_then_the_new_one_is_kept() -> None:
    tokens = iter(["t1", "t2", "t3"])
    source = ClientCredentialsToken(lambda deadline: (next(tokens), 3600))

    rejected = source()
    source.invalidate(rejected)
    renewed = source()
    source.invalidate(rejected)  # a second thread reporting the same old token

    assert (renewed, source(), source.fetches) == ("t2", "t2", 2)
    assert source.issued == ("t1", "t2")


def test_given_concurrent_callers_when_the_token_is_due_then_it_is_fetched_once() -> None:
    started = threading.Event()
    release = threading.Event()

    def slow_fetch(deadline: float | None) -> tuple[str, float | None]:
        started.set()
        release.wait(5)
        return "only-token", 3600

    source = ClientCredentialsToken(slow_fetch)
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(source())) for _ in range(4)]
    for thread in threads:
        thread.start()
    started.wait(5)
    release.set()
    for thread in threads:
        thread.join()

    assert results == ["only-token"] * 4
    assert source.fetches == 1


def test_given_a_deadline_when_a_token_is_fetched_then_the_exchange_gets_it() -> None:
    seen: list[float | None] = []

    def fetch(deadline: float | None) -> tuple[str, float | None]:
        seen.append(deadline)
        return "t", 60

    source = ClientCredentialsToken(fetch)

    source(123.0)

    assert seen == [123.0]
