"""The emulator's model state machine: create, get, list, update, delete, revisions, deployment lifecycle.

Pure in the Flask sense: no HTTP, no I/O of its own, time from an injected ``clock``, storage behind
the injected ``RecordStore``. Input documents are assumed already validated (``validation``); results
are the API's JSON (plain dicts). Failures are the three exceptions below, which the HTTP layer maps to
404 and 409. One lock makes each operation atomic (check-then-write on create, for instance) across the
server's threads.

Models whose deletion has completed are purged lazily, the next time they are looked at.

A model names integration connections: ``missing_connections`` (given by the app, asked under the same lock
as the connections' own writes) says which do not exist, and a create or update naming one fails with
``MissingConnections`` (400), as on the real API. ``users`` answers the reverse question for a connection
or a policy: which models (a model still DELETING included) name it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from blaxel_constructs.emulator.records import (
    Deletion,
    ModelRecord,
    Revision,
    is_gone,
    new_revision,
    revision_views,
    to_wire,
)
from blaxel_constructs.emulator.resource_registry import ResourceAlreadyExists, ResourceNotFound
from blaxel_constructs.emulator.settings import LifecycleSettings
from blaxel_constructs.emulator.storage import RecordStore

__all__ = [
    "Clock",
    "Documents",
    "MissingConnections",
    "ModelAlreadyExists",
    "ModelBeingDeleted",
    "ModelNotFound",
    "ModelStateMachine",
]

Clock = Callable[[], float]
"""Seconds since the epoch; ``time.time`` in the server, a fake in tests. Must be wall-clock time so a
restarted emulator agrees with the timestamps its predecessor stored."""


Documents = list[dict[str, Any]]
"""A list of API JSON objects (models or revisions)."""
Names = list[str]
"""Names of models."""


class ModelNotFound(ResourceNotFound):
    """No model of that name in the workspace (or its deletion has completed)."""

    def __init__(self, name: str) -> None:
        super().__init__("model", name)


class ModelAlreadyExists(ResourceAlreadyExists):
    """A create named a model that already exists (even one still DELETING)."""


class ModelBeingDeleted(Exception):
    """An update named a model that is DELETING."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"Resource is being deleted: {name}")


