"""The one mapping between Terraform/construct attribute names (snake_case) and the API document (camelCase).

A ``blaxel_model`` resource is flat in Terraform (``name``, ``display_name``, ``runtime``...) and nested on
the wire (``metadata.displayName``, ``spec.runtime.endpointName``). ``to_document`` and ``from_document``
are the only places that know how one becomes the other; the provider, the handler's callers and the
constructs' schema test all go through them. Plain dicts only, so the provider needs no pydantic.

The model gateway's other resources have their own pair, built on the same tables:

    blaxel_integration_connection  to_integration_connection_document / from_integration_connection_document
    blaxel_policy                  to_policy_document / from_policy_document

    display_name              <-> metadata.displayName
    max_tokens                <-> spec.maxTokens   (ratio_input_over_output <-> ratioInputOverOutput)
    resource_types            <-> spec.resourceTypes
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

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

#: Terraform argument -> key under ``metadata`` on the wire.
METADATA_ARGUMENTS: Final = {
    "name": "name",
    "display_name": "displayName",
    "external_id": "externalId",
    "labels": "labels",
}
#: Terraform argument -> key under ``spec`` on the wire.
SPEC_ARGUMENTS: Final = {
    "enabled": "enabled",
    "sandbox": "sandbox",
    "flavors": "flavors",
    "integration_connections": "integrationConnections",
    "policies": "policies",
    "runtime": "runtime",
}
#: Inner attributes of ``runtime`` (Terraform -> wire).
RUNTIME_FIELDS: Final = {
    "type": "type",
    "model": "model",
    "endpoint_name": "endpointName",
    "organization": "organization",
    "generation": "generation",
}
#: Inner attributes of each ``flavors`` element (Terraform -> wire).
FLAVOR_FIELDS: Final = {"name": "name", "type": "type"}
#: Every user-settable argument that lives in the API document.
ARGUMENTS: Final = (*METADATA_ARGUMENTS, *SPEC_ARGUMENTS)
#: Computed attribute -> key under ``metadata`` (``status`` is top level, ``id`` is the name).
COMPUTED: Final = {
    "workspace": "workspace",
    "url": "url",
    "plan": "plan",
    "created_at": "createdAt",
    "updated_at": "updatedAt",
    "created_by": "createdBy",
    "updated_by": "updatedBy",
}

#: Computed attribute -> key under ``metadata``, for connections and policies (``id`` is the name).
_RESOURCE_COMPUTED: Final = {
    "workspace": "workspace",
    "created_at": "createdAt",
    "updated_at": "updatedAt",
    "created_by": "createdBy",
    "updated_by": "updatedBy",
}

#: ``blaxel_integration_connection``: Terraform argument -> key under ``metadata``.
CONNECTION_METADATA_ARGUMENTS: Final = {"name": "name", "display_name": "displayName", "labels": "labels"}
#: ``blaxel_integration_connection``: Terraform argument -> key under ``spec``. The secret is not among them:
#: it is written (``attrs["secret"]`` -> ``spec.secret``) but never read back, since the API masks it.
CONNECTION_SPEC_ARGUMENTS: Final = {"integration": "integration", "config": "config", "sandbox": "sandbox"}
#: Every argument of a connection that ``from_integration_connection_document`` reads back.
CONNECTION_ARGUMENTS: Final = (*CONNECTION_METADATA_ARGUMENTS, *CONNECTION_SPEC_ARGUMENTS)
#: ``blaxel_integration_connection``: computed attribute -> key under ``metadata``.
CONNECTION_COMPUTED: Final = dict(_RESOURCE_COMPUTED)
_SECRET: Final = "secret"

#: ``blaxel_policy``: Terraform argument -> key under ``metadata``.
POLICY_METADATA_ARGUMENTS: Final = {"name": "name", "display_name": "displayName", "labels": "labels"}
#: ``blaxel_policy``: Terraform argument -> key under ``spec``.
POLICY_SPEC_ARGUMENTS: Final = {
    "type": "type",
    "locations": "locations",
    "flavors": "flavors",
    "max_tokens": "maxTokens",
    "resource_types": "resourceTypes",
    "sandbox": "sandbox",
}
#: Inner attributes of each ``locations`` element (Terraform -> wire).
LOCATION_FIELDS: Final = {"name": "name", "type": "type"}
#: Inner attributes of ``max_tokens`` (Terraform -> wire).
MAX_TOKENS_FIELDS: Final = {
    "granularity": "granularity",
    "input": "input",
    "output": "output",
    "total": "total",
    "step": "step",
    "ratio_input_over_output": "ratioInputOverOutput",
}
#: Every argument of a policy.
POLICY_ARGUMENTS: Final = (*POLICY_METADATA_ARGUMENTS, *POLICY_SPEC_ARGUMENTS)
#: ``blaxel_policy``: computed attribute -> key under ``metadata``.
POLICY_COMPUTED: Final = dict(_RESOURCE_COMPUTED)


def _rename(value: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    return {wire: value[attr] for attr, wire in names.items() if value.get(attr) is not None}


def _unrename(value: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    return {attr: value.get(wire) for attr, wire in names.items()}


def to_document(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """The API document ``{metadata, spec}`` for Terraform-style attributes; absent (None) values are omitted.

    PUT replaces the whole document, so callers always pass every argument they manage.
    """
    metadata = _rename(attrs, METADATA_ARGUMENTS)
    spec = _rename(attrs, SPEC_ARGUMENTS)
    if "runtime" in spec:
        spec["runtime"] = _rename(spec["runtime"], RUNTIME_FIELDS)
    if "flavors" in spec:
        spec["flavors"] = [_rename(f, FLAVOR_FIELDS) for f in spec["flavors"]]
    return {"metadata": metadata, "spec": spec}


def from_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """Terraform-style attributes (arguments, computed values, ``id`` and ``status``) of an API document.

    Every key is present; what the API left out is None, so callers decide how to normalise absences.
    """
    metadata = document.get("metadata") or {}
    spec = document.get("spec") or {}
    attrs = _unrename(metadata, METADATA_ARGUMENTS)
    attrs.update(_unrename(spec, SPEC_ARGUMENTS))
    if attrs["runtime"] is not None:
        attrs["runtime"] = _unrename(attrs["runtime"], RUNTIME_FIELDS)
    if attrs["flavors"] is not None:
        attrs["flavors"] = [_unrename(f, FLAVOR_FIELDS) for f in attrs["flavors"]]
    attrs.update(_unrename(metadata, COMPUTED))
    attrs["id"] = metadata.get("name")
    attrs["status"] = document.get("status")
    return attrs


def to_integration_connection_document(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """The API document of a ``blaxel_integration_connection``; absent (None) values are omitted.

    ``attrs["secret"]`` (a map of strings) becomes ``spec.secret``: the caller puts there whichever secret it
    means to send (``secret`` or ``secret_wo`` in Terraform), or nothing to leave the stored one alone.
    """
    spec = _rename(attrs, CONNECTION_SPEC_ARGUMENTS)
    if attrs.get("secret") is not None:
        spec[_SECRET] = dict(attrs["secret"])
    return {"metadata": _rename(attrs, CONNECTION_METADATA_ARGUMENTS), "spec": spec}


def from_integration_connection_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """Terraform-style attributes of a connection document: every argument key (None when absent), the
    computed values and ``id``. No secret: the API answers every secret value masked (``rules.SECRET_MASK``).
    """
    metadata = document.get("metadata") or {}
    spec = document.get("spec") or {}
    attrs = _unrename(metadata, CONNECTION_METADATA_ARGUMENTS)
    attrs.update(_unrename(spec, CONNECTION_SPEC_ARGUMENTS))
    attrs.update(_unrename(metadata, CONNECTION_COMPUTED))
    attrs["id"] = metadata.get("name")
    return attrs


def to_policy_document(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """The API document of a ``blaxel_policy``; absent (None) values are omitted, inner ones too."""
    spec = _rename(attrs, POLICY_SPEC_ARGUMENTS)
    if "locations" in spec:
        spec["locations"] = [_rename(item, LOCATION_FIELDS) for item in spec["locations"]]
    if "flavors" in spec:
        spec["flavors"] = [_rename(item, FLAVOR_FIELDS) for item in spec["flavors"]]
    if "maxTokens" in spec:
        spec["maxTokens"] = _rename(spec["maxTokens"], MAX_TOKENS_FIELDS)
    if "resourceTypes" in spec:
        spec["resourceTypes"] = list(spec["resourceTypes"])
    return {"metadata": _rename(attrs, POLICY_METADATA_ARGUMENTS), "spec": spec}


def from_policy_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """Terraform-style attributes of a policy document: every argument key (None when absent; inner objects
    with every inner key), the computed values and ``id``."""
    metadata = document.get("metadata") or {}
    spec = document.get("spec") or {}
    attrs = _unrename(metadata, POLICY_METADATA_ARGUMENTS)
    attrs.update(_unrename(spec, POLICY_SPEC_ARGUMENTS))
    if attrs["locations"] is not None:
        attrs["locations"] = [_unrename(item, LOCATION_FIELDS) for item in attrs["locations"]]
    if attrs["flavors"] is not None:
        attrs["flavors"] = [_unrename(item, FLAVOR_FIELDS) for item in attrs["flavors"]]
    if attrs["max_tokens"] is not None:
        attrs["max_tokens"] = _unrename(attrs["max_tokens"], MAX_TOKENS_FIELDS)
    attrs.update(_unrename(metadata, POLICY_COMPUTED))
    attrs["id"] = metadata.get("name")
    return attrs
