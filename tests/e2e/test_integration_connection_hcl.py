"""``blaxel_integration_connection`` with real Terraform and the emulator: the documented examples apply, the
stored ``secret`` form works, a config change does not redeploy the models, a delete refused while a model
still names the connection is retried, import and the data source read it by name."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from blaxel_constructs.emulator.process import EmulatorProcess
from tests.support.terraform import REPO, Workdir

pytestmark = pytest.mark.e2e

EXAMPLES = REPO / "examples"
KEY = "sk-EXAMPLE-key-51c0de"


def digest(emulator: EmulatorProcess, name: str) -> dict[str, str]:
    response = requests.get(f"{emulator.root_url}/_emulator/secrets/{name}", timeout=10)
    response.raise_for_status()
    answer: dict[str, str] = response.json()
    return answer


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def create_connection(emulator: EmulatorProcess, name: str, **spec: object) -> None:
    requests.post(
        f"{emulator.base_url}/integrations/connections",
        headers=emulator.headers(),
        json={"metadata": {"name": name}, "spec": {"integration": "anthropic", **spec}},
        timeout=10,
    ).raise_for_status()


def examples_workdir(tmp_path: Path, env: dict[str, str], *examples: str) -> Workdir:
    path = tmp_path / "examples"
    path.mkdir()
    for example in ("provider/provider.tf", *examples):
        shutil.copy(EXAMPLES / example, path / example.replace("/", "_"))
    workdir = Workdir(path, {**env, "TF_VAR_openai_api_key": KEY})
    workdir.init()
    return workdir


def test_the_resource_example_applies_plans_clean_and_destroys(
    tmp_path: Path, emulator_env: dict[str, str], emulator: EmulatorProcess
) -> None:
    workdir = examples_workdir(tmp_path, emulator_env, "resources/blaxel_integration_connection/resource.tf")

    workdir.apply()

    assert digest(emulator, "openai-prod") == {"apiKey": sha256(KEY)}
    assert KEY not in (workdir.path / "terraform.tfstate").read_text()
    assert workdir.resource("blaxel_model.chat")["status"] == "DEPLOYED"
    workdir.plan("-detailed-exitcode")
    workdir.destroy()


def test_the_import_block_example_adopts_a_connection_without_reading_its_secret(
    tmp_path: Path, emulator_env: dict[str, str], emulator: EmulatorProcess
) -> None:
    create_connection(emulator, "openai-prod", secret={"apiKey": "sk-made-elsewhere"})
    workdir = examples_workdir(tmp_path, emulator_env, "resources/blaxel_integration_connection/import-block.tf")
    workdir.write(
        "connection.tf",
        'resource "blaxel_integration_connection" "openai" {\n  name = "openai-prod"\n  integration = "anthropic"\n}\n',
    )

    workdir.apply()

    imported = workdir.resource("blaxel_integration_connection.openai")
    assert (imported["integration"], imported["secret"], imported["secret_wo"]) == ("anthropic", None, None)
    assert "********" not in (workdir.path / "terraform.tfstate").read_text()
    assert digest(emulator, "openai-prod") == {"apiKey": sha256("sk-made-elsewhere")}  # left alone
    workdir.plan("-detailed-exitcode")


def test_the_data_source_example_reads_a_connection_made_elsewhere(
    tmp_path: Path, emulator_env: dict[str, str], emulator: EmulatorProcess
) -> None:
    create_connection(emulator, "shared-anthropic", config={"region": "eu"}, secret={"apiKey": "sk-x"})
    workdir = examples_workdir(tmp_path, emulator_env, "data-sources/blaxel_integration_connection/data-source.tf")

    workdir.apply()

    outputs = json.loads(workdir.terraform("output", "-json").stdout)
    assert outputs["shared_integration"]["value"] == "anthropic"
    assert outputs["shared_config"]["value"] == {"region": "eu"}


def test_the_stored_secret_form_sends_its_secret_and_a_config_change_does_not_redeploy_the_model(
    hcl: Callable[[str], Workdir], emulator: EmulatorProcess
) -> None:
    body = """
resource "blaxel_integration_connection" "legacy" {
  name        = "legacy-conn"
  integration = "openai"
  config      = { region = "%s" }
  secret      = { apiKey = "sk-STORED-1" }
}

resource "blaxel_model" "chat" {
  name                    = "legacy-chat"
  runtime                 = { type = "openai", model = "gpt-4.1" }
  integration_connections = [blaxel_integration_connection.legacy.name]
}
"""
    workdir = hcl(body % "us")
    workdir.apply()
    assert digest(emulator, "legacy-conn") == {"apiKey": sha256("sk-STORED-1")}
    model = workdir.resource("blaxel_model.chat")

    workdir.write("main.tf", (workdir.path / "main.tf").read_text().replace('region = "us"', 'region = "eu"'))
    changed = workdir.apply()

    assert "0 added, 1 changed, 0 destroyed" in changed.stdout
    assert workdir.resource("blaxel_model.chat")["updated_at"] == model["updated_at"]
    assert workdir.resource("blaxel_integration_connection.legacy")["config"] == {"region": "eu"}
    workdir.plan("-detailed-exitcode")
    workdir.destroy()


def test_a_connection_named_by_a_plain_string_is_deleted_once_the_model_is_gone(
    hcl: Callable[[str], Workdir], emulator: EmulatorProcess
) -> None:
    emulator.configure(delete_seconds=2.0)
    workdir = hcl(
        """
resource "blaxel_integration_connection" "plain" {
  name        = "plain-conn"
  integration = "openai"
}

resource "blaxel_model" "chat" {
  name                    = "plain-chat"
  runtime                 = { type = "openai", model = "gpt-4.1" }
  integration_connections = ["plain-conn"]
}
"""
    )
    # The model names the connection by a plain string: no dependency, so Terraform destroys both at once.
    workdir.apply("-target=blaxel_integration_connection.plain")
    workdir.apply()

    workdir.destroy()

    assert emulator.stats()["statuses"].get("409", 0) >= 1  # refused while the model was still DELETING
    listed = requests.get(f"{emulator.base_url}/integrations/connections", headers=emulator.headers(), timeout=10)
    assert listed.json() == []
