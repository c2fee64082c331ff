"""The snake_case/camelCase tables and codec functions of the earlier API, derived from the kinds' descriptions.

Each kind's one description (``blaxel_constructs.kinds``) says where every attribute lives on the wire
(``display_name <-> metadata.displayName``, ``runtime.endpoint_name <-> spec.runtime.endpointName``), and its
``Kind.document_of`` / ``Kind.arguments_of`` are the codec every layer uses. The names below are that same
mapping in the shape this module exported before: tables computed from the descriptions, and functions that
call the kinds' codec, so that nothing is spelled twice.
"""

from __future__ import annotations

from typing import Final

from blaxel_constructs.kinds import INTEGRATION_CONNECTION, MODEL, POLICY
from blaxel_constructs.kinds.description import Kind

__all__ = [
    "ARGUMENTS",
    "COMPUTED",
    "CONNECTION_ARGUMENTS",
    "CONNECTION_COMPUTED",
    "CONNECTION_METADATA_ARGUMENTS",
    "CONNECTION_SPEC_ARGUMENTS",
    "FLAVOR_FIELDS",
    "LOCATION_FIELDS",
    "MAX_TOKENS_FIELDS",
    "METADATA_ARGUMENTS",
    "POLICY_ARGUMENTS",
    "POLICY_COMPUTED",
    "POLICY_METADATA_ARGUMENTS",
    "POLICY_SPEC_ARGUMENTS",
    "RUNTIME_FIELDS",
    "SPEC_ARGUMENTS",
    "from_document",
    "from_integration_connection_document",
    "from_policy_document",
    "to_document",
    "to_integration_connection_document",
    "to_policy_document",
]


def _tables(kind: Kind) -> tuple[dict[str, str], dict[str, str], tuple[str, ...], dict[str, str]]:
    """Of the arguments the API answers, Terraform name -> key under ``metadata``, and under ``spec``; all their
    names; and computed attribute -> key under ``metadata`` (``id``, the name, and ``status`` aside)."""
    placed = {
        place: {a.name: a.wire_path[1] for a in kind.compared if a.wire_path[0] == place}
        for place in ("metadata", "spec")
    }
    computed = {
        a.name: a.wire_path[1] for a in kind.computed if a.wire_path[0] == "metadata" and a.wire_path[1] != "name"
    }
    return placed["metadata"], placed["spec"], (*placed["metadata"], *placed["spec"]), computed


def _members(kind: Kind, name: str) -> dict[str, str]:
    return {m.name: m.wire or m.name for m in kind.attribute(name).members}


METADATA_ARGUMENTS, SPEC_ARGUMENTS, ARGUMENTS, COMPUTED = _tables(MODEL)
RUNTIME_FIELDS: Final = _members(MODEL, "runtime")
FLAVOR_FIELDS: Final = _members(MODEL, "flavors")
#: A connection's secret is not among its arguments: it is written but never read back, since the API masks it.
CONNECTION_METADATA_ARGUMENTS, CONNECTION_SPEC_ARGUMENTS, CONNECTION_ARGUMENTS, CONNECTION_COMPUTED = _tables(
    INTEGRATION_CONNECTION
)
POLICY_METADATA_ARGUMENTS, POLICY_SPEC_ARGUMENTS, POLICY_ARGUMENTS, POLICY_COMPUTED = _tables(POLICY)
LOCATION_FIELDS: Final = _members(POLICY, "locations")
MAX_TOKENS_FIELDS: Final = _members(POLICY, "max_tokens")


#: The codec of each kind, by the earlier names: ``to_*`` writes the API document of Terraform-style attributes
#: (absent values omitted; a connection's ``attrs["secret"]`` becomes ``spec.secret``), ``from_*`` reads them
#: back (every argument key, None where absent, never a secret).
to_document = MODEL.document_of
from_document = MODEL.arguments_of
to_integration_connection_document = INTEGRATION_CONNECTION.document_of
from_integration_connection_document = INTEGRATION_CONNECTION.arguments_of
to_policy_document = POLICY.document_of
from_policy_document = POLICY.arguments_of
