"""``blaxel-constructs import --format cdktf`` and ``--format cdktn`` end to end: the generated construct app of a
workspace made by another tool (raw HTTP, see ``tests/support/seeded_workspace.py``) deployed with the real CLI.

The first ``deploy adopted --auto-approve`` (stdin closed: nothing may ask a question) imports every object and
changes none, the next ``diff adopted`` shows no change, and neither the generation nor the deploy nor the diff
writes to the API; no seeded secret reaches the generated app, the synthesized stack or the state. With
``--take-over-secrets`` the first ``diff`` also updates each connection's ``secret_wo_version``, and nothing else.
A rerun after new objects appear keeps every Python variable and construct id (so every address).

cdktf runs from ``.venv`` (this venv's ``bin/`` first on PATH, where the generated ``cdktf.json`` finds
``python3``); cdktn from ``.venv-cdktn`` (cdktn 0.24, no cdktf; its ``bin/`` holds the Node.js cdktn-cli needs),
as in ``test_cdktn.py``. One seeded workspace serves both.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.emulator_process import EmulatorProcess
from tests.support.seeded_workspace import (
    DELETING_MODEL,
    INCOMPLETE_MODEL,
    SeededWorkspace,
    api,
    model_document,
    resource_writes,
    seeded_emulator,
)
from tests.support.terraform import CDKTF, REPO, CommandFailed, ProviderInstall, Result, base_env, run

pytestmark = pytest.mark.e2e

STACK = "adopted"
CDKTN = REPO / "node_modules" / ".bin" / "cdktn"
VENV_CDKTN = REPO / ".venv-cdktn"
_IMPORTED = re.compile(r"Resources: (\d+) imported, (\d+) added, (\d+) changed, (\d+) destroyed")
_PLANNED = re.compile(r"Plan: (\d+) to import, (\d+) to add, (\d+) to change, (\d+) to destroy")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CONSTRUCT = re.compile(r'^(\w+) = \w+\(\n    stack,\n    "([^"]+)",\n    name="([^"]+)",', re.MULTILINE)
_TF_VAR = re.compile(r"TF_VAR_[A-Z0-9_]+")
_TIMEOUT = 600


@dataclass(frozen=True)
class Cdk:
    """One CDK: its CLI, and the venv whose Python runs the generator and the generated app."""

    format: str
    cli: Path
    bin_dir: Path


CDKS = (
    Cdk("cdktf", CDKTF, Path(sys.executable).parent),
    Cdk("cdktn", CDKTN, VENV_CDKTN / "bin"),
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmulatorProcess, SeededWorkspace]]:
    """The emulator holding the seeded workspace, shared by both CDKs (an import changes nothing there)."""
    with seeded_emulator(tmp_path_factory.mktemp("import-cdk-emulator")) as seeded:
        yield seeded


def _cli(args: list[str], *, cwd: Path, env: dict[str, str]) -> Result:
    """Run a CDK CLI command with stdin closed; CommandFailed with its output unless it exits 0."""
    completed = subprocess.run(
        args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=_TIMEOUT, check=False
    )
    result = Result(args, completed.returncode, completed.stdout, completed.stderr)
    if completed.returncode != 0:
        raise CommandFailed(f"{' '.join(args)} exited {completed.returncode}\n{result.output}")
    return result


def _no_secret(seeded: SeededWorkspace, directory: Path, *outputs: str) -> None:
    """No seeded secret in any file under ``directory`` (app, synthesized stack, state) or in ``outputs``."""
    texts = [*outputs]
    for path in directory.rglob("*"):
        if path.is_file() and ".terraform" not in path.parts and "node_modules" not in path.parts:
            texts.append(path.read_text(errors="replace"))
    for text in texts:
        for secret in seeded.secret_values:
            assert secret not in text


@pytest.mark.parametrize("cdk", CDKS, ids=[cdk.format for cdk in CDKS])
def test_the_generated_app_imports_every_object_on_first_deploy_then_diffs_clean_without_writing(
    cdk: Cdk,
    workspace: tuple[EmulatorProcess, SeededWorkspace],
    provider_install: ProviderInstall,
    tmp_path: Path,
) -> None:
    missing = [str(path) for path in (cdk.cli, cdk.bin_dir / "python") if not path.exists()]
    if missing:
        raise RuntimeError(f"these tests need {', '.join(missing)}: run make test (or make setup-cdktn)")
    emulator, seeded = workspace
    (tmp_path / "home").mkdir()
    env = base_env(provider_install, home=tmp_path / "home", extra=emulator.client_env())
    env["PATH"] = f"{cdk.bin_dir}{os.pathsep}{env.get('PATH', '')}"
    out = tmp_path / "app"
    emulator.reset_stats()
    command = [str(cdk.bin_dir / "python"), "-m", "blaxel_constructs.cli", "import", "--format", cdk.format]

    generated = run([*command, "--out", str(out)], cwd=tmp_path, env=env)

    assert sorted(path.name for path in out.iterdir()) == ["cdktf.json", "main.py"]
    config = json.loads((out / "cdktf.json").read_text())
    assert str(tmp_path) not in config["app"] and config["app"].split()[0] in {"python3", "python"}, config["app"]
    main = (out / "main.py").read_text()
    assert f"from {cdk.format} import App, TerraformStack" in main
    for skipped in (DELETING_MODEL, INCOMPLETE_MODEL):  # skipped, and said so
        assert f'"{skipped}"' not in main and f"model {skipped}" in generated.output
    _no_secret(seeded, out, generated.output)

    deploy = _cli([str(cdk.cli), "deploy", STACK, "--auto-approve"], cwd=out, env=env)

    found = _IMPORTED.search(deploy.output)
    assert found, deploy.output
    assert tuple(int(group) for group in found.groups()) == (seeded.managed, 0, 0, 0)
    diff = _cli([str(cdk.cli), "diff", STACK], cwd=out, env=env)
    assert "No changes" in diff.output, diff.output
    resources = json.loads((out / f"terraform.{STACK}.tfstate").read_text())["resources"]
    assert len([r for r in resources if r["mode"] == "managed"]) == seeded.managed
    _no_secret(seeded, out, deploy.output, diff.output)
    assert resource_writes(emulator) == {}


@pytest.mark.parametrize("cdk", CDKS, ids=[cdk.format for cdk in CDKS])
def test_with_the_secrets_taken_over_the_first_diff_also_updates_each_connection_and_nothing_else(
    cdk: Cdk,
    workspace: tuple[EmulatorProcess, SeededWorkspace],
    provider_install: ProviderInstall,
    tmp_path: Path,
) -> None:
    emulator, seeded = workspace
    (tmp_path / "home").mkdir()
    env = base_env(provider_install, home=tmp_path / "home", extra=emulator.client_env())
    env["PATH"] = f"{cdk.bin_dir}{os.pathsep}{env.get('PATH', '')}"
    out = tmp_path / "app"
    emulator.reset_stats()
    command = [str(cdk.bin_dir / "python"), "-m", "blaxel_constructs.cli", "import", "--format", cdk.format]

    generated = run([*command, "--out", str(out), "--take-over-secrets"], cwd=tmp_path, env=env)

    variables = sorted(set(_TF_VAR.findall(generated.stdout)))
    assert len(variables) >= len(seeded.connections), generated.stdout
    env.update({name: f"rotated-{index}" for index, name in enumerate(variables)})
    diff = _cli([str(cdk.cli), "diff", STACK], cwd=out, env=env)
    text = _ANSI.sub("", diff.output)
    found = _PLANNED.search(text)
    assert found, text
    assert tuple(int(group) for group in found.groups()) == (seeded.managed, 0, len(seeded.connections), 0)
    changed = re.findall(r"~ resource \"(\w+)\"", text)
    assert changed == ["blaxel_integration_connection"] * len(seeded.connections), text
    changes = re.findall(r"^(?:adopted)?\s+[-+~] (\w+)\s+= (.*)$", text, re.MULTILINE)
    # What the update will recompute (updated_at, updated_by) is no change of configuration.
    configured = [name for name, value in changes if not value.endswith("-> (known after apply)")]
    assert configured == ["secret_wo_version"] * len(seeded.connections), text
    _no_secret(seeded, out, generated.output, diff.output)
    assert resource_writes(emulator) == {}


def test_a_rerun_after_new_objects_appear_keeps_every_variable_and_construct_id(
    workspace: tuple[EmulatorProcess, SeededWorkspace], provider_install: ProviderInstall, tmp_path: Path
) -> None:
    emulator, seeded = workspace
    (tmp_path / "home").mkdir()
    env = base_env(provider_install, home=tmp_path / "home", extra=emulator.client_env())
    command = [sys.executable, "-m", "blaxel_constructs.cli", "import", "--format", "cdktf", "--out"]
    run([*command, str(tmp_path / "first")], cwd=tmp_path, env=env)
    before = _constructs(tmp_path / "first")
    assert sorted(before) == sorted((*seeded.connections, *seeded.policies, *seeded.models))
    added_models = ("chat--1", "0-new")
    api(
        emulator,
        "POST",
        "/integrations/connections",
        {"metadata": {"name": "openai--prod"}, "spec": {"integration": "openai", "secret": {"apiKey": "x"}}},
    )
    for name in added_models:
        api(emulator, "POST", "/models", model_document(name, {"type": "openai", "model": "gpt-4.1"}))
    try:
        emulator.reset_stats()

        run([*command, str(tmp_path / "second")], cwd=tmp_path, env=env)

        after = _constructs(tmp_path / "second")
        assert {name: after[name] for name in before} == before
        assert sorted(set(after) - set(before)) == sorted((*added_models, "openai--prod"))
        assert len({variable for variable, _ in after.values()}) == len(after)
        assert resource_writes(emulator) == {}
    finally:
        emulator.configure(delete_seconds=0)
        for name in added_models:
            api(emulator, "DELETE", f"/models/{name}")
        api(emulator, "DELETE", "/integrations/connections/openai--prod")


def _constructs(directory: Path) -> dict[str, tuple[str, str]]:
    """The generated ``main.py``'s objects: {name: (Python variable, construct id)}; the id makes the address."""
    found = _CONSTRUCT.findall((directory / "main.py").read_text())
    return {name: (variable, construct_id) for variable, construct_id, name in found}
