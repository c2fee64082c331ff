"""A stored model and everything derived from it at a given instant: status, events, revisions, wire JSON.

Nothing here reads a clock or does I/O: every function takes ``now`` (seconds since the epoch). A record
keeps only facts fixed at write time (when each revision started, how long it takes, how it ends, when a
deletion started), so the status is recomputed from timestamps on every read. That is why a deployment
in progress when the emulator stops still finishes after a restart: no timer or thread holds state.

Lifecycle of one revision (``Revision.outcome`` is decided when it is written)::

    enabled, name not failing:  DEPLOYING    --deploy_seconds-->  DEPLOYED
    name matches fail_names:    DEPLOYING    --deploy_seconds-->  FAILED
    spec.enabled is false:      DEACTIVATING --deploy_seconds-->  DEACTIVATED
    after DELETE:               DELETING     --delete_seconds-->  (gone: 404)
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

__all__ = [
    "RECORD_VERSION",
    "Deletion",
    "ModelRecord",
    "Revision",
    "StoredObject",
    "events_at",
    "is_gone",
    "new_revision",
    "revision_views",
    "rfc3339",
    "status_at",
    "to_wire",
]

#: Version of the JSON layout written by ``ModelRecord.to_json``.
RECORD_VERSION: Final = 1

_STARTED: Final = {"DEPLOYED": "DEPLOYING", "FAILED": "DEPLOYING", "DEACTIVATED": "DEACTIVATING"}
_START_MESSAGES: Final = {"DEPLOYING": "Deployment started", "DEACTIVATING": "Deactivation started"}
DEPLOYED_MESSAGE: Final = "Deployment successful"
DEACTIVATED_MESSAGE: Final = "Model deactivated (spec.enabled is false)"
DELETING_MESSAGE: Final = "Deletion started"


@dataclass(frozen=True)
class StoredObject:
    """What every stored object of the emulator has (a model, a connection, a policy): where it is, the
    client's document (read-only fields removed), and who wrote it and when."""

    workspace: str
    name: str
    document: dict[str, Any]
    created_at: float
    created_by: str
    updated_at: float
    updated_by: str

    def stored_header(self) -> dict[str, Any]:
        """The stored form of these facts (plain JSON)."""
        return {
            "workspace": self.workspace,
            "name": self.name,
            "document": self.document,
            "createdAt": self.created_at,
            "createdBy": self.created_by,
            "updatedAt": self.updated_at,
            "updatedBy": self.updated_by,
        }

    def server_metadata(self) -> dict[str, str]:
        """The metadata the server sets on every object: workspace, timestamps (RFC 3339) and authors."""
        return {
            "workspace": self.workspace,
            "createdAt": rfc3339(self.created_at),
            "updatedAt": rfc3339(self.updated_at),
            "createdBy": self.created_by,
            "updatedBy": self.updated_by,
        }

    @staticmethod
    def header_fields(data: dict[str, Any]) -> dict[str, Any]:
        """The constructor's arguments for what ``stored_header`` wrote."""
        return {
            "workspace": data["workspace"],
            "name": data["name"],
            "document": data["document"],
            "created_at": float(data["createdAt"]),
            "created_by": data["createdBy"],
            "updated_at": float(data["updatedAt"]),
            "updated_by": data["updatedBy"],
        }


