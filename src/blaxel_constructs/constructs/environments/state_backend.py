"""Where a stack keeps its Terraform state: PostgreSQL when ``BLAXEL_STATE_PG`` is set, a local file otherwise.

``state_backend(stack, "prod")`` adds Terraform's built-in ``pg`` backend when the variable holds a
libpq connection string (``postgres://user@db.internal:5432/terraform?sslmode=require`` or
``host=db.internal dbname=terraform``), with one schema per environment (``blaxel_prod``), so
environments never share a state and two applies of the same environment are serialised by the
backend's lock (a PostgreSQL advisory lock): the second one is refused with "Error acquiring the state
lock" and changes nothing. Terraform creates the schema and its table itself on ``terraform init``.

The password is never written into ``cdk.tf.json`` (nor into ``.terraform/``): a password found in the
connection string is left out, with a ``StatePasswordWarning``, and Terraform's PostgreSQL driver reads
it from ``PGPASSWORD`` or ``~/.pgpass`` where ``terraform`` runs, as every libpq client does.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from blaxel_constructs.constructs.framework import framework_of
from blaxel_constructs.errors import SpecError

if TYPE_CHECKING:
    from cdktf import TerraformBackend, TerraformStack

__all__ = ["STATE_PG_VARIABLE", "StatePasswordWarning", "state_backend", "state_schema", "without_password"]

#: The environment variable holding the PostgreSQL connection string of the remote state.
STATE_PG_VARIABLE: Final = "BLAXEL_STATE_PG"

_SCHEMA: Final = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_KEYWORD: Final = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*('(?:\\.|[^'\\])*'|[^\s']*)")
_URL_SCHEMES: Final = ("postgres://", "postgresql://")


class StatePasswordWarning(UserWarning):
    """The state connection string held a password; it was left out of ``cdk.tf.json`` (use PGPASSWORD)."""


def state_schema(environment: str) -> str:
    """The PostgreSQL schema of an environment's state: ``blaxel_<environment>`` (``-`` becomes ``_``)."""
    return "blaxel_" + re.sub(r"[^a-z0-9_]", "_", environment.lower())


def state_backend(
    stack: TerraformStack,
    environment: str,
    *,
    schema_name: str | None = None,
    local_path: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> TerraformBackend:
    """Add the stack's backend: ``pg`` in schema ``schema_name`` (default ``blaxel_<environment>``) when
    ``BLAXEL_STATE_PG`` is set in ``environ`` (default ``os.environ``), else ``local`` at ``local_path``
    (default cdktf's ``terraform.<stack>.tfstate`` in the directory synth runs in).

    Raises ``SpecError`` for a value that is not a libpq connection string or an invalid schema name.
    """
    variables = os.environ if environ is None else environ
    cdk = framework_of(stack).module
    conninfo = variables.get(STATE_PG_VARIABLE, "").strip()
    if not conninfo:
        backend: TerraformBackend = cdk.LocalBackend(stack, path=local_path) if local_path else cdk.LocalBackend(stack)
        return backend
    path = stack.node.path
    schema = schema_name or state_schema(environment)
    if not _SCHEMA.match(schema):
        raise SpecError(
            f"must be lowercase letters, digits and '_', starting with a letter or '_', at most 63 (got {schema!r})",
            field="schema_name",
            path=path,
        )
    safe, had_password = without_password(conninfo)
    if not safe.startswith(_URL_SCHEMES) and not _KEYWORD.match(safe):
        raise SpecError(
            "must be a libpq connection string, such as postgres://user@host:5432/dbname?sslmode=require "
            "or 'host=... dbname=... user=...'",
            field=STATE_PG_VARIABLE,
            path=path,
        )
    if had_password:
        warnings.warn(
            f"stack {path!r}: the password in {STATE_PG_VARIABLE} is not written into cdk.tf.json; "
            "give it to Terraform with PGPASSWORD or ~/.pgpass where it runs.",
            StatePasswordWarning,
            stacklevel=2,
        )
    pg: TerraformBackend = cdk.PgBackend(stack, conn_str=safe, schema_name=schema)
    return pg


def without_password(conninfo: str) -> tuple[str, bool]:
    """``conninfo`` without its password (URL user info, ``password`` query parameter or keyword), and
    whether there was one. Anything else is kept as written.
    """
    if conninfo.startswith(_URL_SCHEMES):
        return _url_without_password(conninfo)
    pairs = list(_KEYWORD.finditer(conninfo))
    if not pairs or "".join(match.group(0) for match in pairs).strip() != conninfo.strip():
        return conninfo, False  # not keyword/value form: left for the caller to reject
    kept = [match.group(0).strip() for match in pairs if match.group(1) != "password"]
    return " ".join(kept), len(kept) != len(pairs)


def _url_without_password(url: str) -> tuple[str, bool]:
    parts = urlsplit(url)
    userinfo, at, hosts = parts.netloc.rpartition("@")
    user, colon, _ = userinfo.partition(":")
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(key, value) for key, value in query if key != "password"]
    if not colon and len(kept) == len(query):
        return url, False
    netloc = f"{user}{at}{hosts}" if at else hosts
    new_query = urlencode(kept) if len(kept) != len(query) else parts.query
    return urlunsplit((parts.scheme, netloc, parts.path, new_query, parts.fragment)), True
