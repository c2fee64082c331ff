"""Where an environment's Terraform state lives, and whether it holds anything, found without ``terraform init``.

``environments status`` must tell a never-deployed environment from a deployed one *before* Terraform touches
its backend: on PostgreSQL, ``terraform init`` creates the backend's schema and table, and the first command
that opens the environment's state writes an empty one (under a database-wide lock), so merely looking would
leave a state behind. ``locate_state`` reads the backend from the synthesized stack; ``StateLocation.resources``
then reads the state the way a backend stores it, read-only:

- ``local``: the state file (its path relative to the deploy's working directory when it is not absolute);
- ``pg``: the ``states`` table of the backend's schema, row ``default`` (or ``$TF_WORKSPACE``), through a
  read-only transaction, with libpq's own connection string, ``PGPASSWORD`` and ``~/.pgpass``, as Terraform's
  driver reads them. It never creates a schema, a table or a row, and takes no lock.

Any other backend cannot be read without ``terraform init``; its ``resources`` is None and the plan tells.
``init_arguments`` are the ``-backend-config`` flags that keep ``terraform init`` from writing: the state path
made absolute (the command's working directory is not the deploy's), and for ``pg`` the ``skip_*_creation``
settings (the schema and table are known to exist by then).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from blaxel_constructs.environment_commands.synthesized_stack import SynthesizedStack
from blaxel_constructs.errors import EnvironmentCheckError

__all__ = ["StateLocation", "locate_state"]

_DEFAULT_WORKSPACE: Final = "default"
_LOCAL_STATE: Final = "terraform.tfstate"
_WORKSPACE_DIR: Final = "terraform.tfstate.d"
_PG_SCHEMA_DEFAULT: Final = "public"
_PG_TABLE: Final = "states"
_PG_CONNECT_SECONDS: Final = 15
_PG_SKIP: Final = ("skip_schema_creation", "skip_table_creation", "skip_index_creation")


@dataclass(frozen=True)
class StateLocation:
    """An environment's state: its backend type, where it is (for people), and how to read it."""

    backend: str
    where: str
    init_arguments: tuple[str, ...] = ()
    local_file: Path | None = None
    pg_conninfo: str | None = None
    pg_schema: str | None = None
    workspace: str = _DEFAULT_WORKSPACE

    def resources(self) -> int | None:
        """How many resource instances the state holds (0: none, or no state at all); None when it cannot be
        read without ``terraform init`` (a backend other than ``local`` and ``pg``)."""
        if self.local_file is not None:
            return _local_resources(self.local_file)
        if self.pg_conninfo is not None and self.pg_schema is not None:
            return _pg_resources(self.pg_conninfo, self.pg_schema, self.workspace)
        return None


def locate_state(stack: SynthesizedStack, environ: Mapping[str, str]) -> StateLocation:
    """Where ``stack``'s state is, with the ``-backend-config`` flags that make ``terraform init`` read-only."""
    workspace = environ.get("TF_WORKSPACE") or _DEFAULT_WORKSPACE
    backend = stack.backend
    if backend is None or backend[0] == "local":
        arguments = backend[1] if backend else {}
        return _local(stack, arguments, workspace)
    kind, arguments = backend
    if kind == "pg":
        return _pg(arguments, environ, workspace)
    return StateLocation(kind, f"{kind} backend", workspace=workspace)


def _local(stack: SynthesizedStack, arguments: Mapping[str, Any], workspace: str) -> StateLocation:
    base = stack.working_directory
    path = Path(str(arguments.get("path") or _LOCAL_STATE))
    path = path if path.is_absolute() else base / path
    flags = [f"-backend-config=path={path}"]
    if workspace != _DEFAULT_WORKSPACE:
        directory = Path(str(arguments.get("workspace_dir") or _WORKSPACE_DIR))
        directory = directory if directory.is_absolute() else base / directory
        flags.append(f"-backend-config=workspace_dir={directory}")
        file = directory / workspace / _LOCAL_STATE
    else:
        file = path
    return StateLocation("local", str(file), tuple(flags), local_file=file, workspace=workspace)


def _pg(arguments: Mapping[str, Any], environ: Mapping[str, str], workspace: str) -> StateLocation:
    conninfo = str(arguments.get("conn_str") or environ.get("PG_CONN_STR") or "")
    if not conninfo:
        raise EnvironmentCheckError("the pg backend has no conn_str, and PG_CONN_STR is not set")
    schema = str(arguments.get("schema_name") or environ.get("PG_SCHEMA_NAME") or _PG_SCHEMA_DEFAULT)
    flags = tuple(f"-backend-config={name}=true" for name in _PG_SKIP)
    return StateLocation("pg", f"schema {schema}", flags, pg_conninfo=conninfo, pg_schema=schema, workspace=workspace)


def _local_resources(file: Path) -> int:
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return 0
    except OSError as error:
        raise EnvironmentCheckError(f"cannot read the state file {file}: {error.strerror or error}") from None
    return _count(text, str(file))


def _pg_resources(conninfo: str, schema: str, workspace: str) -> int:
    """Read the state row in a read-only transaction; 0 when the schema, table or row does not exist."""
    import psycopg  # only for a pg backend: the commands start without it otherwise
    from psycopg import sql

    try:
        with psycopg.connect(conninfo, connect_timeout=_PG_CONNECT_SECONDS, autocommit=False) as connection:
            connection.read_only = True
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = %s",
                    (schema, _PG_TABLE),
                )
                if cursor.fetchone() is None:
                    return 0
                query = sql.SQL("SELECT data FROM {}.{} WHERE name = %s").format(
                    sql.Identifier(schema), sql.Identifier(_PG_TABLE)
                )
                cursor.execute(query, (workspace,))
                row = cursor.fetchone()
            connection.rollback()
    except psycopg.Error as error:
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise EnvironmentCheckError(f"cannot read the state in PostgreSQL (schema {schema}): {detail}") from None
    if row is None or not row[0]:
        return 0
    return _count(str(row[0]), f"schema {schema}")


def _count(text: str, where: str) -> int:
    """Resource instances of the managed resources in a Terraform state document."""
    if not text.strip():
        return 0
    try:
        state = json.loads(text)
    except ValueError:
        raise EnvironmentCheckError(f"the state in {where} is not JSON") from None
    resources = state.get("resources") if isinstance(state, Mapping) else None
    if not isinstance(resources, list):
        return 0
    return sum(
        len(resource.get("instances") or [])
        for resource in resources
        if isinstance(resource, Mapping) and resource.get("mode") == "managed"
    )
