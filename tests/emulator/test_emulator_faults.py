"""Fault injection through /_emulator/faults, in the app: which requests a rule hits, what it answers, what it counts.

The real-process behaviour (dropped connections as a client sees them, real delays) is in
``test_emulator_process_faults``.
"""

from __future__ import annotations

import socket
import threading
from typing import Any

import pytest
from flask.testing import FlaskClient

from blaxel_constructs.emulator.faults import FaultInjector, FaultRule, FaultSet, parse_faults, retry_after_value
from blaxel_constructs.emulator.records import rfc3339
from tests.support.clock import FakeClock

from .documents import headers, model_document
from .sdk_oracle import SdkOracle

NO_FAULTS = {"injected": 0, "by_status": {}, "dropped": 0, "after": 0}


def put_faults(client: FlaskClient, body: Any) -> dict[str, Any]:
    response = client.put("/_emulator/faults", json=body)
    assert response.status_code == 200, response.get_json()
    result: dict[str, Any] = response.get_json()
    return result


def statuses(client: FlaskClient, times: int, method: str = "GET", path: str = "/v0/models") -> list[int]:
    return [client.open(path, method=method, headers=headers()).status_code for _ in range(times)]


def test_given_no_rules_when_faults_are_read_then_the_list_is_empty(client: FlaskClient) -> None:
    assert client.get("/_emulator/faults").get_json() == {"rules": [], "seed": None}


def test_given_a_rule_when_put_then_it_is_listed_with_every_field_and_its_counts(client: FlaskClient) -> None:
    listed = put_faults(client, [{"method": "post", "path": "/v0/models*", "status": 503, "count": 2}])

    assert listed == {
        "rules": [
            {
                "method": "POST",
                "path": "/v0/models*",
                "status": 503,
                "rate": None,
                "count": 2,
                "retry_after": None,
                "delay": 0.0,
                "drop": False,
                "after": False,
                "remaining": 2,
                "fired": 0,
            }
        ],
        "seed": None,
    }
    assert client.get("/_emulator/faults").get_json() == listed


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


def test_given_a_delay_with_a_status_when_calling_then_it_waits_then_answers(
    client: FlaskClient, clock: FakeClock
) -> None:
    put_faults(client, [{"status": 504, "delay": 2.5}])

    assert client.get("/v0/models", headers=headers()).status_code == 504
    assert clock.sleeps == [2.5]


def test_given_only_a_delay_when_calling_then_the_request_is_served_late(client: FlaskClient, clock: FakeClock) -> None:
    put_faults(client, [{"method": "POST", "delay": 1.5}])

    response = client.post("/v0/models", json=model_document("m1"), headers=headers())

    assert response.status_code == 200
    assert clock.sleeps == [1.5]
    assert client.get("/_emulator/stats").get_json()["faults"] == {**NO_FAULTS, "injected": 1}


def test_given_a_delay_when_the_request_is_applied_then_it_is_applied_after_the_wait(
    client: FlaskClient, clock: FakeClock
) -> None:
    put_faults(client, [{"method": "POST", "delay": 30}])
    sent_at = clock.now

    created = client.post("/v0/models", json=model_document("m1"), headers=headers()).get_json()

    assert created["metadata"]["createdAt"] == rfc3339(sent_at + 30)
    assert clock.sleeps == [30]


def test_given_an_after_rule_with_a_status_when_creating_then_the_model_exists_but_the_answer_is_the_error(
    client: FlaskClient,
) -> None:
    put_faults(client, [{"method": "POST", "path": "/v0/models", "status": 500, "after": True, "count": 1}])

    lost = client.post("/v0/models", json=model_document("m1"), headers=headers())
    retried = client.post("/v0/models", json=model_document("m1"), headers=headers())

    assert lost.status_code == 500
    assert lost.get_json() == {"error": "Internal Server Error", "code": 500, "message": "injected fault"}
    assert retried.status_code == 409
    assert client.get("/v0/models/m1", headers=headers()).status_code == 200
    stats = client.get("/_emulator/stats").get_json()
    assert stats["models_created"] == {"m1": 1}
    assert stats["faults"] == {"injected": 1, "by_status": {"500": 1}, "dropped": 0, "after": 1}
    assert stats["statuses"] == {"200": 1, "409": 1, "500": 1}


