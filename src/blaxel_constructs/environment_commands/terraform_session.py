"""``TerraformSession``: the ``terraform`` commands ``environments status`` runs for one environment, read-only.

One private working directory per environment (in the command's temporary directory, never the app's
``cdktf.out``), holding a copy of the stack's ``cdk.tf.json``, Terraform's ``.terraform`` and the saved plan. The
commands and why each flag is there:

- ``terraform init -input=false -lock=false`` with the backend flags of ``state_presence`` (no schema or table
  created on PostgreSQL, the local state path made absolute);
- ``terraform plan -refresh=true -lock=false -input=false -detailed-exitcode -out=status.tfplan``: one plan
  gives both drift (the refresh) and pending changes; ``-lock=false`` so that a deploy started meanwhile is never
  refused or kept waiting by this one (a plan writes no state, so it needs no lock);
- ``terraform show -json status.tfplan``, the plan as JSON (the only form that carries the refreshed attributes);
- ``terraform providers schema -json``, only when the plan holds changes: which attributes are computed.

The environment is the caller's (``BL_*``, each provider's credentials, ``PGPASSWORD``: what a deploy uses),
with ``TF_DATA_DIR`` pointed into the private directory, ``TF_CLI_ARGS*`` removed (a ``-refresh=false`` or
``-lock=true`` there would change what the command means), and the ephemeral variables (write-only secrets, never
compared) given a placeholder, so the command needs no secret and can never send one anywhere.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from blaxel_constructs.environment_commands.synthesized_stack import SynthesizedStack
from blaxel_constructs.errors import EnvironmentCheckError

__all__ = ["PLACEHOLDER", "TerraformSession", "terraform_environment"]

#: The value every ephemeral string variable gets: the secret it stands for is write-only and never compared.
PLACEHOLDER: Final = "unused-by-blaxel-constructs-environments-status"
PLAN_FILE: Final = "status.tfplan"
#: Set wherever Terraform runs for this project: nothing may reach the network but what the user configured.
_QUIET: Final = {"CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"}
#: Lines of Terraform's error output quoted in an error.
_QUOTED_LINES: Final = 30


def terraform_environment(stack: SynthesizedStack, directory: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """The environment ``terraform`` runs with for ``stack`` in ``directory`` (see the module's docstring)."""
    env = {name: value for name, value in environ.items() if not name.startswith("TF_CLI_ARGS")}
    env.update(_QUIET)
    env["TF_DATA_DIR"] = str(directory / ".terraform")
    for name, variable in stack.variables.items():
        if variable.get("ephemeral") is True and variable.get("type", "string") == "string":
            env[f"TF_VAR_{name}"] = PLACEHOLDER
    return env


class TerraformSession:
    """The private working directory of one environment, and the ``terraform`` commands run in it."""

    def __init__(
        self, stack: SynthesizedStack, directory: Path, environ: Mapping[str, str], *, terraform: str = "terraform"
    ) -> None:
        self.stack = stack
        self.directory = directory
        self._terraform = terraform
        self._env = terraform_environment(stack, directory, environ)

    def prepare(self) -> None:
        """Put the stack's ``cdk.tf.json`` in the private directory (already there when synthesized into it)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / self.stack.source.name
        if self.stack.source.resolve() != target.resolve():
            shutil.copyfile(self.stack.source, target)

    def init(self, backend_arguments: Sequence[str]) -> None:
        """``terraform init`` without asking, locking or (with the right backend flags) writing anything."""
        self._run("init", "-input=false", "-lock=false", "-no-color", *backend_arguments)

    def plan(self) -> bool:
        """``terraform plan`` with refresh into a saved plan; whether Terraform found anything to change."""
        completed = self._run(
            "plan",
            "-refresh=true",
            "-lock=false",
            "-input=false",
            "-no-color",
            "-detailed-exitcode",
            f"-out={PLAN_FILE}",
            accept=(0, 2),
        )
        return completed.returncode == 2

    def show_plan(self) -> dict[str, Any]:
        """The saved plan as ``terraform show -json`` prints it."""
        return self._json("show", "-json", "-no-color", PLAN_FILE)

    def provider_schemas(self) -> dict[str, Any]:
        """``terraform providers schema -json``: every provider's resource schemas."""
        return self._json("providers", "schema", "-json")

    def _json(self, *args: str) -> dict[str, Any]:
        completed = self._run(*args)
        try:
            document = json.loads(completed.stdout)
        except ValueError:
            raise EnvironmentCheckError(f"terraform {args[0]} printed no JSON", environment=self.stack.name) from None
        if not isinstance(document, dict):
            raise EnvironmentCheckError(f"terraform {args[0]} printed no JSON object", environment=self.stack.name)
        return document

    def _run(self, *args: str, accept: Sequence[int] = (0,)) -> subprocess.CompletedProcess[str]:
        command = [self._terraform, *args]
        try:
            completed = subprocess.run(
                command,
                cwd=self.directory,
                env=self._env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                check=False,
            )
        except OSError as error:
            raise EnvironmentCheckError(
                f"cannot run {self._terraform}: {error.strerror or error} (is Terraform on PATH?)",
                environment=self.stack.name,
            ) from None
        if completed.returncode not in accept:
            raise EnvironmentCheckError(
                f"terraform {args[0]} failed (exit {completed.returncode}):\n{_errors(completed)}",
                environment=self.stack.name,
            )
        return completed


def _errors(completed: subprocess.CompletedProcess[str]) -> str:
    """What Terraform said about the failure: its error output without the box-drawing frame."""
    text = completed.stderr.strip() or completed.stdout.strip()
    lines = [line.removeprefix("│").strip() for line in text.splitlines()]
    kept = [line for line in lines if line and not line.startswith(("╷", "╵"))]
    return "\n".join(kept[-_QUOTED_LINES:])
