"""``read_plan``: drift and pending changes of one environment, from its saved plan as ``terraform show -json``.

- **Drift** is the plan's ``resource_drift``: what the refresh found changed outside Terraform, by resource and
  attribute, from the value in state (old) to the live one (new), or a resource deleted outside Terraform.
- **Pending** is ``resource_changes`` with an action other than ``no-op`` (or a data source ``read``): what an
  apply would do (create, update, replace, delete), with the attributes an update or replace changes.

Attributes that are computed only (no argument sets them: ``status``, ``updated_at``, ``created_by``...) are never
drift and never listed: they change with every deployment, and what changed them is listed already. They come
from the provider's schema (``terraform providers schema -json``). Sensitive values are shown as
``(sensitive)``; write-only arguments are null in plans, so never compared. Output changes are left out: they
follow the resources and change nothing in the workspace.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

__all__ = [
    "SENSITIVE",
    "UNKNOWN",
    "AttributeChange",
    "PlanReading",
    "ResourceChange",
    "computed_attributes",
    "needs_schema",
    "read_plan",
]

#: How a sensitive value is shown.
SENSITIVE: Final = "(sensitive)"
#: How a value known only after apply is shown.
UNKNOWN: Final = "(known after apply)"
_NO_CHANGE: Final = (["no-op"], ["read"])


@dataclass(frozen=True)
class AttributeChange:
    """``attribute`` (``runtime.model``) goes from ``old`` to ``new``."""

    attribute: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ResourceChange:
    """A resource that drifted or has a change pending: its address, Terraform type, action and attributes.

    ``action`` is ``update`` or ``delete`` for drift (deleted outside Terraform), and ``create``, ``update``,
    ``replace`` or ``delete`` for a pending change.
    """

    address: str
    type: str
    action: str
    attributes: tuple[AttributeChange, ...] = ()


@dataclass(frozen=True)
class PlanReading:
    """What one environment's plan says: resources in state (before refresh), drift and pending changes."""

    resources: int
    drift: tuple[ResourceChange, ...]
    pending: tuple[ResourceChange, ...]


def needs_schema(plan: Mapping[str, Any]) -> bool:
    """Whether the plan holds any drift or pending change (only then are attribute lists, and the schema, needed)."""
    return bool(plan.get("resource_drift")) or any(
        _actions(change) not in _NO_CHANGE for change in plan.get("resource_changes") or []
    )


def read_plan(plan: Mapping[str, Any], schemas: Mapping[str, Any] | None = None) -> PlanReading:
    """Read ``plan`` (``terraform show -json`` of a saved plan); ``schemas`` is ``terraform providers schema -json``."""
    computed = _computed_by_type(schemas or {})
    drift = tuple(
        _change(change, computed, drifted=True)
        for change in plan.get("resource_drift") or []
        if change.get("mode", "managed") == "managed"
    )
    pending = tuple(
        _change(change, computed, drifted=False)
        for change in plan.get("resource_changes") or []
        if _actions(change) not in _NO_CHANGE
    )
    deleted = sum(1 for change in drift if change.action == "delete")
    return PlanReading(_state_resources(plan) + deleted, drift, pending)


def computed_attributes(block: Mapping[str, Any]) -> frozenset[tuple[str, ...]]:
    """Attribute paths of a schema ``block`` that only the provider sets (computed, neither optional nor required),
    nested attributes and blocks included: ``("status",)``, ``("runtime", "endpoint_url")``."""
    found: set[tuple[str, ...]] = set()
    for name, attribute in (block.get("attributes") or {}).items():
        if attribute.get("computed") and not attribute.get("optional") and not attribute.get("required"):
            found.add((name,))
        nested = attribute.get("nested_type")
        if isinstance(nested, Mapping):
            found.update((name, *path) for path in computed_attributes(nested))
    for name, nested_block in (block.get("block_types") or {}).items():
        found.update((name, *path) for path in computed_attributes(nested_block.get("block") or {}))
    return frozenset(found)


