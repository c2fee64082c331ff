"""Terraform state of ``blaxel_model`` <-> the API document, with the normalisation that prevents perpetual diffs.

The API may spell "nothing" differently from the configuration (absent, ``null``, ``[]``, ``{}``, ``""``)
and may return lists in its own order. ``state_from_document`` keeps the prior state's spelling whenever
the remote value means the same thing, so a plan right after an apply is empty, while any real change
made outside Terraform still shows as drift.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from blaxel_constructs.document import wire
from blaxel_constructs.document.equivalence import DEFAULTS, state_value

__all__ = [
    "ALL_KEYS",
    "COMPUTED_KEYS",
    "DEFAULTS",
    "document_from_state",
    "state_from_document",
]

COMPUTED_KEYS: Final = ("id", "status", *wire.COMPUTED)
ALL_KEYS: Final = (*wire.ARGUMENTS, "timeouts", *COMPUTED_KEYS)


def document_from_state(state: Mapping[str, Any]) -> dict[str, Any]:
    """The full API document (``{metadata, spec}``) for a planned or prior state: every managed argument."""
    return wire.to_document({key: state.get(key) for key in wire.ARGUMENTS})


def state_from_document(
    document: Mapping[str, Any],
    *,
    prior: Mapping[str, Any] | None = None,
    timeouts: Any = None,
) -> dict[str, Any]:
    """Every attribute of ``blaxel_model`` for an API document.

    ``prior`` is the state or plan Terraform holds (None on import): where the remote value means the
    same as the prior one, the prior spelling is kept. ``timeouts`` is configuration only and never
    comes from the API.
    """
    attrs = wire.from_document(document)
    state: dict[str, Any] = {}
    for key in wire.ARGUMENTS:
        state[key] = state_value(key, attrs[key], prior)
    for key in COMPUTED_KEYS:
        state[key] = attrs[key]
    state["timeouts"] = timeouts
    return state
