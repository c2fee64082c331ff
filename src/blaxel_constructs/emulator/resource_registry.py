"""The stored form and the bookkeeping shared by the gateway's resources without a lifecycle (connections,
policies): create, get, list, replace, delete, with server-set metadata. Pure: no HTTP, time from an injected
clock, storage behind the injected ``ResourceStore``, one lock (shared with the model state machine, so that
checks across resources, such as "is this connection still used by a model?", are atomic).

Unlike a model, such a resource has no status and no deployment: a write takes effect at once and a delete
removes it at once (the API answers 200 with the deleted document). ``ObjectRegistry`` is what the API
shows of every such kind, written once; each kind's registry (``ConnectionRegistry``, ``PolicyRegistry``)
says only what it stores beside the document, how it answers, and whether a delete waits for its users.
The errors are those of every kind, the model's included (``ModelNotFound`` is a ``ResourceNotFound``).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Final

from blaxel_constructs.emulator.records import StoredObject
from blaxel_constructs.emulator.storage import ResourceStore

__all__ = [
    "RESOURCE_RECORD_VERSION",
    "ObjectRegistry",
    "ResourceAlreadyExists",
    "ResourceInUse",
    "ResourceNotFound",
    "ResourceRegistry",
    "StoredResource",
]

#: Version of the JSON layout written by ``StoredResource.to_json``.
RESOURCE_RECORD_VERSION: Final = 1

Names = list[str]
"""Names of resources."""
ModelUsers = Callable[[str, str], Names]
"""(workspace, name) -> names of the models that name the resource."""


class ResourceNotFound(LookupError):
    """No resource of that kind and name in the workspace; ``str()`` is the API's error text."""

    def __init__(self, label: str, name: str) -> None:
        self.name = name
        super().__init__(f"{label[:1].upper()}{label[1:]} not found: {name}")


