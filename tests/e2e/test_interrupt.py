"""Ctrl-C and SIGTERM during a long apply or destroy: Terraform stops promptly and nothing is lost.

A terminal's Ctrl-C sends SIGINT to the whole foreground process group: ``terraform`` and the provider
it launched. Each test starts ``terraform`` in a process group of its own and signals that group, as a
terminal would, while the emulator takes 120 s to deploy or delete (30 s where the next apply waits
for the rest). Terraform must exit within 10 s, never with "Plugin did not respond", with the model
recorded in its state; the next apply converges on exactly one DEPLOYED model and the plan after it is
empty.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import requests

from blaxel_constructs.emulator.process import EmulatorProcess
from tests.support.terraform import CDKTF, REPO, Workdir
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

NAME = "interrupted-chat"
LONG = 120.0  # seconds a deployment or a deletion takes while the test interrupts it
# seconds of an operation the next apply must wait out: long enough to interrupt it and to plan while it
# runs (about 5 s here), short enough that the wait for the rest does not dominate the suite
WAITED_OUT = 30.0
SHORT = 0.5  # seconds once the test lets the next apply converge
EXIT_WITHIN = 10.0
WAIT_SECONDS = 60.0  # for terraform to reach the point the test interrupts

MODEL = """
resource "blaxel_model" "chat" {
  name     = "%(name)s"
  runtime  = { type = "openai", model = "%(model)s" }
  timeouts = { create = "10m", update = "10m", delete = "10m" }
}
"""


def _requests(emulator: EmulatorProcess, key: str) -> int:
    return int(emulator.stats()["requests"].get(key, 0))


def _polling(emulator: EmulatorProcess) -> Callable[[], bool]:
    """A check that the model is posted and being polled: at least two GETs of it so far."""
    return lambda: _requests(emulator, "GET /v0/models/{modelName}") >= 2


def _models(emulator: EmulatorProcess) -> list[dict[str, Any]]:
    response = requests.get(f"{emulator.base_url}/models", headers=emulator.headers(), timeout=10)
    response.raise_for_status()
    return list(response.json())


class Interrupted:
    """A command started in its own process group, then signalled as a terminal (or CI) would."""

    def __init__(self, args: Sequence[str], *, cwd: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            list(args),
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def interrupt(self, signum: int, *, group: bool = True) -> tuple[float, str]:
        """Send ``signum`` (to the whole group, as Ctrl-C does, or to the command alone); seconds to exit, output."""
        started = time.monotonic()
        if group:
            os.killpg(self.process.pid, signum)
        else:
            self.process.send_signal(signum)
        try:
            output, _ = self.process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            output, _ = self.process.communicate()
            raise AssertionError(f"{self.process.args} did not exit within 60 s of the signal:\n{output}") from None
        return time.monotonic() - started, output


def _terraform(workdir: Workdir, *args: str) -> Interrupted:
    return Interrupted(
        ["terraform", *args, "-no-color", "-input=false", "-auto-approve"], cwd=workdir.path, env=workdir.env
    )


def _flat(text: str) -> str:
    return " ".join(text.split())


def _assert_stopped_cleanly(elapsed: float, output: str, expected: str) -> None:
    assert elapsed < EXIT_WITHIN, f"terraform took {elapsed:.1f}s to exit:\n{output}"
    assert "Plugin did not respond" not in output, output
    assert expected in _flat(output), output


def _assert_converged(workdir: Workdir, emulator: EmulatorProcess, model: str) -> None:
    """One DEPLOYED model with the configured runtime, in state and on the API; the next plan is empty."""
    (remote,) = _models(emulator)
    assert remote["metadata"]["name"] == NAME
    assert remote["status"] == "DEPLOYED"
    assert remote["spec"]["runtime"]["model"] == model
    assert workdir.resource("blaxel_model.chat")["status"] == "DEPLOYED"
    workdir.plan("-detailed-exitcode")


def test_ctrl_c_during_a_create_keeps_the_model_in_state_and_the_next_apply_replaces_it(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    workdir = hcl(MODEL % {"name": NAME, "model": "gpt-4.1"})
    emulator.configure(deploy_seconds=LONG)
    apply = _terraform(workdir, "apply")
    wait_until(_polling(emulator), timeout=WAIT_SECONDS, what="the apply to poll its deployment")

    elapsed, output = apply.interrupt(signal.SIGINT)

    print(f"terraform apply exited {elapsed:.1f}s after Ctrl-C:\n{output}")
    _assert_stopped_cleanly(elapsed, output, f"Interrupted while model '{NAME}' was DEPLOYING")
    assert "Terraform keeps it in state (tainted)" in _flat(output)
    assert workdir.terraform("state", "list").stdout.split() == ["blaxel_model.chat"]
    assert "(tainted)" in workdir.terraform("show", "-no-color").stdout
    emulator.configure(deploy_seconds=SHORT, delete_seconds=SHORT)

    second = workdir.apply()

    assert "1 added, 0 changed, 1 destroyed" in second.stdout
    _assert_converged(workdir, emulator, "gpt-4.1")
    workdir.destroy()


def test_sigterm_to_terraform_alone_during_a_create_behaves_like_ctrl_c(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    workdir = hcl(MODEL % {"name": NAME, "model": "gpt-4.1"})
    emulator.configure(deploy_seconds=LONG)
    apply = _terraform(workdir, "apply")
    wait_until(_polling(emulator), timeout=WAIT_SECONDS, what="the apply to poll its deployment")

    elapsed, output = apply.interrupt(signal.SIGTERM, group=False)  # how CI cancels a job

    _assert_stopped_cleanly(elapsed, output, f"Interrupted while model '{NAME}' was DEPLOYING")
    assert workdir.terraform("state", "list").stdout.split() == ["blaxel_model.chat"]
    emulator.configure(deploy_seconds=SHORT, delete_seconds=SHORT)
    workdir.apply()
    _assert_converged(workdir, emulator, "gpt-4.1")
    workdir.destroy()


def test_ctrl_c_during_an_update_records_the_new_document_and_the_next_apply_waits_for_it(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    emulator.configure(deploy_seconds=SHORT)
    workdir = hcl(MODEL % {"name": NAME, "model": "gpt-4.1"})
    workdir.apply()
    emulator.configure(deploy_seconds=WAITED_OUT)
    workdir.write("main.tf", workdir.path.joinpath("main.tf").read_text().replace("gpt-4.1", "gpt-4o"))
    apply = _terraform(workdir, "apply")
    wait_until(
        lambda: _requests(emulator, "PUT /v0/models/{modelName}") >= 1, timeout=WAIT_SECONDS, what="the update's PUT"
    )
    time.sleep(1.0)  # polling the new deployment

    elapsed, output = apply.interrupt(signal.SIGINT)

    _assert_stopped_cleanly(elapsed, output, f"Interrupted while model '{NAME}' was DEPLOYING")
    recorded = workdir.resource("blaxel_model.chat")
    assert (recorded["status"], recorded["runtime"]["model"]) == ("DEPLOYING", "gpt-4o")
    plan = workdir.plan("-detailed-exitcode", expect=(2,))
    assert '~ status = "DEPLOYING" -> (known after apply)' in _flat(plan.stdout)
    puts = _requests(emulator, "PUT /v0/models/{modelName}")

    workdir.apply()  # waits for the deployment under way: no second PUT

    assert _requests(emulator, "PUT /v0/models/{modelName}") == puts
    _assert_converged(workdir, emulator, "gpt-4o")
    emulator.configure(delete_seconds=SHORT)
    workdir.destroy()


def test_ctrl_c_during_a_destroy_keeps_the_model_in_state_and_the_next_apply_creates_it_once_it_is_gone(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    emulator.configure(deploy_seconds=SHORT)
    workdir = hcl(MODEL % {"name": NAME, "model": "gpt-4.1"})
    workdir.apply()
    emulator.configure(delete_seconds=WAITED_OUT)
    destroy = _terraform(workdir, "destroy")
    wait_until(
        lambda: _requests(emulator, "DELETE /v0/models/{modelName}") >= 1,
        timeout=WAIT_SECONDS,
        what="the destroy's DELETE",
    )
    time.sleep(1.0)

    elapsed, output = destroy.interrupt(signal.SIGINT)

    _assert_stopped_cleanly(elapsed, output, f"Interrupted while model '{NAME}' was DELETING")
    assert workdir.terraform("state", "list").stdout.split() == ["blaxel_model.chat"]
    emulator.configure(delete_seconds=SHORT)

    workdir.apply()  # the old model is still DELETING: the create waits until it is gone, then posts

    _assert_converged(workdir, emulator, "gpt-4.1")
    assert emulator.stats()["models_created"][NAME] == 2
    workdir.destroy()


def test_ctrl_c_during_cdktf_deploy_keeps_the_model_and_the_next_deploy_converges(
    tmp_path: Path, emulator_env: dict[str, str], emulator: EmulatorProcess
) -> None:
    root = json.loads((REPO / "cdktf.json").read_text())
    root["app"] = f"{REPO / '.venv' / 'bin' / 'python'} {REPO / 'examples' / 'quickstart' / 'main.py'}"
    project = tmp_path / "project"
    project.mkdir()
    (project / "cdktf.json").write_text(json.dumps(root))
    deploy = [str(CDKTF), "deploy", "quickstart", "--auto-approve"]
    emulator_env = {**emulator_env, "TF_VAR_OPENAI_API_KEY": "sk-interrupt-test-key"}  # the quickstart connection's
    emulator.configure(deploy_seconds=LONG)
    first = Interrupted(deploy, cwd=project, env=emulator_env)
    wait_until(_polling(emulator), timeout=2 * WAIT_SECONDS, what="cdktf deploy to poll its deployment")

    elapsed, output = first.interrupt(signal.SIGINT)

    print(f"cdktf deploy exited {elapsed:.1f}s after Ctrl-C:\n{output}")
    assert "Plugin did not respond" not in output, output
    stack = project / "cdktf.out" / "stacks" / "quickstart"
    workdir = Workdir(stack, emulator_env)
    addresses = workdir.terraform("state", "list").stdout.split()
    assert [address for address in addresses if address.startswith("blaxel_model.")], addresses
    assert len(addresses) == 3, addresses  # the connection and the policy, created before the model
    emulator.configure(deploy_seconds=SHORT, delete_seconds=SHORT)

    second = subprocess.run(deploy, cwd=project, env=emulator_env, capture_output=True, text=True, timeout=300)

    assert second.returncode == 0, second.stdout + second.stderr
    (remote,) = _models(emulator)
    assert remote["status"] == "DEPLOYED"
    workdir.plan("-detailed-exitcode")
