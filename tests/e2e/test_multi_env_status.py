"""``blaxel-constructs environments`` on examples/multi_env built with CDK Terrain (cdktn), state in local files.

The PostgreSQL side of these commands is in ``test_multi_env.py``; here the app runs under ``.venv-cdktn``
(cdktn 0.24, no cdktf) and keeps its state in ``terraform.<env>.tfstate`` files beside it, as it does without
``BLAXEL_STATE_PG``. ``cdktn deploy dev`` deploys one environment; the command, run in the app's directory,
reports it in sync and the others not deployed, then finds a change made outside Terraform, all without a
secret, without a write to the API or to any state, and without a file left in the app's directory.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import requests

from tests.support.emulator_process import EmulatorProcess
from tests.support.terraform import REPO, Result, run

pytestmark = pytest.mark.e2e

EXAMPLE = REPO / "examples" / "multi_env"
CDKTN = REPO / "node_modules" / ".bin" / "cdktn"
VENV_CDKTN = REPO / ".venv-cdktn"
WRITES = ("POST", "PUT", "DELETE")


@pytest.fixture
def app(tmp_path: Path) -> Path:
    """A copy of examples/multi_env whose cdktf.json runs it with .venv-cdktn's Python."""
    missing = [str(path) for path in (CDKTN, VENV_CDKTN / "bin" / "python") if not path.exists()]
    if missing:
        raise RuntimeError(f"these tests need {', '.join(missing)}: run make test (or make setup-cdktn)")
    directory = tmp_path / "multi_env"
    shutil.copytree(EXAMPLE, directory, ignore=shutil.ignore_patterns("cdktf.out", "*.tfstate*", "__pycache__"))
    config = json.loads((directory / "cdktf.json").read_text())
    config["app"] = f"{VENV_CDKTN / 'bin' / 'python'} main.py"
    (directory / "cdktf.json").write_text(json.dumps(config))
    return directory


@pytest.fixture
def cdktn_env(emulator_env: dict[str, str]) -> dict[str, str]:
    """The emulator's BL_* variables, .venv-cdktn/bin first on PATH (its Node.js for cdktn-cli), no secret."""
    path = f"{VENV_CDKTN / 'bin'}:{emulator_env.get('PATH', '')}"
    return {key: value for key, value in emulator_env.items() if key != "BLAXEL_STATE_PG"} | {"PATH": path}


def _environments(app: Path, env: dict[str, str], *args: str, expect: tuple[int, ...] = (0,)) -> Result:
    return run([str(VENV_CDKTN / "bin" / "blaxel-constructs"), "environments", *args], cwd=app, env=env, expect=expect)


def _writes(emulator: EmulatorProcess) -> dict[str, int]:
    return {key: n for key, n in emulator.stats()["requests"].items() if key.split(" ")[0] in WRITES}


def test_status_and_diff_of_a_cdktn_app_with_local_state_after_cdktn_deploy_dev(
    app: Path, cdktn_env: dict[str, str], emulator: EmulatorProcess
) -> None:
    deploy = [str(CDKTN), "deploy", "dev", "--auto-approve"]
    run(deploy, cwd=app, env={**cdktn_env, "TF_VAR_OPENAI_API_KEY": "sk-cdktn-multi-env"})
    before = sorted(path.name for path in app.iterdir())
    emulator.reset_stats()

    status = _environments(app, cdktn_env, "status")

    print(f"--- environments status (cdktn, local state) ---\n{status.stdout}")
    assert [line.split()[:5] for line in status.stdout.splitlines()[1:4]] == [
        ["dev", "local", "3", "in", "sync"],
        ["staging", "local", "0", "not", "deployed"],
        ["prod", "local", "0", "not", "deployed"],
    ]
    assert status.stdout.splitlines()[-1] == "3 environments: 1 in sync, 2 not deployed"

    url = f"{emulator.base_url}/models/summarize-dev"
    model = requests.get(url, headers=emulator.headers(), timeout=10).json()
    model["spec"]["runtime"]["model"] = "claude-3-7-sonnet"
    requests.put(url, json=model, headers=emulator.headers(), timeout=10).raise_for_status()
    emulator.reset_stats()

    drifted = json.loads(_environments(app, cdktn_env, "status", "dev", "--json", expect=(2,)).stdout)

    (dev,) = drifted["environments"]
    assert (dev["status"], dev["backend"], dev["state"]) == ("drifted", "local", str(app / "terraform.dev.tfstate"))
    assert [(d["resource"], d["attributes"]) for d in dev["drift"]] == [
        ("model summarize", [{"attribute": "runtime.model", "old": "claude-3-5-haiku", "new": "claude-3-7-sonnet"}])
    ]

    diff = _environments(app, cdktn_env, "diff", "dev", "staging", expect=(2,))

    assert '  ~ model chat\n      runtime.model  "gpt-4.1-mini" -> "gpt-4.1"\n      sandbox        true -> false' in (
        diff.stdout
    )
    assert _writes(emulator) == {}
    assert sorted(path.name for path in app.iterdir()) == before  # no state, lock or plan file written here
