"""The emulator as users run it: a real ``blaxel-constructs emulator`` process, spoken to over HTTP.

These are the tests that need real time; they poll with a short interval and a deadline, never a
fixed sleep.
"""

from __future__ import annotations

import json
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.support.emulator_process import EmulatorProcess, EmulatorStartError

from .documents import PAGINATED, model_document
from .live import TIMEOUT, api, get_model, poll, wait_for_status
from .sdk_oracle import SdkOracle

#: A real emulator process per test: the layer's integration tests, left out of ``make unit``.
pytestmark = pytest.mark.process


def test_given_port_zero_when_started_then_one_url_line_names_a_free_port_and_health_is_ok(
    emulator: EmulatorProcess,
) -> None:
    assert emulator.base_url.startswith("http://127.0.0.1:")
    assert emulator.base_url.endswith("/v0")
    assert emulator.port > 0
    assert emulator.health() == {"status": "ok"}
    assert emulator.api_key not in emulator.stderr()


def test_given_a_created_model_when_polled_then_it_goes_deploying_to_deployed(
    emulator: EmulatorProcess, oracle: SdkOracle
) -> None:
    created = api(emulator, "POST", "/models", json=model_document("m1"))

    assert created.status_code == 200
    assert created.json()["status"] == "DEPLOYING"
    deployed = wait_for_status(emulator, "m1", "DEPLOYED")
    assert oracle.problems(deployed, "Model") == []
    assert [e["status"] for e in deployed["events"]] == ["DEPLOYING", "DEPLOYED"]


def test_given_fail_names_when_a_matching_model_is_created_then_it_ends_failed_with_the_message(
    emulator: EmulatorProcess,
) -> None:
    config = emulator.configure(fail_names=["broken-*"], fail_message="upstream said no")

    api(emulator, "POST", "/models", json=model_document("broken-1"))

    assert config["fail_names"] == ["broken-*"]
    failed = wait_for_status(emulator, "broken-1", "FAILED")
    assert failed["events"][-1]["message"] == "upstream said no"


def test_given_enabled_false_when_created_on_the_process_then_it_is_deactivating_then_deactivated(
    emulator: EmulatorProcess,
) -> None:
    api(emulator, "POST", "/models", json=model_document("m1", enabled=False))

    assert wait_for_status(emulator, "m1", "DEACTIVATED")["events"][0]["status"] == "DEACTIVATING"


def test_given_a_model_when_deleted_then_it_is_deleting_then_404(emulator: EmulatorProcess) -> None:
    api(emulator, "POST", "/models", json=model_document("m1"))

    deleted = api(emulator, "DELETE", "/models/m1")

    assert deleted.status_code == 200
    assert deleted.json()["status"] == "DELETING"
    poll(lambda: api(emulator, "GET", "/models/m1").status_code, lambda code: code == 404, what="m1 to be gone")
    assert api(emulator, "GET", "/models").json() == []


def test_given_both_auth_headers_and_bad_credentials_when_calling_then_200_401_403(emulator: EmulatorProcess) -> None:
    key = f"Bearer {emulator.api_key}"
    url = f"{emulator.base_url}/models"

    assert requests.get(url, headers={"Authorization": key}, timeout=TIMEOUT).status_code == 200
    assert requests.get(url, headers={"X-Blaxel-Authorization": key}, timeout=TIMEOUT).status_code == 200
    unauthorized = requests.get(url, headers={"Authorization": "Bearer wrong"}, timeout=TIMEOUT)
    assert (unauthorized.status_code, unauthorized.json()) == (401, {"error": "Unauthorized", "code": 401})
    forbidden = requests.get(url, headers={"Authorization": key, "X-Blaxel-Workspace": "other"}, timeout=TIMEOUT)
    assert forbidden.status_code == 403


def test_given_both_api_versions_when_listing_then_each_gets_its_shape(emulator: EmulatorProcess) -> None:
    api(emulator, "POST", "/models", json=model_document("m1"))

    bare = api(emulator, "GET", "/models").json()
    paged = api(emulator, "GET", "/models", headers={"Blaxel-Version": PAGINATED}).json()
    unknown = api(emulator, "GET", "/models", headers={"Blaxel-Version": "2099-01-01"})

    assert [m["metadata"]["name"] for m in bare] == ["m1"]
    assert paged["meta"] == {"hasMore": False, "nextCursor": "", "total": 1}
    assert unknown.status_code == 400
    assert unknown.json()["error"] == "invalid_api_version"


def test_given_a_db_when_restarted_then_models_survive_and_an_in_progress_deployment_finishes(
    emulator: EmulatorProcess,
) -> None:
    api(emulator, "POST", "/models", json=model_document("done"))
    done = wait_for_status(emulator, "done", "DEPLOYED")
    emulator.configure(deploy_seconds=3.0)
    slow = api(emulator, "POST", "/models", json=model_document("slow")).json()
    started = time.monotonic()
    old_url = emulator.base_url

    emulator.restart()

    assert emulator.base_url == old_url
    assert get_model(emulator, "done") == done
    if time.monotonic() - started < 2.5:  # restarted well within the deployment: it must still be in progress
        assert get_model(emulator, "slow")["status"] == "DEPLOYING"
    deployed = wait_for_status(emulator, "slow", "DEPLOYED")
    assert deployed["metadata"] == slow["metadata"]
    assert deployed["events"][0]["revision"] == slow["events"][0]["revision"]
    assert emulator.config()["deploy_seconds"] == 0.3  # run-time settings are not kept; each model's own are


