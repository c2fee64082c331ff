"""Check raw JSON answers against Blaxel's official OpenAPI spec (``shared/blaxel/controlplane.yml``).

The emulator may use the project's pydantic models to validate input, so its tests must not: this
reads the spec itself, resolves ``$ref`` and ``allOf``, and reports every key the spec does not define,
every wrong JSON type and every illegal enum value. ``problems(value, "Model")`` returns them as
``path: what`` strings, so a failing assertion shows all of them at once.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

__all__ = ["SPEC_PATH", "OpenApiSpec", "load_spec"]

#: The ``shared`` folder is a sibling of the repository root.
SPEC_PATH = Path(__file__).resolve().parents[2] / ".." / "shared" / "blaxel" / "controlplane.yml"

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
    "array": (list,),
    "object": (dict,),
}


class OpenApiSpec:
    """The component schemas of one OpenAPI document, with a structural checker."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.schemas: dict[str, Any] = document["components"]["schemas"]

    def schema(self, name: str) -> dict[str, Any]:
        """The schema ``#/components/schemas/<name>`` with ``$ref`` and ``allOf`` resolved at its top level."""
        return self._resolve({"$ref": f"#/components/schemas/{name}"})

    def enum(self, name: str) -> list[str]:
        """The enum values of a string schema (e.g. ``Status``)."""
        values: list[str] = self.schema(name)["enum"]
        return values

    def problems(self, value: object, schema_name: str) -> list[str]:
        """Everything in ``value`` that the schema ``schema_name`` does not allow."""
        found: list[str] = []
        self._check(value, self.schema(schema_name), schema_name, found)
        return found

    def _resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = {**self.schemas[name], **{k: v for k, v in schema.items() if k != "$ref"}}
        if "allOf" not in schema:
            return schema
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        properties = dict(merged.get("properties", {}))
        required = list(merged.get("required", []))
        for part in schema["allOf"]:
            resolved = self._resolve(part)
            properties.update(resolved.get("properties", {}))
            required.extend(resolved.get("required", []))
            merged.setdefault("type", resolved.get("type"))
        merged["properties"] = properties
        merged["required"] = required
        return merged

    def _check(self, value: object, schema: dict[str, Any], path: str, found: list[str]) -> None:
        schema = self._resolve(schema)
        kind = schema.get("type") or ("object" if "properties" in schema else None)
        if kind is not None:
            allowed = _JSON_TYPES[kind]
            if not isinstance(value, allowed) or (kind != "boolean" and isinstance(value, bool)):
                found.append(f"{path}: expected {kind}, got {type(value).__name__} {value!r}")
                return
        if "enum" in schema and value not in schema["enum"]:
            found.append(f"{path}: {value!r} is not one of {schema['enum']}")
        if isinstance(value, list) and "items" in schema:
            for index, item in enumerate(value):
                self._check(item, schema["items"], f"{path}[{index}]", found)
        if isinstance(value, dict):
            properties: dict[str, Any] = schema.get("properties", {})
            extra = schema.get("additionalProperties")
            for key in schema.get("required", []):
                if key not in value:
                    found.append(f"{path}.{key}: required by the spec but missing")
            for key, item in value.items():
                if key in properties:
                    self._check(item, properties[key], f"{path}.{key}", found)
                elif isinstance(extra, dict):
                    self._check(item, extra, f"{path}.{key}", found)
                elif extra is not True:
                    found.append(f"{path}.{key}: not defined by the spec")


@cache
def load_spec(path: Path = SPEC_PATH) -> OpenApiSpec:
    """The official spec, parsed once per test session."""
    with path.open(encoding="utf-8") as stream:
        return OpenApiSpec(yaml.safe_load(stream))
