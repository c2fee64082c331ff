"""Integration connections: stored with their secret reduced to digests, answered with the secret masked.

A connection's secret is never kept: each value is stored as its SHA-256 hex digest, which is all that
``GET /_emulator/secrets/{connectionName}`` shows and all a test needs to prove which secret the API holds.
Every answer (create, get, list, update, delete) shows the secret's keys with each value replaced by
``rules.SECRET_MASK`` (``"********"``), as the real API masks it.

Writes, as a client sees them:

- POST stores ``spec.secret`` (absent: no secret).
- PUT replaces the document. Without ``spec.secret`` the stored secret is kept (a change of ``config`` need not
  resend it); with it, the secret becomes exactly its keys, where a value equal to the mask keeps that key's
  stored value (a client echoing what it read changes nothing) and any other value replaces it.
- DELETE of a connection that a model names (a model still DELETING included) is refused: ResourceInUse, 409.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections.abc import Callable, Iterable
from typing import Any, Final

from blaxel_constructs.document import rules
from blaxel_constructs.emulator.resource_registry import ResourceRegistry, StoredResource
from blaxel_constructs.emulator.storage import ResourceStore

__all__ = ["CONNECTION_KIND", "ConnectionRegistry", "secret_digest"]

CONNECTION_KIND: Final = "connection"
_DIGESTS: Final = "secretDigests"

Names = list[str]
ModelUsers = Callable[[str, str], Names]
"""(workspace, connection name) -> names of the models that name it."""


def secret_digest(value: str) -> str:
    """The SHA-256 hex digest of a secret value (UTF-8): what is stored and what the control endpoint shows."""
    return hashlib.sha256(value.encode()).hexdigest()


class ConnectionRegistry:
    """The integration connections of every workspace, as the API shows them (plain JSON, secret masked)."""

    def __init__(
        self,
        store: ResourceStore,
        *,
        clock: Callable[[], float],
        users: ModelUsers,
        lock: threading.RLock | None = None,
    ) -> None:
        self._resources = ResourceRegistry(
            store, kind=CONNECTION_KIND, label="integration connection", clock=clock, lock=lock
        )
        self._users = users

    def create(self, workspace: str, document: dict[str, Any], *, identity: str) -> dict[str, Any]:
        """Store a new connection (its secret as digests); ResourceAlreadyExists if the name is taken."""
        stored, secret = _without_secret(document)
        digests = {key: secret_digest(value) for key, value in (secret or {}).items()}
        return _wire(self._resources.create(workspace, stored, identity=identity, private={_DIGESTS: digests}))

    def get(self, workspace: str, name: str) -> dict[str, Any]:
        """One connection; ResourceNotFound if absent."""
        return _wire(self._resources.get(workspace, name))

    def list(self, workspace: str) -> list[dict[str, Any]]:
        """Every connection of the workspace, newest first."""
        return [_wire(record) for record in self._resources.list(workspace)]

    def update(self, workspace: str, name: str, document: dict[str, Any], *, identity: str) -> dict[str, Any]:
        """Replace the document; the secret as the module's docstring says. ResourceNotFound if absent."""
        stored, secret = _without_secret(document)
        with self._resources.lock:
            digests: dict[str, str] = dict(self._resources.get(workspace, name).private.get(_DIGESTS) or {})
            if secret is not None:
                digests = {
                    key: digests[key] if value == rules.SECRET_MASK and key in digests else secret_digest(value)
                    for key, value in secret.items()
                }
            record = self._resources.replace(workspace, name, stored, identity=identity, private={_DIGESTS: digests})
        return _wire(record)

    def delete(self, workspace: str, name: str) -> dict[str, Any]:
        """Remove the connection and return it; ResourceNotFound, or ResourceInUse naming the models that use it."""
        return _wire(self._resources.delete(workspace, name, users=lambda: self._users(workspace, name)))

    def missing(self, workspace: str, names: Iterable[str]) -> Names:
        """Those of ``names`` that name no connection of the workspace, in order, without repeats."""
        with self._resources.lock:
            return list(dict.fromkeys(name for name in names if not self._resources.exists(workspace, name)))

    def digests(self, workspace: str, name: str) -> dict[str, str]:
        """``{secret key: SHA-256 hex of its value}``; ResourceNotFound if absent."""
        return dict(self._resources.get(workspace, name).private.get(_DIGESTS) or {})


def _without_secret(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str] | None]:
    """The document to store (no ``spec.secret``) and the secret it carried (None when absent)."""
    spec = dict(document["spec"])
    secret = spec.pop("secret", None)
    return {"metadata": document["metadata"], "spec": spec}, secret


def _wire(record: StoredResource) -> dict[str, Any]:
    """The IntegrationConnection JSON: the stored document, server metadata, the secret's keys masked."""
    document = copy.deepcopy(record.document)
    document["metadata"].update(record.server_metadata())
    digests = record.private.get(_DIGESTS) or {}
    if digests:
        document["spec"]["secret"] = dict.fromkeys(digests, rules.SECRET_MASK)
    return {"metadata": document["metadata"], "spec": document["spec"]}
