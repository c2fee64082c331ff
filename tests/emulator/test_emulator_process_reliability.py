"""Reliability and security of a real emulator process: injected faults as a client sees them, OAuth tokens
across restarts, and where the server listens."""

from __future__ import annotations

import base64
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.emulator_process import EmulatorProcess, EmulatorStartError

from .documents import model_document
from .live import TIMEOUT, api, get_model, poll

#: A real emulator process per test: the layer's integration tests, left out of ``make unit``.
pytestmark = pytest.mark.process

GRANT = {"grant_type": "client_credentials"}


def token_response(emulator: EmulatorProcess, **kwargs: Any) -> requests.Response:
    kwargs.setdefault("data", GRANT)
    return requests.post(f"{emulator.base_url}/oauth/token", timeout=TIMEOUT, **kwargs)


def basic(emulator: EmulatorProcess) -> dict[str, str]:
    return {"Authorization": f"Basic {emulator.client_credentials}"}


def issue(emulator: EmulatorProcess) -> str:
    response = token_response(emulator, headers=basic(emulator))
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def with_token(emulator: EmulatorProcess, token: str, method: str, path: str, **kwargs: Any) -> requests.Response:
    return requests.request(
        method, f"{emulator.base_url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT, **kwargs
    )


def assert_quiet(emulator: EmulatorProcess) -> None:
    """The server logged no traceback and no error line."""
    log = emulator.stderr()
    assert "Traceback" not in log
    assert " ERROR " not in log


# --- injected faults -------------------------------------------------------------------------------------------


def test_given_a_drop_rule_when_calling_then_the_client_gets_no_answer_and_the_server_keeps_serving(
    emulator: EmulatorProcess,
) -> None:
    emulator.set_faults([{"method": "GET", "path": "/v0/models", "drop": True, "count": 1}])

    with pytest.raises(requests.ConnectionError) as caught:
        api(emulator, "GET", "/models")

    assert any(name in repr(caught.value) for name in ("RemoteDisconnected", "ConnectionResetError"))
    assert api(emulator, "GET", "/models").status_code == 200
    stats = emulator.stats()
    assert stats["statuses"] == {"200": 1, "dropped": 1}
    assert stats["faults"] == {"injected": 1, "by_status": {}, "dropped": 1, "after": 0}
    assert_quiet(emulator)


def test_given_a_drop_rule_on_post_when_a_large_body_is_sent_then_nothing_is_created_and_no_error_is_logged(
    emulator: EmulatorProcess,
) -> None:
    emulator.set_faults([{"method": "POST", "drop": True}])
    body = model_document("m1")
    body["metadata"]["labels"] = {f"k{i}": "v" * 100 for i in range(3000)}

    with pytest.raises(requests.ConnectionError):
        api(emulator, "POST", "/models", json=body)

    emulator.clear_faults()
    assert api(emulator, "GET", "/models").json() == []
    assert emulator.stats()["models_created"] == {}
    assert_quiet(emulator)


def test_given_after_and_drop_on_post_when_creating_then_the_model_exists_though_the_client_got_no_answer(
    emulator: EmulatorProcess,
) -> None:
    emulator.reset_stats()
    emulator.set_faults([{"method": "POST", "path": "/v0/models", "drop": True, "after": True, "count": 1}])

    with pytest.raises(requests.ConnectionError):
        api(emulator, "POST", "/models", json=model_document("m1"))
    retried = api(emulator, "POST", "/models", json=model_document("m1"))

    assert get_model(emulator, "m1")["metadata"]["name"] == "m1"
    assert retried.status_code == 409  # a client that blindly replays the POST sees the conflict
    stats = emulator.stats()
    assert stats["models_created"] == {"m1": 1}
    assert stats["faults"] == {"injected": 1, "by_status": {}, "dropped": 1, "after": 1}
    assert_quiet(emulator)


def test_given_status_503_with_count_2_when_calling_three_times_then_two_503_then_success(
    emulator: EmulatorProcess,
) -> None:
    emulator.set_faults([{"method": "POST", "path": "/v0/models", "status": 503, "count": 2}])

    answers = [api(emulator, "POST", "/models", json=model_document("m1")) for _ in range(3)]

    assert [a.status_code for a in answers] == [503, 503, 200]
    assert answers[0].json() == {"error": "Service Unavailable", "code": 503, "message": "injected fault"}
    assert emulator.stats()["models_created"] == {"m1": 1}
    assert [(r["remaining"], r["fired"]) for r in emulator.faults()["rules"]] == [(0, 2)]


