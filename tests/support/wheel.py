"""The package as users get it: a wheel built from this checkout, installed into virtual environments elsewhere.

``build_wheel`` builds with the checkout's pinned setuptools (``python -m build --no-isolation``), optionally
from a copy whose version is bumped (an upgrade). ``WheelVenv`` is a fresh virtual environment outside the
checkout holding that wheel, installed by pip at the versions of ``requirements.lock`` (pip's cache keeps it
fast), and runs its commands with a HOME of its own, as a teammate's machine or a CI runner would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.support.terraform import QUIET_ENV, REPO, Result, run

__all__ = ["WheelVenv", "build_wheel", "wheel_env"]

#: What a wheel is built from: the package and what its metadata reads (the README, the license).
SOURCES = ("src", "pyproject.toml", "README.md", "LICENSE")
INSTALL_TIMEOUT = 600


def build_wheel(outdir: Path, scratch: Path, *, version: str | None = None) -> Path:
    """Build the package's wheel into ``outdir`` from a copy of its sources in ``scratch`` (nothing is written
    into the checkout); with ``version``, the copy is bumped to that version first."""
    source = scratch / "source"
    for name in SOURCES:
        origin = REPO / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(origin, source / name)
    if version is not None:
        version_file = source / "src" / "blaxel_constructs" / "_version.py"
        text = version_file.read_text()
        version_file.write_text(re.sub(r'__version__ = "[^"]+"', f'__version__ = "{version}"', text))
    command = [sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", str(outdir), str(source)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise AssertionError(f"building the wheel failed ({done.returncode})\n{done.stdout}\n{done.stderr}")
    (wheel,) = outdir.glob("blaxel_constructs-*-py3-none-any.whl")
    return wheel


def wheel_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A user's shell for a wheel's commands: PATH, HOME, the quiet flags, no BL_*, TF_* or virtualenv of ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BL_", "TF_", "VIRTUAL_ENV", "PYTHON"))}
    env.update(QUIET_ENV)
    env["HOME"] = str(home)
    env.update(extra or {})
    return env


@dataclass(frozen=True)
class WheelVenv:
    """A virtual environment at ``path`` holding the built wheel, used with ``home`` as HOME."""

    path: Path
    home: Path

    @classmethod
    def create(cls, path: Path, home: Path, wheel: Path, *, extras: str = "") -> WheelVenv:
        """``python -m venv`` then ``pip install <wheel>[extras]``, pinned by ``requirements.lock``."""
        home.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, timeout=120)
        venv = cls(path, home)
        requirement = f"{wheel}[{extras}]" if extras else str(wheel)
        venv.pip("install", "--quiet", "-c", str(REPO / "requirements.lock"), requirement)
        return venv

    @property
    def bin(self) -> Path:
        return self.path / "bin"

    @property
    def python(self) -> Path:
        return self.bin / "python"

    def pip(self, *args: str) -> None:
        """Run this venv's pip (with the real HOME's pip cache, so that installs stay fast)."""
        env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        command = [str(self.python), "-m", "pip", *args]
        done = subprocess.run(command, timeout=INSTALL_TIMEOUT, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise AssertionError(f"{' '.join(command)} exited {done.returncode}\n{done.stdout}\n{done.stderr}")

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The environment of a user of this venv: its ``bin`` first on PATH, its HOME."""
        env = wheel_env(self.home, extra)
        env["PATH"] = f"{self.bin}:{env.get('PATH', '')}"
        return env

    def run(
        self, command: str, *args: str, cwd: Path, extra: Mapping[str, str] | None = None, expect: Sequence[int] = (0,)
    ) -> Result:
        """Run one of this venv's commands (``blaxel-constructs``, ``terraform-provider-blaxel``)."""
        return run([str(self.bin / command), *args], cwd=cwd, env=self.env(extra), expect=expect)
