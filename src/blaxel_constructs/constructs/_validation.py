"""From pydantic validation errors to one ``SpecError`` naming the field and the construct path.

The constructs validate their arguments with the very pydantic models of ``blaxel_constructs.document``
(one source for every limit), then translate the errors here, once, with the document layer's own
translation (``document.spec_errors``: fields named the Terraform way, ``runtime.type``, ``flavors[0].type``,
``labels.team``): values that are cdktf tokens are let through, and the construct path is added so that
the user knows which construct of the app is wrong.

Strings are checked as Terraform will read them: in ``cdk.tf.json`` every string is a template, where ``$${``
and ``%%{`` are how the literal ``${`` and ``%{`` are written (``blaxel-constructs import`` writes them so), so a
display name of 63 characters holding ``${`` is 64 in Python and valid.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Mapping
from typing import Any

from constructs import Construct
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from blaxel_constructs.constructs._tokens import is_token
from blaxel_constructs.document.spec_errors import Problem, spec_error
from blaxel_constructs.document.spec_errors import problems_of as _problems_of
from blaxel_constructs.errors import SpecError

__all__ = ["Problem", "as_terraform_reads", "construct_path", "problems", "problems_of", "raise_problems", "with_path"]

_ID_SEPARATORS = re.compile("[/\n]")
#: ``scope.node.path`` by scope. A construct's path never changes once it exists, and reading it costs two
#: jsii round trips to Node (``node``, then ``path``): a stack of 1,000 endpoints would pay 2,000 of them.
_SCOPE_PATHS: weakref.WeakKeyDictionary[Construct, str] = weakref.WeakKeyDictionary()


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


def as_terraform_reads(value: Any) -> Any:
    """``value`` with the template escapes of its strings (``$${``, ``%%{``) read as Terraform reads them;
    mappings and sequences walked, anything else (numbers, typed values, tokens' objects) as it is."""
    if isinstance(value, str):
        return value.replace("$${", "${").replace("%%{", "%{") if "{" in value else value
    if isinstance(value, Mapping):
        return {key: as_terraform_reads(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [as_terraform_reads(item) for item in value]
    return value


def problems(model: type[BaseModel], data: Mapping[str, Any]) -> list[Problem]:
    """Why ``data`` is not a valid ``model``, ignoring values that are unresolved cdktf tokens.

    Unknown keys are always reported, even when their value is a token. Typed values in ``data``
    (a ``ModelRuntime``, a ``Flavor``) are validated again, so one changed after it was built is caught too.
    Strings are checked as Terraform reads them (``as_terraform_reads``).
    """
    try:
        model.model_validate({key: as_terraform_reads(value) for key, value in data.items()})
    except ValidationError as exc:
        return problems_of(model, exc, allow_tokens=True)
    return []


def problems_of(model: type[BaseModel], exc: ValidationError, *, allow_tokens: bool) -> list[Problem]:
    """The problems of a failed ``model`` validation, fields named from ``model`` down.

    With ``allow_tokens``, errors about values that are cdktf tokens are dropped: their content is
    only known to Terraform.
    """
    return _problems_of(model, exc, ignore=_is_token_error if allow_tokens else None)


def raise_problems(found: Iterable[Problem], path: str) -> None:
    """Raise one ``SpecError`` for the first problem (listing any others in its message), if any."""
    error = spec_error(found, path=path)
    if error is not None:
        raise error


def _is_token_error(error: ErrorDetails) -> bool:
    return error["type"] != "extra_forbidden" and is_token(error["input"])
