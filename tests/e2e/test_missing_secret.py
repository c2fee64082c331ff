"""A deploy whose secret is not set fails at once, naming ``TF_VAR_<NAME>`` and how to set it, and creates nothing.

``Secret.from_env("OPENAI_API_KEY")`` used to synthesize a variable without a default, for which Terraform
prompts: ``cdktf deploy --auto-approve`` with stdin closed (CI) then waited at the prompt until killed. Each
way of deploying the quickstart is run here as CI runs it (stdin closed, no terminal) with
``TF_VAR_OPENAI_API_KEY`` unset: ``cdktf deploy``, ``cdktn deploy``, and ``terraform apply -input=false`` on the
synthesized stack, JSON and HCL. Each must end within 30 s with the message, and the emulator must have
received no write.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from blaxel_constructs import Secret
from tests.e2e.test_cdktn import CDKTN, PYTHON_CDKTN, VENV_CDKTN
from tests.support.emulator_process import EmulatorProcess
from tests.support.terraform import CDKTF, REPO, run

pytestmark = pytest.mark.e2e

QUICKSTART = REPO / "examples" / "quickstart" / "main.py"
STACK = "quickstart"
DEADLINE = 30.0
VARIABLE = "TF_VAR_OPENAI_API_KEY"
_DECORATION = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|[│╷╵]|^\s*quickstart\s", re.MULTILINE)


def _project(root: Path, python: Path) -> Path:
    config = json.loads((REPO / "cdktf.json").read_text())
    config["app"] = f"{python} {QUICKSTART}"
    root.mkdir()
    (root / "cdktf.json").write_text(json.dumps(config))
    return root


def _ci(args: Sequence[str], cwd: Path, env: Mapping[str, str]) -> tuple[int, str, float]:
    """Run as CI does: stdin closed, output captured; the exit code, what it printed (flattened), seconds taken."""
    started = time.monotonic()
    try:
        completed = subprocess.run(
            list(args),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=DEADLINE * 3,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        raise AssertionError(f"{' '.join(args)} was still running after {DEADLINE * 3:.0f} s") from expired
    printed = _DECORATION.sub(" ", completed.stdout + completed.stderr)
    return completed.returncode, " ".join(printed.split()), time.monotonic() - started


def _assert_failed_fast_naming_the_variable(result: tuple[int, str, float], emulator: EmulatorProcess) -> None:
    code, output, seconds = result
    assert code != 0, output
    assert seconds < DEADLINE, f"took {seconds:.1f} s"
    assert Secret.from_env("OPENAI_API_KEY").missing_message[:100] in output
    assert f"export {VARIABLE}=" in output and "secret store" in output
    assert "Enter a value" not in output
    writes = {key: n for key, n in emulator.stats()["requests"].items() if not key.startswith("GET")}
    assert writes == {}, f"the failed deploy sent {writes}"


@pytest.fixture
def ci_env(emulator_env: dict[str, str]) -> dict[str, str]:
    """The emulator's environment without the secret, as a CI job whose secret store lacks it."""
    return {k: v for k, v in emulator_env.items() if k != VARIABLE}


def test_cdktf_deploy_without_the_secret_fails_at_once_naming_tf_var(
    tmp_path: Path, ci_env: dict[str, str], emulator: EmulatorProcess
) -> None:
    project = _project(tmp_path / "project", REPO / ".venv" / "bin" / "python")

    result = _ci([str(CDKTF), "deploy", STACK, "--auto-approve"], project, ci_env)

    _assert_failed_fast_naming_the_variable(result, emulator)


def test_cdktn_deploy_without_the_secret_fails_at_once_naming_tf_var(
    tmp_path: Path, ci_env: dict[str, str], emulator: EmulatorProcess
) -> None:
    project = _project(tmp_path / "project", PYTHON_CDKTN)
    env = {**ci_env, "PATH": f"{VENV_CDKTN / 'bin'}:{ci_env.get('PATH', '')}"}

    result = _ci([str(CDKTN), "deploy", STACK, "--auto-approve"], project, env)

    _assert_failed_fast_naming_the_variable(result, emulator)


@pytest.mark.parametrize(
    ("synth", "value"),
    [("json", None), ("hcl", None), ("json", "")],
    ids=["json", "hcl", "empty as a missing CI secret"],
)
def test_terraform_apply_of_the_synthesized_stack_without_the_secret_fails_at_once_naming_tf_var(
    tmp_path: Path, ci_env: dict[str, str], emulator: EmulatorProcess, synth: str, value: str | None
) -> None:
    project = _project(tmp_path / "project", REPO / ".venv" / "bin" / "python")
    run([str(CDKTF), "synth", *(["--hcl"] if synth == "hcl" else [])], cwd=project, env=ci_env)
    stack = project / "cdktf.out" / "stacks" / STACK
    run(["terraform", "init", "-input=false", "-no-color"], cwd=stack, env=ci_env)
    env = ci_env if value is None else {**ci_env, VARIABLE: value}

    result = _ci(["terraform", "apply", "-input=false", "-auto-approve", "-no-color"], stack, env)

    _assert_failed_fast_naming_the_variable(result, emulator)


def test_the_message_is_the_one_the_secret_synthesizes() -> None:
    message = Secret.from_env("OPENAI_API_KEY").missing_message

    assert message.startswith("Secret OPENAI_API_KEY is not set: Terraform reads it from the environment variable ")
    assert f"{VARIABLE}, which is unset or empty" in message
    assert "${" not in message  # Terraform would read it as an interpolation