class MissingConnections(ValueError):
    """A create or update named integration connections that do not exist (``names``, in the order named)."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(names)
        super().__init__(f"spec.integrationConnections: integration connection not found: {', '.join(self.names)}")


MissingCheck = Callable[[str, Sequence[str]], list[str]]
"""(workspace, connection names) -> those that do not exist."""


def _nothing(name: str) -> None:
    """No one to tell."""


class ModelStateMachine:
    """Models of every workspace, their revisions and their derived status.

    ``settings`` apply to writes made after they are set: each revision stores the duration and the
    outcome it was given, so changing the settings never alters a deployment already under way.
    """

    def __init__(
        self,
        store: RecordStore,
        *,
        clock: Clock,
        settings: LifecycleSettings,
        run_url: str,
        plan: str,
        lock: threading.RLock | None = None,
        missing_connections: MissingCheck | None = None,
        on_created: Callable[[str], None] = _nothing,
        on_deleted: Callable[[str], None] = _nothing,
    ) -> None:
        self._store = store
        self._clock = clock
        self._settings = settings
        self._run_url = run_url
        self._plan = plan
        self._lock = lock if lock is not None else threading.RLock()
        self._missing_connections = missing_connections
        #: Told the name of each model whose create was applied and of each whose deletion started (the stats).
        self._on_created = on_created
        self._on_deleted = on_deleted

    @property
    def settings(self) -> LifecycleSettings:
        """The lifecycle settings that the next write will use."""
        return self._settings

    def configure(self, changes: Mapping[str, object]) -> LifecycleSettings:
        """Apply ``changes`` to the settings atomically and return the result; SettingsError if one is bad."""
        with self._lock:
            self._settings = self._settings.changed(changes)
            return self._settings

    def create(self, workspace: str, document: dict[str, Any], *, identity: str) -> dict[str, Any]:
        """Store a new model and start its first deployment; ModelAlreadyExists if the name is taken."""
        name = document["metadata"]["name"]
        with self._lock:
            now = self._clock()
            if self._load(workspace, name, now) is not None:
                raise ModelAlreadyExists(name)
            self._check_connections(workspace, document)
            record = ModelRecord(
                workspace=workspace,
                name=name,
                document=document,
                created_at=now,
                created_by=identity,
                updated_at=now,
                updated_by=identity,
                revisions=(self._revision(workspace, document, index=0, now=now, identity=identity),),
            )
            self._save(record)
            self._on_created(name)
            return self._wire(record, now)

    def get(self, workspace: str, name: str) -> dict[str, Any]:
        """The model as the API shows it now; ModelNotFound if absent."""
        with self._lock:
            now = self._clock()
            return self._wire(self._require(workspace, name, now), now)

    def list(self, workspace: str) -> Documents:
        """Every existing model of the workspace, newest first (ties by name)."""
        with self._lock:
            now = self._clock()
            records = []
            for data in self._store.list(workspace):
                record = ModelRecord.from_json(data)
                if is_gone(record, now):
                    self._store.delete(workspace, record.name)
                else:
                    records.append(record)
        records.sort(key=lambda r: r.name)
        records.sort(key=lambda r: r.created_at, reverse=True)
        return [self._wire(record, now) for record in records]

    def update(self, workspace: str, name: str, document: dict[str, Any], *, identity: str) -> dict[str, Any]:
        """Replace the whole document and start a new revision; ModelNotFound, ModelBeingDeleted."""
        with self._lock:
            now = self._clock()
            record = self._require(workspace, name, now)
            if record.deletion is not None:
                raise ModelBeingDeleted(name)
            self._check_connections(workspace, document)
            revision = self._revision(workspace, document, index=len(record.revisions), now=now, identity=identity)
            record = replace(
                record,
                document=document,
                updated_at=now,
                updated_by=identity,
                revisions=(*record.revisions, revision),
            )
            self._save(record)
            return self._wire(record, now)

    def delete(self, workspace: str, name: str) -> dict[str, Any]:
        """Start deleting the model and return it, DELETING; a repeated delete does not restart the clock."""
        return self.begin_delete(workspace, name)[0]

    def begin_delete(self, workspace: str, name: str) -> tuple[dict[str, Any], bool]:
        """As ``delete``, and whether this very call started the deletion (False for a repeated delete)."""
        with self._lock:
            now = self._clock()
            record = self._require(workspace, name, now)
            started = record.deletion is None
            if started:
                record = replace(record, deletion=Deletion(started_at=now, seconds=self._settings.delete_seconds))
                self._save(record)
                self._on_deleted(name)
            return self._wire(record, now), started

    def revisions(self, workspace: str, name: str) -> Documents:
        """The model's revisions, newest first; ModelNotFound if absent."""
        with self._lock:
            now = self._clock()
            return revision_views(self._require(workspace, name, now), now)

    def users(self, workspace: str, member: str, name: str) -> Names:
        """Names of the models whose ``spec[member]`` (``integrationConnections``, ``policies``) contains ``name``,
        a model still DELETING included (it uses it until it is gone)."""
        with self._lock:
            return [m["metadata"]["name"] for m in self.list(workspace) if name in (m["spec"].get(member) or [])]

    def _check_connections(self, workspace: str, document: dict[str, Any]) -> None:
        names = document["spec"].get("integrationConnections") or []
        if self._missing_connections is not None and names:
            missing = self._missing_connections(workspace, names)
            if missing:
                raise MissingConnections(missing)

    def _revision(self, workspace: str, document: dict[str, Any], *, index: int, now: float, identity: str) -> Revision:
        name = document["metadata"]["name"]
        settings = self._settings
        return new_revision(
            f"{workspace}/{name}",
            index=index,
            now=now,
            enabled=document["spec"].get("enabled") is not False,
            fails=settings.fails(name),
            deploy_seconds=settings.deploy_seconds,
            fail_message=settings.fail_message,
            identity=identity,
        )

    def _load(self, workspace: str, name: str, now: float) -> ModelRecord | None:
        data = self._store.get(workspace, name)
        if data is None:
            return None
        record = ModelRecord.from_json(data)
        if is_gone(record, now):
            self._store.delete(workspace, name)
            return None
        return record

    def _require(self, workspace: str, name: str, now: float) -> ModelRecord:
        record = self._load(workspace, name, now)
        if record is None:
            raise ModelNotFound(name)
        return record

    def _save(self, record: ModelRecord) -> None:
        self._store.put(record.workspace, record.name, record.to_json())

    def _wire(self, record: ModelRecord, now: float) -> dict[str, Any]:
        return to_wire(record, now, run_url=self._run_url, plan=self._plan)
