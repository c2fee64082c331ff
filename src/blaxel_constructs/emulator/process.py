"""Run the emulator as a real subprocess (``python -m blaxel_constructs.cli emulator``): for tests and demos.

``EmulatorProcess`` starts it on a free port with a SQLite file, learns the URL from the one line it
prints, and offers the control endpoints as methods (settings, stats, fault injection). ``restart()``
brings it back on the same port and the same database, which is how tests prove that state survives a
restart::

    with EmulatorProcess(tmp_path / "emulator.db", deploy_seconds=0.3) as emulator:
        requests.get(f"{emulator.base_url}/models", headers=emulator.headers())
"""

from __future__ import annotations

import base64
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import requests

__all__ = ["EmulatorProcess", "EmulatorStartError"]

STARTUP_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0
_HTTP_TIMEOUT = 10.0


class EmulatorStartError(RuntimeError):
    """The emulator did not print its URL in time, or exited first; the message includes its stderr."""


def _first_line(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    lines.put(stream.readline() or None)
    for _ in stream:  # keep draining so the child can never block on a full pipe
        pass


class EmulatorProcess:
    """A real emulator process; a context manager that starts it and always stops it.

    ``base_url`` ends in ``/v0``; ``root_url`` is the same without it (for ``/_emulator/...``).
    ``api_key``, ``workspace`` and the OAuth client (``client_id``, ``client_secret``) are always passed on
    the command line, so ``headers()`` and ``client_credentials`` match the process; ``extra_args`` are
    appended after them (e.g. ``["--api-key", "second-key"]`` adds a key).
    """

    def __init__(
        self,
        db: Path,
        *,
        deploy_seconds: float = 0.3,
        api_key: str = "emulator-key",
        workspace: str = "emulator",
        client_id: str = "emulator-client",
        client_secret: str = "emulator-secret",
        extra_args: Sequence[str] = (),
        startup_timeout: float = STARTUP_TIMEOUT,
    ) -> None:
        self.db = db
        self.api_key = api_key
        self.workspace = workspace
        self.client_id = client_id
        self.client_secret = client_secret
        self.deploy_seconds = deploy_seconds
        self.extra_args = tuple(extra_args)
        self.startup_timeout = startup_timeout
        self.port = 0
        self._base_url: str | None = None
        self._process: subprocess.Popen[str] | None = None
        self._stderr_path: Path | None = None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/v0``, as the emulator printed it."""
        if self._base_url is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return self._base_url

    @property
    def root_url(self) -> str:
        """The base URL without ``/v0``."""
        return self.base_url.removesuffix("/v0")

    @property
    def client_credentials(self) -> str:
        """``base64(client_id:client_secret)``: what ``BL_CLIENT_CREDENTIALS`` holds for this emulator."""
        return base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()

    @property
    def returncode(self) -> int | None:
        """The exit code once the process has ended, else None."""
        return None if self._process is None else self._process.poll()

    def command(self) -> list[str]:
        """The command line that starts the emulator (on ``self.port``; 0 on the first start)."""
        return [
            sys.executable,
            "-m",
            "blaxel_constructs.cli",
            "emulator",
            "--port",
            str(self.port),
            "--db",
            str(self.db),
            "--deploy-seconds",
            str(self.deploy_seconds),
            "--api-key",
            self.api_key,
            "--workspace",
            self.workspace,
            "--client-credentials",
            f"{self.client_id}:{self.client_secret}",
            *self.extra_args,
        ]

    def start(self) -> EmulatorProcess:
        """Start the process and wait for its URL line; EmulatorStartError with its stderr on failure."""
        if self._process is not None and self._process.poll() is None:
            raise RuntimeError("the emulator is already running")
        if self._stderr_path is None:
            descriptor, name = tempfile.mkstemp(prefix="emulator-", suffix=".stderr")
            os.close(descriptor)
            self._stderr_path = Path(name)
        with self._stderr_path.open("ab") as stderr:  # append mode: every run's output is kept, in order
            self._process = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        assert self._process.stdout is not None
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_first_line, args=(self._process.stdout, lines), daemon=True).start()
        try:
            line = lines.get(timeout=self.startup_timeout)
        except queue.Empty:
            line = None
        if not line or not line.strip().endswith("/v0"):
            self._kill()
            raise EmulatorStartError(
                f"the emulator printed no URL within {self.startup_timeout:.0f}s "
                f"(exit code {self._process.poll()}, first line {line!r}); stderr:\n{self.stderr()}"
            )
        self._base_url = line.strip()
        self.port = int(self._base_url.rsplit(":", 1)[1].split("/", 1)[0])
        return self

    def stop(self) -> int:
        """SIGTERM, wait up to 10 s, then SIGKILL; returns the exit code."""
        process = self._process
        if process is None:
            return 0
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()
        self._base_url = None
        return process.returncode

    def restart(self) -> EmulatorProcess:
        """Stop, then start again on the same port with the same database."""
        self.stop()
        return self.start()

    def signal(self, signum: int) -> None:
        """Send a signal to the process (e.g. SIGINT)."""
        assert self._process is not None
        self._process.send_signal(signum)

    def wait(self, timeout: float = STOP_TIMEOUT) -> int:
        """Wait for the process to end and return its exit code."""
        assert self._process is not None
        return self._process.wait(timeout=timeout)

    def stderr(self) -> str:
        """Everything the process (every run of it) has written to stderr so far."""
        if self._stderr_path is None:
            return ""
        try:
            return self._stderr_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def headers(self, **extra: str) -> dict[str, str]:
        """Headers that authenticate as this emulator's key and workspace, plus ``extra``."""
        return {"Authorization": f"Bearer {self.api_key}", "X-Blaxel-Workspace": self.workspace, **extra}

    def client_env(self) -> dict[str, str]:
        """The ``BL_*`` variables that point the provider (or any Blaxel tool) at this emulator with its API key."""
        return {"BL_API_URL": self.base_url, "BL_API_KEY": self.api_key, "BL_WORKSPACE": self.workspace}

    def configure(self, **settings: Any) -> dict[str, Any]:
        """``PUT /_emulator/config`` with ``settings`` (deploy_seconds, delete_seconds, fail_names, fail_message,
        token_seconds)."""
        return self._control("PUT", "config", json=settings)

    def config(self) -> dict[str, Any]:
        """``GET /_emulator/config``."""
        return self._control("GET", "config")

    def stats(self) -> dict[str, Any]:
        """``GET /_emulator/stats``."""
        return self._control("GET", "stats")

    def reset_stats(self) -> dict[str, Any]:
        """``DELETE /_emulator/stats``."""
        return self._control("DELETE", "stats")

    def set_faults(self, rules: Sequence[Mapping[str, Any]], seed: int | None = None) -> dict[str, Any]:
        """``PUT /_emulator/faults``: replace the fault rules (``seed`` makes ``rate`` draws reproducible)."""
        return self._control("PUT", "faults", json={"rules": [dict(rule) for rule in rules], "seed": seed})

    def clear_faults(self) -> dict[str, Any]:
        """``DELETE /_emulator/faults``."""
        return self._control("DELETE", "faults")

    def faults(self) -> dict[str, Any]:
        """``GET /_emulator/faults``: the rules with their ``remaining`` and ``fired`` counts."""
        return self._control("GET", "faults")

    def health(self) -> dict[str, Any]:
        """``GET /_emulator/health``."""
        return self._control("GET", "health")

    def secret_digests(self, connection: str) -> dict[str, str]:
        """``GET /_emulator/secrets/{connection}``: the SHA-256 hex digest of each secret value, by key, so a test
        or a demo proves which secret the API holds without the secret appearing anywhere."""
        return self._control("GET", f"secrets/{connection}")

    def _control(self, method: str, name: str, **kwargs: Any) -> dict[str, Any]:
        response = requests.request(method, f"{self.root_url}/_emulator/{name}", timeout=_HTTP_TIMEOUT, **kwargs)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    def _kill(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()

    def __enter__(self) -> EmulatorProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
        if self._stderr_path is not None:
            self._stderr_path.unlink(missing_ok=True)
            self._stderr_path = None