def test_given_an_after_rule_with_a_delay_when_deleting_then_the_delete_is_applied_before_the_wait(
    client: FlaskClient, clock: FakeClock
) -> None:
    client.post("/v0/models", json=model_document("m1"), headers=headers())
    put_faults(client, [{"method": "DELETE", "delay": 10, "after": True}])

    response = client.delete("/v0/models/m1", headers=headers())

    assert response.status_code == 200
    assert response.get_json()["status"] == "DELETING"  # the answer was built before the 10 s wait
    assert clock.sleeps == [10]
    assert client.get("/v0/models/m1", headers=headers()).status_code == 404


def test_given_a_drop_rule_when_calling_through_the_test_client_then_the_connection_abort_is_raised(
    client: FlaskClient,
) -> None:
    put_faults(client, [{"method": "POST", "drop": True}])

    with pytest.raises(ConnectionAbortedError):
        client.post("/v0/models", json=model_document("m1"), headers=headers())

    assert client.get("/v0/models", headers=headers()).get_json() == []
    stats = client.get("/_emulator/stats").get_json()
    assert stats["statuses"] == {"200": 1, "dropped": 1}
    assert stats["faults"] == {"injected": 1, "by_status": {}, "dropped": 1, "after": 0}
    assert stats["models_created"] == {}


def test_given_after_and_drop_when_creating_then_the_model_exists_and_the_connection_is_closed_unanswered(
    client: FlaskClient,
) -> None:
    put_faults(client, [{"method": "POST", "drop": True, "after": True}])
    server_side, client_side = socket.socketpair()

    with client_side:
        with pytest.raises(ConnectionAbortedError):
            client.post(
                "/v0/models",
                json=model_document("m1"),
                headers=headers(),
                environ_base={"werkzeug.socket": server_side},
            )
        received = client_side.recv(1024)

    assert server_side.fileno() == -1
    assert received == b""  # end of stream, not one byte of an answer
    assert client.get("/v0/models/m1", headers=headers()).status_code == 200
    assert client.get("/_emulator/stats").get_json()["models_created"] == {"m1": 1}


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


def test_given_rules_when_deleted_then_none_is_left_and_requests_pass(client: FlaskClient) -> None:
    put_faults(client, [{"status": 503}])

    cleared = client.delete("/_emulator/faults")

    assert cleared.get_json() == {"rules": [], "seed": None}
    assert statuses(client, 2) == [200, 200]


def test_given_new_rules_when_put_then_they_replace_the_old_ones_and_their_counts(client: FlaskClient) -> None:
    put_faults(client, [{"status": 503, "count": 1}])
    statuses(client, 1)

    listed = put_faults(client, [{"status": 500, "count": 3}])

    assert [(r["status"], r["remaining"], r["fired"]) for r in listed["rules"]] == [(500, 3, 0)]


