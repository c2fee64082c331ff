"""Terraform state of ``blaxel_integration_connection`` <-> the API document.

The secret never comes back from the API (every value is masked), so it is never read from a document:
``secret`` keeps what the configuration or the prior state holds, ``secret_wo`` is always null (Terraform
rejects any other value for a write-only attribute), ``secret_wo_version`` is configuration only. Other
arguments keep the prior spelling whenever the remote value means the same (``equivalence.same_meaning``),
so that a plan right after an apply is empty while real drift still shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from blaxel_constructs.document import wire
from blaxel_constructs.document.equivalence import state_value

__all__ = ["ALL_KEYS", "COMPUTED_KEYS", "SECRET_KEYS", "document_from_state", "secret_to_send", "state_from_document"]

#: The secret's arguments: written to the API, never read from it.
SECRET_KEYS: Final = ("secret_wo", "secret_wo_version", "secret")
COMPUTED_KEYS: Final = ("id", *wire.CONNECTION_COMPUTED)
ALL_KEYS: Final = (*wire.CONNECTION_ARGUMENTS, *SECRET_KEYS, *COMPUTED_KEYS)


def secret_to_send(planned: Mapping[str, Any], prior: Mapping[str, Any] | None) -> dict[str, str] | None:
    """The secret a create (``prior`` None) or an update must send, or None to leave the stored one alone.

    ``secret_wo`` (taken from the configuration) on a create, and on an update whose ``secret_wo_version``
    changed; ``secret`` whenever it is set, since it is the value the configuration wants.
    """
    write_only = planned.get("secret_wo")
    if write_only is not None and (prior is None or prior.get("secret_wo_version") != planned.get("secret_wo_version")):
        return dict(write_only)
    stored = planned.get("secret")
    return dict(stored) if stored is not None else None


def document_from_state(state: Mapping[str, Any], *, secret: Mapping[str, str] | None) -> dict[str, Any]:
    """The full API document for a planned or prior state, with ``secret`` as ``spec.secret`` when given."""
    attrs: dict[str, Any] = {key: state.get(key) for key in wire.CONNECTION_ARGUMENTS}
    attrs["secret"] = secret
    return wire.to_integration_connection_document(attrs)


def state_from_document(document: Mapping[str, Any], *, prior: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every attribute of ``blaxel_integration_connection`` for an API document.

    ``prior`` is the state or plan Terraform holds (None on import): its spelling is kept where the remote
    value means the same, and its ``secret`` and ``secret_wo_version`` are carried over.
    """
    attrs = wire.from_integration_connection_document(document)
    state: dict[str, Any] = {}
    for key in wire.CONNECTION_ARGUMENTS:
        state[key] = state_value(key, attrs[key], prior)
    state["secret_wo"] = None
    state["secret_wo_version"] = prior.get("secret_wo_version") if prior is not None else None
    state["secret"] = prior.get("secret") if prior is not None else None
    for key in COMPUTED_KEYS:
        state[key] = attrs[key]
    return state
