"""``make demo``: deploy the quickstart stack to a throwaway local emulator, prove it settles, then clean up.

Steps, each printed as it happens: start the emulator on a free port with a temporary database, run
``cdktf deploy`` of examples/quickstart with the BL_* variables pointing at it, print the endpoint's url
and status, deploy again to show that nothing changes, destroy, check that no model is left, and stop
the emulator. Exits non-zero, saying which step failed, if anything does not go as described.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from blaxel_constructs.emulator.process import EmulatorProcess

REPO = Path(__file__).resolve().parents[1]
CDKTF = REPO / "node_modules" / ".bin" / "cdktf"
STACK = "quickstart"
DEPLOY_SECONDS = 2.0


class DemoFailed(Exception):
    """A step of the demo did not produce what it should have."""


def step(text: str) -> None:
    print(f"\n==> {text}", flush=True)


def cdktf(args: list[str], env: dict[str, str]) -> str:
    """Run one cdktf command from the repository root, echoing its output, and return that output."""
    command = [str(CDKTF), *args]
    print("$ cdktf " + " ".join(args), flush=True)
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        sys.stdout.write("    " + line)
    sys.stdout.flush()
    if process.wait() != 0:
        raise DemoFailed(f"cdktf {' '.join(args)} exited {process.returncode}")
    return "".join(lines)


def models(emulator: EmulatorProcess) -> list[str]:
    response = requests.get(f"{emulator.base_url}/models", headers=emulator.headers(), timeout=10)
    response.raise_for_status()
    return [m["metadata"]["name"] for m in response.json()]


def writes(emulator: EmulatorProcess) -> int:
    """How many POST, PUT and DELETE requests the emulator has served."""
    counts = emulator.stats()["requests"]
    return sum(n for key, n in counts.items() if key.split(" ")[0] in {"POST", "PUT", "DELETE"})


def run_demo(workdir: Path) -> None:
    started = time.monotonic()
    step(f"starting the Blaxel emulator (deployments take {DEPLOY_SECONDS:g}s)")
    with EmulatorProcess(workdir / "emulator.db", deploy_seconds=DEPLOY_SECONDS) as emulator:
        print(f"    emulator listening at {emulator.base_url}")
        env = {
            **os.environ,
            **emulator.client_env(),
            "CHECKPOINT_DISABLE": "1",
            "DISABLE_VERSION_CHECK": "1",
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
            "CI": "1",
        }
        outputs_file = workdir / "outputs.json"
        deploy = ["deploy", STACK, "--auto-approve", "--skip-provider-lock", "--outputs-file", str(outputs_file)]

        step("cdktf deploy: creating the quickstart ModelEndpoint and waiting until it is DEPLOYED")
        cdktf(deploy, env)
        outputs = json.loads(outputs_file.read_text())[STACK]
        print(f"\n    url    = {outputs['url']}\n    status = {outputs['status']}")
        if outputs["status"] != "DEPLOYED":
            raise DemoFailed(f"the endpoint's status is {outputs['status']}, expected DEPLOYED")

        step("cdktf deploy again: the stack matches the live model, so nothing changes")
        writes_before = writes(emulator)
        second = cdktf(deploy, env)
        if "No changes" not in second or writes(emulator) != writes_before:
            raise DemoFailed("the second deploy changed something")
        print("    no changes, and no write reached the API")

        step("cdktf destroy: deleting the model and waiting until it is gone")
        cdktf(["destroy", STACK, "--auto-approve"], env)
        left = models(emulator)
        if left:
            raise DemoFailed(f"models left after destroy: {left}")
        print("    no model left in the workspace")

        step("stopping the emulator")
    print(f"\nDemo finished in {time.monotonic() - started:.0f}s: the endpoint was DEPLOYED, then destroyed.")


def main() -> int:
    if not CDKTF.exists():
        print(f"error: {CDKTF} is missing; run `make demo`, which installs it", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="blaxel-demo-") as tmp:
        try:
            run_demo(Path(tmp))
        except DemoFailed as exc:
            print(f"\ndemo failed: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