def test_given_retry_after_when_the_fault_answers_then_the_client_reads_the_header(emulator: EmulatorProcess) -> None:
    emulator.set_faults([{"status": 429, "retry_after": 2, "count": 1}])

    response = api(emulator, "GET", "/models")

    assert (response.status_code, response.headers["Retry-After"]) == (429, "2")
    assert response.json()["code"] == 429


def test_given_a_seed_when_a_rate_rule_is_replayed_on_the_server_then_the_same_requests_fail(
    emulator: EmulatorProcess,
) -> None:
    def run() -> list[int]:
        emulator.set_faults([{"path": "/v0/models", "status": 500, "rate": 0.3}], seed=20261121)
        return [api(emulator, "GET", "/models").status_code for _ in range(30)]

    first, second = run(), run()

    assert first == second
    assert 500 in first
    assert 200 in first


def test_given_a_delay_when_calling_then_the_answer_comes_that_late(emulator: EmulatorProcess) -> None:
    emulator.set_faults([{"method": "GET", "path": "/v0/models", "delay": 0.4}])
    started = time.monotonic()

    response = api(emulator, "GET", "/models")

    assert response.status_code == 200
    assert time.monotonic() - started >= 0.4


def test_given_after_and_a_long_delay_when_the_client_times_out_then_the_create_was_applied_anyway(
    emulator: EmulatorProcess,
) -> None:
    emulator.set_faults([{"method": "POST", "delay": 3, "after": True, "count": 1}])

    with pytest.raises(requests.Timeout):
        api(emulator, "POST", "/models", json=model_document("m1"), timeout=0.5)

    assert get_model(emulator, "m1")["metadata"]["name"] == "m1"
    assert emulator.stats()["models_created"] == {"m1": 1}


def test_given_a_count_rule_when_many_clients_call_at_once_then_it_fires_exactly_count_times(
    emulator: EmulatorProcess,
) -> None:
    emulator.set_faults([{"path": "/v0/models", "status": 503, "count": 5}])

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(lambda _: api(emulator, "GET", "/models").status_code, range(24)))

    assert sorted(codes) == [200] * 19 + [503] * 5


def test_given_a_catch_all_rule_when_using_the_control_endpoints_then_they_still_work(
    emulator: EmulatorProcess,
) -> None:
    emulator.set_faults([{"drop": True}])

    assert emulator.health() == {"status": "ok"}
    assert emulator.stats()["total"] == 0
    assert emulator.clear_faults() == {"rules": [], "seed": None}
    assert api(emulator, "GET", "/models").status_code == 200


def test_given_faults_when_the_emulator_restarts_then_they_are_gone(emulator: EmulatorProcess) -> None:
    emulator.set_faults([{"status": 503}])

    emulator.restart()

    assert emulator.faults() == {"rules": [], "seed": None}


def test_given_a_bad_rule_when_set_through_the_helper_then_it_raises_with_the_field(emulator: EmulatorProcess) -> None:
    with pytest.raises(requests.HTTPError):
        emulator.set_faults([{"status": 503, "rate": 2}])

    response = requests.put(f"{emulator.root_url}/_emulator/faults", json=[{"status": 503, "rate": 2}], timeout=5)
    assert response.json()["message"].startswith("rules[0].rate:")


# --- OAuth client credentials -----------------------------------------------------------------------------------


def test_given_the_process_credentials_when_encoded_then_they_are_base64_of_id_and_secret(
    emulator: EmulatorProcess,
) -> None:
    decoded = base64.b64decode(emulator.client_credentials).decode()

    assert decoded == f"{emulator.client_id}:{emulator.client_secret}" == "emulator-client:emulator-secret"