def _computed_by_type(schemas: Mapping[str, Any]) -> dict[str, frozenset[tuple[str, ...]]]:
    found: dict[str, frozenset[tuple[str, ...]]] = {}
    for provider in (schemas.get("provider_schemas") or {}).values():
        for resource_type, schema in (provider.get("resource_schemas") or {}).items():
            found[resource_type] = computed_attributes(schema.get("block") or {})
    return found


def _actions(change: Mapping[str, Any]) -> list[str]:
    return list((change.get("change") or {}).get("actions") or [])


def _action(actions: list[str]) -> str:
    if "delete" in actions and "create" in actions:
        return "replace"
    return actions[0] if actions else "no-op"


def _change(
    change: Mapping[str, Any], computed: Mapping[str, frozenset[tuple[str, ...]]], *, drifted: bool
) -> ResourceChange:
    details = change.get("change") or {}
    action = _action(_actions(change))
    resource_type = str(change.get("type", ""))
    attributes: tuple[AttributeChange, ...] = ()
    if action in ("update", "replace"):
        skip = computed.get(resource_type, frozenset())
        attributes = tuple(
            AttributeChange(".".join(str(part) for part in path), old, new)
            for path, old, new in _differences(details, skip, drifted=drifted)
        )
    return ResourceChange(str(change.get("address", "")), resource_type, action, attributes)


def _differences(
    details: Mapping[str, Any], skip: frozenset[tuple[str, ...]], *, drifted: bool
) -> Iterator[tuple[tuple[str | int, ...], Any, Any]]:
    before, after = details.get("before") or {}, details.get("after") or {}
    unknown = {} if drifted else details.get("after_unknown") or {}
    sensitive = (details.get("before_sensitive") or {}, details.get("after_sensitive") or {})
    yield from _walk((), before, after, unknown, sensitive, skip)


def _walk(
    path: tuple[str | int, ...],
    old: Any,
    new: Any,
    unknown: Any,
    sensitive: tuple[Any, Any],
    skip: frozenset[tuple[str, ...]],
) -> Iterator[tuple[tuple[str | int, ...], Any, Any]]:
    """The leaves where ``old`` and ``new`` differ: objects key by key, lists and plain values whole."""
    if tuple(part for part in path if isinstance(part, str)) in skip:
        return
    if unknown is True:
        yield path, _shown(old, sensitive[0]), UNKNOWN
        return
    if sensitive[0] is True or sensitive[1] is True:  # a sensitive value is compared whole, never shown
        if path and old != new:
            yield path, SENSITIVE, SENSITIVE
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):  # an object or a map: key by key
        for key in sorted(set(old) | set(new)):
            yield from _walk(
                (*path, key),
                old.get(key),
                new.get(key),
                _child(unknown, key),
                (_child(sensitive[0], key), _child(sensitive[1], key)),
                skip,
            )
        return
    if path and old != new:
        yield path, _shown(old, sensitive[0]), _shown(new, sensitive[1])


def _child(marks: Any, key: str) -> Any:
    return marks.get(key) if isinstance(marks, Mapping) else marks if isinstance(marks, bool) else None


def _shown(value: Any, sensitive: Any) -> Any:
    if sensitive is True or (sensitive and _any_true(sensitive)):
        return SENSITIVE
    return value


def _any_true(marks: Any) -> bool:
    if marks is True:
        return True
    if isinstance(marks, Mapping):
        return any(_any_true(value) for value in marks.values())
    if isinstance(marks, list):
        return any(_any_true(value) for value in marks)
    return False


def _state_resources(plan: Mapping[str, Any]) -> int:
    """Managed resource instances of the plan's prior state (after refresh) and its child modules."""
    root = ((plan.get("prior_state") or {}).get("values") or {}).get("root_module") or {}
    return _module_resources(root)


def _module_resources(module: Mapping[str, Any]) -> int:
    own = sum(1 for resource in module.get("resources") or [] if resource.get("mode") == "managed")
    return own + sum(_module_resources(child) for child in module.get("child_modules") or [])
