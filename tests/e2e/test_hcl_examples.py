"""The HCL examples that the documentation embeds really apply, plan clean and destroy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import requests

from blaxel_constructs.emulator.process import EmulatorProcess
from tests.support.terraform import REPO, Workdir

pytestmark = pytest.mark.e2e

EXAMPLES = REPO / "examples"


def _workdir(tmp_path: Path, env: dict[str, str], *examples: str) -> Workdir:
    path = tmp_path / "examples"
    path.mkdir()
    for example in ("provider/provider.tf", *examples):
        shutil.copy(EXAMPLES / example, path / example.replace("/", "_"))
    workdir = Workdir(path, env)
    workdir.init()
    return workdir


def test_the_resource_example_applies_plans_clean_and_destroys(tmp_path: Path, emulator_env: dict[str, str]) -> None:
    workdir = _workdir(tmp_path, emulator_env, "resources/blaxel_model/resource.tf")

    workdir.apply()

    outputs = json.loads(workdir.terraform("output", "-json").stdout)
    assert outputs["chat_status"]["value"] == "DEPLOYED"
    workdir.plan("-detailed-exitcode")
    workdir.destroy()


def test_the_data_source_example_reads_a_model_made_elsewhere(
    tmp_path: Path, emulator_env: dict[str, str], emulator: EmulatorProcess
) -> None:
    requests.post(
        f"{emulator.base_url}/models",
        headers=emulator.headers(),
        json={"metadata": {"name": "shared-embeddings"}, "spec": {"runtime": {"type": "openai", "model": "emb-3"}}},
        timeout=10,
    ).raise_for_status()
    workdir = _workdir(tmp_path, emulator_env, "data-sources/blaxel_model/data-source.tf")

    workdir.apply()

    outputs = json.loads(workdir.terraform("output", "-json").stdout)
    assert outputs["shared_runtime_model"]["value"] == "emb-3"
    assert outputs["shared_url"]["value"].endswith("/models/shared-embeddings")
