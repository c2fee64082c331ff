"""What the generated code says of each adopted object, decided once for both renderers (HCL and Python).

Driven by each kind's description alone (``blaxel_constructs.kinds``), so that a kind added to ``KINDS`` is adopted
with no change here:

- the values written are the state the provider stores on import (``Kind.state_of``), argument by argument in
  schema order: what the first plan compares the configuration with. An argument is left out where that state
  is null or the documented default, so the first plan shows only imports; members of nested objects that are
  null are left out too (Terraform fills them with null);
- an argument that names objects of another kind (``refers_to``) names an adopted one by reference, so Terraform
  orders them, and any other (one a filter left out, or missing) by its name string;
- a write-only argument (a connection's secret, never read: the API masks it) is not written unless asked
  (``take_over_secrets``): the object keeps what Blaxel holds. Either way its keys (visible in the masked
  answer) name one variable each (``identifiers.secret_variable``), for the comment that shows how to take it
  over, or for the argument itself, with its ``version`` set to 1 so that the first apply sends it;
- objects come kinds first that others refer to, then by name: the order a Python module needs, never the
  order the API listed them in.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from blaxel_constructs.kinds.description import Attr, Kind, Role, ValueType
from blaxel_constructs.workspace_import.identifiers import (
    hcl_identifier,
    python_identifier,
    secret_variable,
    unique_names,
)
from blaxel_constructs.workspace_import.workspace_reading import ListedObject, Skipped

__all__ = [
    "FIRST_SECRET_VERSION",
    "AdoptedObject",
    "Adoption",
    "ObjectRef",
    "SecretVariable",
    "WriteOnlySecret",
    "adopt",
    "dependency_order",
]

#: The version a taken-over secret starts at: the first apply sends it (the import left the version null).
FIRST_SECRET_VERSION: Final = 1
_KEY_SEPARATOR: Final = "\x00"


@dataclass(frozen=True)
class ObjectRef:
    """An adopted object another one names: written as a reference to its name."""

    kind: Kind
    name: str
    hcl: str
    python: str


@dataclass(frozen=True)
class SecretVariable:
    """One key of a write-only secret and the variable that holds its value (``TF_VAR_<variable>``)."""

    key: str
    variable: str

    @property
    def environment_variable(self) -> str:
        """Where Terraform reads the value: ``TF_VAR_<variable>``."""
        return f"TF_VAR_{self.variable}"


@dataclass(frozen=True)
class WriteOnlySecret:
    """A write-only argument of an adopted object, its version argument and its keys' variables."""

    attr: Attr
    version: Attr
    variables: tuple[SecretVariable, ...]
    taken_over: bool


@dataclass(frozen=True)
class AdoptedObject:
    """One object as the generated code manages it: ``arguments`` in schema order (values as the state holds them,
    with each adopted object named replaced by its ``ObjectRef``), and its write-only secrets."""

    kind: Kind
    name: str
    hcl: str
    python: str
    arguments: tuple[tuple[Attr, Any], ...]
    secrets: tuple[WriteOnlySecret, ...]


@dataclass(frozen=True)
class Adoption:
    """Everything to generate: the objects (in dependency, then name order), what was skipped, and notices."""

    objects: tuple[AdoptedObject, ...]
    skipped: tuple[Skipped, ...]
    notices: tuple[str, ...]
    take_over_secrets: bool

    def count(self, kind: Kind) -> int:
        return sum(1 for adopted in self.objects if adopted.kind is kind)

    @property
    def kinds(self) -> tuple[Kind, ...]:
        """The kinds of the adopted objects, in the order they are written."""
        return tuple(dict.fromkeys(adopted.kind for adopted in self.objects))

    @property
    def taken_over(self) -> tuple[SecretVariable, ...]:
        """Every variable the generated code reads (empty unless secrets are taken over)."""
        return tuple(
            variable
            for adopted in self.objects
            for secret in adopted.secrets
            if secret.taken_over
            for variable in secret.variables
        )


def dependency_order(kinds: Sequence[Kind]) -> tuple[Kind, ...]:
    """``kinds`` with each after the kinds it refers to (``refers_to``), otherwise in the order given."""
    remaining = list(kinds)
    ordered: list[Kind] = []
    while remaining:
        pending = {kind.type_name for kind in remaining}
        ready = next(
            (
                kind
                for kind in remaining
                if all(a.refers_to == kind.type_name or a.refers_to not in pending for a in kind.references)
            ),
            remaining[0],  # a cycle: any order compiles in HCL, and the construct takes names as well
        )
        ordered.append(ready)
        remaining.remove(ready)
    return tuple(ordered)