def test_given_a_deleting_model_when_restarted_then_the_deletion_completes(emulator: EmulatorProcess) -> None:
    emulator.configure(delete_seconds=2.0)
    api(emulator, "POST", "/models", json=model_document("m1"))
    api(emulator, "DELETE", "/models/m1")

    emulator.restart()

    poll(lambda: api(emulator, "GET", "/models/m1").status_code, lambda code: code == 404, what="m1 to be gone")


def test_given_api_traffic_when_stats_are_read_then_they_count_by_template_and_status(
    emulator: EmulatorProcess,
) -> None:
    emulator.reset_stats()
    api(emulator, "POST", "/models", json=model_document("m1"))
    api(emulator, "POST", "/models", json=model_document("m1"))
    api(emulator, "GET", "/models/m1")
    api(emulator, "GET", "/models/missing")

    stats = emulator.stats()

    assert stats["requests"] == {"GET /v0/models/{modelName}": 2, "POST /v0/models": 2}
    assert stats["statuses"] == {"200": 2, "404": 1, "409": 1}
    assert stats["total"] == 4


def test_given_concurrent_creates_of_one_name_when_served_then_exactly_one_wins(emulator: EmulatorProcess) -> None:
    def create(_: int) -> int:
        return api(emulator, "POST", "/models", json=model_document("race")).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = sorted(pool.map(create, range(16)))

    assert codes == [200] + [409] * 15


def test_given_extra_keys_and_a_workspace_when_started_then_each_key_works_for_that_workspace(
    tmp_path: Path,
) -> None:
    with EmulatorProcess(tmp_path / "e.db", api_key="k1", workspace="team-a", extra_args=["--api-key", "k2"]) as e:
        first = api(e, "GET", "/models")
        second = requests.get(
            f"{e.base_url}/models", headers={"Authorization": "Bearer k2", "X-Blaxel-Workspace": "team-a"}, timeout=5
        )
        default_key = requests.get(f"{e.base_url}/models", headers={"Authorization": "Bearer emulator-key"}, timeout=5)

    assert (first.status_code, second.status_code, default_key.status_code) == (200, 200, 401)


def raw_exchange(emulator: EmulatorProcess, payload: bytes) -> bytes:
    """Send raw bytes on a fresh connection and return whatever comes back before it closes."""
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=TIMEOUT) as connection:
        connection.sendall(payload)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_given_hostile_input_when_sent_then_4xx_json_errors_and_the_server_keeps_serving(
    emulator: EmulatorProcess, oracle: SdkOracle
) -> None:
    json_type = {"Content-Type": "application/json"}
    answers = [
        api(emulator, "POST", "/models", data="{nope", headers=json_type),
        api(emulator, "POST", "/models", data=json.dumps(model_document("m1")), headers={"Content-Type": "text/plain"}),
        api(emulator, "POST", "/models", data="x" * (1024 * 1024 + 10), headers=json_type),
        api(emulator, "POST", "/models", json={**model_document("m1"), "extra": 1}),
        api(emulator, "POST", "/models", json=model_document("UpperCase")),
        api(emulator, "POST", "/models", json=model_document("a" * 50)),
        api(emulator, "POST", "/models", json=model_document("m1", runtime={"type": "skynet"})),
        api(emulator, "PUT", "/models/m1", data="[" * 50_000, headers=json_type),
    ]
    raw_exchange(emulator, b"\x00\xffGARBAGE / HTTP/9.9\r\n\r\n")
    raw_exchange(emulator, b"POST /v0/models HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")

    assert [a.status_code for a in answers] == [400, 415, 413, 400, 400, 400, 400, 400]
    assert all(oracle.problems(a.json(), "Error") == [] for a in answers)
    assert emulator.health() == {"status": "ok"}
    assert api(emulator, "GET", "/models").status_code == 200
    assert emulator.stats()["statuses"].get("500") is None


def test_given_a_running_emulator_when_sent_sigint_then_it_exits_0(tmp_path: Path) -> None:
    process = EmulatorProcess(tmp_path / "e.db").start()
    try:
        process.signal(signal.SIGINT)
        assert process.wait() == 0
    finally:
        process.stop()


def test_given_a_running_emulator_when_stopped_with_sigterm_then_it_exits_0(emulator: EmulatorProcess) -> None:
    assert emulator.stop() == 0


def test_given_bad_arguments_when_starting_then_the_helper_reports_the_emulator_stderr(tmp_path: Path) -> None:
    process = EmulatorProcess(tmp_path / "e.db", deploy_seconds=-1)

    with pytest.raises(EmulatorStartError, match="deploy_seconds must be a finite number"):
        process.start()
    assert process.returncode == 2
