"""When two values of an argument mean the same: the one rule for "no change".

The API may spell "nothing" differently from what was sent (absent, ``null``, ``""``, ``[]``, ``{}``), leaves
out booleans at their documented default, and returns some lists in its own order. Two layers need the same
answer: the provider (is the remote value drift, or the prior state's spelling of it?) and the handler (is
the object found after an ambiguous create the one it sent?). Both ask here, through each kind's description
(``blaxel_constructs.kinds``), which says of every argument its default and whether its order means anything.

The name-keyed functions below (``same_meaning``, ``state_value``, ``DEFAULTS``, ``UNORDERED``...) are the
earlier API, kept working: they look the argument up in the descriptions of every kind.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "DEFAULTS",  # noqa: F822 (computed from the kinds on first use: module __getattr__)
    "UNORDERED",  # noqa: F822
    "is_empty",
    "normal",
    "same_arguments",
    "same_document",
    "same_meaning",
    "same_value",
    "state_value",
    "stored_value",
]


def is_empty(value: Any) -> bool:
    """None, ``""``, ``[]`` and ``{}``: the spellings of "nothing"."""
    return value is None or (isinstance(value, str | list | dict) and not value)


def normal(value: Any) -> Any:
    """``value`` with every empty member of a mapping dropped, recursively."""
    if isinstance(value, Mapping):
        members = {key: normal(member) for key, member in value.items()}
        return {key: member for key, member in members.items() if not is_empty(member)}
    if isinstance(value, list):
        return [normal(item) for item in value]
    return value


def same_value(first: Any, second: Any, *, default: Any = None, unordered: bool = False) -> bool:
    """Whether two values of one argument mean the same to the API.

    ``default`` is the argument's documented default (absent means it); ``unordered`` says that the order of a
    list argument carries no meaning.
    """
    if default is not None:
        return bool((default if first is None else first) == (default if second is None else second))
    first, second = normal(first), normal(second)
    if is_empty(first) and is_empty(second):
        return True
    if unordered and isinstance(first, list) and isinstance(second, list):
        return sorted(json.dumps(i, sort_keys=True) for i in first) == sorted(
            json.dumps(i, sort_keys=True) for i in second
        )
    return bool(first == second)


def stored_value(
    remote: Any,
    prior: Any,
    *,
    has_prior: bool,
    default: Any = None,
    unordered: bool = False,
    keep_empty: bool = False,
) -> Any:
    """What the provider stores for an argument when the API says ``remote``: the rule of every state codec, so
    that a refresh shows drift only where the meaning changed.

    The prior state's spelling when it means the same (no prior on import), the documented default for an
    absent value, null for an empty one (unless ``keep_empty``: a required argument), else the remote value.
    """
    if has_prior and same_value(remote, prior, default=default, unordered=unordered):
        return prior
    if default is not None and remote is None:
        return default
    if is_empty(remote) and not keep_empty:
        return None
    return remote


# -- the earlier, name-keyed API: the argument looked up in every kind's description ---------------------


def _argument(name: str) -> tuple[Any, bool, bool]:
    """(default, unordered, required) of the argument ``name``, from the first kind that has it (they agree)."""
    from blaxel_constructs.kinds import KINDS

    for kind in KINDS:
        attr = kind.find(name)
        if attr is not None:
            return attr.default, attr.unordered, attr.required
    return None, False, False


def __getattr__(name: str) -> Any:
    """``DEFAULTS`` (argument -> documented default) and ``UNORDERED`` (list arguments whose order means
    nothing), over every kind, computed from the descriptions on first use."""
    if name not in ("DEFAULTS", "UNORDERED"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from blaxel_constructs.kinds import KINDS

    if name == "DEFAULTS":
        return {a.name: a.default for kind in KINDS for a in kind.arguments if a.default is not None}
    return frozenset(a.name for kind in KINDS for a in kind.arguments if a.unordered)


def same_meaning(argument: str, first: Any, second: Any) -> bool:
    """Whether two values of ``argument`` (a Terraform argument name of any kind) mean the same to the API."""
    default, unordered, _ = _argument(argument)
    return same_value(first, second, default=default, unordered=unordered)


def same_arguments(first: Mapping[str, Any], second: Mapping[str, Any], arguments: Iterable[str] | None = None) -> bool:
    """Whether two sets of arguments (snake_case) describe the same object: a model's arguments by default."""
    if arguments is None:
        from blaxel_constructs.kinds import MODEL

        arguments = [a.name for a in MODEL.compared]
    return all(same_meaning(argument, first.get(argument), second.get(argument)) for argument in arguments)


def same_document(first: Any, second: Any) -> bool:
    """Whether two API documents (camelCase) describe the same model (``MODEL.same_document``)."""
    from blaxel_constructs.kinds import MODEL

    return MODEL.same_document(first, second)


def state_value(argument: str, remote: Any, prior: Mapping[str, Any] | None) -> Any:
    """What the provider stores for ``argument`` when the API says ``remote`` (``stored_value`` by name)."""
    default, unordered, required = _argument(argument)
    return stored_value(
        remote,
        prior.get(argument) if prior is not None else None,
        has_prior=prior is not None,
        default=default,
        unordered=unordered,
        keep_empty=required,
    )
