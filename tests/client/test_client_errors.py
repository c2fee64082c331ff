"""Error translation: each status to its class, readable messages, transport failures, no secrets."""

from __future__ import annotations

from datetime import UTC, datetime
from http.client import RemoteDisconnected

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from blaxel_constructs.client.translate import parse_retry_after
from blaxel_constructs.errors import (
    APIError,
    BadRequestError,
    ConflictError,
    ConnectError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    RequestTimeout,
    ServerError,
    TransportError,
    UnauthorizedError,
)

from .fakes import API_KEY, Reply, client_with


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, BadRequestError),
        (401, UnauthorizedError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitedError),
        (418, BadRequestError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (302, ServerError),
    ],
)
def test_given_an_error_status_when_requesting_then_its_error_class_is_raised(
    status: int, expected: type[APIError]
) -> None:
    client, _ = client_with(Reply(status, {"error": "nope", "code": status}))

    with pytest.raises(expected) as caught:
        client.get_model("my-model")

    assert type(caught.value) is expected
    assert caught.value.status == status


def test_given_an_api_error_body_when_raised_then_the_message_names_method_path_status_and_api_text() -> None:
    body = {"error": "Resource already exists: my-model", "code": 409, "message": "choose another name"}
    client, _ = client_with(Reply(409, body))

    with pytest.raises(ConflictError) as caught:
        client.create_model({"metadata": {"name": "my-model"}, "spec": {}})

    error = caught.value
    assert str(error) == "POST /models returned 409: Resource already exists: my-model: choose another name"
    assert (error.method, error.path, error.error, error.api_message) == (
        "POST",
        "/models",
        "Resource already exists: my-model",
        "choose another name",
    )


def test_given_a_paginated_request_fails_when_raised_then_the_path_has_no_query_string() -> None:
    client, _ = client_with(Reply(500, {"error": "boom"}), api_version="2026-04-28")

    with pytest.raises(ServerError) as caught:
        client.list_models()

    assert caught.value.path == "/models"
    assert "?" not in str(caught.value)


def test_given_an_html_error_page_when_raised_then_a_short_excerpt_of_it_is_the_error_text() -> None:
    html = b"<html><body><h1>502 Bad Gateway</h1>" + b"x" * 1000 + b"</body></html>"
    client, _ = client_with(Reply(502, raw=html))

    with pytest.raises(ServerError) as caught:
        client.get_model("my-model")

    assert caught.value.error is not None
    assert caught.value.error.startswith("<html><body><h1>502 Bad Gateway</h1>")
    assert len(caught.value.error) <= 200


def test_given_an_empty_error_body_when_raised_then_the_reason_phrase_is_the_error_text() -> None:
    client, _ = client_with(Reply(503, reason="Service Unavailable"))

    with pytest.raises(ServerError, match="GET /models/my-model returned 503: Service Unavailable"):
        client.get_model("my-model")


def test_given_retry_after_seconds_when_rate_limited_then_retry_after_is_parsed() -> None:
    client, _ = client_with(Reply(429, {"error": "slow down"}, headers={"Retry-After": "7"}))

    with pytest.raises(RateLimitedError) as caught:
        client.get_model("my-model")

    assert caught.value.retry_after == 7.0


def test_given_an_http_date_when_parsing_retry_after_then_the_seconds_until_it_are_returned() -> None:
    now = datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC)

    assert parse_retry_after("Fri, 01 May 2026 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Fri, 01 May 2026 11:00:00 GMT", now=now) == 0.0


@pytest.mark.parametrize("value", [None, "", "soon", "-3", "nan"])
def test_given_a_missing_or_bad_retry_after_when_parsing_then_it_is_none(value: str | None) -> None:
    assert parse_retry_after(value) is None


def test_given_invalid_json_in_a_2xx_answer_when_decoding_then_it_is_a_server_error() -> None:
    client, _ = client_with(Reply(200, raw=b"{not json"))

    with pytest.raises(ServerError, match="invalid JSON") as caught:
        client.get_model("my-model")

    assert caught.value.status == 200


def test_given_a_json_array_where_a_model_is_expected_when_decoding_then_it_is_a_server_error() -> None:
    client, _ = client_with(Reply(200, [1, 2]))

    with pytest.raises(ServerError, match="expected a JSON object"):
        client.get_model("my-model")


def test_given_a_connect_timeout_when_requesting_then_it_is_a_connect_error() -> None:
    client, _ = client_with(requests.ConnectTimeout("connect timed out"))

    with pytest.raises(ConnectError, match="GET /models/my-model: timed out connecting"):
        client.get_model("my-model")


def test_given_a_read_timeout_when_requesting_then_it_is_a_request_timeout() -> None:
    client, _ = client_with(requests.ReadTimeout("read timed out"))

    with pytest.raises(RequestTimeout, match="POST /models"):
        client.create_model({"metadata": {"name": "m"}, "spec": {}})


def test_given_a_refused_connection_when_requesting_then_it_is_a_connect_error() -> None:
    refused = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")  # type: ignore[arg-type]
    client, _ = client_with(requests.ConnectionError(MaxRetryError(None, "/v0/models?cursor=c", refused)))  # type: ignore[arg-type]

    with pytest.raises(ConnectError) as caught:
        client.create_model({"metadata": {"name": "m"}, "spec": {}})

    assert "Connection refused" in str(caught.value)
    assert "cursor" not in str(caught.value)


def test_given_the_server_hangs_up_after_the_request_when_requesting_then_it_is_not_a_connect_error() -> None:
    dropped = ProtocolError("Connection aborted.", RemoteDisconnected("Remote end closed connection"))
    client, _ = client_with(requests.ConnectionError(dropped))

    with pytest.raises(TransportError) as caught:
        client.create_model({"metadata": {"name": "m"}, "spec": {}})

    assert type(caught.value) is TransportError
    assert "may have been applied" in str(caught.value)


def test_given_a_broken_body_stream_when_requesting_then_it_is_a_transport_error() -> None:
    client, _ = client_with(requests.exceptions.ChunkedEncodingError("incomplete read"))

    with pytest.raises(TransportError) as caught:
        client.get_model("my-model")

    assert type(caught.value) is TransportError


def test_given_an_api_that_echoes_the_key_when_raised_then_the_message_does_not_contain_it() -> None:
    body = {"error": f"invalid key {API_KEY}", "message": f"Authorization: Bearer {API_KEY}"}
    client, _ = client_with(Reply(401, body))

    with pytest.raises(UnauthorizedError) as caught:
        client.get_model("my-model")

    assert API_KEY not in str(caught.value)
    assert API_KEY not in repr(caught.value)
    assert "[REDACTED]" in str(caught.value)


def test_given_a_transport_failure_quoting_the_key_when_raised_then_the_message_does_not_contain_it() -> None:
    client, _ = client_with(requests.ConnectionError(f"proxy said Bearer {API_KEY}"))

    with pytest.raises(TransportError) as caught:
        client.get_model("my-model")

    assert API_KEY not in str(caught.value)


def test_given_a_server_error_page_quoting_the_key_when_decoding_then_the_message_does_not_contain_it() -> None:
    client, _ = client_with(Reply(200, raw=f"debug: {API_KEY}".encode()))

    with pytest.raises(ServerError) as caught:
        client.get_model("my-model")

    assert API_KEY not in str(caught.value)
