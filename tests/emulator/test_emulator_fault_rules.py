"""Fault injection, the rules: ``/_emulator/faults`` lists, replaces and clears them, and refuses a bad rule or a
remote caller with the API's error body, leaving the rules as they were.

What a rule does to the requests it hits is in ``test_emulator_fault_answers`` and
``test_emulator_fault_delays_and_drops``; as a client of a real process sees it, in
``test_emulator_process_reliability``.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from blaxel_constructs.emulator.faults import FaultRule, FaultSet, parse_faults

from .fault_control import put_faults, statuses
from .sdk_oracle import SdkOracle


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
