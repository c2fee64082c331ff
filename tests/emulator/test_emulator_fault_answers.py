"""Fault injection, the answers: which requests a rule hits (method, path, order, count, rate and seed) and what
it answers them (the status with the API's error body, a Retry-After header).

The rules endpoint itself is in ``test_emulator_fault_rules``; delays, applied-then-failed requests and
dropped connections in ``test_emulator_fault_delays_and_drops``.
"""

from __future__ import annotations

import threading

import pytest
from flask.testing import FlaskClient

from blaxel_constructs.emulator.faults import FaultInjector, FaultRule, FaultSet, retry_after_value

from .documents import headers, model_document
from .fault_control import put_faults, statuses
from .sdk_oracle import SdkOracle


def test_given_status_503_with_count_2_when_calling_then_two_503_with_the_api_error_body_then_success(
    client: FlaskClient, oracle: SdkOracle
) -> None:
    put_faults(client, [{"method": "GET", "path": "/v0/models", "status": 503, "count": 2}])

    answers = [client.get("/v0/models", headers=headers()) for _ in range(3)]

    assert [a.status_code for a in answers] == [503, 503, 200]
    assert answers[0].get_json() == {"error": "Service Unavailable", "code": 503, "message": "injected fault"}
    assert oracle.problems(answers[0].get_json(), "Error") == []
    rule = client.get("/_emulator/faults").get_json()["rules"][0]
    assert (rule["remaining"], rule["fired"]) == (0, 2)


def test_given_a_rule_without_rate_or_count_when_calling_then_it_fires_every_time(client: FlaskClient) -> None:
    put_faults(client, [{"status": 500}])

    assert statuses(client, 4) == [500] * 4
    assert client.get("/_emulator/faults").get_json()["rules"][0]["remaining"] is None


@pytest.mark.parametrize(("retry_after", "header"), [(1, "1"), (2.0, "2"), (0.5, "0.5"), (0, "0")])
def test_given_retry_after_when_the_fault_answers_then_the_header_is_set(
    client: FlaskClient, retry_after: float, header: str
) -> None:
    put_faults(client, [{"status": 429, "retry_after": retry_after}])

    response = client.get("/v0/models", headers=headers())

    assert response.status_code == 429
    assert response.headers["Retry-After"] == header
    assert response.get_json()["error"] == "Too Many Requests"


def test_given_a_status_without_retry_after_when_the_fault_answers_then_there_is_no_header(
    client: FlaskClient,
) -> None:
    put_faults(client, [{"status": 408}])

    response = client.get("/v0/models", headers=headers())

    assert (response.status_code, response.headers.get("Retry-After")) == (408, None)


def test_given_the_same_seed_when_a_rate_rule_is_replayed_then_the_same_requests_fail(client: FlaskClient) -> None:
    body = {"rules": [{"status": 503, "rate": 0.5}], "seed": 42}

    put_faults(client, body)
    first = statuses(client, 40)
    put_faults(client, body)
    second = statuses(client, 40)
    put_faults(client, {**body, "seed": 43})
    other = statuses(client, 40)

    assert first == second
    assert other != first
    assert 5 < first.count(503) < 35
    assert client.get("/_emulator/faults").get_json()["seed"] == 43


@pytest.mark.parametrize(("rate", "expected"), [(0, 200), (1, 503)])
def test_given_rate_0_or_1_when_calling_then_it_never_or_always_fires(
    client: FlaskClient, rate: float, expected: int
) -> None:
    put_faults(client, [{"status": 503, "rate": rate}])

    assert statuses(client, 10) == [expected] * 10


def test_given_a_catch_all_rule_when_calling_control_endpoints_then_they_are_never_faulted(
    client: FlaskClient,
) -> None:
    put_faults(client, [{"method": "*", "path": "*", "status": 503}, {"drop": True}])

    answers = [client.get(f"/_emulator/{name}") for name in ("health", "config", "stats", "faults")]

    assert [a.status_code for a in answers] == [200] * 4
    assert client.delete("/_emulator/faults").status_code == 200
    assert client.get("/v0/models", headers=headers()).status_code == 200


def test_given_a_fault_when_the_caller_has_no_credentials_then_the_fault_answers_first(client: FlaskClient) -> None:
    put_faults(client, [{"status": 503, "count": 1}])

    assert client.get("/v0/models").status_code == 503
    assert client.get("/v0/models").status_code == 401


def test_given_rules_in_order_when_several_match_then_the_first_that_fires_wins(client: FlaskClient) -> None:
    put_faults(
        client,
        [
            {"method": "GET", "path": "/v0/models/*", "status": 404, "count": 1},
            {"method": "GET", "path": "/v0/models*", "status": 503, "count": 1},
            {"path": "/v0/*", "status": 500, "count": 1},
        ],
    )

    assert statuses(client, 4, path="/v0/models/m1") == [404, 503, 500, 404]
    fired = [rule["fired"] for rule in client.get("/_emulator/faults").get_json()["rules"]]
    assert fired == [1, 1, 1]


def test_given_rules_for_one_method_and_path_when_others_are_called_then_they_pass(client: FlaskClient) -> None:
    put_faults(
        client,
        [{"method": "POST", "path": "/v0/models", "status": 503}, {"path": "/v0/models/*/revisions", "status": 500}],
    )

    assert client.get("/v0/models", headers=headers()).status_code == 200
    assert client.get("/v0/models/m1", headers=headers()).status_code == 404
    assert client.get("/v0/models/m1/revisions", headers=headers()).status_code == 500
    assert client.post("/v0/models", json=model_document("m1"), headers=headers()).status_code == 503


def test_given_a_rule_on_the_token_endpoint_when_asking_for_a_token_then_it_is_faulted_too(
    client: FlaskClient,
) -> None:
    put_faults(client, [{"method": "POST", "path": "/v0/oauth/token", "status": 503, "count": 1}])

    first = client.post(
        "/v0/oauth/token", data={"grant_type": "client_credentials"}, auth=("emulator-client", "emulator-secret")
    )
    second = client.post(
        "/v0/oauth/token", data={"grant_type": "client_credentials"}, auth=("emulator-client", "emulator-secret")
    )

    assert (first.status_code, second.status_code) == (503, 200)


def test_given_a_count_rule_when_many_threads_pick_at_once_then_it_fires_exactly_count_times() -> None:
    injector = FaultInjector()
    injector.set(FaultSet(rules=(FaultRule(status=503, count=100),)))
    fired: list[int] = []
    lock = threading.Lock()

    def call() -> None:
        mine = sum(injector.pick("GET", "/v0/models") is not None for _ in range(50))
        with lock:
            fired.append(mine)

    threads = [threading.Thread(target=call) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(fired) == 100
    assert injector.snapshot()["rules"][0]["fired"] == 100


def test_given_seconds_when_shown_as_retry_after_then_whole_seconds_have_no_decimals() -> None:
    assert [retry_after_value(s) for s in (1.0, 30.0, 0.25, 1.5)] == ["1", "30", "0.25", "1.5"]
