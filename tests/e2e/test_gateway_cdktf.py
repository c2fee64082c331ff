"""The whole model gateway as one cdktf stack, through the real cdktf CLI, Terraform and the emulator process.

An app with an ``IntegrationConnection`` (its key ``Secret.from_env``), a ``Policy`` and a ``ModelEndpoint``
naming both as objects deploys all three (the model DEPLOYED, naming the connection and the policy); the
key reaches the API (the emulator's digest) and appears in none of ``cdk.tf.json``, the state and the
``TF_LOG=trace`` log; a new key with a bumped ``secret_version`` rotates it without touching the model;
destroy removes all three in dependency order.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.emulator_process import EmulatorProcess
from tests.support.terraform import CDKTF, REPO, run

pytestmark = pytest.mark.e2e

STACK = "gateway"
MODEL = "gateway-gpt"
CONNECTION = "gateway-openai"
POLICY = "gateway-tokens"
#: The app reads its secret version (never the secret) from this variable at synth time.
VERSION_VARIABLE = "GATEWAY_SECRET_VERSION"

APP = f'''
import os

from cdktf import App, TerraformOutput, TerraformStack

from blaxel_constructs import BlaxelProvider, IntegrationConnection, ModelEndpoint, ModelRuntime, Policy, Secret

app = App()
stack = TerraformStack(app, "{STACK}")
BlaxelProvider(stack, "blaxel")
openai = IntegrationConnection(
    stack,
    "openai",
    name="{CONNECTION}",
    integration="openai",
    config={{"organization": "org-e2e"}},
    secret={{"apiKey": Secret.from_env("OPENAI_API_KEY")}},
    secret_version=int(os.environ.get("{VERSION_VARIABLE}", "1")),
)
tokens = Policy(
    stack, "tokens", name="{POLICY}", type="maxToken", max_tokens={{"granularity": "minute", "total": 10000}}
)
gpt = ModelEndpoint(
    stack,
    "gpt",
    name="{MODEL}",
    runtime=ModelRuntime(type="openai", model="gpt-4.1"),
    integration_connections=[openai],
    policies=[tokens],
)
TerraformOutput(stack, "status", value=gpt.status)
app.synth()
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A cdktf project whose app is the gateway above, run by this checkout's .venv."""
    path = tmp_path / "project"
    path.mkdir()
    (path / "main.py").write_text(APP)
    config = json.loads((REPO / "cdktf.json").read_text())
    config["app"] = f"{REPO / '.venv' / 'bin' / 'python'} {path / 'main.py'}"
    (path / "cdktf.json").write_text(json.dumps(config))
    return path


def _get(emulator: EmulatorProcess, path: str) -> Any:
    response = requests.get(f"{emulator.base_url}/{path}", headers=emulator.headers(), timeout=10)
    response.raise_for_status()
    return response.json()


def _names(emulator: EmulatorProcess, path: str) -> list[str]:
    body = _get(emulator, path)
    items = body["data"] if isinstance(body, dict) else body
    return sorted(item["metadata"]["name"] for item in items)


def _digest(emulator: EmulatorProcess) -> dict[str, str]:
    response = requests.get(f"{emulator.root_url}/_emulator/secrets/{CONNECTION}", timeout=10)
    response.raise_for_status()
    digest: dict[str, str] = response.json()
    return digest


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _everything_written(project: Path, trace: Path) -> str:
    """cdk.tf.json, every state file of the project and the trace log, as one text to search."""
    files = [project / "cdktf.out" / "stacks" / STACK / "cdk.tf.json", trace, *sorted(project.rglob("*.tfstate*"))]
    assert len(files) > 2, f"no state file was found under {project}"
    return "\n".join(path.read_text(errors="replace") for path in files)


def test_a_cdktf_gateway_deploys_keeps_its_secret_out_of_every_file_rotates_it_and_destroys_in_order(
    project: Path, emulator_env: dict[str, str], emulator: EmulatorProcess, tmp_path: Path
) -> None:
    key = f"sk-e2e-{secrets.token_hex(12)}"
    trace = tmp_path / "trace.log"
    deploy = [str(CDKTF), "deploy", STACK, "--auto-approve"]
    env = {**emulator_env, "TF_VAR_OPENAI_API_KEY": key}

    run(deploy, cwd=project, env={**env, "TF_LOG": "trace", "TF_LOG_PATH": str(trace)}, timeout=600)

    model = _get(emulator, f"models/{MODEL}")
    assert model["status"] == "DEPLOYED"
    assert model["spec"]["integrationConnections"] == [CONNECTION]
    assert model["spec"]["policies"] == [POLICY]
    assert _get(emulator, f"integrations/connections/{CONNECTION}")["spec"]["config"] == {"organization": "org-e2e"}
    assert _get(emulator, f"policies/{POLICY}")["spec"]["maxTokens"]["total"] == 10000
    assert _digest(emulator) == {"apiKey": _sha256(key)}
    synthesized = (project / "cdktf.out" / "stacks" / STACK / "cdk.tf.json").read_text()
    assert '"secret_wo"' in synthesized, "the connection must be synthesized with its write-only secret"
    written = _everything_written(project, trace)
    assert "blaxel_integration_connection" in trace.read_text(), "the trace must cover the connection's apply"
    assert key not in written

    rotated = f"sk-e2e-rotated-{secrets.token_hex(12)}"
    models_created = emulator.stats()["models_created"]
    run(deploy, cwd=project, env={**env, "TF_VAR_OPENAI_API_KEY": rotated, VERSION_VARIABLE: "2"}, timeout=600)

    assert _digest(emulator) == {"apiKey": _sha256(rotated)}
    assert emulator.stats()["models_created"] == models_created, "rotating the key must not recreate the model"
    assert _get(emulator, f"models/{MODEL}")["status"] == "DEPLOYED"
    assert rotated not in _everything_written(project, trace)

    emulator.reset_stats()
    run([str(CDKTF), "destroy", STACK, "--auto-approve"], cwd=project, env={**env, VERSION_VARIABLE: "2"}, timeout=600)

    statuses = emulator.stats()["statuses"]
    assert "409" not in statuses, f"the connection was deleted while the model still named it: {statuses}"
    assert _names(emulator, "models") == []
    assert _names(emulator, "integrations/connections") == []
    assert _names(emulator, "policies") == []


def test_cdktf_synth_needs_no_secret_and_writes_none(project: Path, emulator_env: dict[str, str]) -> None:
    env = {key: value for key, value in emulator_env.items() if not key.startswith("TF_VAR_")}

    run([str(CDKTF), "synth"], cwd=project, env=env)

    stack = json.loads((project / "cdktf.out" / "stacks" / STACK / "cdk.tf.json").read_text())
    (connection,) = stack["resource"]["blaxel_integration_connection"].values()
    assert connection["secret_wo"] == {"apiKey": "${var.OPENAI_API_KEY}"}
    assert stack["variable"]["OPENAI_API_KEY"]["ephemeral"] is True
