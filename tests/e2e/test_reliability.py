"""Faults that must never leave a duplicate, an orphan or a half-done apply: kills, restarts, flaky networks."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from blaxel_constructs.emulator.process import EmulatorProcess
from tests.support.terraform import REPO, Workdir, run
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

MODEL = "quickstart-gpt"
WAIT_SECONDS = 60.0  # for the apply to post the model
#: The quickstart's connection reads its key with ``Secret.from_env("OPENAI_API_KEY")``.
SECRET_ENV = {"TF_VAR_OPENAI_API_KEY": "sk-reliability-test-key"}
#: How many resources an apply added (the connection and the policy may have been recorded before a kill).
ADDED = re.compile(r"Apply complete! Resources: \d+ added")


def _list(emulator: EmulatorProcess) -> list[str]:
    response = requests.get(f"{emulator.base_url}/models", headers=emulator.headers(), timeout=10)
    response.raise_for_status()
    return sorted(m["metadata"]["name"] for m in response.json())


@pytest.fixture
def quickstart(tmp_path: Path, emulator_env: dict[str, str]) -> Workdir:
    """The quickstart stack (connection, policy, model), synthesized by its cdktf app, as an initialised directory."""
    synth_dir = tmp_path / "synth"
    synth_dir.mkdir()
    run(
        [str(REPO / ".venv" / "bin" / "python"), str(REPO / "examples" / "quickstart" / "main.py")],
        cwd=synth_dir,
        env={**emulator_env, "CDKTF_OUTDIR": str(synth_dir / "cdktf.out")},
    )
    workdir = Workdir(synth_dir / "cdktf.out" / "stacks" / "quickstart", {**emulator_env, **SECRET_ENV})
    workdir.init()
    return workdir


def _start_apply(workdir: Workdir) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["terraform", "apply", "-no-color", "-input=false", "-auto-approve"],
        cwd=workdir.path,
        env=workdir.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, so the provider dies with it
    )


def _created(emulator: EmulatorProcess, name: str) -> int:
    return int(emulator.stats()["models_created"].get(name, 0))


def test_an_apply_killed_after_the_create_reached_the_api_is_completed_by_the_next_apply_without_a_duplicate(
    quickstart: Workdir, emulator: EmulatorProcess
) -> None:
    emulator.configure(deploy_seconds=6)
    apply = _start_apply(quickstart)
    wait_until(lambda: _created(emulator, MODEL) == 1, timeout=WAIT_SECONDS, what=f"{MODEL} to be created")

    os.killpg(apply.pid, signal.SIGKILL)
    apply.wait(timeout=30)
    assert _model_address(quickstart) is None

    emulator.configure(deploy_seconds=0.3)
    second = quickstart.apply()

    assert ADDED.search(second.stdout), second.stdout
    assert quickstart.resource(str(_model_address(quickstart)))["status"] == "DEPLOYED"
    assert _list(emulator) == [MODEL]
    assert _created(emulator, MODEL) == 1
    quickstart.plan("-detailed-exitcode")
    quickstart.destroy()
    assert _list(emulator) == []


def _addresses(workdir: Workdir) -> list[str]:
    """Resource addresses in the state; none when no state was written (``state list`` then exits 1)."""
    return workdir.terraform("state", "list", expect=(0, 1)).stdout.split()


def _model_address(workdir: Workdir) -> str | None:
    """The address of the quickstart's model in the state, or None when it is not recorded."""
    models = [address for address in _addresses(workdir) if address.startswith("blaxel_model.")]
    return models[0] if models else None


def test_an_emulator_restart_during_an_apply_does_not_stop_it_from_completing(
    quickstart: Workdir, emulator: EmulatorProcess
) -> None:
    emulator.configure(deploy_seconds=4)
    apply = _start_apply(quickstart)
    wait_until(lambda: _created(emulator, MODEL) == 1, timeout=WAIT_SECONDS, what=f"{MODEL} to be created")

    emulator.restart()
    output, _ = apply.communicate(timeout=120)

    assert apply.returncode == 0, output
    assert "Apply complete! Resources: 3 added" in output
    assert quickstart.resource(str(_model_address(quickstart)))["status"] == "DEPLOYED"
    assert _list(emulator) == [MODEL]
    quickstart.destroy()


FLAKY_MODELS = """
resource "blaxel_model" "fleet" {
  count   = 20
  name    = "fleet-${count.index}"
  labels  = { "blaxel-constructs-owner" = "fleet/${count.index}" }
  runtime = { type = "openai", model = "gpt-4.1" }
}
"""

FAULTS: list[dict[str, Any]] = [
    # Lost responses: the create is applied, then the client gets a 503 or no answer at all.
    {"method": "POST", "path": "/v0/models", "status": 503, "after": True, "rate": 0.13},
    {"method": "POST", "path": "/v0/models", "drop": True, "after": True, "rate": 0.13},
    # Refused before anything is applied.
    {"method": "POST", "path": "/v0/models", "status": 429, "retry_after": 1, "rate": 0.13},
    {"method": "*", "path": "/v0/models/*", "status": 503, "rate": 0.13},
    {"method": "*", "path": "/v0/models/*", "status": 429, "retry_after": 1, "rate": 0.13},
    {"method": "GET", "path": "/v0/models/*", "drop": True, "rate": 0.13},
]


def test_twenty_endpoints_through_thirty_percent_failing_responses_are_each_created_exactly_once(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    workdir = hcl(FLAKY_MODELS)
    emulator.reset_stats()
    emulator.set_faults(FAULTS, seed=20261121)

    workdir.apply()

    stats = emulator.stats()
    fired = [
        (rule["method"], rule["path"], rule["status"], rule["drop"], rule["after"], rule["fired"])
        for rule in emulator.faults()["rules"]
    ]
    emulator.clear_faults()
    names = [f"fleet-{i}" for i in range(20)]
    assert _list(emulator) == sorted(names)
    assert {name: stats["models_created"].get(name, 0) for name in names} == dict.fromkeys(names, 1)
    assert all(r["values"]["status"] == "DEPLOYED" for r in workdir.state()["values"]["root_module"]["resources"])
    assert stats["faults"]["injected"] > 0
    _report(stats)
    print("rules fired (method, path, status, drop, after, times):", fired)

    emulator.set_faults([f for f in FAULTS if f["method"] != "POST"], seed=7)
    workdir.destroy()
    emulator.clear_faults()

    assert _list(emulator) == []


def _report(stats: dict[str, Any]) -> None:
    """Print the figures the fault test measured (pytest -s shows them)."""
    print("\nfault test figures:", json.dumps({k: stats[k] for k in ("total", "statuses", "faults")}, sort_keys=True))
    print("requests:", json.dumps(stats["requests"], sort_keys=True))
