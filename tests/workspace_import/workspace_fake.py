"""The import tests' one fake: a workspace lister that answers canned API documents per kind (no network).

``documents`` builds the API's JSON as Blaxel answers it: ``metadata``, ``spec``, a model's ``status``, secrets
masked (``********``: only their keys are visible).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from blaxel_constructs.document.rules import SECRET_MASK
from blaxel_constructs.kinds import INTEGRATION_CONNECTION, MODEL, POLICY
from blaxel_constructs.kinds.description import Kind


class FakeWorkspace:
    """Lists the documents it holds for each kind, and counts the lists it was asked for."""

    def __init__(self, documents: Iterable[tuple[Kind, Mapping[str, Any]]] = ()) -> None:
        self.documents: dict[str, list[dict[str, Any]]] = {}
        self.listed: list[str] = []
        for kind, document in documents:
            self.add(kind, document)

    def add(self, kind: Kind, document: Mapping[str, Any]) -> None:
        self.documents.setdefault(kind.type_name, []).append(dict(document))

    def list_objects(self, kind: Kind) -> list[dict[str, Any]]:
        self.listed.append(kind.type_name)
        return list(self.documents.get(kind.type_name, []))


def connection(name: str, *, secret_keys: Iterable[str] = ("apiKey",), **spec: Any) -> tuple[Kind, dict[str, Any]]:
    metadata = {"name": name, "workspace": "w", "createdAt": "2026-01-01T00:00:00Z", **spec.pop("metadata", {})}
    body = {"integration": "openai", **spec}
    keys = list(secret_keys)
    if keys:
        body["secret"] = dict.fromkeys(keys, SECRET_MASK)
    return INTEGRATION_CONNECTION, {"metadata": metadata, "spec": body}


def policy(name: str, **spec: Any) -> tuple[Kind, dict[str, Any]]:
    metadata = {"name": name, "workspace": "w", **spec.pop("metadata", {})}
    body = spec or {"type": "location", "locations": [{"name": "eu", "type": "continent"}]}
    return POLICY, {"metadata": metadata, "spec": body}


def model(name: str, *, status: str = "DEPLOYED", **spec: Any) -> tuple[Kind, dict[str, Any]]:
    metadata = {"name": name, "workspace": "w", "url": f"https://run/{name}", **spec.pop("metadata", {})}
    body = {"enabled": True, "runtime": {"type": "openai", "model": "gpt-4.1"}, **spec}
    return MODEL, {"metadata": metadata, "spec": body, "status": status, "events": []}
