"""Where model records, the gateway's other resources and issued OAuth tokens live: SQLite tables of JSON
documents, in memory or in a file.

The state machine sees only the ``RecordStore`` protocol (plain JSON dicts in and out), so its unit
tests use a dict and the server uses ``SqliteRecordStore``. The token issuer sees only ``TokenStore``,
which ``SqliteRecordStore`` implements too (one database, so tokens survive a restart with the models), and
so is ``ResourceStore``, where integration connections and policies are kept by kind (``connection``, ``policy``).
A connection's secret is stored only as the SHA-256 digest of each value (see ``connection_registry``).
A token is stored only as the SHA-256 digest of its text, never the text itself. With a file, every
write is committed before the request returns, so a stopped emulator (even by SIGTERM mid-demo) loses nothing.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

__all__ = ["RecordStore", "ResourceStore", "SqliteRecordStore", "TokenStore"]


class RecordStore(Protocol):
    """Key-value storage of model records (JSON objects) by workspace and name."""

    def get(self, workspace: str, name: str) -> dict[str, Any] | None:
        """The record, or None when absent."""
        ...

    def put(self, workspace: str, name: str, record: dict[str, Any]) -> None:
        """Insert or replace the record."""
        ...

    def delete(self, workspace: str, name: str) -> None:
        """Remove the record if present."""
        ...

    def list(self, workspace: str) -> list[dict[str, Any]]:
        """Every record of the workspace, in no particular order."""
        ...


@runtime_checkable
class TokenStore(Protocol):
    """Issued access tokens by the digest of their text: ``{identity, workspace, issuedAt, expiresAt}``."""

    def put_token(self, digest: str, record: dict[str, Any]) -> None:
        """Store a token's record; ``record["expiresAt"]`` (seconds since the epoch) is required."""
        ...

    def get_token(self, digest: str) -> dict[str, Any] | None:
        """The token's record, or None when unknown."""
        ...

    def purge_tokens(self, expired_before: float) -> None:
        """Forget the tokens that expired before ``expired_before``."""
        ...


Records = list[dict[str, Any]]
"""Stored records (JSON objects)."""


@runtime_checkable
class ResourceStore(Protocol):
    """Records (JSON objects) of the gateway's other resources by kind, workspace and name."""

    def get_resource(self, kind: str, workspace: str, name: str) -> dict[str, Any] | None:
        """The record, or None when absent."""
        ...

    def put_resource(self, kind: str, workspace: str, name: str, record: dict[str, Any]) -> None:
        """Insert or replace the record."""
        ...

    def delete_resource(self, kind: str, workspace: str, name: str) -> None:
        """Remove the record if present."""
        ...

    def list_resources(self, kind: str, workspace: str) -> list[dict[str, Any]]:
        """Every record of that kind in the workspace, in no particular order."""
        ...


_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS models (
    workspace TEXT NOT NULL,
    name TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (workspace, name)
)
""",
    """
CREATE TABLE IF NOT EXISTS resources (
    kind TEXT NOT NULL,
    workspace TEXT NOT NULL,
    name TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (kind, workspace, name)
)
""",
    """
CREATE TABLE IF NOT EXISTS tokens (
    digest TEXT NOT NULL PRIMARY KEY,
    expires_at REAL NOT NULL,
    record TEXT NOT NULL
)
""",
)


class SqliteRecordStore:
    """``RecordStore``, ``ResourceStore`` and ``TokenStore`` on SQLite: ``path`` None keeps everything in
    memory, a path persists it.

    One connection shared by the server's threads, serialised by a lock; autocommit, so each write is
    durable on its own.
    """

    def __init__(self, path: Path | None = None) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            ":memory:" if path is None else str(path), check_same_thread=False, isolation_level=None
        )
        with self._lock:
            if path is not None:
                self._db.execute("PRAGMA journal_mode=WAL")
            for statement in _SCHEMA:
                self._db.execute(statement)

    def get(self, workspace: str, name: str) -> dict[str, Any] | None:
        """The record, or None when absent."""
        with self._lock:
            row = self._db.execute(
                "SELECT record FROM models WHERE workspace = ? AND name = ?", (workspace, name)
            ).fetchone()
        return None if row is None else _load(row[0])

    def put(self, workspace: str, name: str, record: dict[str, Any]) -> None:
        """Insert or replace the record."""
        text = json.dumps(record, separators=(",", ":"))
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO models (workspace, name, record) VALUES (?, ?, ?)", (workspace, name, text)
            )

    def delete(self, workspace: str, name: str) -> None:
        """Remove the record if present."""
        with self._lock:
            self._db.execute("DELETE FROM models WHERE workspace = ? AND name = ?", (workspace, name))

    def list(self, workspace: str) -> list[dict[str, Any]]:
        """Every record of the workspace, in no particular order."""
        with self._lock:
            rows = self._db.execute("SELECT record FROM models WHERE workspace = ?", (workspace,)).fetchall()
        return [_load(row[0]) for row in rows]

    def get_resource(self, kind: str, workspace: str, name: str) -> dict[str, Any] | None:
        """The record, or None when absent."""
        with self._lock:
            row = self._db.execute(
                "SELECT record FROM resources WHERE kind = ? AND workspace = ? AND name = ?", (kind, workspace, name)
            ).fetchone()
        return None if row is None else _load(row[0])

    def put_resource(self, kind: str, workspace: str, name: str, record: dict[str, Any]) -> None:
        """Insert or replace the record."""
        text = json.dumps(record, separators=(",", ":"))
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO resources (kind, workspace, name, record) VALUES (?, ?, ?, ?)",
                (kind, workspace, name, text),
            )

    def delete_resource(self, kind: str, workspace: str, name: str) -> None:
        """Remove the record if present."""
        with self._lock:
            self._db.execute(
                "DELETE FROM resources WHERE kind = ? AND workspace = ? AND name = ?", (kind, workspace, name)
            )

    def list_resources(self, kind: str, workspace: str) -> Records:
        """Every record of that kind in the workspace, in no particular order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT record FROM resources WHERE kind = ? AND workspace = ?", (kind, workspace)
            ).fetchall()
        return [_load(row[0]) for row in rows]

    def put_token(self, digest: str, record: dict[str, Any]) -> None:
        """Store a token's record (by the digest of its text)."""
        text = json.dumps(record, separators=(",", ":"))
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO tokens (digest, expires_at, record) VALUES (?, ?, ?)",
                (digest, float(record["expiresAt"]), text),
            )

    def get_token(self, digest: str) -> dict[str, Any] | None:
        """The token's record, or None when unknown."""
        with self._lock:
            row = self._db.execute("SELECT record FROM tokens WHERE digest = ?", (digest,)).fetchone()
        return None if row is None else _load(row[0])

    def purge_tokens(self, expired_before: float) -> None:
        """Forget the tokens that expired before ``expired_before``."""
        with self._lock:
            self._db.execute("DELETE FROM tokens WHERE expires_at < ?", (expired_before,))

    def close(self) -> None:
        """Close the database; the store must not be used afterwards."""
        with self._lock:
            self._db.close()


def _load(text: str) -> dict[str, Any]:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("stored record is not a JSON object")
    return value
