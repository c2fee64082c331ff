"""Terraform state of ``blaxel_policy`` <-> the API document, with the normalisation that prevents perpetual diffs.

As for models (``model_state``): where the API's value means the same as the prior state's (absent, ``null``
or empty alike; ``sandbox`` absent as false; ``max_tokens`` members left out as null), the prior spelling is
kept, so a plan right after an apply is empty, while a change made outside Terraform shows as drift.
The names go through the one wire mapping (``wire.to_policy_document`` / ``wire.from_policy_document``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from blaxel_constructs.document import wire
from blaxel_constructs.document.equivalence import state_value

__all__ = ["ALL_KEYS", "COMPUTED_KEYS", "document_from_state", "state_from_document"]

COMPUTED_KEYS: Final = ("id", *wire.POLICY_COMPUTED)
ALL_KEYS: Final = (*wire.POLICY_ARGUMENTS, *COMPUTED_KEYS)


def document_from_state(state: Mapping[str, Any]) -> dict[str, Any]:
    """The full API document (``{metadata, spec}``) for a planned or prior state: every managed argument."""
    return wire.to_policy_document({key: state.get(key) for key in wire.POLICY_ARGUMENTS})


def state_from_document(document: Mapping[str, Any], *, prior: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every attribute of ``blaxel_policy`` for an API document.

    ``prior`` is the state or plan Terraform holds (None on import and in the data source): where the
    remote value means the same as the prior one, the prior spelling is kept.
    """
    attrs = wire.from_policy_document(document)
    state: dict[str, Any] = {}
    for key in wire.POLICY_ARGUMENTS:
        remote = attrs[key]
        if isinstance(remote, dict) and all(value is None for value in remote.values()):
            remote = None  # ``maxTokens: {}``: no limits, as absent
        state[key] = state_value(key, remote, prior)
    for key in COMPUTED_KEYS:
        state[key] = attrs[key]
    return state
