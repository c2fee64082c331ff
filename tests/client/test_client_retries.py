"""Retries: which failures of which methods are sent again, how long the client waits, and when it stops."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.client import RemoteDisconnected
from typing import Any

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from blaxel_constructs.client import (
    DEFAULT_RETRY_BACKOFF,
    DEFAULT_RETRY_INITIAL_DELAY,
    DEFAULT_RETRY_MAX_ATTEMPTS,
    DEFAULT_RETRY_MAX_DELAY,
    LOGGER_NAME,
    MAX_RETRY_AFTER,
    BlaxelClient,
    RetryPolicy,
)
from blaxel_constructs.errors import (
    APIError,
    BadRequestError,
    BlaxelError,
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
from blaxel_constructs.timing import SYSTEM_CLOCK
from tests.support.clock import FakeClock

from .fakes import API_KEY, Reply, Script, client_with, model, retry_on

DOCUMENT: dict[str, Any] = {"metadata": {"name": "my-model"}, "spec": {"runtime": {"type": "openai"}}}

Call = Callable[..., Any]

METHODS: dict[str, Call] = {
    "GET": lambda client, **kw: client.get_model("my-model", **kw),
    "PUT": lambda client, **kw: client.update_model("my-model", DOCUMENT, **kw),
    "DELETE": lambda client, **kw: client.delete_model("my-model", **kw),
    "POST": lambda client, **kw: client.create_model(DOCUMENT, **kw),
}


def refused() -> requests.ConnectionError:
    reason = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")  # type: ignore[arg-type]
    return requests.ConnectionError(MaxRetryError(None, "/v0/models", reason))  # type: ignore[arg-type]


def dropped() -> requests.ConnectionError:
    return requests.ConnectionError(ProtocolError("Connection aborted.", RemoteDisconnected("Remote end closed")))


def http_date(seconds_from_now: float) -> str:
    return format_datetime(datetime.now(UTC) + timedelta(seconds=seconds_from_now), usegmt=True)


class Kind:
    """A failure kind: how to script it, the error it raises, whether a POST may be retried, the first sleep."""

    def __init__(
        self, make: Callable[[], Script], error: type[BlaxelError], *, post_safe: bool, sleep: tuple[float, float]
    ) -> None:
        self.make, self.error, self.post_safe, self.sleep = make, error, post_safe, sleep


FIRST = DEFAULT_RETRY_INITIAL_DELAY  # the first delay's cap; a draw of 1.0 sleeps all of it
KINDS: dict[str, Kind] = {
    "connect error": Kind(refused, ConnectError, post_safe=True, sleep=(FIRST, FIRST)),
    "connect timeout": Kind(
        lambda: requests.ConnectTimeout("timed out"), ConnectError, post_safe=True, sleep=(FIRST, FIRST)
    ),
    "dropped after send": Kind(dropped, TransportError, post_safe=False, sleep=(FIRST, FIRST)),
    "read timeout": Kind(
        lambda: requests.ReadTimeout("read timed out"), RequestTimeout, post_safe=False, sleep=(FIRST, FIRST)
    ),
    "408": Kind(
        lambda: Reply(408, {"error": "Request Timeout"}), BadRequestError, post_safe=False, sleep=(FIRST, FIRST)
    ),
    "429 retry-after seconds": Kind(
        lambda: Reply(429, {"error": "slow down"}, headers={"Retry-After": "3"}),
        RateLimitedError,
        post_safe=True,
        sleep=(3.0, 3.0),
    ),
    "429 retry-after date": Kind(
        lambda: Reply(429, {"error": "slow down"}, headers={"Retry-After": http_date(30)}),
        RateLimitedError,
        post_safe=True,
        sleep=(28.0, 30.0),
    ),
    "429 without retry-after": Kind(
        lambda: Reply(429, {"error": "slow down"}), RateLimitedError, post_safe=True, sleep=(FIRST, FIRST)
    ),
    "500": Kind(lambda: Reply(500, {"error": "boom"}), ServerError, post_safe=False, sleep=(FIRST, FIRST)),
    "502": Kind(
        lambda: Reply(502, raw=b"<html>Bad Gateway</html>"), ServerError, post_safe=False, sleep=(FIRST, FIRST)
    ),
    "503": Kind(lambda: Reply(503, reason="Service Unavailable"), ServerError, post_safe=False, sleep=(FIRST, FIRST)),
    "504": Kind(lambda: Reply(504, {"error": "Gateway Timeout"}), ServerError, post_safe=False, sleep=(FIRST, FIRST)),
}


def clocked(*script: Script, rng: float = 1.0, **settings: Any) -> tuple[BlaxelClient, Any, FakeClock]:
    clock = FakeClock(1000.0)
    client, adapter = client_with(*script, retry=retry_on(clock, rng=rng, **settings))
    return client, adapter, clock


# -- what is retried ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_given_a_transient_failure_of_an_idempotent_request_when_sending_then_it_is_retried_and_succeeds(
    method: str, kind: str
) -> None:
    failure = KINDS[kind]
    client, adapter, clock = clocked(failure.make(), Reply(200, model()))

    METHODS[method](client)

    assert [s.method for s in adapter.sent] == [method, method]
    assert client.retries == 1
    assert len(clock.sleeps) == 1
    assert failure.sleep[0] <= clock.sleeps[0] <= failure.sleep[1]


@pytest.mark.parametrize("kind", [k for k, v in KINDS.items() if v.post_safe])
def test_given_a_failure_that_proves_nothing_was_applied_when_posting_then_the_post_is_retried(kind: str) -> None:
    client, adapter, _ = clocked(KINDS[kind].make(), Reply(200, model()))

    created = client.create_model(DOCUMENT)

    assert created["metadata"]["name"] == "my-model"
    assert [s.method for s in adapter.sent] == ["POST", "POST"]
    assert adapter.sent[1].body == DOCUMENT
    assert client.retries == 1


@pytest.mark.parametrize("kind", [k for k, v in KINDS.items() if not v.post_safe])
def test_given_a_failure_after_which_the_post_may_have_applied_when_posting_then_it_is_raised_as_is(
    kind: str,
) -> None:
    failure = KINDS[kind]
    client, adapter, clock = clocked(failure.make())

    with pytest.raises(failure.error) as caught:
        client.create_model(DOCUMENT)

    assert type(caught.value) is failure.error
    assert len(adapter.sent) == 1
    assert client.retries == 0
    assert clock.sleeps == []


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (401, UnauthorizedError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (501, ServerError),
        (505, ServerError),
    ],
)
@pytest.mark.parametrize("method", list(METHODS))
def test_given_a_final_error_status_when_sending_then_it_is_raised_without_a_retry(
    method: str, status: int, error: type[APIError]
) -> None:
    client, adapter, clock = clocked(Reply(status, {"error": "no"}))

    with pytest.raises(error):
        METHODS[method](client)

    assert len(adapter.sent) == 1
    assert (client.retries, clock.sleeps) == (0, [])


def test_given_the_token_endpoint_drops_the_connection_when_exchanging_then_it_is_retried_like_a_get() -> None:
    credentials = "Y2xpZW50LWlkOmNsaWVudC1zZWNyZXQ="  # base64("client-id:client-secret")
    clock = FakeClock(1000.0)
    client, adapter = client_with(
        dropped(),
        Reply(503),
        Reply(200, {"access_token": "tok", "expires_in": 3600}),
        Reply(200, model()),
        retry=retry_on(clock),
        api_key=None,
        client_credentials=credentials,
    )

    client.get_model("my-model")

    assert [s.path_and_query for s in adapter.sent] == ["/oauth/token"] * 3 + ["/models/my-model"]
    assert client.retries == 2


# -- how long it waits ----------------------------------------------------------------------------------


def test_given_failures_until_the_attempt_cap_when_sending_then_delays_grow_and_the_last_error_is_raised() -> None:
    script = [Reply(503, {"error": f"attempt {n}"}) for n in range(1, DEFAULT_RETRY_MAX_ATTEMPTS + 1)]
    client, adapter, clock = clocked(*script)

    with pytest.raises(ServerError, match=f"attempt {DEFAULT_RETRY_MAX_ATTEMPTS}$"):
        client.get_model("my-model")

    assert len(adapter.sent) == DEFAULT_RETRY_MAX_ATTEMPTS == 8
    assert clock.sleeps == pytest.approx([0.2, 0.4, 0.8, 1.6, 3.2, DEFAULT_RETRY_MAX_DELAY, DEFAULT_RETRY_MAX_DELAY])
    assert client.retries == 7


def test_given_a_jitter_draw_when_waiting_then_the_delay_is_that_fraction_of_the_cap() -> None:
    client, _, clock = clocked(Reply(503), Reply(503), Reply(503), Reply(200, model()), rng=0.25)

    client.get_model("my-model")

    assert clock.sleeps == pytest.approx([0.05, 0.1, 0.2])  # full jitter: anywhere in [0, cap)


def test_given_a_retry_after_shorter_than_the_jittered_delay_when_waiting_then_the_longer_one_is_slept() -> None:
    client, _, clock = clocked(Reply(503, headers={"Retry-After": "0"}), Reply(200, model()))

    client.get_model("my-model")

    assert clock.sleeps == [DEFAULT_RETRY_INITIAL_DELAY]


def test_given_a_retry_after_on_a_5xx_when_waiting_then_it_is_honoured_too() -> None:
    client, _, clock = clocked(Reply(503, headers={"Retry-After": "4"}), Reply(200, model()), rng=0.0)

    client.update_model("my-model", DOCUMENT)

    assert clock.sleeps == [4.0]


def test_given_a_retry_after_beyond_the_longest_wait_when_rate_limited_then_it_is_raised_at_once() -> None:
    wait = str(int(MAX_RETRY_AFTER) + 1)
    client, adapter, clock = clocked(Reply(429, {"error": "later"}, headers={"Retry-After": wait}))

    with pytest.raises(RateLimitedError) as caught:
        client.get_model("my-model")

    assert caught.value.retry_after == MAX_RETRY_AFTER + 1
    assert (len(adapter.sent), clock.sleeps) == (1, [])


def test_given_max_attempts_one_when_a_request_fails_then_retries_are_disabled() -> None:
    client, adapter, clock = clocked(Reply(503), max_attempts=1)

    with pytest.raises(ServerError):
        client.get_model("my-model")

    assert (len(adapter.sent), clock.sleeps, client.retries) == (1, [], 0)


@pytest.mark.parametrize(
    "settings",
    [{"initial_delay": 0.0}, {"initial_delay": 9.0, "max_delay": 1.0}, {"multiplier": 0.5}],
)
def test_given_inconsistent_settings_when_building_a_retry_backoff_then_it_is_rejected(
    settings: dict[str, Any],
) -> None:
    with pytest.raises(ValueError):
        replace(DEFAULT_RETRY_BACKOFF, **settings)


def test_given_no_attempt_when_building_a_retry_policy_then_it_is_rejected() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)


def test_given_the_default_policy_when_built_then_it_uses_the_system_clock_and_the_named_constants() -> None:
    policy = RetryPolicy()

    assert policy.clock is SYSTEM_CLOCK
    backoff = policy.backoff
    assert (backoff.initial_delay, backoff.max_delay, backoff.multiplier, backoff.jitter) == (0.2, 5.0, 2.0, 1.0)
    assert policy.max_attempts == 8
    assert BlaxelClient.__init__.__kwdefaults__ == {"session": None, "retry": None}


# -- the deadline ---------------------------------------------------------------------------------------


def test_given_a_deadline_when_failures_persist_then_no_sleep_ends_after_it_and_the_last_error_is_raised() -> None:
    script = [Reply(503, {"error": f"attempt {n}"}) for n in range(1, 9)]
    client, adapter, clock = clocked(*script)
    deadline = clock.now + 1.0

    with pytest.raises(ServerError, match=r"attempt 4$"):
        client.get_model("my-model", deadline=deadline)

    assert clock.sleeps == pytest.approx([0.2, 0.4, 0.4])  # the third (0.8) is clipped to the deadline
    assert [s.at for s in adapter.sent] == pytest.approx([1000.0, 1000.2, 1000.6, 1001.0])  # a last try at it
    assert clock.now == pytest.approx(deadline)


def test_given_a_retry_after_that_ends_after_the_deadline_when_rate_limited_then_it_is_raised_without_sleeping() -> (
    None
):
    client, adapter, clock = clocked(Reply(429, {"error": "later"}, headers={"Retry-After": "10"}))

    with pytest.raises(RateLimitedError):
        client.create_model(DOCUMENT, deadline=clock.now + 5.0)

    assert (len(adapter.sent), clock.sleeps) == (1, [])


def test_given_a_passed_deadline_when_sending_then_one_attempt_is_still_made_but_no_retry() -> None:
    client, adapter, clock = clocked(refused())

    with pytest.raises(ConnectError):
        client.delete_model("my-model", deadline=clock.now - 1.0)

    assert (len(adapter.sent), clock.sleeps) == (1, [])


def test_given_a_list_over_pages_when_a_page_fails_then_it_is_retried_within_the_same_deadline() -> None:
    page1 = Reply(200, {"data": [model("a")], "meta": {"hasMore": True, "nextCursor": "c1"}})
    page2 = Reply(200, {"data": [model("b")], "meta": {"hasMore": False}})
    clock = FakeClock(1000.0)
    client, adapter = client_with(page1, Reply(502), page2, retry=retry_on(clock), api_version="2026-04-28")

    models = client.list_models(deadline=clock.now + 60)

    assert [m["metadata"]["name"] for m in models] == ["a", "b"]
    assert adapter.sent[1].path_and_query == adapter.sent[2].path_and_query == "/models?limit=200&cursor=c1"


# -- counting and logging -------------------------------------------------------------------------------


def test_given_concurrent_requests_when_they_retry_then_every_retry_is_counted() -> None:
    threads_count = 8
    clock = FakeClock(1000.0)
    script: list[Script] = [*[Reply(503)] * threads_count, *[Reply(200, model())] * threads_count]
    client, adapter = client_with(*script, retry=retry_on(clock, rng=0.0, max_attempts=100))
    threads = [threading.Thread(target=client.get_model, args=("my-model",)) for _ in range(threads_count)]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(adapter.sent) == 2 * threads_count
    assert client.retries == threads_count


def test_given_a_retry_when_logging_at_debug_then_it_names_the_request_and_never_the_key(
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    client, _, _ = clocked(Reply(503, {"error": f"upstream saw Bearer {API_KEY}"}), Reply(200, model()))

    with caplog.at_level(logging.DEBUG, logger=LOGGER_NAME):
        client.get_model("my-model")

    (record,) = [r for r in caplog.records if r.name == LOGGER_NAME]
    assert record.levelno == logging.DEBUG
    assert "retrying in 0.20s (attempt 2 of 8) after: GET /models/my-model returned 503" in record.getMessage()
    assert API_KEY not in caplog.text
    assert "[REDACTED]" in record.getMessage()
    assert capsys.readouterr().out == ""  # logs never go to stdout (the provider's plugin handshake)


def test_given_a_retry_policy_when_printing_the_client_then_nothing_secret_shows() -> None:
    client, _, _ = clocked()

    assert API_KEY not in repr(client)
    assert API_KEY not in repr(client.retry)
