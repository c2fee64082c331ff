"""Benchmark 4: the provider's start-up, as Terraform sees it.

Terraform launches ``terraform-provider-blaxel`` several times per command (for the schema, then for the
plan and for the apply) and waits each time for its handshake line on stdout
(``1|6|unix|<socket>|grpc|<cert>``). This installs the provider exactly as users do (the wrapper script
in a plugin directory), launches it the way Terraform does, with a private HOME, and measures the time
from launch to that line and the process's peak memory (``ru_maxrss`` of the wrapper, which ``exec``s
Python). One launch first warms the caches every later launch finds (``.pyc`` files and the TLS
certificate the provider keeps under ``~/.cache``), as on a user's machine after the first plan.

The installed launcher finds its Python outside the package (``blaxel_constructs.provider_package``), so
that the package is the same bytes on every machine; the launches alternate between it and the one-line
wrapper installed before (``exec <python> -m blaxel_constructs.provider.main``), side by side in one run, so
that the price of that lookup is measured under the same load.

It also lists what importing the provider loads, in a fresh interpreter: it must not import cdktf, jsii,
the constructs or the emulator.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.report import Row
from blaxel_constructs.provider.install import install_provider

__all__ = ["LAUNCHES", "run"]

#: Launches measured (after one warm-up); the median is reported.
LAUNCHES = 15
TARGET_SECONDS = 0.35
TARGET_MB = 80.0
HANDSHAKE_PREFIX = b"1|6|unix|"
FORBIDDEN = ("cdktf", "jsii", "constructs", "pydantic", "flask", "werkzeug")

_IMPORTS_PROBE = (
    "import blaxel_constructs.provider.main, blaxel_constructs.provider.terraform_provider, sys; "
    f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {set(FORBIDDEN)!r} "
    "or m.startswith('blaxel_constructs.emulator') or m.startswith('blaxel_constructs.constructs'))))"
)


def _launch(executable: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from launch to the handshake line, and peak RSS in MB; the process is killed after it."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(executable)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.send_signal(signal.SIGKILL)
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = -signal.SIGKILL  # reaped by wait4 above: keep Popen from waiting again
    process.stdout.close()
    if not line.startswith(HANDSHAKE_PREFIX):
        raise RuntimeError(f"the provider printed {line!r} instead of a handshake line")
    return elapsed, usage.ru_maxrss / 1024


def _interpreter_floor(env: dict[str, str]) -> float:
    """Seconds for this venv's Python to start and exit doing nothing: the part no provider code can save."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
    return time.perf_counter() - started


def _plain_wrapper(path: Path) -> Path:
    """The launcher as installed before the package became machine-independent: this Python's path inside it."""
    path.write_text(f'#!/bin/sh\nexec {sys.executable} -m blaxel_constructs.provider.main "$@"\n')
    path.chmod(0o755)
    return path


def run(launches: int = LAUNCHES) -> tuple[list[Row], dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        root = Path(tmp)
        executable = install_provider(root / "plugins", user_config=root / "config")
        plain = _plain_wrapper(root / "plain-wrapper")
        home = root / "home"
        home.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BL_", "TF_"))}
        env["HOME"] = str(home)
        _launch(executable, env)  # warm-up: .pyc files and the cached TLS certificate
        _launch(plain, env)
        samples, plain_samples = [], []
        for _ in range(launches):  # alternated, so that both see the same load
            samples.append(_launch(executable, env))
            plain_samples.append(_launch(plain, env))
        floor = statistics.median(_interpreter_floor(env) for _ in range(5))
        imported = subprocess.run(
            [sys.executable, "-c", _IMPORTS_PROBE], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()

    seconds = statistics.median(s for s, _ in samples)
    plain_seconds = statistics.median(s for s, _ in plain_samples)
    peak = max(mb for _, mb in samples)
    rows = [
        Row(
            "4 provider start-up",
            f"provider launch to handshake (median of {launches})",
            seconds,
            "s",
            f"< {TARGET_SECONDS} s",
            seconds < TARGET_SECONDS,
            anchor=floor,
            anchor_name="bare `python -c pass`, floor",
            digits=3,
        ),
        Row(
            "4 provider start-up",
            f"installed launcher against the plain wrapper it replaced (medians, {launches} alternated launches each)",
            seconds,
            "s",
            "no slower",
            seconds <= plain_seconds * 1.05,
            anchor=plain_seconds,
            anchor_name="`exec python -m ...` wrapper",
            ratio=seconds / plain_seconds,
            digits=3,
        ),
        Row(
            "4 provider start-up",
            "provider peak memory at handshake (max)",
            peak,
            "MB",
            f"< {TARGET_MB:.0f} MB",
            peak < TARGET_MB,
            digits=1,
        ),
        Row(
            "4 provider start-up",
            "provider imports cdktf, jsii, constructs or the emulator",
            imported or "none",
            "",
            "none",
            not imported,
        ),
    ]
    details = {
        "launch_seconds": [round(s, 4) for s, _ in samples],
        "plain_wrapper_launch_seconds": [round(s, 4) for s, _ in plain_samples],
        "peak_mb": [round(mb, 1) for _, mb in samples],
        "interpreter_floor_seconds": round(floor, 4),
        "forbidden_imports": imported.split(",") if imported else [],
    }
    return rows, details
