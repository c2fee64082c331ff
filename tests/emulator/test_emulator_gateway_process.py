"""Connections and policies in a real emulator process: they survive a restart, and the secret appears in no
answer, no line of the process's log and no byte of its database; only its digest does, on the control endpoint."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.support.emulator_process import EmulatorProcess

from .documents import connection_document, model_document, policy_document
from .live import api

#: A real emulator process per test: the layer's integration tests, left out of ``make unit``.
pytestmark = pytest.mark.process

SECRET = "sk-process-secret-93c1e"


def test_given_a_connection_policy_and_model_when_restarted_then_all_survive_and_the_digest_is_unchanged(
    emulator: EmulatorProcess,
) -> None:
    assert api(emulator, "POST", "/integrations/connections", json=connection_document(secret={"k": SECRET})).ok
    assert api(emulator, "POST", "/policies", json=policy_document()).ok
    model = model_document("m1", integrationConnections=["openai-conn"], policies=["eu-only"])
    assert api(emulator, "POST", "/models", json=model).ok

    emulator.restart()

    assert api(emulator, "GET", "/integrations/connections/openai-conn").json()["spec"]["secret"] == {"k": "********"}
    assert api(emulator, "GET", "/policies/eu-only").json()["usage"]["models"] == 1
    assert emulator.secret_digests("openai-conn") == {"k": hashlib.sha256(SECRET.encode()).hexdigest()}
    refused = api(emulator, "DELETE", "/integrations/connections/openai-conn")
    assert refused.status_code == 409
    assert refused.json()["error"] == "Integration connection openai-conn is in use by models: m1"


def test_given_a_secret_sent_every_way_when_the_process_has_served_it_then_no_answer_log_or_database_byte_holds_it(
    emulator: EmulatorProcess, tmp_path: Path
) -> None:
    answers = [
        api(emulator, "POST", "/integrations/connections", json=connection_document(secret={"k": SECRET})),
        api(emulator, "POST", "/integrations/connections", json=connection_document(secret={"k": SECRET})),
        api(emulator, "PUT", "/integrations/connections/openai-conn", json=connection_document(secret={"k": [SECRET]})),
        api(emulator, "PUT", "/integrations/connections/openai-conn", json=connection_document(secret={"k": SECRET})),
        api(emulator, "GET", "/integrations/connections/openai-conn"),
        api(emulator, "GET", "/integrations/connections"),
        api(emulator, "DELETE", "/integrations/connections/openai-conn"),
    ]
    emulator.stop()

    assert [a.status_code for a in answers] == [200, 409, 400, 200, 200, 200, 200]
    assert all(SECRET not in a.text for a in answers)
    assert SECRET not in emulator.stderr()
    database = b"".join(path.read_bytes() for path in tmp_path.glob("emulator.db*"))
    assert database
    assert SECRET.encode() not in database
