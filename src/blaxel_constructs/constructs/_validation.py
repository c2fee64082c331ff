"""From pydantic validation errors to one ``SpecError`` naming the field and the construct path.

The constructs validate their arguments with the very pydantic models of ``blaxel_constructs.document``
(one source for every limit), then translate the errors here, once: fields are named the Terraform
way (``runtime.type``, ``flavors[0].type``, ``labels.team``), values that are cdktf tokens are let
through, and the construct path is added so that the user knows which construct of the app is wrong.
"""

from __future__ import annotations

import re
import types
import weakref
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, Union, get_args, get_origin

from constructs import Construct
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from blaxel_constructs.constructs._tokens import is_token
from blaxel_constructs.errors import SpecError

__all__ = ["Problem", "construct_path", "problems", "problems_of", "raise_problems", "with_path"]

_ID_SEPARATORS = re.compile("[/\n]")
_MAX_SHOWN = 60
#: ``scope.node.path`` by scope. A construct's path never changes once it exists, and reading it costs two
#: jsii round trips to Node (``node``, then ``path``): a stack of 1,000 endpoints would pay 2,000 of them.
_SCOPE_PATHS: weakref.WeakKeyDictionary[Construct, str] = weakref.WeakKeyDictionary()


class Problem(NamedTuple):
    """One invalid field: its Terraform-style path and why it is invalid."""

    field: str
    reason: str


def construct_path(scope: Construct, id: str) -> str:
    """The ``node.path`` that a construct ``id`` will have under ``scope``, known before it exists.

    Validating before the construct is attached keeps a rejected construct out of the tree (the
    caller may catch the error and try again with the same id). Same rule as the constructs
    library: ids joined with ``/``, separators inside an id escaped as ``--``.
    """
    own = _ID_SEPARATORS.sub("--", id)
    try:
        parent = _SCOPE_PATHS[scope]
    except KeyError:
        parent = _SCOPE_PATHS[scope] = scope.node.path
    return f"{parent}/{own}" if parent else own


def with_path(error: SpecError, path: str) -> SpecError:
    """The same error, now naming the construct ``path`` (value objects raise before they know it)."""
    return SpecError(error.reason, field=error.field, path=path)


def problems(model: type[BaseModel], data: Mapping[str, Any]) -> list[Problem]:
    """Why ``data`` is not a valid ``model``, ignoring values that are unresolved cdktf tokens.

    Unknown keys are always reported, even when their value is a token.
    """
    try:
        model.model_validate(dict(data))
    except ValidationError as exc:
        return problems_of(model, exc, allow_tokens=True)
    return []


def problems_of(model: type[BaseModel], exc: ValidationError, *, allow_tokens: bool) -> list[Problem]:
    """The problems of a failed ``model`` validation, fields named from ``model`` down.

    With ``allow_tokens``, errors about values that are cdktf tokens are dropped: their content is
    only known to Terraform.
    """
    return [_problem(model, error) for error in exc.errors() if not (allow_tokens and _is_token_error(error))]


def raise_problems(found: Iterable[Problem], path: str) -> None:
    """Raise one ``SpecError`` for the first problem (listing any others in its message), if any."""
    listed = list(found)
    if not listed:
        return
    first, *others = listed
    message = first.reason
    if others:
        rest = "; ".join(f"{p.field}: {p.reason}" for p in others)
        message = f"{message} (and {len(others)} more: {rest})"
    raise SpecError(message, field=first.field, path=path)


def _is_token_error(error: ErrorDetails) -> bool:
    return error["type"] != "extra_forbidden" and is_token(error["input"])


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
