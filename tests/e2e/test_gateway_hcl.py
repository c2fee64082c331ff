"""The whole model gateway in one HCL stack (issue 12, "Done when"), with real Terraform and the emulator process.

A connection whose secret comes from an ephemeral variable into the write-only ``secret_wo``, a policy, and a
model referencing both: the apply deploys the model, the secret reaches the API (the emulator's digest says
so) and appears in none of the state, the saved plan, the TF_LOG=trace output and the errors. Bumping
``secret_wo_version`` with a new value rotates it; a model naming a missing connection fails with the API's
400 naming it; destroy removes the three in dependency order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from blaxel_constructs.emulator.process import EmulatorProcess
from tests.support.terraform import Workdir

pytestmark = pytest.mark.e2e

FIRST = "sk-FIRST-secret-9f2c41"
SECOND = "sk-SECOND-secret-77ab03"

GATEWAY = """
variable "openai_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "key_version" {
  type    = number
  default = 1
}

resource "blaxel_integration_connection" "openai" {
  name              = "openai-gw"
  integration       = "openai"
  config            = { organization = "org-gw" }
  secret_wo         = { apiKey = var.openai_api_key }
  secret_wo_version = var.key_version
}

resource "blaxel_policy" "eu" {
  name           = "eu-gw"
  type           = "location"
  resource_types = ["model"]
  locations      = [{ name = "eu", type = "continent" }]
}

resource "blaxel_model" "chat" {
  name                    = "chat-gw"
  runtime                 = { type = "openai", model = "gpt-4.1" }
  integration_connections = [blaxel_integration_connection.openai.name]
  policies                = [blaxel_policy.eu.name]
}

output "status" {
  value = blaxel_model.chat.status
}
"""


def digest(emulator: EmulatorProcess, name: str) -> dict[str, str]:
    response = requests.get(f"{emulator.root_url}/_emulator/secrets/{name}", timeout=10)
    response.raise_for_status()
    answer: dict[str, str] = response.json()
    return answer


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def with_key(workdir: Workdir, key: str, version: int = 1) -> Workdir:
    """The same directory, with the ephemeral variable's value in the environment (as a user would export it)."""
    env = {**workdir.env, "TF_VAR_openai_api_key": key, "TF_VAR_key_version": str(version)}
    return Workdir(workdir.path, env)


def test_the_gateway_deploys_keeps_the_secret_out_of_everything_rotates_it_and_destroys_in_order(
    hcl: Callable[[str], Workdir], emulator: EmulatorProcess, tmp_path: Path
) -> None:
    workdir = with_key(hcl(GATEWAY), FIRST)
    trace = tmp_path / "trace.log"
    traced = Workdir(workdir.path, {**workdir.env, "TF_LOG": "trace", "TF_LOG_PATH": str(trace)})

    plan = traced.plan("-out=gateway.plan")
    assert "secret_wo         = (write-only attribute)" in plan.stdout
    saved = workdir.terraform("show", "-json", "gateway.plan").stdout
    applied = traced.apply("gateway.plan")

    assert workdir.resource("blaxel_model.chat")["status"] == "DEPLOYED"
    assert digest(emulator, "openai-gw") == {"apiKey": sha256(FIRST)}
    state_file = (workdir.path / "terraform.tfstate").read_text()
    assert json.loads(state_file)["resources"]  # the state is really there
    trace_text = trace.read_text()
    assert "ApplyResourceChange" in trace_text  # the trace really covers the provider calls
    for where, text in {
        "state": state_file,
        "saved plan": saved,
        "trace": trace_text,
        "plan output": plan.output,
        "apply output": applied.output,
    }.items():
        assert FIRST not in text, f"the secret leaked into the {where}"
    assert workdir.resource("blaxel_integration_connection.openai")["secret_wo"] is None
    workdir.plan("-detailed-exitcode")

    rotated = with_key(workdir, SECOND, version=2)
    rotation = rotated.plan("-out=rotate.plan")
    assert "~ secret_wo_version = 1 -> 2" in rotation.stdout
    assert "Plan: 0 to add, 1 to change, 0 to destroy." in rotation.stdout
    model_before = workdir.resource("blaxel_model.chat")
    rotated.apply("rotate.plan")
    assert digest(emulator, "openai-gw") == {"apiKey": sha256(SECOND)}
    assert workdir.resource("blaxel_model.chat")["updated_at"] == model_before["updated_at"]  # not redeployed
    rotated.plan("-detailed-exitcode")
    assert SECOND not in (workdir.path / "terraform.tfstate").read_text()

    destroyed = rotated.destroy()
    out = destroyed.stdout
    assert out.index("blaxel_model.chat: Destruction complete") < out.index(
        "blaxel_integration_connection.openai: Destroying"
    )
    assert out.index("blaxel_model.chat: Destruction complete") < out.index("blaxel_policy.eu: Destroying")
    for path in ("models", "integrations/connections", "policies"):
        listed = requests.get(f"{emulator.base_url}/{path}", headers=emulator.headers(), timeout=10).json()
        items = listed["data"] if isinstance(listed, dict) else listed
        assert items == [], f"{path} still holds {items}"


def test_a_model_naming_a_missing_connection_fails_the_apply_with_the_api_400_naming_it(
    hcl: Callable[[str], Workdir],
) -> None:
    workdir = hcl(
        """
resource "blaxel_model" "orphan" {
  name                    = "orphan-gw"
  runtime                 = { type = "openai", model = "gpt-4.1" }
  integration_connections = ["no-such-connection"]
}
"""
    )

    failed = workdir.apply(expect=(1,))

    assert "Blaxel rejected model 'orphan-gw'" in failed.flat
    assert "returned 400" in failed.flat
    assert "no-such-connection" in failed.flat
    assert workdir.terraform("state", "list").stdout.strip() == ""


def test_an_error_of_the_connection_never_quotes_its_secret(
    hcl: Callable[[str], Workdir], emulator: EmulatorProcess
) -> None:
    requests.post(
        f"{emulator.base_url}/integrations/connections",
        headers=emulator.headers(),
        json={"metadata": {"name": "openai-gw"}, "spec": {"integration": "openai"}},
        timeout=10,
    ).raise_for_status()
    workdir = with_key(hcl(GATEWAY.split('resource "blaxel_policy"')[0]), FIRST)

    failed = workdir.apply(expect=(1,))

    assert "Integration connection 'openai-gw' already exists" in failed.flat
    assert FIRST not in failed.output
