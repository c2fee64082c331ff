"""The snake_case/camelCase tables and codec functions of the earlier API, derived from the kinds' descriptions.

Each kind's one description (``blaxel_constructs.kinds``) says where every attribute lives on the wire
(``display_name <-> metadata.displayName``, ``runtime.endpoint_name <-> spec.runtime.endpointName``), and its
``Kind.document_of`` / ``Kind.arguments_of`` are the codec every layer uses. The names below are that same
mapping in the shape this module exported before: tables computed from the descriptions, and functions that
call the kinds' codec, so that nothing is spelled twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from blaxel_constructs.kinds import INTEGRATION_CONNECTION, MODEL, POLICY
from blaxel_constructs.kinds.description import Kind, Role

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


def _placed(kind: Kind, place: str) -> dict[str, str]:
    """Terraform argument -> key under ``place`` (``metadata`` or ``spec``), for the arguments the API answers."""
    return {a.name: a.wire_path[1] for a in kind.compared if a.wire_path[0] == place}


def _computed(kind: Kind) -> dict[str, str]:
    """Computed attribute -> key under ``metadata`` (``id`` and ``status`` aside)."""
    return {
        a.name: a.wire_path[1]
        for a in kind.computed
        if a.role is Role.COMPUTED and a.name != "id" and a.wire_path[0] == "metadata"
    }


def _members(kind: Kind, name: str) -> dict[str, str]:
    return {m.name: m.wire or m.name for m in kind.attribute(name).members}


METADATA_ARGUMENTS: Final = _placed(MODEL, "metadata")
SPEC_ARGUMENTS: Final = _placed(MODEL, "spec")
RUNTIME_FIELDS: Final = _members(MODEL, "runtime")
FLAVOR_FIELDS: Final = _members(MODEL, "flavors")
ARGUMENTS: Final = (*METADATA_ARGUMENTS, *SPEC_ARGUMENTS)
COMPUTED: Final = _computed(MODEL)

CONNECTION_METADATA_ARGUMENTS: Final = _placed(INTEGRATION_CONNECTION, "metadata")
#: The secret is not among them: it is written but never read back, since the API masks it.
CONNECTION_SPEC_ARGUMENTS: Final = _placed(INTEGRATION_CONNECTION, "spec")
CONNECTION_ARGUMENTS: Final = (*CONNECTION_METADATA_ARGUMENTS, *CONNECTION_SPEC_ARGUMENTS)
CONNECTION_COMPUTED: Final = _computed(INTEGRATION_CONNECTION)

POLICY_METADATA_ARGUMENTS: Final = _placed(POLICY, "metadata")
POLICY_SPEC_ARGUMENTS: Final = _placed(POLICY, "spec")
LOCATION_FIELDS: Final = _members(POLICY, "locations")
MAX_TOKENS_FIELDS: Final = _members(POLICY, "max_tokens")
POLICY_ARGUMENTS: Final = (*POLICY_METADATA_ARGUMENTS, *POLICY_SPEC_ARGUMENTS)
POLICY_COMPUTED: Final = _computed(POLICY)


def to_document(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """A model's API document ``{metadata, spec}`` for Terraform-style attributes (``MODEL.document_of``)."""
    return MODEL.document_of(attrs)


def from_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """A model's Terraform-style attributes of an API document (``MODEL.arguments_of``)."""
    return MODEL.arguments_of(document)


def to_integration_connection_document(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """A connection's API document; ``attrs["secret"]``, when set, becomes ``spec.secret``."""
    return INTEGRATION_CONNECTION.document_of(attrs)


def from_integration_connection_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """A connection's Terraform-style attributes of an API document: never its secret."""
    return INTEGRATION_CONNECTION.arguments_of(document)


def to_policy_document(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """A policy's API document; absent (None) values are omitted, inner ones too."""
    return POLICY.document_of(attrs)


def from_policy_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """A policy's Terraform-style attributes of an API document."""
    return POLICY.arguments_of(document)
