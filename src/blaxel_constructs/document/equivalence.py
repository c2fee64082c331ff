"""When two values of a model's arguments mean the same: the one rule for "no change".

The API may spell "nothing" differently from what was sent (absent, ``null``, ``""``, ``[]``, ``{}``), leaves
out booleans at their documented default, and returns some lists in its own order. Two layers need the same
answer: the provider (is the remote value drift, or the prior state's spelling of it?) and the handler (is
the model found after an ambiguous create the one it sent?). Both ask here, by the Terraform argument name
(snake_case), the handler through the one wire mapping (``wire.from_document``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Final

from blaxel_constructs.document import wire

__all__ = ["DEFAULTS", "UNORDERED", "is_empty", "same_arguments", "same_document", "same_meaning", "state_value"]

#: Arguments with a documented default: absent means this value.
DEFAULTS: Final = {"enabled": True, "sandbox": False}
#: List arguments whose order carries no meaning (of models, and of policies: ``locations``, ``resource_types``).
UNORDERED: Final = frozenset({"flavors", "policies", "integration_connections", "locations", "resource_types"})


def is_empty(value: Any) -> bool:
    """None, ``""``, ``[]`` and ``{}``: the spellings of "nothing"."""
    return value is None or (isinstance(value, str | list | dict) and not value)


def _normal(value: Any) -> Any:
    """``value`` with every empty member of a mapping dropped, recursively."""
    if isinstance(value, Mapping):
        members = {key: _normal(member) for key, member in value.items()}
        return {key: member for key, member in members.items() if not is_empty(member)}
    if isinstance(value, list):
        return [_normal(item) for item in value]
    return value


def same_meaning(argument: str, first: Any, second: Any) -> bool:
    """Whether two values of ``argument`` (a Terraform argument name) mean the same to the API."""
    if argument in DEFAULTS:
        default = DEFAULTS[argument]
        return (default if first is None else first) == (default if second is None else second)
    first, second = _normal(first), _normal(second)
    if is_empty(first) and is_empty(second):
        return True
    if argument in UNORDERED and isinstance(first, list) and isinstance(second, list):
        return sorted(json.dumps(i, sort_keys=True) for i in first) == sorted(
            json.dumps(i, sort_keys=True) for i in second
        )
    return bool(first == second)


def same_arguments(
    first: Mapping[str, Any], second: Mapping[str, Any], arguments: Iterable[str] = wire.ARGUMENTS
) -> bool:
    """Whether two sets of arguments (snake_case, as ``wire.from_document`` gives them) describe the same
    resource: a model by default, or any other kind given its ``arguments`` (``wire.POLICY_ARGUMENTS``,
    ``wire.CONNECTION_ARGUMENTS``)."""
    return all(same_meaning(argument, first.get(argument), second.get(argument)) for argument in arguments)


def same_document(first: Any, second: Any) -> bool:
    """Whether two API documents (camelCase) describe the same model: every argument a user writes, by
    ``same_meaning``, and any other ``spec`` member the API may know and this library does not, compared with
    empty members dropped. Never status, events or server-set metadata. Malformed documents compare, never raise.
    """
    first_arguments, first_rest = _split(first)
    second_arguments, second_rest = _split(second)
    return same_arguments(first_arguments, second_arguments) and _normal(first_rest) == _normal(second_rest)


def _split(document: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The arguments of ``document`` (snake_case), and the ``spec`` members outside the wire mapping."""
    metadata = document.get("metadata") if isinstance(document, Mapping) else None
    spec = document.get("spec") if isinstance(document, Mapping) else None
    metadata = metadata if isinstance(metadata, Mapping) else {}
    spec = spec if isinstance(spec, Mapping) else {}
    known = set(wire.SPEC_ARGUMENTS.values())
    well_formed = {
        "runtime": lambda v: isinstance(v, Mapping),
        "flavors": lambda v: isinstance(v, list) and all(isinstance(f, Mapping) for f in v),
    }
    mapped = {k: v for k, v in spec.items() if k in known and (k not in well_formed or v is None or well_formed[k](v))}
    rest = {k: v for k, v in spec.items() if k not in mapped}
    return wire.from_document({"metadata": metadata, "spec": mapped}), rest


def state_value(argument: str, remote: Any, prior: Mapping[str, Any] | None) -> Any:
    """What the provider stores for ``argument`` when the API says ``remote``: the rule every resource's state
    codec follows, so that a refresh shows drift only where the meaning changed.

    The prior state's spelling when it means the same (``prior`` None on import), the documented default for
    an absent value, null for an empty one (never for ``name``), else the remote value.
    """
    if prior is not None and same_meaning(argument, remote, prior.get(argument)):
        return prior.get(argument)
    if argument in DEFAULTS and remote is None:
        return DEFAULTS[argument]
    if is_empty(remote) and argument != "name":
        return None
    return remote
