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

import hashlib
from collections.abc import Iterable
from typing import Any, ClassVar, Final

from blaxel_constructs.document import rules
from blaxel_constructs.emulator.resource_registry import ObjectRegistry, StoredResource

__all__ = ["CONNECTION_KIND", "ConnectionRegistry", "secret_digest"]

CONNECTION_KIND: Final = "connection"
_DIGESTS: Final = "secretDigests"

Names = list[str]


def secret_digest(value: str) -> str:
    """The SHA-256 hex digest of a secret value (UTF-8): what is stored and what the control endpoint shows."""
    return hashlib.sha256(value.encode()).hexdigest()


class ConnectionRegistry(ObjectRegistry):
    """The integration connections of every workspace, as the API shows them (plain JSON, secret masked)."""

    KIND: ClassVar[str] = CONNECTION_KIND
    LABEL: ClassVar[str] = "integration connection"
    IN_USE_BLOCKS_DELETE: ClassVar[bool] = True

    def missing(self, workspace: str, names: Iterable[str]) -> Names:
        """Those of ``names`` that name no connection of the workspace, in order, without repeats."""
        with self._resources.lock:
            return list(dict.fromkeys(name for name in names if not self._resources.exists(workspace, name)))

    def digests(self, workspace: str, name: str) -> dict[str, str]:
        """``{secret key: SHA-256 hex of its value}``; ResourceNotFound if absent."""
        return dict(self._resources.get(workspace, name).private.get(_DIGESTS) or {})

    def _stored(
        self, document: dict[str, Any], previous: dict[str, Any] | None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The document without ``spec.secret``, and the secret as digests (the module docstring says how a PUT
        treats the secret)."""
        spec = dict(document["spec"])
        secret = spec.pop("secret", None)
        digests: dict[str, str] = dict((previous or {}).get(_DIGESTS) or {})
        if previous is None:
            digests = {key: secret_digest(value) for key, value in (secret or {}).items()}
        elif secret is not None:
            digests = {
                key: digests[key] if value == rules.SECRET_MASK and key in digests else secret_digest(value)
                for key, value in secret.items()
            }
        return {"metadata": document["metadata"], "spec": spec}, {_DIGESTS: digests}

    def _wire(self, record: StoredResource) -> dict[str, Any]:
        """The IntegrationConnection JSON: the stored document, server metadata, the secret's keys masked."""
        document = super()._wire(record)
        digests = record.private.get(_DIGESTS) or {}
        if digests:
            document["spec"]["secret"] = dict.fromkeys(digests, rules.SECRET_MASK)
        return document