def rfc3339(timestamp: float) -> str:
    """``timestamp`` as an RFC 3339 UTC time with second precision, e.g. ``2025-01-15T10:30:00Z``."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Revision:
    """One create or update: when it started, how long it takes, and how it ends (decided at write time)."""

    id: str
    started_at: float
    deploy_seconds: float
    outcome: str
    message: str
    created_by: str

    @property
    def finished_at(self) -> float:
        """When the revision reaches its outcome."""
        return self.started_at + self.deploy_seconds

    @property
    def in_progress_status(self) -> str:
        """DEPLOYING, or DEACTIVATING for a disabled model."""
        return _STARTED[self.outcome]

    def status_at(self, now: float) -> str:
        """The revision's own status at ``now``."""
        return self.outcome if now >= self.finished_at else self.in_progress_status

    def to_json(self) -> dict[str, Any]:
        """The stored form."""
        return {
            "id": self.id,
            "startedAt": self.started_at,
            "deploySeconds": self.deploy_seconds,
            "outcome": self.outcome,
            "message": self.message,
            "createdBy": self.created_by,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Revision:
        """Read the stored form."""
        return cls(
            id=data["id"],
            started_at=float(data["startedAt"]),
            deploy_seconds=float(data["deploySeconds"]),
            outcome=data["outcome"],
            message=data["message"],
            created_by=data["createdBy"],
        )


@dataclass(frozen=True)
class Deletion:
    """A DELETE in progress: the model is DELETING from ``started_at`` for ``seconds``, then gone."""

    started_at: float
    seconds: float

    def to_json(self) -> dict[str, Any]:
        """The stored form."""
        return {"startedAt": self.started_at, "seconds": self.seconds}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Deletion:
        """Read the stored form."""
        return cls(started_at=float(data["startedAt"]), seconds=float(data["seconds"]))


@dataclass(frozen=True)
class ModelRecord(StoredObject):
    """A model as stored: the client's document (``{metadata, spec}``, read-only fields removed) plus facts.

    ``document`` is kept exactly as the client sent it, so responses echo it back with no added defaults
    and a Terraform provider sees no phantom changes. ``revisions`` is oldest first and never empty.
    """

    revisions: tuple[Revision, ...]
    deletion: Deletion | None = None

    @property
    def latest(self) -> Revision:
        """The active revision (the last one written)."""
        return self.revisions[-1]

    def to_json(self) -> dict[str, Any]:
        """The stored form (plain JSON)."""
        return {
            "version": RECORD_VERSION,
            **self.stored_header(),
            "revisions": [revision.to_json() for revision in self.revisions],
            "deletion": self.deletion.to_json() if self.deletion else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelRecord:
        """Read the stored form written by ``to_json``."""
        if data.get("version") != RECORD_VERSION:
            raise ValueError(f"unsupported record version {data.get('version')!r}")
        deletion = data.get("deletion")
        return cls(
            **cls.header_fields(data),
            revisions=tuple(Revision.from_json(item) for item in data["revisions"]),
            deletion=Deletion.from_json(deletion) if deletion else None,
        )


def new_revision(
    record_key: str,
    *,
    index: int,
    now: float,
    enabled: bool,
    fails: bool,
    deploy_seconds: float,
    fail_message: str,
    identity: str,
) -> Revision:
    """The revision a create or update starts at ``now``; ``record_key`` and ``index`` make its id unique.

    A simulated failure wins over ``enabled: false``: the point of ``fail_names`` is that the write fails.
    """
    digest = hashlib.sha256(f"{record_key}/{index}/{now!r}".encode()).hexdigest()[:12]
    if fails:
        outcome, message = "FAILED", fail_message
    elif enabled:
        outcome, message = "DEPLOYED", DEPLOYED_MESSAGE
    else:
        outcome, message = "DEACTIVATED", DEACTIVATED_MESSAGE
    return Revision(
        id=f"rev-{digest}",
        started_at=now,
        deploy_seconds=deploy_seconds,
        outcome=outcome,
        message=message,
        created_by=identity,
    )


def is_gone(record: ModelRecord, now: float) -> bool:
    """Whether a deletion has completed, so the model no longer exists."""
    return record.deletion is not None and now >= record.deletion.started_at + record.deletion.seconds


def status_at(record: ModelRecord, now: float) -> str:
    """The model's status at ``now`` (one of the spec's Status values)."""
    if record.deletion is not None:
        return "DELETING"
    return record.latest.status_at(now)


def _event(status: str, message: str, at: float, revision: str) -> dict[str, str]:
    return {"type": "deployment", "status": status, "message": message, "time": rfc3339(at), "revision": revision}


def events_at(record: ModelRecord, now: float) -> list[dict[str, str]]:
    """The model's events at ``now``, oldest first, so the last one explains the current status.

    A revision's final event appears once it has finished, unless a later revision replaced it first.
    """
    events: list[dict[str, str]] = []
    for index, revision in enumerate(record.revisions):
        start = revision.in_progress_status
        events.append(_event(start, _START_MESSAGES[start], revision.started_at, revision.id))
        later = record.revisions[index + 1] if index + 1 < len(record.revisions) else None
        cutoff = min(now, later.started_at) if later else now
        if revision.finished_at <= cutoff:
            events.append(_event(revision.outcome, revision.message, revision.finished_at, revision.id))
    if record.deletion is not None:
        events.append(_event("DELETING", DELETING_MESSAGE, record.deletion.started_at, record.latest.id))
    return events


def revision_views(record: ModelRecord, now: float) -> list[dict[str, Any]]:
    """The model's revisions as ``GET .../revisions`` returns them (``RevisionMetadata``), newest first.

    The latest revision is active and carries all the traffic; an older one shows the status it had
    reached when the next one replaced it.
    """
    views: list[dict[str, Any]] = []
    count = len(record.revisions)
    for index, revision in enumerate(record.revisions):
        latest = index == count - 1
        status = status_at(record, now) if latest else revision.status_at(record.revisions[index + 1].started_at)
        views.append(
            {
                "id": revision.id,
                "active": latest,
                "canary": False,
                "previousActive": index == count - 2,
                "createdAt": rfc3339(revision.started_at),
                "createdBy": revision.created_by,
                "status": status,
                "trafficPercent": 100 if latest else 0,
            }
        )
    views.reverse()
    return views


def to_wire(record: ModelRecord, now: float, *, run_url: str, plan: str) -> dict[str, Any]:
    """The Model JSON at ``now``: the client's document, then server-set metadata, events and status."""
    document = copy.deepcopy(record.document)
    metadata = document["metadata"]
    metadata.update(record.server_metadata())
    metadata.update(url=f"{run_url.rstrip('/')}/{record.workspace}/models/{record.name}", plan=plan)
    return {
        "metadata": metadata,
        "spec": document["spec"],
        "events": events_at(record, now),
        "status": status_at(record, now),
    }
