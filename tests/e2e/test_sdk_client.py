"""Blaxel's official Python SDK as a real client of the emulator process: create, read, list, update, revisions, delete.

The SDK runs in its own interpreter (``sdk_session.py``) configured as a user would configure it, through
``BL_API_KEY``, ``BL_WORKSPACE`` and ``BL_API_VERSION=2026-04-28``; its HOME and working directory are
empty temporary folders (the SDK reads ``~/.blaxel/config.yaml``, ``./blaxel.toml`` and ``./.env`` when
imported), tracking is off, and every proxy variable points at a local trap, so a request that tried to
leave 127.0.0.1 would show up as a connection to the trap instead of reaching the network.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from blaxel_constructs.document.rules import PAGINATED_SINCE
from tests.emulator.sdk_oracle import SdkOracle, load_oracle, quarantined_sdk_env
from tests.support.emulator_process import EmulatorProcess

pytestmark = pytest.mark.e2e

SESSION = Path(__file__).with_name("sdk_session.py")
API_VERSION = "2026-04-28"
PREFIX = "sdk"
CHAT, EMBED = f"{PREFIX}-chat", f"{PREFIX}-embed"
#: Generous: the session imports the SDK (about 2 s) and waits for four 0.3 s deployments.
SESSION_TIMEOUT = 300


@dataclass(frozen=True)
class SdkRun:
    """What one SDK session did: its report, the emulator it talked to, and what it left behind."""

    report: dict[str, Any]
    stats: dict[str, Any]
    api_key: str
    workspace: str
    home: Path
    workdir: Path
    trapped_connections: int
    stderr: str

    def step(self, name: str) -> dict[str, Any]:
        """The report of the step called ``name``."""
        (found,) = [step for step in self.report["steps"] if step["step"] == name]
        return typing.cast(dict[str, Any], found)


def _connections_waiting(trap: socket.socket) -> int:
    """How many connections reached the listening ``trap`` (none were accepted before)."""
    trap.setblocking(False)
    count = 0
    while True:
        try:
            connection, _ = trap.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


@pytest.fixture(scope="module")
def sdk_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SdkRun]:
    """One SDK session against a fresh emulator process, run once for the module's assertions."""
    root = tmp_path_factory.mktemp("sdk")
    home, workdir = root / "home", root / "work"
    home.mkdir()
    workdir.mkdir()
    with (
        EmulatorProcess(root / "emulator.db", deploy_seconds=0.3) as emulator,
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as trap,
    ):
        trap.bind(("127.0.0.1", 0))
        trap.listen(16)
        proxy = f"http://127.0.0.1:{trap.getsockname()[1]}"
        env = {
            "PATH": os.environ.get("PATH", ""),
            **quarantined_sdk_env(str(home)),
            "BL_API_KEY": emulator.api_key,
            "BL_WORKSPACE": emulator.workspace,
            "BL_API_VERSION": API_VERSION,
            **{name: proxy for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")},
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
        result = subprocess.run(
            [sys.executable, str(SESSION), emulator.base_url, PREFIX],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=SESSION_TIMEOUT,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        yield SdkRun(
            report=json.loads(result.stdout),
            stats=emulator.stats(),
            api_key=emulator.api_key,
            workspace=emulator.workspace,
            home=home,
            workdir=workdir,
            trapped_connections=_connections_waiting(trap),
            stderr=result.stderr,
        )


@pytest.fixture(scope="module")
def oracle() -> SdkOracle:
    """The SDK's models as the oracle for the raw answers the session saw."""
    return load_oracle()


def test_given_the_sdk_client_when_it_drives_a_model_through_its_life_then_each_answer_parses_into_the_sdk_type(
    sdk_run: SdkRun,
) -> None:
    summary = [(step["step"], step["status"], step["parsed"]) for step in sdk_run.report["steps"]]

    assert summary == [
        ("create", 200, "Model"),
        ("create again", 409, "Error"),
        ("deployed", 200, "Model"),
        ("create second", 200, "Model"),
        ("second deployed", 200, "Model"),
        ("list page 1", 200, "ModelList"),
        ("list page 2", 200, "ModelList"),
        ("update", 200, "Model"),
        ("updated", 200, "Model"),
        ("revisions", 200, ["RevisionMetadata", "RevisionMetadata"]),
        (f"delete {CHAT}", 200, "Model"),
        (f"gone {CHAT}", 404, "Error"),
        (f"delete {EMBED}", 200, "Model"),
        (f"gone {EMBED}", 404, "Error"),
        ("list after delete", 200, "ModelList"),
    ]


def test_given_the_sdk_client_when_it_creates_and_updates_then_the_emulator_kept_what_it_sent(
    sdk_run: SdkRun,
) -> None:
    deployed, updated = sdk_run.step("deployed")["body"], sdk_run.step("updated")["body"]

    assert deployed["status"] == "DEPLOYED"
    assert deployed["metadata"]["displayName"] == "Chat"
    assert deployed["metadata"]["labels"] == {"team": "ml"}
    assert deployed["spec"]["runtime"] == {"type": "openai", "model": "gpt-4.1"}
    assert deployed["spec"]["flavors"] == [{"name": "t4", "type": "cpu"}]
    assert updated["status"] == "DEPLOYED"
    assert updated["metadata"]["displayName"] == "Chat (mini)"
    assert updated["spec"]["runtime"]["model"] == "gpt-4.1-mini"
    assert sdk_run.step("create again")["body"] == {"error": f"Resource already exists: {CHAT}", "code": 409}


def test_given_the_sdk_client_when_it_lists_with_a_cursor_then_it_walks_the_paginated_pages(sdk_run: SdkRun) -> None:
    first, second = sdk_run.step("list page 1")["body"], sdk_run.step("list page 2")["body"]

    assert [model["metadata"]["name"] for model in first["data"]] == [CHAT]
    assert first["meta"]["hasMore"] is True
    assert [model["metadata"]["name"] for model in second["data"]] == [EMBED]
    assert second["meta"]["hasMore"] is False
    assert sdk_run.step("list after delete")["body"]["data"] == []


def test_given_the_sdk_client_when_it_lists_revisions_after_an_update_then_the_newest_is_the_active_one(
    sdk_run: SdkRun,
) -> None:
    newest, oldest = sdk_run.step("revisions")["body"]

    assert newest["active"] is True
    assert oldest["active"] is False


def test_given_every_raw_answer_of_the_session_when_checked_then_the_sdk_oracle_finds_no_problem(
    sdk_run: SdkRun, oracle: SdkOracle
) -> None:
    problems: list[str] = []
    for step in sdk_run.report["steps"]:
        parsed, body = step["parsed"], step["body"]
        if isinstance(parsed, list):
            problems += [p for item in body for p in oracle.problems(item, "RevisionMetadata")]
        else:
            problems += [f"{step['step']}: {p}" for p in oracle.problems(body, parsed)]

    assert problems == []


def test_given_the_sdk_configured_from_bl_variables_then_every_request_carried_version_2026_04_28_key_and_workspace(
    sdk_run: SdkRun,
) -> None:
    sent = sdk_run.report["sent"]

    assert API_VERSION == PAGINATED_SINCE
    assert sdk_run.report["auth"] == "ApiKey"
    assert len(sent) == sdk_run.stats["total"]
    assert {request["Blaxel-Version"] for request in sent} == {API_VERSION}
    assert {request["X-Blaxel-Authorization"] for request in sent} == {f"Bearer {sdk_run.api_key}"}
    assert {request["X-Blaxel-Workspace"] for request in sent} == {sdk_run.workspace}
    assert all(request["User-Agent"].startswith("blaxel/sdk/python/0.4.24 ") for request in sent)
    assert sdk_run.step("deployed")["body"]["metadata"]["workspace"] == sdk_run.workspace


def test_given_the_session_then_every_request_reached_the_emulator_and_none_went_anywhere_else(
    sdk_run: SdkRun,
) -> None:
    requests = sdk_run.stats["requests"]

    assert requests["POST /v0/models"] == 3
    assert requests["GET /v0/models"] == 3
    assert requests["PUT /v0/models/{modelName}"] == 1
    assert requests["DELETE /v0/models/{modelName}"] == 2
    assert requests["GET /v0/models/{modelName}/revisions"] == 1
    assert sdk_run.stats["statuses"].get("401", 0) == 0
    assert sdk_run.trapped_connections == 0


def test_given_the_session_then_the_sdk_wrote_nothing_into_its_home_or_working_directory(sdk_run: SdkRun) -> None:
    assert sorted(sdk_run.home.rglob("*")) == []
    assert sorted(sdk_run.workdir.rglob("*")) == []
    assert "Traceback" not in sdk_run.stderr
