"""Check a document sent by a client (Model, IntegrationConnection, Policy) and reduce it to what is stored.

The rules are the spec's (``controlplane.yml``) with the limits of ``document.rules``. A field the spec does
not know is rejected, naming it, as a typo must not pass silently; a read-only field a client sent back
(``metadata.createdAt``, ``status``, ``events``...) is dropped, because clients commonly echo a document
they read. A JSON ``null`` counts as absent, as in the Go service where ``null`` decodes to the zero
value and ``omitempty`` drops it. Everything else is kept exactly as sent: no defaults are added.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Final

from blaxel_constructs.document import rules

__all__ = [
    "InvalidConnection",
    "InvalidDocument",
    "InvalidModel",
    "InvalidPolicy",
    "clean_connection",
    "clean_document",
    "clean_model",
    "clean_policy",
]

_READ_ONLY_TOP: Final = frozenset({"status", "events"})
_READ_ONLY_METADATA: Final = frozenset({"workspace", "url", "plan", "createdAt", "updatedAt", "createdBy", "updatedBy"})


class InvalidDocument(ValueError):
    """The document breaks a rule; ``field`` is its dotted path (``spec.runtime.type``). The message never
    quotes a value of a connection's secret: the checks below name a secret's key and type only. The API's
    ``error`` text names the kind (``LABEL``): 400 "Invalid model"."""

    LABEL: ClassVar[str] = "document"

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")

    @property
    def error_text(self) -> str:
        return f"Invalid {self.LABEL}"


class InvalidModel(InvalidDocument):
    """A Model document breaks a rule (400 "Invalid model")."""

    LABEL: ClassVar[str] = "model"


class InvalidConnection(InvalidDocument):
    """An IntegrationConnection document breaks a rule (400 "Invalid integration connection")."""

    LABEL: ClassVar[str] = "integration connection"


class InvalidPolicy(InvalidDocument):
    """A Policy document breaks a rule (400 "Invalid policy")."""

    LABEL: ClassVar[str] = "policy"


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _expect(value: object, kind: type, kind_name: str, field: str) -> Any:
    if not isinstance(value, kind):
        raise InvalidDocument(field, f"must be {kind_name} (got {_type_name(value)})")
    return value


def _string(value: object, field: str) -> str:
    result: str = _expect(value, str, "a string", field)
    return result


def _boolean(value: object, field: str) -> bool:
    result: bool = _expect(value, bool, "a boolean", field)
    return result


def _object(value: object, field: str) -> dict[str, Any]:
    result: dict[str, Any] = _expect(value, dict, "an object", field)
    return result


def _array(value: object, field: str) -> list[Any]:
    result: list[Any] = _expect(value, list, "an array", field)
    return result


def _checked(problem: Callable[[str], str | None]) -> Callable[[object, str], str]:
    def check(value: object, field: str) -> str:
        text = _string(value, field)
        reason = problem(text)
        if reason:
            raise InvalidDocument(field, reason)
        return text

    return check


def _one_of(allowed: tuple[str, ...]) -> Callable[[object, str], str]:
    def check(value: object, field: str) -> str:
        text = _string(value, field)
        if text not in allowed:
            raise InvalidDocument(field, f"must be one of {', '.join(allowed)} (got {text!r})")
        return text

    return check


def _strings(value: object, field: str) -> list[str]:
    return [_string(item, f"{field}[{index}]") for index, item in enumerate(_array(value, field))]


def _labels(value: object, field: str) -> dict[str, str]:
    return {key: _string(item, f"{field}.{key}") for key, item in _object(value, field).items()}


Check = Callable[[object, str], Any]


def _fields(
    value: object, field: str, checks: dict[str, Check], *, ignored: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Check each known key of an object, drop ignored ones and nulls, reject unknown ones."""
    result: dict[str, Any] = {}
    for key, item in _object(value, field).items():
        path = f"{field}.{key}" if field else key
        if key in ignored:
            continue
        if key not in checks:
            raise InvalidDocument(path, "unknown field")
        if item is not None:
            result[key] = checks[key](item, path)
    return result


def _flavor(value: object, field: str) -> dict[str, Any]:
    return _fields(value, field, {"name": _string, "type": _one_of(rules.FLAVOR_TYPES)})


def _flavors(value: object, field: str) -> list[dict[str, Any]]:
    return [_flavor(item, f"{field}[{index}]") for index, item in enumerate(_array(value, field))]


def _runtime(value: object, field: str) -> dict[str, Any]:
    checks: dict[str, Check] = {
        "type": _one_of(rules.RUNTIME_TYPES),
        "model": _string,
        "endpointName": _string,
        "organization": _string,
        "generation": _one_of(rules.GENERATIONS),
    }
    return _fields(value, field, checks)


