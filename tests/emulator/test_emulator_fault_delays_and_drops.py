"""Fault injection, in time and on the wire: a delay slept on the fake clock, a request applied before its
fault answers (``after``), a connection dropped unanswered (``drop``), and the fault counters in the stats.

The real-process behaviour (dropped connections as a client sees them, real delays) is in
``test_emulator_process_reliability``.
"""

from __future__ import annotations

import socket

import pytest
from flask.testing import FlaskClient

from blaxel_constructs.emulator.records import rfc3339
from tests.support.clock import FakeClock

from .documents import headers, model_document
from .fault_control import NO_FAULTS, put_faults, statuses


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


def test_given_faults_when_stats_are_reset_then_the_fault_counters_are_too(client: FlaskClient) -> None:
    put_faults(client, [{"status": 429, "count": 2}, {"method": "POST", "after": True, "status": 502}])
    statuses(client, 2)
    client.post("/v0/models", json=model_document("m1"), headers=headers())

    before = client.get("/_emulator/stats").get_json()
    after = client.delete("/_emulator/stats").get_json()

    assert before["faults"] == {"injected": 3, "by_status": {"429": 2, "502": 1}, "dropped": 0, "after": 1}
    assert after["faults"] == NO_FAULTS
    assert after["models_created"] == {}
