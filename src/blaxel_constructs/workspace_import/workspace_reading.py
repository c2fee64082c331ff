"""What the workspace holds: every object of the kinds asked for, listed (paginated) through the client.

``read_workspace`` lists each kind once (``BlaxelClient.list_objects`` follows the cursors) and keeps what can be
adopted: an object being deleted (``DELETING``, ``TERMINATED``) is set aside as ``Skipped`` with its status, and
so is one without a name. Only reads: nothing here writes to the API, and no secret is ever asked for (the API
masks them in every answer anyway). The lister is anything with ``list_objects(kind)``, so tests pass a fake.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

from blaxel_constructs.kinds.description import Kind

__all__ = [
    "GONE_STATUSES",
    "UNMANAGED_KINDS",
    "ListedObject",
    "ObjectLister",
    "Skipped",
    "WorkspaceListing",
    "read_workspace",
]

#: Statuses of an object on its way out: adopting it would import what is about to disappear.
GONE_STATUSES: Final = frozenset({"DELETING", "TERMINATED"})
#: What else a Blaxel workspace holds, that this library has no kind for: never read, reported as skipped.
UNMANAGED_KINDS: Final = (
    "agents",
    "functions",
    "jobs",
    "sandboxes",
    "volumes",
    "drives",
    "applications",
    "custom domains",
    "VPCs",
)


class ObjectLister(Protocol):
    """What reading needs of a client: every object of one kind (``BlaxelClient`` is one)."""

    def list_objects(self, kind: Kind) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class ListedObject:
    """One object the workspace holds, as the API listed it."""

    kind: Kind
    name: str
    document: Mapping[str, Any]

    @property
    def labels(self) -> Mapping[str, str]:
        """Its labels (``metadata.labels``), empty when it has none."""
        metadata = self.document.get("metadata")
        labels = metadata.get("labels") if isinstance(metadata, Mapping) else None
        return labels if isinstance(labels, Mapping) else {}

    @property
    def status(self) -> str | None:
        """Its status when the API gives one (models do; connections and policies have none)."""
        status = self.document.get("status")
        return status if isinstance(status, str) else None


@dataclass(frozen=True)
class Skipped:
    """What was left out, and why (``what`` names it: ``model old-chat``, or a whole kind), and the object when
    there is one (so that filters apply to what is reported too)."""

    what: str
    why: str
    listed: ListedObject | None = None


@dataclass(frozen=True)
class WorkspaceListing:
    """The objects that can be adopted, in the order listed, and those set aside."""

    objects: tuple[ListedObject, ...]
    skipped: tuple[Skipped, ...]


def _name(document: Mapping[str, Any]) -> str | None:
    metadata = document.get("metadata")
    name = metadata.get("name") if isinstance(metadata, Mapping) else None
    return name if isinstance(name, str) and name else None


def read_workspace(lister: ObjectLister, kinds: Sequence[Kind]) -> WorkspaceListing:
    """List every object of ``kinds``; keep those that can be adopted, set aside the others with the reason."""
    objects: list[ListedObject] = []
    skipped: list[Skipped] = []
    for kind in kinds:
        for document in lister.list_objects(kind):
            name = _name(document)
            if name is None:
                skipped.append(Skipped(f"a {kind.noun} without a name", "the API listed it with no metadata.name"))
                continue
            listed = ListedObject(kind, name, document)
            if listed.status in GONE_STATUSES:
                skipped.append(Skipped(f"{kind.noun} {name}", f"being deleted (status {listed.status})", listed))
                continue
            objects.append(listed)
    return WorkspaceListing(tuple(objects), tuple(skipped))
