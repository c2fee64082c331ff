"""The one mapping between Terraform/construct attribute names (snake_case) and the API document (camelCase).

A ``blaxel_model`` resource is flat in Terraform (``name``, ``display_name``, ``runtime``...) and nested on
the wire (``metadata.displayName``, ``spec.runtime.endpointName``). ``to_document`` and ``from_document``
are the only places that know how one becomes the other; the provider, the handler's callers and the
constructs' schema test all go through them. Plain dicts only, so the provider needs no pydantic.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = [
    "ARGUMENTS",
    "COMPUTED",
    "FLAVOR_FIELDS",
    "METADATA_ARGUMENTS",
    "RUNTIME_FIELDS",
    "SPEC_ARGUMENTS",
    "from_document",
    "to_document",
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
