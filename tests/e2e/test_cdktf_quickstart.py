"""The quickstart stack through the real cdktf CLI: synth, deploy, a no-op second deploy, destroy.

The stack holds a connection whose key is ``Secret.from_env("OPENAI_API_KEY")``: the deploys read it from
``TF_VAR_OPENAI_API_KEY``; it must reach the API (the emulator's digest) and no synthesized file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import requests

from blaxel_constructs import __version__
from blaxel_constructs.constructs.provider_lock import LOCK_FILE, merged_lock_file
from tests.support.emulator_process import EmulatorProcess
from tests.support.terraform import CDKTF, NO_REGISTRY, REPO, run

pytestmark = pytest.mark.e2e

STACK = "quickstart"
OPENAI_KEY = "sk-quickstart-test-key-0123456789"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A cdktf project directory whose app is the repository's quickstart example."""
    root = json.loads((REPO / "cdktf.json").read_text())
    python = REPO / ".venv" / "bin" / "python"
    root["app"] = f"{python} {REPO / 'examples' / 'quickstart' / 'main.py'}"
    path = tmp_path / "project"
    path.mkdir()
    (path / "cdktf.json").write_text(json.dumps(root))
    return path


def _writes(emulator: EmulatorProcess) -> int:
    return sum(n for key, n in emulator.stats()["requests"].items() if key.split(" ")[0] in {"POST", "PUT", "DELETE"})


def test_cdktf_synth_writes_terraform_json_for_the_blaxel_provider_without_credentials(
    project: Path, emulator_env: dict[str, str]
) -> None:
    run([str(CDKTF), "synth"], cwd=project, env=emulator_env)

    stack = json.loads((project / "cdktf.out" / "stacks" / STACK / "cdk.tf.json").read_text())
    assert stack["terraform"]["required_providers"]["blaxel"] == {
        "source": "blaxel-constructs/blaxel",
        "version": __version__,
    }
    (model,) = stack["resource"]["blaxel_model"].values()
    assert model["runtime"] == {"type": "openai", "model": "gpt-4.1"}
    text = json.dumps(stack)
    assert emulator_env["BL_API_KEY"] not in text
    assert emulator_env["BL_API_URL"] not in text


def test_cdktf_deploy_makes_a_deployed_model_then_a_second_deploy_changes_nothing_and_destroy_cleans_up(
    project: Path, emulator_env: dict[str, str], emulator: EmulatorProcess
) -> None:
    outputs = project / "outputs.json"
    deploy = [str(CDKTF), "deploy", STACK, "--auto-approve", "--outputs-file", str(outputs)]
    env = {**emulator_env, **NO_REGISTRY, "TF_VAR_OPENAI_API_KEY": OPENAI_KEY}
    assert not (project / "cdktf.out").exists()  # a fresh clone: no lock file left by an earlier run

    run(deploy, cwd=project, env=env)  # no --skip-provider-lock, no registry to reach

    values = json.loads(outputs.read_text())[STACK]
    assert values["status"] == "DEPLOYED"
    assert values["url"].endswith("/models/quickstart-gpt")
    assert (values["connection"], values["policy"]) == ("quickstart-gpt-openai", "quickstart-gpt-eu")
    digest = requests.get(f"{emulator.root_url}/_emulator/secrets/quickstart-gpt-openai", timeout=10).json()
    assert digest == {"apiKey": hashlib.sha256(OPENAI_KEY.encode()).hexdigest()}
    assert OPENAI_KEY not in (project / "cdktf.out" / "stacks" / STACK / "cdk.tf.json").read_text()
    lock = project / "cdktf.out" / "stacks" / STACK / LOCK_FILE
    assert lock.read_text() == merged_lock_file(None), "terraform init kept the lock file synthesis wrote"
    writes = _writes(emulator)

    second = run(deploy, cwd=project, env=env)

    assert "No changes" in second.output
    assert _writes(emulator) == writes

    run([str(CDKTF), "destroy", STACK, "--auto-approve"], cwd=project, env=env)

    for path in ("models", "integrations/connections", "policies"):
        response = requests.get(f"{emulator.base_url}/{path}", headers=emulator.headers(), timeout=10)
        body = response.json()
        assert (body["data"] if isinstance(body, dict) else body) == [], path
