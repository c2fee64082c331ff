"""How a kind of Blaxel object is described once: ``Kind`` and the ``Attr`` of each of its attributes.

Every layer is driven by the one description of each kind (``blaxel_constructs.kinds``): the provider derives
its Terraform schema (``provider/schema.py``), its state and its checks from it; the handler its create-once
equality, its waits and its delete retries; the client its paths; the constructs their bindings; the
documentation its pages. The description is plain data and plain functions: it imports neither pydantic nor
``tf``, cdktf or jsii (the provider pays for none of them; the handler and the client see no Terraform type).

A ``Kind`` says:

- its names: ``noun`` (in messages), ``type_name`` (Terraform), ``name`` (``BlaxelClient`` methods, docs paths),
  ``document_kind`` (the API's), ``collection`` (the API path: list and create there, one object below it),
  and where its construct (``construct``) and its pydantic document (``document``) live;
- its ``attributes`` in schema order, each an ``Attr``: snake_case ``name``, ``type`` (``ValueType``), ``role``
  (an argument, server-set, or ``LOCAL``: an argument that never reaches the API), required or optional, its
  documented ``default``, ``forces_replacement``, ``sensitive``, ``write_only`` (with the ``version`` argument
  whose change sends it again and the argument to use ``instead`` on old Terraform), ``secret`` (sent, never
  read back: the API masks it), ``unordered``, ``refers_to`` (the Terraform type of the kind it names), the
  enum ``choices`` and ``check`` of a value, nested ``members``, its ``wire`` path in the API document, and the
  ``construct_keyword`` its construct takes it as when that differs from its name;
- its capabilities: a deployment ``lifecycle`` to wait for, the default ``timeouts`` (and whether a
  ``timeouts`` argument changes them), ``list_refresh`` (a plan's refreshes served from one list),
  ``owner_label`` (its constructs label each object with their path), ``delete_waits_while_in_use``
  (a 409 "in use" on delete is retried until the delete timeout), and cross-argument ``rules``.

From that, one codec for every kind: ``document_of`` (Terraform arguments -> API document), ``arguments_of``
(API document -> Terraform arguments, never a secret), ``state_of`` (the state Terraform stores, keeping the
prior spelling of what means the same: ``document.equivalence``), ``same_document`` (create-once: is the
object found under the name the one sent?) and ``config_problems`` (what validate and plan report).
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from blaxel_constructs.document import rules
from blaxel_constructs.document.equivalence import normal, same_value, stored_value
from blaxel_constructs.durations import DurationError, parse_duration

__all__ = [
    "NOT_KNOWN",
    "Attr",
    "Docs",
    "Kind",
    "Lifecycle",
    "OperationTimeouts",
    "PathStep",
    "Problem",
    "Role",
    "ValueType",
    "argument",
    "choice_problem",
    "computed",
    "computed_history",
    "computed_metadata",
    "display_name_argument",
    "dotted",
    "duration_problem",
    "invalid",
    "is_concrete",
    "labels_argument",
    "local",
    "name_argument",
    "non_empty",
]

PathStep = str | tuple[int]

#: What a value that is not known yet stands for in checks (a write-only argument at plan, where Terraform
#: hands the provider null in its place).
NOT_KNOWN: Final = object()


class ValueType(enum.Enum):
    """The Terraform type of an attribute (what HCL, the schema and the constructs' bindings write)."""

    STRING = "string"
    BOOL = "bool"
    NUMBER = "number"
    STRING_LIST = "list(string)"
    STRING_MAP = "map(string)"
    #: One nested object of ``members`` (``runtime = { type = "openai" }``).
    OBJECT = "object"
    #: A list of nested objects of ``members`` (``flavors = [{ name = "t4", type = "cpu" }]``).
    OBJECT_LIST = "list(object)"


class Role(enum.Enum):
    """What an attribute is to Terraform and to the API."""

    #: Set by the user, sent to the API (and read back from it unless ``secret`` or ``write_only``).
    ARGUMENT = "argument"
    #: Set by the server, read-only.
    COMPUTED = "computed"
    #: Set by the user, never sent: it steers the provider (``timeouts``, a write-only argument's version).
    LOCAL = "local"


@dataclass(frozen=True, eq=False)
class Attr:
    """One attribute of a kind (or a member of a nested one), as every layer needs to know it."""

    name: str
    type: ValueType
    description: str
    role: Role = Role.ARGUMENT
    #: Where it lives in the API document: ``metadata.displayName``, ``spec.runtime``, ``status``; a member's
    #: key in its object (``endpointName``). None: not on the wire (``LOCAL``).
    wire: str | None = None
    required: bool = False
    default: Any = None
    forces_replacement: bool = False
    sensitive: bool = False
    write_only: bool = False
    #: A write-only argument's version argument: the value is sent again when the version changes.
    version: str | None = None
    #: For a write-only argument: the argument to use with a Terraform that has no write-only arguments.
    instead: str | None = None
    #: Sent to the API, never read back (the API masks it): the state keeps the configuration's value.
    secret: bool = False
    unordered: bool = False
    #: The Terraform type of the kind whose names this argument lists (``blaxel_integration_connection``).
    refers_to: str | None = None
    choices: tuple[str, ...] = ()
    #: Why a string value is invalid, or None when it is valid.
    check: Callable[[str], str | None] | None = None
    members: tuple[Attr, ...] = ()
    #: A computed attribute that an update changes (so a plan shows it as known after apply).
    changes_on_update: bool = False
    #: The keyword the kind's construct takes this argument as, when it is not ``name`` (``IntegrationConnection``
    #: takes ``secret_wo`` as ``secret``): what generated construct code writes (``workspace_import``).
    construct_keyword: str | None = None

    @property
    def optional(self) -> bool:
        """Settable and not required."""
        return self.role is not Role.COMPUTED and not self.required

    @property
    def keyword(self) -> str:
        """The construct's keyword for this argument (``construct_keyword``, else ``name``)."""
        return self.construct_keyword or self.name

    @property
    def readable(self) -> bool:
        """The API answers it: on the wire, and neither secret nor write-only."""
        return self.wire is not None and not self.secret and not self.write_only

    @property
    def wire_path(self) -> tuple[str, ...]:
        """``wire`` as a path of keys (empty when not on the wire)."""
        return tuple(self.wire.split(".")) if self.wire else ()

    def wire_value(self, document: Any) -> Any:
        """Its value in an API document, as the API wrote it (None where absent); a masked secret too, whose keys
        are what a reader may use (its values are masks)."""
        return _get(document, self.wire_path)

    def member(self, name: str) -> Attr:
        """The nested member ``name`` (``KeyError`` when there is none)."""
        for member in self.members:
            if member.name == name:
                return member
        raise KeyError(f"{self.name} has no member {name!r}")


@dataclass(frozen=True)
class Problem:
    """One invalid value: where it is (a Terraform attribute path) and why it is wrong."""

    path: list[PathStep]
    summary: str
    detail: str


@dataclass(frozen=True)
class Lifecycle:
    """A kind whose creates and updates start a deployment that the handler waits for.

    ``goal`` is the status a create or update of a document ends in; ``failure_hint`` what a failed
    deployment's diagnostic tells the user to check; a refresh that finds ``gone_status`` reads the object as gone.
    """

    goal: Callable[[Mapping[str, Any]], str]
    failure_hint: str
    gone_status: str = "DELETING"

    def settling(self, status: Any) -> bool:
        """Whether an object in ``status`` is still deploying (not being deleted): an apply waits for it."""
        return isinstance(status, str) and status in rules.IN_PROGRESS_STATUSES and status != self.gone_status


@dataclass(frozen=True)
class OperationTimeouts:
    """Default seconds each operation may take, waits and retries included."""

    create: float
    update: float
    delete: float

    def of(self, action: str) -> float:
        seconds: float = getattr(self, action)
        return seconds


@dataclass(frozen=True)
class Docs:
    """What the resource's documentation page says beyond its schema: ``intro``, and how to import ``what``."""

    intro: str
    import_what: str


def _selection(keep: Callable[[Attr], bool]) -> functools.cached_property[tuple[Attr, ...]]:
    """A kind's attributes that ``keep`` keeps, in schema order, computed once."""

    def select(kind: Kind) -> tuple[Attr, ...]:
        return tuple(attr for attr in kind.attributes if keep(attr))

    return functools.cached_property(select)


@dataclass(frozen=True, eq=False)
class Kind:
    """One kind of Blaxel object, described once (module docstring)."""

    #: What messages call one (``integration connection``).
    noun: str
    #: The short word in hints (``connection``: "Import takes the connection's name").
    short_noun: str
    #: Terraform type of the resource and the data source (``blaxel_integration_connection``).
    type_name: str
    #: The API's kind of document (``IntegrationConnection``).
    document_kind: str
    #: API path of the collection (``/integrations/connections``): list, create; ``{collection}/{name}``: one.
    collection: str
    description: str
    data_description: str
    attributes: tuple[Attr, ...]
    timeouts: OperationTimeouts
    docs: Docs
    #: (module, class) of the construct users write (``("blaxel_constructs.constructs", "Policy")``).
    construct: tuple[str, str]
    #: (module, class) of the pydantic document.
    document: tuple[str, str]
    lifecycle: Lifecycle | None = None
    #: Whether a ``timeouts`` argument (``create``/``update``/``delete`` durations) overrides ``timeouts``.
    configurable_timeouts: bool = False
    #: Whether a plan's refreshes are served from one list of the workspace (``provider/refresh_snapshot``).
    list_refresh: bool = False
    #: Whether its constructs label each object with their path (``rules.OWNER_LABEL``), so that a create
    #: interrupted after its request adopts the object on the next apply.
    owner_label: bool = False
    #: Whether a delete refused with 409 "in use" is retried until the delete timeout.
    delete_waits_while_in_use: bool = False
    #: Rules across arguments (Terraform names): problems beyond each value's own checks.
    rules: tuple[Callable[[Mapping[str, Any]], Iterable[Problem]], ...] = ()

    # -- names ----------------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """``integration_connection``: the type without the provider's prefix (``tf``'s resource name,
        ``BlaxelClient.get_<name>``, ``docs/resources/<name>.md``)."""
        return self.type_name.split("_", 1)[1]

    @property
    def title(self) -> str:
        """The noun with a capital (``Integration connection``)."""
        return self.noun[:1].upper() + self.noun[1:]

    # -- attributes -----------------------------------------------------------------------------------

    def find(self, name: str) -> Attr | None:
        """The attribute ``name``, or None."""
        return self._by_name.get(name)

    def attribute(self, name: str) -> Attr:
        """The attribute ``name`` (``KeyError`` when there is none)."""
        return self._by_name[name]

    @functools.cached_property
    def _by_name(self) -> dict[str, Attr]:
        return {attr.name: attr for attr in self.attributes}

    #: What a user writes: arguments and local arguments, in schema order.
    settable = _selection(lambda a: a.role is not Role.COMPUTED)
    #: The arguments sent to the API (secret and write-only ones included).
    arguments = _selection(lambda a: a.role is Role.ARGUMENT)
    #: The arguments the API answers: what create-once compares and a refresh reads.
    compared = _selection(lambda a: a.role is Role.ARGUMENT and a.readable)
    #: Server-set attributes (``id``, ``workspace``, ``status``...).
    computed = _selection(lambda a: a.role is Role.COMPUTED)
    #: Arguments null in every plan and state (Terraform 1.11 write-only arguments).
    write_only = _selection(lambda a: a.write_only)
    #: Arguments sent and never read back (the API masks them), write-only ones included.
    secrets = _selection(lambda a: a.secret or a.write_only)
    #: What the data source exposes: every attribute the API answers (no local or secret argument).
    data_attributes = _selection(lambda a: a.role is Role.COMPUTED or a.readable)
    #: Arguments that name objects of another kind (``refers_to``).
    references = _selection(lambda a: a.refers_to is not None)

    @functools.cached_property
    def local_only(self) -> tuple[Attr, ...]:
        """Local arguments whose change needs no API call (``timeouts``; not a write-only argument's version)."""
        versions = {a.version for a in self.write_only}
        return tuple(a for a in self.attributes if a.role is Role.LOCAL and a.name not in versions)

    def timeout(self, state: Mapping[str, Any] | None, action: str) -> float:
        """Seconds ``action`` (create, update, delete) may take: the ``timeouts`` argument's, or the default."""
        configured = (state or {}).get("timeouts") if self.configurable_timeouts else None
        given = configured.get(action) if isinstance(configured, Mapping) else None
        return parse_duration(given) if isinstance(given, str) and given else self.timeouts.of(action)

    # -- the codec ------------------------------------------------------------------------------------

    def document_of(self, values: Mapping[str, Any], *, prior: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The API document ``{metadata, spec}`` of Terraform-style ``values``; absent (None) values omitted.

        A write-only argument is sent on a create (``prior`` None) and when its ``version`` changed since
        ``prior``; it wins over another argument of the same wire place (``secret_wo`` over ``secret``).
        PUT replaces the whole document, so callers always pass every argument they manage.
        """
        document: dict[str, Any] = {"metadata": {}, "spec": {}}
        from_write_only: set[str] = set()
        for attr in self.arguments:
            value = values.get(attr.name)
            if value is None:
                continue
            if attr.write_only:
                if prior is not None and attr.version and prior.get(attr.version) == values.get(attr.version):
                    continue
                from_write_only.add(attr.wire or "")
            elif attr.wire in from_write_only:
                continue
            _put(document, attr.wire_path, _encode(attr, value))
        return document

    def arguments_of(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """Terraform-style values of an API document: every argument the API answers and every computed
        attribute, None where the API left it out; never a secret (the API masks them)."""
        values: dict[str, Any] = {}
        for attr in self.attributes:
            if attr.readable or (attr.role is Role.COMPUTED and attr.wire):
                values[attr.name] = _decode(attr, attr.wire_value(document))
        return values

    def state_of(self, document: Mapping[str, Any], *, prior: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Every attribute Terraform stores for an API document.

        ``prior`` is the state or plan Terraform holds (None on import): where the remote value means the same
        as the prior one, the prior spelling is kept, so a plan right after an apply is empty while a change
        made elsewhere shows as drift. Local and secret arguments keep the prior value (never read), write-only
        ones are null.
        """
        remote = self.arguments_of(document)
        state: dict[str, Any] = {}
        for attr in self.attributes:
            if attr.write_only:
                state[attr.name] = None
            elif attr.role is Role.COMPUTED:
                state[attr.name] = remote.get(attr.name)
            elif not attr.readable:
                state[attr.name] = prior.get(attr.name) if prior is not None else None
            else:
                value = remote[attr.name]
                if isinstance(value, Mapping) and all(member is None for member in value.values()):
                    value = None  # ``maxTokens: {}``: an object with nothing set, as absent
                state[attr.name] = stored_value(
                    value,
                    prior.get(attr.name) if prior is not None else None,
                    has_prior=prior is not None,
                    default=attr.default,
                    unordered=attr.unordered,
                    keep_empty=attr.required,
                )
        return state

    def same_document(self, first: Any, second: Any) -> bool:
        """Whether two API documents describe the same object: every argument the API answers, by the one rule
        of ``document.equivalence``, and any other ``spec`` member the API may know and this description does
        not, compared with empty members dropped. Never status, events, server-set metadata or a secret.
        Malformed documents compare, never raise.
        """
        first_values, first_rest = self._split(first)
        second_values, second_rest = self._split(second)
        return all(
            same_value(first_values.get(a.name), second_values.get(a.name), default=a.default, unordered=a.unordered)
            for a in self.compared
        ) and normal(first_rest) == normal(second_rest)

    def carries_secret(self, document: Mapping[str, Any]) -> bool:
        """Whether ``document`` sends a value that the API never answers (so no read can confirm it)."""
        return any(attr.wire_value(document) is not None for attr in self.secrets if attr.wire)

    def _split(self, document: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """The arguments of ``document`` (snake_case) and the well-formed ``spec`` members outside them."""
        metadata = document.get("metadata") if isinstance(document, Mapping) else None
        spec = document.get("spec") if isinstance(document, Mapping) else None
        metadata = metadata if isinstance(metadata, Mapping) else {}
        spec = spec if isinstance(spec, Mapping) else {}
        known = {a.wire_path[1]: a for a in self.arguments if len(a.wire_path) == 2 and a.wire_path[0] == "spec"}
        mapped = {k: v for k, v in spec.items() if k in known and (v is None or _well_formed(known[k], v))}
        rest = {k: v for k, v in spec.items() if k not in mapped}
        return self.arguments_of({"metadata": metadata, "spec": mapped}), rest

    # -- checks ---------------------------------------------------------------------------------------

    def config_problems(self, config: Mapping[str, Any], *, plan: bool = False) -> list[Problem]:
        """Every rule the configuration breaks, in attribute order, then the kind's own ``rules``.

        Values that are not concrete (unknown until another resource is applied, plain or refined) are
        skipped: they are checked again once known. At ``plan`` a write-only argument counts as not known,
        since Terraform hands the provider null in its place.
        """
        if plan and self.write_only:
            config = {**config, **{a.name: NOT_KNOWN for a in self.write_only if config.get(a.name) is None}}
        found: list[Problem] = []
        for attr in self.settable:
            found += _value_problems([attr.name], attr, config.get(attr.name))
        for rule in self.rules:
            found += rule(config)
        return found


# -- building descriptions: the attributes every kind has -----------------------------------------------


def argument(name: str, type: ValueType, description: str, *, wire: str, **options: Any) -> Attr:
    """An argument sent to the API at ``wire``."""
    return Attr(name, type, description, wire=wire, **options)


def local(name: str, type: ValueType, description: str, **options: Any) -> Attr:
    """An argument that never reaches the API."""
    return Attr(name, type, description, role=Role.LOCAL, **options)


def computed(name: str, description: str, *, wire: str, **options: Any) -> Attr:
    """A server-set string attribute."""
    return Attr(name, ValueType.STRING, description, role=Role.COMPUTED, wire=wire, **options)


def name_argument(noun: str) -> Attr:
    """``name``: unique in the workspace, immutable."""
    return argument(
        "name",
        ValueType.STRING,
        "Unique name in the workspace: lowercase letters, digits and `-`, at most 49 characters. "
        f"Changing it replaces the {noun}.",
        wire="metadata.name",
        required=True,
        forces_replacement=True,
        check=rules.name_problem,
    )


def display_name_argument() -> Attr:
    return argument(
        "display_name",
        ValueType.STRING,
        "Human-readable name, at most 63 characters.",
        wire="metadata.displayName",
        check=rules.display_name_problem,
    )


def labels_argument() -> Attr:
    return argument("labels", ValueType.STRING_MAP, "Key-value labels.", wire="metadata.labels")


def computed_metadata(noun: str) -> tuple[Attr, ...]:
    """``id`` (the name), workspace, times and authors: what the server sets on every named object."""
    return (
        computed("id", f"The {noun}'s name.", wire="metadata.name"),
        computed("workspace", f"Workspace the {noun} belongs to.", wire="metadata.workspace"),
        *computed_history(noun),
    )


def computed_history(noun: str) -> tuple[Attr, ...]:
    """When and by whom the object was created and last updated (the last two change with every update)."""
    return (
        computed("created_at", "Creation time (RFC 3339).", wire="metadata.createdAt"),
        computed("updated_at", "Last update time (RFC 3339).", wire="metadata.updatedAt", changes_on_update=True),
        computed("created_by", f"Who created the {noun}.", wire="metadata.createdBy"),
        computed("updated_by", f"Who last updated the {noun}.", wire="metadata.updatedBy", changes_on_update=True),
    )


def non_empty(example: str) -> Callable[[str], str | None]:
    """A check refusing the empty string, with ``example`` of what to write."""

    def problem(value: str) -> str | None:
        return f"must not be empty ({example})" if not value else None

    return problem


def choice_problem(value: str, choices: tuple[str, ...]) -> str | None:
    """Why ``value`` is not one of ``choices``, or None."""
    return None if value in choices else f"must be one of {', '.join(choices)} (got {value!r})"


def duration_problem(value: str) -> str | None:
    """Why ``value`` is not a Terraform duration, or None."""
    try:
        parse_duration(value)
    except DurationError as exc:
        return str(exc)
    return None


def dotted(path: list[PathStep]) -> str:
    """``["flavors", (0,), "type"]`` -> ``flavors[0].type``."""
    out = ""
    for step in path:
        out += f"[{step[0]}]" if isinstance(step, tuple) else (f".{step}" if out else step)
    return out


def invalid(path: list[PathStep], reason: str) -> Problem:
    """The problem of one value: summary ``Invalid <path>``, detail ``<path> <reason>.``"""
    return Problem(path, f"Invalid {dotted(path)}", f"{dotted(path)} {reason}.")


# -- the codec and the checks, attribute by attribute ----------------------------------------------------


def _put(document: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    target = document
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value


def _get(document: Any, path: tuple[str, ...]) -> Any:
    value = document
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _encode(attr: Attr, value: Any) -> Any:
    """A Terraform-shaped value as the API writes it: members renamed, None members omitted."""
    if attr.type is ValueType.OBJECT and isinstance(value, Mapping):
        return {m.wire or m.name: _encode(m, value[m.name]) for m in attr.members if value.get(m.name) is not None}
    if attr.type is ValueType.OBJECT_LIST and isinstance(value, list | tuple):
        return [_encode(_element(attr), item) for item in value]
    if attr.type is ValueType.STRING_LIST and isinstance(value, list | tuple):
        return list(value)
    if attr.type is ValueType.STRING_MAP and isinstance(value, Mapping):
        return dict(value)
    return value


def _decode(attr: Attr, value: Any) -> Any:
    """An API value in Terraform's shape: every member present (None when the API left it out)."""
    if attr.type is ValueType.OBJECT and isinstance(value, Mapping):
        return {m.name: _decode(m, value.get(m.wire or m.name)) for m in attr.members}
    if attr.type is ValueType.OBJECT_LIST and isinstance(value, list):
        element = _element(attr)
        return [_decode(element, item) for item in value]
    return value


@functools.cache
def _element(attr: Attr) -> Attr:
    """One element of a list of objects, as an object attribute."""
    return Attr(attr.name, ValueType.OBJECT, attr.description, members=attr.members)


def _well_formed(attr: Attr, value: Any) -> bool:
    if attr.type is ValueType.OBJECT:
        return isinstance(value, Mapping)
    if attr.type is ValueType.OBJECT_LIST:
        return isinstance(value, list) and all(isinstance(item, Mapping) for item in value)
    return True


def _value_problems(path: list[PathStep], attr: Attr, value: Any) -> Iterator[Problem]:
    """The problems of one concrete value; anything not of the expected Python type counts as not known."""
    if attr.type is ValueType.STRING and isinstance(value, str):
        reason = choice_problem(value, attr.choices) if attr.choices else None
        if reason is None and attr.check is not None:
            reason = attr.check(value)
        if reason:
            yield invalid(path, reason)
    elif attr.type is ValueType.STRING_LIST and attr.choices and isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str) and (reason := choice_problem(item, attr.choices)):
                yield invalid([*path, (index,)], reason)
    elif attr.type is ValueType.OBJECT and isinstance(value, dict):
        for member in attr.members:
            yield from _value_problems([*path, member.name], member, value.get(member.name))
    elif attr.type is ValueType.OBJECT_LIST and isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                for member in attr.members:
                    yield from _value_problems([*path, (index,), member.name], member, item.get(member.name))


def is_concrete(value: Any) -> bool:
    """A known value: not null, not unknown, not a refined unknown (which arrives as a raw extension)."""
    return value is not None and value is not NOT_KNOWN and isinstance(value, str | dict | int | float | bool)