def test_given_client_credentials_in_basic_auth_or_the_body_when_asking_then_a_token_is_issued(
    emulator: EmulatorProcess,
) -> None:
    by_basic = token_response(emulator, headers=basic(emulator))
    by_form = token_response(
        emulator, data={**GRANT, "client_id": emulator.client_id, "client_secret": emulator.client_secret}
    )
    by_json = token_response(
        emulator, data=None, json={**GRANT, "client_id": emulator.client_id, "client_secret": emulator.client_secret}
    )

    for response in (by_basic, by_form, by_json):
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["token_type"], body["expires_in"]) == ("Bearer", 7200)
        assert body["access_token"].count(".") == 2


def test_given_a_wrong_secret_when_asking_then_401_invalid_client(emulator: EmulatorProcess) -> None:
    response = token_response(emulator, auth=(emulator.client_id, "not-the-secret"))

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert "not-the-secret" not in response.text


def test_given_a_token_when_calling_the_api_then_it_works_like_the_api_key(emulator: EmulatorProcess) -> None:
    token = issue(emulator)

    created = with_token(emulator, token, "POST", "/models", json=model_document("m1"))
    listed = with_token(emulator, token, "GET", "/models")

    assert created.status_code == 200
    assert created.json()["metadata"]["createdBy"].startswith("client-")
    assert [m["metadata"]["name"] for m in listed.json()] == ["m1"]


def test_given_a_short_token_lifetime_when_it_runs_out_then_401_token_expired(emulator: EmulatorProcess) -> None:
    emulator.configure(token_seconds=1.5)
    token = issue(emulator)

    first = with_token(emulator, token, "GET", "/models")
    expired = poll(
        lambda: with_token(emulator, token, "GET", "/models"),
        lambda r: r.status_code != 200,
        what="the token to expire",
    )

    assert first.status_code == 200
    assert expired.status_code == 401
    assert expired.json() == {"error": "Unauthorized", "code": 401, "message": "token expired"}


def test_given_issued_tokens_when_the_emulator_restarts_then_they_stay_valid(emulator: EmulatorProcess) -> None:
    token = issue(emulator)

    emulator.restart()

    assert with_token(emulator, token, "GET", "/models").status_code == 200


def test_given_token_seconds_and_clients_on_the_command_line_when_started_then_they_apply(tmp_path: Path) -> None:
    with EmulatorProcess(
        tmp_path / "e.db",
        client_id="ci",
        client_secret="s3cr3t:with-colon",
        extra_args=["--token-seconds", "60", "--client-credentials", "ops:other"],
    ) as emulator:
        ci = token_response(emulator, headers=basic(emulator))
        ops = token_response(emulator, auth=("ops", "other"))
        default = token_response(emulator, auth=("emulator-client", "emulator-secret"))

    assert (ci.status_code, ops.status_code, default.status_code) == (200, 200, 401)
    assert ci.json()["expires_in"] == 60


def test_given_oauth_traffic_when_the_log_is_read_then_it_holds_no_secret_and_no_token(
    emulator: EmulatorProcess,
) -> None:
    token = issue(emulator)
    with_token(emulator, token, "GET", "/models")
    token_response(emulator, auth=(emulator.client_id, "wrong-s3cr3t"))

    log = emulator.stderr()

    for secret in (token, emulator.client_secret, emulator.client_credentials, "wrong-s3cr3t"):
        assert secret not in log


def test_given_a_malformed_client_pair_when_starting_then_exit_2_without_quoting_it(tmp_path: Path) -> None:
    process = EmulatorProcess(tmp_path / "e.db", extra_args=["--client-credentials", "no-colon-s3cr3t"])

    with pytest.raises(EmulatorStartError) as caught:
        process.start()

    assert process.returncode == 2
    assert "client credentials must be ID:SECRET" in str(caught.value)
    assert "no-colon-s3cr3t" not in process.stderr()


# --- where it listens ---------------------------------------------------------------------------------------------


def _non_loopback_address() -> str | None:
    """An IPv4 address of this host that is not loopback (no packet is sent), or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
        except OSError:
            return None
        address: str = probe.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_given_no_host_option_when_started_then_it_listens_on_loopback_only(emulator: EmulatorProcess) -> None:
    assert emulator.base_url.startswith("http://127.0.0.1:")
    address = _non_loopback_address()
    if address is None:
        pytest.skip("this host has no non-loopback IPv4 address to try")

    with pytest.raises(OSError), socket.create_connection((address, emulator.port), timeout=2):
        pass
