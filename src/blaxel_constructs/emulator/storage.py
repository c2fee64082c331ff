"""Where model records live: one SQLite table of JSON documents, in memory or in a file.

The state machine sees only the ``RecordStore`` protocol (plain JSON dicts in and out), so its unit
tests use a dict and the server uses ``SqliteRecordStore``. With a file, every write is committed
before the request returns, so a stopped emulator (even by SIGTERM mid-demo) loses nothing.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any, Protocol

__all__ = ["RecordStore", "SqliteRecordStore"]


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


_SCHEMA = """
CREATE TABLE IF NOT EXISTS models (
    workspace TEXT NOT NULL,
    name TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (workspace, name)
)
"""


class SqliteRecordStore:
    """``RecordStore`` on SQLite: ``path`` None keeps everything in memory, a path persists it.

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
            self._db.execute(_SCHEMA)

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

    def close(self) -> None:
        """Close the database; the store must not be used afterwards."""
        with self._lock:
            self._db.close()


def _load(text: str) -> dict[str, Any]:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("stored model record is not a JSON object")
    return value