class ResourceAlreadyExists(Exception):
    """A create named a resource that already exists."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"Resource already exists: {name}")


class ResourceInUse(Exception):
    """A delete named a resource that models still name (``users``, sorted); ``str()`` names them all."""

    def __init__(self, label: str, name: str, users: Names) -> None:
        self.name = name
        self.users = users
        super().__init__(f"{label[:1].upper()}{label[1:]} {name} is in use by models: {', '.join(users)}")


@dataclass(frozen=True)
class StoredResource(StoredObject):
    """A resource as stored: the client's ``{metadata, spec}`` (read-only fields removed, and for a connection
    without its secret), who wrote it and when, and ``private`` facts of the kind (a connection's secret digests)
    that are never part of an answer."""

    private: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The stored form (plain JSON)."""
        return {"version": RESOURCE_RECORD_VERSION, **self.stored_header(), "private": self.private}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoredResource:
        """Read the stored form written by ``to_json``."""
        if data.get("version") != RESOURCE_RECORD_VERSION:
            raise ValueError(f"unsupported resource record version {data.get('version')!r}")
        return cls(**cls.header_fields(data), private=dict(data.get("private") or {}))


class ResourceRegistry:
    """The resources of one ``kind`` (``connection``, ``policy``) in every workspace; ``label`` names the kind
    in error texts (``integration connection``)."""

    def __init__(
        self,
        store: ResourceStore,
        *,
        kind: str,
        label: str,
        clock: Callable[[], float],
        lock: threading.RLock | None = None,
    ) -> None:
        self._store = store
        self.kind = kind
        self.label = label
        self._clock = clock
        self.lock = lock if lock is not None else threading.RLock()

    def create(
        self, workspace: str, document: dict[str, Any], *, identity: str, private: dict[str, Any] | None = None
    ) -> StoredResource:
        """Store a new resource; ResourceAlreadyExists if the name is taken."""
        name = document["metadata"]["name"]
        with self.lock:
            if self._store.get_resource(self.kind, workspace, name) is not None:
                raise ResourceAlreadyExists(name)
            now = self._clock()
            record = StoredResource(workspace, name, document, now, identity, now, identity, dict(private or {}))
            self._save(record)
            return record

    def get(self, workspace: str, name: str) -> StoredResource:
        """The stored resource; ResourceNotFound if absent."""
        with self.lock:
            data = self._store.get_resource(self.kind, workspace, name)
        if data is None:
            raise ResourceNotFound(self.label, name)
        return StoredResource.from_json(data)

    def exists(self, workspace: str, name: str) -> bool:
        """Whether a resource of that name exists in the workspace."""
        with self.lock:
            return self._store.get_resource(self.kind, workspace, name) is not None

    def list(self, workspace: str) -> list[StoredResource]:
        """Every resource of the workspace, newest first (ties by name)."""
        with self.lock:
            records = [StoredResource.from_json(data) for data in self._store.list_resources(self.kind, workspace)]
        records.sort(key=lambda r: r.name)
        records.sort(key=lambda r: r.created_at, reverse=True)
        return records

    def replace(
        self, workspace: str, name: str, document: dict[str, Any], *, identity: str, private: dict[str, Any]
    ) -> StoredResource:
        """Replace the whole document (and the private facts); ResourceNotFound if absent."""
        with self.lock:
            record = replace(
                self.get(workspace, name),
                document=document,
                updated_at=self._clock(),
                updated_by=identity,
                private=dict(private),
            )
            self._save(record)
            return record

    def delete(self, workspace: str, name: str, *, users: Callable[[], Names] | None = None) -> StoredResource:
        """Remove the resource and return it as it was; ResourceNotFound if absent, ResourceInUse when ``users``
        (asked under the lock) names any model."""
        with self.lock:
            record = self.get(workspace, name)
            using: Names = sorted(users()) if users is not None else []
            if using:
                raise ResourceInUse(self.label, name, using)
            self._store.delete_resource(self.kind, workspace, name)
            return record

    def _save(self, record: StoredResource) -> None:
        self._store.put_resource(self.kind, record.workspace, record.name, record.to_json())


class ObjectRegistry:
    """The resources of one kind without a lifecycle in every workspace, as the API shows them (plain JSON).

    A subclass sets ``KIND`` (the store's key) and ``LABEL`` (error texts), and may say what it keeps beside the
    document (``_stored``: a connection's secret digests), how it answers (``_wire``) and whether a delete is
    refused while ``users`` (models naming it) remain (``IN_USE_BLOCKS_DELETE``).
    """

    KIND: ClassVar[str]
    LABEL: ClassVar[str]
    IN_USE_BLOCKS_DELETE: ClassVar[bool] = False

    def __init__(
        self,
        store: ResourceStore,
        *,
        clock: Callable[[], float],
        users: ModelUsers,
        lock: threading.RLock | None = None,
    ) -> None:
        self._resources = ResourceRegistry(store, kind=self.KIND, label=self.LABEL, clock=clock, lock=lock)
        self._users = users

    def create(self, workspace: str, document: dict[str, Any], *, identity: str) -> dict[str, Any]:
        """Store a new resource; ResourceAlreadyExists if the name is taken."""
        with self._resources.lock:
            stored, private = self._stored(document, None)
            return self._wire(self._resources.create(workspace, stored, identity=identity, private=private))

    def get(self, workspace: str, name: str) -> dict[str, Any]:
        """One resource; ResourceNotFound if absent."""
        with self._resources.lock:
            return self._wire(self._resources.get(workspace, name))

    def list(self, workspace: str) -> list[dict[str, Any]]:
        """Every resource of the workspace, newest first."""
        with self._resources.lock:
            return [self._wire(record) for record in self._resources.list(workspace)]

    def update(self, workspace: str, name: str, document: dict[str, Any], *, identity: str) -> dict[str, Any]:
        """Replace the whole document; ResourceNotFound if absent."""
        with self._resources.lock:
            stored, private = self._stored(document, self._resources.get(workspace, name).private)
            record = self._resources.replace(workspace, name, stored, identity=identity, private=private)
            return self._wire(record)

    def delete(self, workspace: str, name: str) -> dict[str, Any]:
        """Remove the resource and return it; ResourceNotFound, or ResourceInUse naming the models that use it
        when they block its delete."""
        users = (lambda: self._users(workspace, name)) if self.IN_USE_BLOCKS_DELETE else None
        with self._resources.lock:
            return self._wire(self._resources.delete(workspace, name, users=users))

    def _stored(
        self, document: dict[str, Any], previous: dict[str, Any] | None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The document to store and the private facts beside it (``previous``: those stored so far, None on a
        create). By default the document as sent, nothing private."""
        return document, {}

    def _wire(self, record: StoredResource) -> dict[str, Any]:
        """The answer: the stored document with the server's metadata."""
        document = copy.deepcopy(record.document)
        document["metadata"].update(record.server_metadata())
        return {"metadata": document["metadata"], "spec": document["spec"]}
