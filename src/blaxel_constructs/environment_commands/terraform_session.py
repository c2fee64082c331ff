"""``TerraformSession``: the ``terraform`` commands ``environments status`` runs for one environment, read-only.

One private working directory per environment (in the command's temporary directory, never the app's
``cdktf.out``), holding a copy of the stack's ``cdk.tf.json``, Terraform's ``.terraform`` and the saved plan. The
commands and why each flag is there:

- ``terraform init -input=false -lock=false`` with the backend flags of ``state_presence`` (no schema or table
  created on PostgreSQL, the local state path made absolute);
- ``terraform plan -refresh=true -lock=false -input=false -detailed-exitcode -json -out=status.tfplan``: one
  plan gives both drift (the refresh) and pending changes; ``-lock=false`` so that a deploy started meanwhile is
  never refused or kept waiting by this one (a plan writes no state, so it needs no lock). Its ``-json`` log says
  whether anything drifted or would change (``resource_drift``, ``planned_change`` messages), which is all an
  environment in sync needs;
- only when it did: ``terraform show -json status.tfplan``, the plan as JSON (the only form that carries the
  attributes, old and new), and ``terraform providers schema -json`` (which attributes are computed).

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from blaxel_constructs.environment_commands.synthesized_stack import SynthesizedStack
from blaxel_constructs.errors import EnvironmentCheckError

__all__ = ["PLACEHOLDER", "PlanOutline", "TerraformSession", "terraform_environment"]

#: The value every ephemeral string variable gets: the secret it stands for is write-only and never compared.
PLACEHOLDER: Final = "unused-by-blaxel-constructs-environments-status"
PLAN_FILE: Final = "status.tfplan"
#: Set wherever Terraform runs for this project: nothing may reach the network but what the user configured.
_QUIET: Final = {"CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"}
#: Lines of Terraform's error output quoted in an error.
_QUOTED_LINES: Final = 30


@dataclass(frozen=True)
class PlanOutline:
    """What a plan's ``-json`` log says: resources whose refresh found a change, and resources an apply would
    change (data source reads aside)."""

    drifted: int
    changes: int

    @property
    def quiet(self) -> bool:
        """Nothing drifted and nothing would change."""
        return self.drifted == 0 and self.changes == 0


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

    def plan(self) -> PlanOutline:
        """``terraform plan`` with refresh into a saved plan; what its log says drifted or would change."""
        completed = self._run(
            "plan",
            "-refresh=true",
            "-lock=false",
            "-input=false",
            "-no-color",
            "-detailed-exitcode",
            "-json",
            f"-out={PLAN_FILE}",
            accept=(0, 2),
        )
        drifted = changes = 0
        for message in _messages(completed.stdout):
            if message.get("type") == "resource_drift":
                drifted += 1
            elif message.get("type") == "planned_change" and (message.get("change") or {}).get("action") != "read":
                changes += 1
        return PlanOutline(drifted, changes)

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


def _messages(stdout: str) -> list[dict[str, Any]]:
    """The JSON messages of a ``-json`` log (one per line; anything else is skipped)."""
    found = []
    for line in stdout.splitlines():
        if line.startswith("{"):
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if isinstance(message, dict):
                found.append(message)
    return found


def _errors(completed: subprocess.CompletedProcess[str]) -> str:
    """What Terraform said about the failure: the error diagnostics of a ``-json`` log, or its error output
    without the box-drawing frame."""
    lines = []
    for message in _messages(completed.stdout):
        diagnostic = message.get("diagnostic") or {}
        if message.get("type") == "diagnostic" and diagnostic.get("severity") == "error":
            lines.append(f"Error: {diagnostic.get('summary', '')}")
            lines.extend(str(diagnostic.get("detail") or "").splitlines())
    text = completed.stderr.strip() if lines else completed.stderr.strip() or completed.stdout.strip()
    lines.extend(line.removeprefix("│").strip() for line in text.splitlines())
    kept = [line for line in lines if line.strip() and not line.startswith(("╷", "╵"))]
    return "\n".join(kept[-_QUOTED_LINES:])