def _without_nulls(value: Any) -> Any:
    """``value`` with null members of nested objects left out (Terraform reads a missing member as null)."""
    if isinstance(value, Mapping):
        return {key: _without_nulls(member) for key, member in value.items() if member is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def _secret_keys(attr: Attr, document: Mapping[str, Any]) -> list[str]:
    """The keys of the secret ``attr`` the API answered (masked values: only the keys are known)."""
    value = attr.wire_value(document)
    return sorted(key for key in value if isinstance(key, str)) if isinstance(value, Mapping) else []


def _secret_variables(objects: Iterable[ListedObject]) -> dict[tuple[str, str, str], str]:
    """(type, object name, key) -> its variable, unique across the workspace."""
    sources = {
        (listed.kind.type_name, listed.name, key)
        for listed in objects
        for attr in listed.kind.write_only
        for key in _secret_keys(attr, listed.document)
    }
    by_source = {_KEY_SEPARATOR.join(source): source for source in sources}

    def make(joined: str) -> str:
        _, owner, key = by_source[joined]
        return secret_variable(owner, key)

    names = unique_names(by_source, make)
    return {source: names[joined] for joined, source in by_source.items()}


def _value(attr: Attr, value: Any, refs: Mapping[tuple[str, str], ObjectRef]) -> Any:
    """The value to write: names of adopted objects as their ``ObjectRef``, null members left out."""
    if attr.refers_to is None:
        return _without_nulls(value)
    if isinstance(value, list):
        return [refs.get((attr.refers_to, item), item) if isinstance(item, str) else item for item in value]
    return refs.get((attr.refers_to, value), value) if isinstance(value, str) else value


def _arguments(
    kind: Kind, state: Mapping[str, Any], refs: Mapping[tuple[str, str], ObjectRef]
) -> tuple[tuple[Attr, Any], ...]:
    """The arguments to write for an object whose imported state is ``state``."""
    written: list[tuple[Attr, Any]] = []
    for attr in kind.settable:
        value = state.get(attr.name)
        if attr.role is not Role.ARGUMENT or not attr.readable or value is None:
            continue  # local, secret and write-only arguments: nothing to read (secrets: ``_secrets``)
        if attr.default is not None and value == attr.default:
            continue
        if attr.type in (ValueType.STRING_LIST, ValueType.STRING_MAP, ValueType.OBJECT_LIST) and not value:
            continue
        written.append((attr, _value(attr, value, refs)))
    return tuple(written)


def _secrets(
    listed: ListedObject, variables: Mapping[tuple[str, str, str], str], take_over: bool
) -> tuple[WriteOnlySecret, ...]:
    found: list[WriteOnlySecret] = []
    for attr in listed.kind.write_only:
        version = listed.kind.find(attr.version) if attr.version else None
        keys = _secret_keys(attr, listed.document)
        if version is None or not keys:
            continue  # no secret held, or no way to send one again: nothing to take over
        named = tuple(SecretVariable(key, variables[(listed.kind.type_name, listed.name, key)]) for key in keys)
        found.append(WriteOnlySecret(attr, version, named, take_over))
    return tuple(found)


def _notices(objects: Iterable[ListedObject]) -> list[str]:
    """What may keep the first plan from showing imports alone: a deployment still under way."""
    notices: list[str] = []
    for listed in objects:
        lifecycle = listed.kind.lifecycle
        if lifecycle is not None and lifecycle.settling(listed.status):
            notices.append(
                f"{listed.kind.noun} {listed.name} is still deploying (status {listed.status}): until it settles, "
                "a plan shows an update that waits for it"
            )
    return notices


def adopt(
    objects: Sequence[ListedObject],
    *,
    skipped: Sequence[Skipped] = (),
    take_over_secrets: bool = False,
) -> Adoption:
    """The adoption of ``objects``: identifiers, values, references and secrets, in the order to write them.

    An object lacking an argument its kind requires (a model the API holds without a runtime) cannot be written
    as a valid resource: it is set aside among the ``skipped``, and named by its name string by the others.
    """
    states = {id(listed): listed.kind.state_of(listed.document) for listed in objects}  # once per object
    unmanageable = {id(o): reason for o in objects if (reason := _missing_required(o.kind, states[id(o)]))}
    skipped = [
        *skipped,
        *(Skipped(f"{o.kind.noun} {o.name}", unmanageable[id(o)], o) for o in objects if id(o) in unmanageable),
    ]
    objects = [listed for listed in objects if id(listed) not in unmanageable]
    kinds = dependency_order(list(dict.fromkeys(listed.kind for listed in objects)))
    by_kind = {kind: sorted((o for o in objects if o.kind is kind), key=lambda o: o.name) for kind in kinds}
    refs: dict[tuple[str, str], ObjectRef] = {}
    for kind, listed_objects in by_kind.items():
        names = [listed.name for listed in listed_objects]
        hcl = unique_names(names, hcl_identifier)
        python = unique_names(names, functools.partial(python_identifier, kind.short_noun))
        for name in names:
            refs[(kind.type_name, name)] = ObjectRef(kind, name, hcl[name], python[name])
    _check_python_names(refs.values())
    variables = _secret_variables(objects)
    adopted = tuple(
        AdoptedObject(
            kind=kind,
            name=listed.name,
            hcl=refs[(kind.type_name, listed.name)].hcl,
            python=refs[(kind.type_name, listed.name)].python,
            arguments=_arguments(kind, states[id(listed)], refs),
            secrets=_secrets(listed, variables, take_over_secrets),
        )
        for kind, listed_objects in by_kind.items()
        for listed in listed_objects
    )
    return Adoption(adopted, tuple(skipped), tuple(_notices(objects)), take_over_secrets)


def _missing_required(kind: Kind, state: Mapping[str, Any]) -> str | None:
    """Why an object whose imported state is ``state`` cannot be written as a resource (a required argument the
    API left empty), or None."""
    for attr in kind.settable:
        if attr.required and attr.role is Role.ARGUMENT and attr.readable and state.get(attr.name) is None:
            return f"it has no {attr.name}, which {kind.type_name} requires (set one, then import again)"
    return None


def _check_python_names(refs: Iterable[ObjectRef]) -> None:
    """Python variables of different kinds share one module: their short nouns keep them apart (checked here)."""
    seen: dict[str, ObjectRef] = {}
    for ref in refs:
        other = seen.setdefault(ref.python, ref)
        if other is not ref:
            raise AssertionError(f"{ref.kind.noun} {ref.name} and {other.kind.noun} {other.name} are both {ref.python}")
