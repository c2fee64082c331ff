"""Argument handling the L2 constructs share: plain JSON values from typed ones, and the provider check.

``ModelEndpoint``, ``IntegrationConnection`` and ``Policy`` accept typed values (pydantic models,
enums) or the equal dicts, in snake_case or in the API's camelCase, and hand their binding plain JSON
in snake_case (what Terraform's schema names).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from constructs import Construct
from pydantic import BaseModel

from blaxel_constructs.constructs.blaxel_provider import PROVIDER_TYPE
from blaxel_constructs.constructs.framework import framework_of
from blaxel_constructs.errors import SpecError

__all__ = ["check_provider", "plain", "plain_object", "plain_objects"]


def plain(value: Any) -> Any:
    """A JSON-ready value: pydantic models by field name without unset fields, enums by value.

    A typed value changed after it was built may hold a bad value: it is dumped as it is, without
    pydantic's serializer warning, and the validation that follows names it with the construct path.
    """
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True, warnings=False)
    if isinstance(value, Enum):
        return value.value
    return value


def plain_object(value: Any, attributes: Mapping[str, str]) -> Any:
    """One nested object in snake_case: ``attributes`` maps a wire (camelCase) key to its Terraform name.

    A pydantic model is dumped by field name; a mapping has its wire keys renamed and its values made
    plain; anything else (None, a token) passes unchanged.
    """
    if isinstance(value, Mapping):
        return {attributes.get(key, key): plain(item) for key, item in value.items()}
    return plain(value)


def plain_objects(values: Any, attributes: Mapping[str, str] | None = None) -> Any:
    """A list of nested objects, each as ``plain_object``; None or a token passes unchanged."""
    if isinstance(values, list | tuple):
        return [plain_object(item, attributes or {}) for item in values]
    return values


def check_provider(provider: Any, scope: Construct, path: str) -> None:
    """``SpecError`` unless ``provider`` is None or a ``BlaxelProvider`` of the app's framework."""
    if provider is None:
        return
    base = framework_of(scope).module.TerraformProvider  # the app's framework: a provider of the other one is wrong
    is_blaxel = isinstance(provider, base) and provider.terraform_resource_type == PROVIDER_TYPE
    if not is_blaxel:
        raise SpecError(f"must be a BlaxelProvider (got {type(provider).__name__})", field="provider", path=path)