def test_given_faults_when_stats_are_reset_then_the_fault_counters_are_too(client: FlaskClient) -> None:
    put_faults(client, [{"status": 429, "count": 2}, {"method": "POST", "after": True, "status": 502}])
    statuses(client, 2)
    client.post("/v0/models", json=model_document("m1"), headers=headers())

    before = client.get("/_emulator/stats").get_json()
    after = client.delete("/_emulator/stats").get_json()

    assert before["faults"] == {"injected": 3, "by_status": {"429": 2, "502": 1}, "dropped": 0, "after": 1}
    assert after["faults"] == NO_FAULTS
    assert after["models_created"] == {}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rules": [{"status": 503}], "seed": "x"}, "seed"),
        ({"rules": [{"status": 503}], "seed": True}, "seed"),
        ({"rules": [{"status": 503}], "extra": 1}, "extra"),
        ({"seed": 1}, "rules"),
        ({"rules": {"status": 503}}, "rules"),
        ("503", "rules"),
        (7, "rules"),
        ([7], "rules[0]"),
        ([{"status": 503}, {"status": 200}], "rules[1].status"),
        ([{"status": "503"}], "rules[0].status"),
        ([{"status": 503.0}], "rules[0].status"),
        ([{"status": True}], "rules[0].status"),
        ([{"status": 600}], "rules[0].status"),
        ([{"status": 503, "method": "FETCH"}], "rules[0].method"),
        ([{"status": 503, "method": 1}], "rules[0].method"),
        ([{"status": 503, "path": ""}], "rules[0].path"),
        ([{"status": 503, "path": ["/v0"]}], "rules[0].path"),
        ([{"status": 503, "rate": 1.5}], "rules[0].rate"),
        ([{"status": 503, "rate": -0.1}], "rules[0].rate"),
        ([{"status": 503, "rate": "half"}], "rules[0].rate"),
        ([{"status": 503, "count": 0}], "rules[0].count"),
        ([{"status": 503, "count": 1.5}], "rules[0].count"),
        ([{"status": 503, "count": 2, "rate": 0.5}], "rules[0].count"),
        ([{"status": 503, "retry_after": -1}], "rules[0].retry_after"),
        ([{"status": 503, "retry_after": "soon"}], "rules[0].retry_after"),
        ([{"drop": True, "retry_after": 1}], "rules[0].retry_after"),
        ([{"status": 503, "delay": -1}], "rules[0].delay"),
        ([{"status": 503, "delay": 10**400}], "rules[0].delay"),
        ([{"status": 503, "delay": 1e9}], "rules[0].delay"),
        ([{"status": 503, "drop": "yes"}], "rules[0].drop"),
        ([{"status": 503, "drop": True}], "rules[0].drop"),
        ([{"status": 503, "after": 1}], "rules[0].after"),
        ([{"status": 503, "stauts": 503}], "rules[0].stauts"),
        ([{"method": "GET"}], "rules[0]"),
        ([{"after": True}], "rules[0]"),
        ([{"delay": 0}], "rules[0]"),
    ],
)
def test_given_a_bad_rule_when_put_then_400_naming_the_field_and_the_rules_stay(
    client: FlaskClient, oracle: SdkOracle, body: Any, field: str
) -> None:
    put_faults(client, [{"status": 418}])

    response = client.put("/_emulator/faults", json=body)

    assert response.status_code == 400
    error = response.get_json()
    assert oracle.problems(error, "Error") == []
    assert error["error"] == "Bad Request"
    assert error["message"].startswith(f"{field}:")
    assert [r["status"] for r in client.get("/_emulator/faults").get_json()["rules"]] == [418]


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [("{", "application/json", 400), ("[]", "text/plain", 415), ("[" * 50_000, "application/json", 400)],
)
def test_given_a_hostile_faults_body_when_put_then_4xx_json(
    client: FlaskClient, data: str, content_type: str, status: int
) -> None:
    response = client.put("/_emulator/faults", data=data, headers={"Content-Type": content_type})

    assert response.status_code == status
    assert response.get_json()["code"] == status


def test_given_a_remote_client_when_setting_faults_then_403_and_nothing_changes(client: FlaskClient) -> None:
    response = client.put("/_emulator/faults", json=[{"status": 503}], environ_base={"REMOTE_ADDR": "192.0.2.7"})
    cleared = client.delete("/_emulator/faults", environ_base={"REMOTE_ADDR": "192.0.2.7"})

    assert (response.status_code, cleared.status_code) == (403, 403)
    assert client.get("/_emulator/faults").get_json()["rules"] == []


def test_given_null_fields_when_parsed_then_they_count_as_absent() -> None:
    parsed = parse_faults({"rules": [{"status": 503, "rate": None, "count": None, "method": None}], "seed": None})

    assert parsed == FaultSet(rules=(FaultRule(status=503),), seed=None)


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
