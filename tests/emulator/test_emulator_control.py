"""The /_emulator control endpoints: health, run-time settings, request stats, loopback only."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from blaxel_constructs.emulator.settings import (
    DEFAULT_FAIL_MESSAGE,
    DEFAULT_TOKEN_SECONDS,
    LifecycleSettings,
    SettingsError,
)
from blaxel_constructs.emulator.stats import route_template
from tests.support.clock import FakeClock

from .documents import DELETE_SECONDS, DEPLOY_SECONDS, headers, model_document


def test_given_a_running_app_when_health_is_asked_then_200_ok(client: FlaskClient) -> None:
    response = client.get("/_emulator/health")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_given_the_app_config_when_read_then_every_setting_is_shown(client: FlaskClient) -> None:
    assert client.get("/_emulator/config").get_json() == {
        "deploy_seconds": DEPLOY_SECONDS,
        "delete_seconds": DELETE_SECONDS,
        "fail_names": [],
        "fail_message": DEFAULT_FAIL_MESSAGE,
        "token_seconds": DEFAULT_TOKEN_SECONDS,
    }


def test_given_some_settings_when_put_then_only_they_change_and_the_whole_config_is_returned(
    client: FlaskClient,
) -> None:
    response = client.put("/_emulator/config", json={"deploy_seconds": 0, "fail_names": ["x-*"]})

    assert response.status_code == 200
    assert response.get_json() == {
        "deploy_seconds": 0.0,
        "delete_seconds": DELETE_SECONDS,
        "fail_names": ["x-*"],
        "fail_message": DEFAULT_FAIL_MESSAGE,
        "token_seconds": DEFAULT_TOKEN_SECONDS,
    }
    assert client.get("/_emulator/config").get_json() == response.get_json()


def test_given_a_zero_deploy_time_when_a_model_is_created_then_it_is_deployed_at_once(client: FlaskClient) -> None:
    client.put("/_emulator/config", json={"deploy_seconds": 0})

    response = client.post("/v0/models", json=model_document("m1"), headers=headers())

    assert response.get_json()["status"] == "DEPLOYED"


def test_given_a_longer_delete_time_when_a_model_is_deleted_then_it_stays_deleting_that_long(
    client: FlaskClient, clock: FakeClock
) -> None:
    client.put("/_emulator/config", json={"delete_seconds": 5})
    client.post("/v0/models", json=model_document("m1"), headers=headers())
    client.delete("/v0/models/m1", headers=headers())

    clock.advance(4.9)
    assert client.get("/v0/models/m1", headers=headers()).get_json()["status"] == "DELETING"
    clock.advance(0.1)
    assert client.get("/v0/models/m1", headers=headers()).status_code == 404


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"deploy_seconds": "fast"}, "deploy_seconds"),
        ({"deploy_seconds": -1}, "deploy_seconds"),
        ({"deploy_seconds": True}, "deploy_seconds"),
        ({"delete_seconds": None}, "delete_seconds"),
        ({"fail_names": "x-*"}, "fail_names"),
        ({"fail_names": ["ok", 3]}, "fail_names"),
        ({"fail_message": ""}, "fail_message"),
        ({"fail_message": 1}, "fail_message"),
        ({"deploy_secs": 1}, "deploy_secs"),
        ({"token_seconds": -5}, "token_seconds"),
        ({"token_seconds": "1h"}, "token_seconds"),
        ([1, 2], "object"),
    ],
)
def test_given_a_bad_setting_when_put_then_400_and_nothing_changes(
    client: FlaskClient, body: Any, problem: str
) -> None:
    before = client.get("/_emulator/config").get_json()

    response = client.put("/_emulator/config", json=body)

    assert response.status_code == 400
    assert problem in response.get_json()["message"]
    assert client.get("/_emulator/config").get_json() == before


def test_given_a_malformed_config_body_when_put_then_400_json(client: FlaskClient) -> None:
    response = client.put("/_emulator/config", data="{", headers={"Content-Type": "application/json"})

    assert response.status_code == 400
    assert response.get_json()["code"] == 400


@pytest.mark.parametrize("path", ["/_emulator/health", "/_emulator/config", "/_emulator/stats", "/_emulator/faults"])
def test_given_a_remote_client_when_calling_a_control_endpoint_then_403(client: FlaskClient, path: str) -> None:
    response = client.get(path, environ_base={"REMOTE_ADDR": "10.1.2.3"})

    assert response.status_code == 403
    assert response.get_json()["error"] == "Forbidden"


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"])
def test_given_a_loopback_client_when_calling_a_control_endpoint_then_it_is_served(
    client: FlaskClient, address: str
) -> None:
    assert client.get("/_emulator/health", environ_base={"REMOTE_ADDR": address}).status_code == 200


def test_given_api_traffic_when_stats_are_read_then_requests_are_counted_by_template_and_status(
    client: FlaskClient,
) -> None:
    client.post("/v0/models", json=model_document("m1"), headers=headers())
    client.post("/v0/models", json=model_document("m1"), headers=headers())
    client.get("/v0/models/m1", headers=headers())
    client.get("/v0/models/m2", headers=headers())
    client.get("/v0/models/m1/revisions", headers=headers())
    client.get("/v0/models")
    client.get("/v0/nothing-here", headers=headers())
    client.get("/_emulator/health")

    stats = client.get("/_emulator/stats").get_json()

    assert stats == {
        "requests": {
            "GET (unmatched)": 1,
            "GET /v0/models": 1,
            "GET /v0/models/{modelName}": 2,
            "GET /v0/models/{modelName}/revisions": 1,
            "POST /v0/models": 2,
        },
        "statuses": {"200": 3, "401": 1, "404": 2, "409": 1},
        "total": 7,
        "faults": {"injected": 0, "by_status": {}, "dropped": 0, "after": 0},
        "models_created": {"m1": 1},
        "models_deleted": {},
    }


def test_given_counted_requests_when_stats_are_deleted_then_counting_starts_again(client: FlaskClient) -> None:
    client.get("/v0/models", headers=headers())

    reset = client.delete("/_emulator/stats")
    client.get("/v0/models", headers=headers())

    assert reset.status_code == 200
    assert reset.get_json() == {
        "requests": {},
        "statuses": {},
        "total": 0,
        "faults": {"injected": 0, "by_status": {}, "dropped": 0, "after": 0},
        "models_created": {},
        "models_deleted": {},
    }
    assert client.get("/_emulator/stats").get_json()["total"] == 1


def test_given_flask_rules_when_shown_as_templates_then_they_use_the_spec_braces() -> None:
    assert route_template("/v0/models/<modelName>/revisions") == "/v0/models/{modelName}/revisions"
    assert route_template("/x/<string:name>") == "/x/{name}"
    assert route_template(None) == "(unmatched)"


def test_given_bad_settings_when_built_directly_then_they_are_refused() -> None:
    with pytest.raises(SettingsError, match="deploy_seconds"):
        LifecycleSettings(deploy_seconds=float("inf"))
    with pytest.raises(SettingsError, match="fail_names"):
        LifecycleSettings(fail_names="abc")  # type: ignore[arg-type]


def test_given_fail_names_when_matching_then_globs_are_case_sensitive() -> None:
    settings = LifecycleSettings(fail_names=("fail-*", "exact"))

    assert settings.fails("fail-1")
    assert settings.fails("exact")
    assert not settings.fails("exactly")
    assert not settings.fails("FAIL-1")


def test_given_creates_and_deletes_when_stats_are_read_then_only_applied_ones_are_counted_by_name(
    client: FlaskClient, clock: FakeClock
) -> None:
    client.post("/v0/models", json=model_document("m1"), headers=headers())
    client.post("/v0/models", json=model_document("m1"), headers=headers())  # 409: not created again
    client.post("/v0/models", json=model_document("m2"), headers=headers())
    client.post("/v0/models", json=model_document("Bad_Name"), headers=headers())  # 400: never created
    client.delete("/v0/models/m1", headers=headers())
    client.delete("/v0/models/m1", headers=headers())  # still DELETING: the deletion is not started again
    client.delete("/v0/models/ghost", headers=headers())  # 404
    clock.advance(DELETE_SECONDS)
    client.post("/v0/models", json=model_document("m1"), headers=headers())  # gone: created a second time

    stats = client.get("/_emulator/stats").get_json()

    assert stats["models_created"] == {"m1": 2, "m2": 1}
    assert stats["models_deleted"] == {"m1": 1}


def test_given_stats_when_deleted_then_created_and_deleted_counts_start_again(client: FlaskClient) -> None:
    client.post("/v0/models", json=model_document("m1"), headers=headers())
    client.delete("/v0/models/m1", headers=headers())

    reset = client.delete("/_emulator/stats").get_json()

    assert (reset["models_created"], reset["models_deleted"]) == ({}, {})


def test_given_a_forwarded_for_header_when_a_remote_client_calls_a_control_endpoint_then_still_403(
    client: FlaskClient,
) -> None:
    response = client.get(
        "/_emulator/config",
        headers={"X-Forwarded-For": "127.0.0.1", "X-Real-IP": "127.0.0.1"},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )

    assert response.status_code == 403


def test_given_a_remote_client_when_calling_the_api_then_the_api_itself_is_served(client: FlaskClient) -> None:
    response = client.get("/v0/models", headers=headers(), environ_base={"REMOTE_ADDR": "203.0.113.9"})

    assert response.status_code == 200
