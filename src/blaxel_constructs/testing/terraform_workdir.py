"""Run the real ``terraform`` binary against the installed provider: ``Workdir``, ``ProviderInstall``, ``run``.

Shared by this project's end-to-end tests and its benchmarks, and usable by anyone who tests their own
configuration against the emulator (``blaxel_constructs.emulator.process.EmulatorProcess``).

``ProviderInstall`` installs this checkout's provider into a private plugin directory with its own CLI
configuration, so the tests always exercise the code under test and never touch ``~/.terraform.d``.
``Workdir`` wraps one Terraform working directory: every command runs with ``-no-color``, captures its
output, and raises ``CommandFailed`` with that output when the exit code is not the expected one.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from blaxel_constructs import identity
from blaxel_constructs._version import __version__
from blaxel_constructs.provider.install import cli_config_text, install_provider

__all__ = [
    "QUIET_ENV",
    "CommandFailed",
    "ProviderInstall",
    "Result",
    "Workdir",
    "base_env",
    "hcl_header",
    "run",
]

QUIET_ENV = {
    "CHECKPOINT_DISABLE": "1",
    "DISABLE_VERSION_CHECK": "1",
    "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    "TF_IN_AUTOMATION": "1",
    "CI": "1",
}


class CommandFailed(AssertionError):
    """A terraform or cdktf command ended with an unexpected exit code; the message holds its output."""


@dataclass(frozen=True)
class Result:
    """What one command printed and how it ended."""

    args: Sequence[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def flat(self) -> str:
        """stdout and stderr with every run of whitespace as one space: Terraform wraps long diagnostics."""
        return " ".join(self.output.split())


@dataclass(frozen=True)
class ProviderInstall:
    """A plugin directory holding this checkout's provider and the CLI config that points at it."""

    plugin_dir: Path
    cli_config: Path

    @classmethod
    def create(cls, root: Path) -> ProviderInstall:
        """Install into ``root/plugins``; the per-user record goes to ``root/config``, never the user's home."""
        plugin_dir = root / "plugins"
        install_provider(plugin_dir, user_config=root / "config")
        cli_config = root / "terraformrc"
        cli_config.write_text(cli_config_text(plugin_dir))
        return cls(plugin_dir, cli_config)


def run(
    args: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    expect: Sequence[int] = (0,),
    timeout: float = 300,
) -> Result:
    """Run ``args`` in ``cwd`` with exactly ``env`` on top of a minimal base; check the exit code."""
    completed = subprocess.run(
        list(args), cwd=cwd, env=dict(env), capture_output=True, text=True, timeout=timeout, check=False
    )
    result = Result(args, completed.returncode, completed.stdout, completed.stderr)
    if completed.returncode not in expect:
        raise CommandFailed(
            f"{' '.join(args)} exited {completed.returncode} (expected {list(expect)})\n"
            f"--- stdout ---\n{completed.stdout}\n--- stderr ---\n{completed.stderr}"
        )
    return result


@dataclass
class Workdir:
    """One Terraform working directory driven through the real ``terraform`` binary."""

    path: Path
    env: dict[str, str] = field(default_factory=dict)

    def write(self, name: str, text: str) -> None:
        (self.path / name).write_text(text)

    def terraform(self, *args: str, expect: Sequence[int] = (0,), timeout: float = 300) -> Result:
        return run(["terraform", *args], cwd=self.path, env=self.env, expect=expect, timeout=timeout)

    def init(self) -> Result:
        return self.terraform("init", "-no-color", "-input=false")

    def apply(self, *args: str, expect: Sequence[int] = (0,)) -> Result:
        return self.terraform("apply", "-no-color", "-input=false", "-auto-approve", *args, expect=expect)

    def plan(self, *args: str, expect: Sequence[int] = (0,)) -> Result:
        return self.terraform("plan", "-no-color", "-input=false", *args, expect=expect)

    def destroy(self, *args: str, expect: Sequence[int] = (0,)) -> Result:
        return self.terraform("destroy", "-no-color", "-input=false", "-auto-approve", *args, expect=expect)

    def state(self) -> dict[str, Any]:
        """The current state as ``terraform show -json`` prints it."""
        state: dict[str, Any] = json.loads(self.terraform("show", "-json", "-no-color").stdout)
        return state

    def resource(self, address: str) -> dict[str, Any]:
        """The attribute values of ``address`` in the current state."""
        resources = self.state().get("values", {}).get("root_module", {}).get("resources", [])
        for resource in resources:
            if resource["address"] == address:
                return dict(resource["values"])
        raise AssertionError(f"{address} is not in the state; state has {[r['address'] for r in resources]}")


def base_env(install: ProviderInstall, *, home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for terraform/cdktf: PATH and the quiet flags, the private CLI config, no BL_* leak."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BL_", "TF_"))}
    env.update(QUIET_ENV)
    env["HOME"] = str(home)
    env["TF_CLI_CONFIG_FILE"] = str(install.cli_config)
    env.update(extra or {})
    return env


def hcl_header(version: str = __version__) -> str:
    """The ``terraform`` block requiring this provider, and an empty ``provider "blaxel"`` block (BL_* configure it)."""
    return (
        "terraform {\n  required_providers {\n"
        f'    {identity.TYPE} = {{ source = "{identity.SOURCE}", version = "{version}" }}\n'
        "  }\n}\n"
        f'provider "{identity.TYPE}" {{}}\n'
    )