def _spec(value: object, field: str) -> dict[str, Any]:
    checks: dict[str, Check] = {
        "enabled": _boolean,
        "flavors": _flavors,
        "integrationConnections": _strings,
        "policies": _strings,
        "runtime": _runtime,
        "sandbox": _boolean,
    }
    return _fields(value, field, checks)


def _metadata(value: object, field: str) -> dict[str, Any]:
    checks: dict[str, Check] = {
        "name": _checked(rules.name_problem),
        "displayName": _checked(rules.display_name_problem),
        "externalId": _checked(rules.external_id_problem),
        "labels": _labels,
    }
    metadata = _fields(value, field, checks, ignored=_READ_ONLY_METADATA)
    if "name" not in metadata:
        raise InvalidDocument(f"{field}.name", "is required")
    return metadata


def clean_document(
    body: object,
    invalid: type[InvalidDocument],
    kind: str,
    label: str,
    spec: Check,
    path_name: str | None,
    read_only: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """``{metadata, spec}`` of a ``kind`` body (``Model``...), both required, the name matching the path's
    (``path_name``, a PUT's); ``spec`` checks the spec. The first bad field raises ``invalid``."""
    try:
        if not isinstance(body, dict):
            raise InvalidDocument("body", f"must be a {kind} object (got {_type_name(body)})")
        document = _fields(body, "", {"metadata": _metadata, "spec": spec}, ignored=read_only)
        for required in ("metadata", "spec"):
            if required not in document:
                raise InvalidDocument(required, "is required")
        name = document["metadata"]["name"]
        if path_name is not None and name != path_name:
            raise InvalidDocument(
                "metadata.name",
                f"{name!r} does not match the {label} {path_name!r} in the path (a {label}'s name is immutable)",
            )
    except InvalidDocument as error:
        raise invalid(error.field, error.problem) from None
    return {"metadata": document["metadata"], "spec": document["spec"]}


def clean_model(body: object, *, path_name: str | None = None) -> dict[str, Any]:
    """The storable ``{metadata, spec}`` of a POST or PUT body; InvalidModel naming the first bad field.

    ``path_name`` is the name in a PUT's URL: the body must name the same model, since names are immutable.
    """
    return clean_document(body, InvalidModel, "Model", "model", _spec, path_name, _READ_ONLY_TOP)


def _secret(value: object, field: str) -> dict[str, str]:
    """A map of strings whose values are never quoted in an error (only the key and the type)."""
    return {key: _string(item, f"{field}.{key}") for key, item in _object(value, field).items()}


def _spec_of(checks: dict[str, Check], problems: Callable[[dict[str, Any]], list[tuple[str, str]]]) -> Check:
    """The check of a ``spec``: each member by ``checks``, then the rules across members (``rules``)."""

    def check(value: object, field: str) -> dict[str, Any]:
        spec = _fields(value, field, checks)
        for path, problem in problems(spec):
            raise InvalidDocument(path, problem)
        return spec

    return check


_connection_spec = _spec_of(
    {"integration": _string, "config": _labels, "sandbox": _boolean, "secret": _secret},
    rules.connection_spec_problems,
)


def clean_connection(body: object, *, path_name: str | None = None) -> dict[str, Any]:
    """The ``{metadata, spec}`` (secret included) of an IntegrationConnection body; InvalidConnection."""
    return clean_document(body, InvalidConnection, "IntegrationConnection", "connection", _connection_spec, path_name)


def _positive_integer(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidDocument(field, f"must be an integer (got {_type_name(value)})")
    return value


def _location(value: object, field: str) -> dict[str, Any]:
    location = _fields(value, field, {"name": _string, "type": _one_of(rules.POLICY_LOCATION_TYPES)})
    for required in ("name", "type"):
        if required not in location:
            raise InvalidDocument(f"{field}.{required}", "is required")
    return location


def _max_tokens(value: object, field: str) -> dict[str, Any]:
    checks: dict[str, Check] = {"granularity": _string, **dict.fromkeys(rules.POLICY_TOKEN_COUNTS, _positive_integer)}
    return _fields(value, field, checks)


_policy_spec = _spec_of(
    {
        "type": _one_of(rules.POLICY_TYPES),
        "locations": lambda v, f: [_location(item, f"{f}[{i}]") for i, item in enumerate(_array(v, f))],
        "flavors": _flavors,
        "maxTokens": _max_tokens,
        "resourceTypes": lambda v, f: [
            _one_of(rules.POLICY_RESOURCE_TYPES)(item, f"{f}[{i}]") for i, item in enumerate(_array(v, f))
        ],
        "sandbox": _boolean,
    },
    rules.policy_spec_problems,
)


def clean_policy(body: object, *, path_name: str | None = None) -> dict[str, Any]:
    """The ``{metadata, spec}`` of a Policy body (``usage``, read-only, dropped); InvalidPolicy."""
    return clean_document(body, InvalidPolicy, "Policy", "policy", _policy_spec, path_name, frozenset({"usage"}))
