"""From a pydantic ``ValidationError`` on a document to the problems it names, and to one ``SpecError``.

Fields are named the Terraform way, from the model down: snake_case attributes, ``[i]`` indexes
(``runtime.type``, ``flavors[0].type``, ``labels.team``), each with a short reason and the value that was
given, never pydantic's multi-line dump. The constructs name their arguments this way (adding the
construct path, ``constructs._validation``), and the typed value objects (``ModelRuntime``, ``Flavor``,
``PolicyLocation``, ``PolicyMaxTokens``...) raise the same ``SpecError`` when built with a bad value,
naming their class and field (``ModelRuntime.type``).
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from blaxel_constructs.errors import SpecError

__all__ = ["Problem", "problems_of", "spec_error"]

_MAX_SHOWN = 60


class Problem(NamedTuple):
    """One invalid field: its Terraform-style path and why it is invalid."""

    field: str
    reason: str


def problems_of(
    model: type[BaseModel], exc: ValidationError, *, ignore: Callable[[ErrorDetails], bool] | None = None
) -> list[Problem]:
    """The problems of a failed ``model`` validation, fields named from ``model`` down; ``ignore`` drops some."""
    return [_problem(model, error) for error in exc.errors() if ignore is None or not ignore(error)]


def spec_error(found: Iterable[Problem], *, path: str | None = None, prefix: str = "") -> SpecError | None:
    """One ``SpecError`` for the first problem (listing any others in its message), or None when there is none.

    ``prefix`` qualifies every field (``ModelRuntime`` makes ``ModelRuntime.type``); ``path`` is the
    construct path, when a construct reports it.
    """
    listed = [Problem(_qualified(prefix, p.field), p.reason) for p in found]
    if not listed:
        return None
    first, *others = listed
    message = first.reason
    if others:
        rest = "; ".join(f"{p.field}: {p.reason}" for p in others)
        message = f"{message} (and {len(others)} more: {rest})"
    return SpecError(message, field=first.field or None, path=path)


def _qualified(prefix: str, field: str) -> str:
    if not prefix:
        return field
    return f"{prefix}.{field}" if field else prefix


def _problem(model: type[BaseModel], error: ErrorDetails) -> Problem:
    loc = tuple(error["loc"])
    prefix = ""
    if len(loc) >= 2 and loc[-1] == "[key]":  # a bad key of a map: name the map, then the key
        prefix = f"key {_shown(loc[-2])}: "
        loc = loc[:-2]
    field, _ = _walk(model, loc)
    if error["type"] == "extra_forbidden":
        _, parent = _walk(model, loc[:-1])
        expected = ", ".join(parent.model_fields) if _is_model(parent) else "none"
        return Problem(field, f"unknown attribute {loc[-1]!r}; expected one of: {expected}")
    reason = error["msg"].removeprefix("Value error, ")
    if error["type"] != "missing" and "(got " not in reason:
        reason = f"{reason} (got {_shown(error['input'])})"
    return Problem(field, prefix + reason)


def _walk(model: type[BaseModel], loc: tuple[int | str, ...]) -> tuple[str, Any]:
    """The Terraform-style name of ``loc`` (snake_case fields, ``[i]`` indexes) and the type found there."""
    text = ""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
            current = _element_type(current)
            continue
        name = _field_name(current, part)
        text += f".{name}" if text else name
        fields = current.model_fields if _is_model(current) else {}
        current = _optional_inner(fields[name].annotation) if name in fields else None
    return text, current


def _field_name(current: Any, part: str) -> str:
    if _is_model(current):
        for name, info in current.model_fields.items():
            if part in (name, info.alias):
                return str(name)
    return part


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


def _optional_inner(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [arg for arg in get_args(annotation) if arg is not type(None)]
        return inner[0] if len(inner) == 1 else annotation
    return annotation


def _element_type(current: Any) -> Any:
    if get_origin(current) is list:
        return _optional_inner(get_args(current)[0])
    return None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else f"{text[: _MAX_SHOWN - 3]}..."
