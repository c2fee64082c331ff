"""A throwaway PostgreSQL server for end-to-end tests: ``initdb`` and ``pg_ctl`` into a temporary directory.

``PostgresServer`` finds the server binaries (on ``PATH`` or in ``/usr/lib/postgresql/<version>/bin``,
where Debian's ``postgresql`` package puts them), initialises a cluster with trust authentication on
127.0.0.1 and a free port, and stops it and removes every file at the end::

    with PostgresServer.start_new() as server:
        conninfo = server.create_database("state")  # postgres://postgres@127.0.0.1:<port>/state?sslmode=disable

PostgreSQL refuses to run as root. When the tests run as root, the server's commands run as an
unprivileged system account (``postgres`` if it exists, else ``nobody``) that owns the data directory;
the directory is made outside pytest's ``tmp_path``, which other users cannot enter. A missing
installation is an error that says what to install, never a skip.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

__all__ = ["PostgresMissing", "PostgresServer", "find_bin_dir"]

#: Where Debian and Ubuntu install the server binaries (not on PATH by default).
DEBIAN_BIN_GLOB = "/usr/lib/postgresql/*/bin"
SUPERUSER = "postgres"
START_TIMEOUT = 60
_SERVER_ACCOUNTS = ("postgres", "nobody")
_DATABASE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class PostgresMissing(RuntimeError):
    """The PostgreSQL server binaries (initdb, pg_ctl, postgres) are not installed."""


def find_bin_dir() -> Path:
    """The directory holding ``initdb``, ``pg_ctl`` and ``psql``: from PATH, else the newest Debian one."""
    candidates: list[Path] = []
    initdb = shutil.which("initdb")
    if initdb is not None:
        candidates.append(Path(initdb).resolve().parent)
    versions = sorted(Path("/").glob(DEBIAN_BIN_GLOB.lstrip("/")), key=_version, reverse=True)
    candidates.extend(versions)
    for candidate in candidates:
        if all((candidate / tool).exists() for tool in ("initdb", "pg_ctl", "postgres", "psql")):
            return candidate
    raise PostgresMissing(
        "the end-to-end tests need a PostgreSQL server (initdb, pg_ctl, postgres, psql), found neither on PATH "
        f"nor in {DEBIAN_BIN_GLOB}. Run `make test`, which installs it with apt-get when missing, "
        "or install the `postgresql` package yourself."
    )


def _version(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name)) or (0,)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """One PostgreSQL cluster in ``root`` (data, socket and log), listening on 127.0.0.1:``port``."""

    bin_dir: Path
    root: Path
    port: int
    account: pwd.struct_passwd | None  # who runs the server when the tests run as root

    @classmethod
    def start_new(cls) -> PostgresServer:
        """Initialise a cluster in a new temporary directory and start it; remove everything on failure."""
        bin_dir = find_bin_dir()
        account = _server_account() if os.geteuid() == 0 else None
        root = Path(tempfile.mkdtemp(prefix="blaxel-pg-"))
        server = cls(bin_dir, root, _free_port(), account)
        try:
            if account is not None:
                os.chown(root, account.pw_uid, account.pw_gid)
            server._server_command(
                "initdb", "-D", str(server.data), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--locale=C", "-N"
            )
            server.start()
        except BaseException:
            server.stop()
            shutil.rmtree(root, ignore_errors=True)
            raise
        return server

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def start(self) -> None:
        """``pg_ctl start`` and wait until it accepts connections (also after ``stop``: the data stays)."""
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._server_command(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", str(START_TIMEOUT), "start"
        )

    def stop(self) -> None:
        """``pg_ctl stop -m fast``; nothing when the server is not running."""
        if (self.data / "postmaster.pid").exists():
            self._server_command("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        """Stop and start again on the same port with the same data."""
        self.stop()
        self.start()

    def conninfo(self, database: str) -> str:
        """A libpq connection URL for ``database`` as the superuser, over TCP, without TLS."""
        return f"postgres://{SUPERUSER}@127.0.0.1:{self.port}/{database}?sslmode=disable"

    def create_database(self, name: str) -> str:
        """Create ``name`` (lowercase letters, digits, '_') and return its connection URL."""
        if not _DATABASE_NAME.match(name):
            raise ValueError(f"database name {name!r} must match {_DATABASE_NAME.pattern}")
        self.sql("postgres", f"CREATE DATABASE {name}")
        return self.conninfo(name)

    def sql(self, database: str, statement: str) -> list[list[str]]:
        """Run one SQL statement with ``psql`` and return its rows (columns split on '|')."""
        command = [str(self.bin_dir / "psql"), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", statement]
        completed = subprocess.run(
            [*command, self.conninfo(database)], capture_output=True, text=True, timeout=60, check=False
        )
        if completed.returncode != 0:
            raise RuntimeError(f"psql {statement!r} failed ({completed.returncode}): {completed.stderr.strip()}")
        return [line.split("|") for line in completed.stdout.splitlines() if line]

    def server_log(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def _server_command(self, tool: str, *args: str) -> None:
        """Run a server-side tool as the server's account; its output goes into the error when it fails."""
        command: Sequence[str] = [str(self.bin_dir / tool), *args]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "TZ": "UTC"}
        completed = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT + 30,
            check=False,
            env=env,
            cwd=self.root,
            user=self.account.pw_uid if self.account else None,
            group=self.account.pw_gid if self.account else None,
            extra_groups=[] if self.account else None,
        )
        if completed.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} exited {completed.returncode}\n--- stdout ---\n{completed.stdout}"
                f"\n--- stderr ---\n{completed.stderr}\n--- server log ---\n{self.server_log()}"
            )

    def close(self) -> None:
        """Stop the server and remove its directory."""
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _server_account() -> pwd.struct_passwd:
    for name in _SERVER_ACCOUNTS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise PostgresMissing(f"running as root, and none of the accounts {_SERVER_ACCOUNTS} exists to run PostgreSQL")
