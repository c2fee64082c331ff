"""``ArgumentsResource``: the one L1 binding of every kind (``BlaxelModelResource``, ``BlaxelPolicyResource``...).

A binding maps keyword arguments one to one onto the Terraform arguments of its ``KIND`` (snake_case, every
settable attribute of the kind's description; None means "not set"; an unknown keyword is a ``TypeError``)
and checks nothing: the L2 constructs validate. cdktf calls ``_synthesize_attributes`` for ``cdktf synth``
and ``_synthesize_hcl_attributes`` for ``cdktf synth --hcl`` (the leading underscores matter: without them
the overrides are silently ignored). Both come from the same values; the HCL one types each argument from
the description's ``ValueType`` (``HCL_KINDS``, see ``_hcl``), so an argument the table lacks fails that
synth loudly instead of vanishing.

What every binding shares lives here: the generator metadata, the constructor that skips the framework's
run-time type checks for a resource with no explicit provider and no dependencies (``create_unchecked``: a
gateway stack has a connection and a policy per endpoint, so they count as much as the models), and the HCL
fix of ``provider``/``depends_on`` (``unquote_references``). Each kind's subclass, beside its L2 construct,
sets ``KIND`` and adds its read-only references.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Final, Generic, TypeVar

import jsii
from constructs import Construct

from blaxel_constructs._version import __version__
from blaxel_constructs.constructs._hcl import HclKind, hcl_attributes
from blaxel_constructs.constructs.blaxel_provider import PROVIDER_TYPE
from blaxel_constructs.constructs.framework import framework_base, framework_named, framework_of
from blaxel_constructs.kinds.description import Kind, ValueType

if TYPE_CHECKING:
    from cdktf import ITerraformDependable, TerraformProvider
    from cdktf import TerraformResource as _ResourceBase
else:  # the app's framework (cdktf or cdktn) supplies the real base class: see constructs.framework
    _ResourceBase = framework_base("TerraformResource")

__all__ = [
    "ArgumentsResource",
    "ObjectConstruct",
    "create_unchecked",
    "generator_metadata",
    "hcl_kinds",
    "unquote_references",
    "without_unset",
]

_HCL_KIND_OF: Final = {
    ValueType.STRING: HclKind.STRING,
    ValueType.BOOL: HclKind.BOOLEAN,
    ValueType.NUMBER: HclKind.NUMBER,
    ValueType.STRING_LIST: HclKind.STRING_LIST,
    ValueType.STRING_MAP: HclKind.STRING_MAP,
    ValueType.OBJECT: HclKind.OBJECT,
    ValueType.OBJECT_LIST: HclKind.OBJECT_LIST,
}


@functools.cache
def hcl_kinds(kind: Kind) -> Mapping[str, HclKind]:
    """How ``cdktf synth --hcl`` writes each settable argument of ``kind``."""
    return MappingProxyType({attr.name: _HCL_KIND_OF[attr.type] for attr in kind.settable})


@functools.cache
def generator_metadata(framework: str) -> Any:
    """The same for every resource: a jsii struct (a plain Python value until it is sent), built once per
    framework because building one runs the framework's runtime type checks, a measurable share of
    synthesizing many endpoints."""
    module = framework_named(framework).module
    return module.TerraformProviderGeneratorMetadata(
        provider_name=PROVIDER_TYPE, provider_version_constraint=__version__
    )


@functools.cache
def _plain_config(framework: str, resource_type: str) -> Any:
    """The configuration of a ``resource_type`` resource with no explicit provider and no dependencies, built
    once per framework and type (a jsii struct is a plain Python value until it is sent)."""
    module = framework_named(framework).module
    return module.TerraformResourceConfig(
        terraform_resource_type=resource_type, terraform_generator_metadata=generator_metadata(framework)
    )


def create_unchecked(resource: Any, scope: Construct, id: str, framework: str, resource_type: str) -> None:
    """What ``TerraformResource.__init__`` (cdktf 0.21.0 and cdktn 0.24.0 alike) does for a resource with no
    explicit provider and no dependencies, minus its run-time type checks.

    The framework's constructor re-derives the type hints of eleven arguments and checks each with
    typeguard, about 0.2 ms per resource, a fifth of synthesizing a large stack. The configuration here
    is our own constant, so only ``scope`` and ``id`` need checking, and two isinstance calls do that.
    """
    if not isinstance(scope, Construct):
        raise TypeError(f"scope must be a Construct (got {type(scope).__name__})")
    if not isinstance(id, str):
        raise TypeError(f"id must be a string (got {type(id).__name__})")
    jsii.create(resource.__class__, resource, [scope, id, _plain_config(framework, resource_type)])


def without_unset(value: Any) -> Any:
    """``value`` without None entries, inside nested mappings and lists of mappings too (tokens unchanged)."""
    if isinstance(value, Mapping):
        return {key: without_unset(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [without_unset(item) for item in value]
    return value


class ArgumentsResource(_ResourceBase):
    """A Terraform resource of the ``blaxel`` provider whose arguments are given as keywords, unchecked."""

    #: The kind whose resource this is; set by each subclass.
    KIND: ClassVar[Kind]
    #: The Terraform resource type (``blaxel_policy``), from ``KIND``.
    TF_RESOURCE_TYPE: ClassVar[str]
    #: How each argument is written by ``cdktf synth --hcl``, from ``KIND``.
    HCL_KINDS: ClassVar[Mapping[str, HclKind]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        kind = cls.__dict__.get("KIND")
        if kind is not None:
            cls.TF_RESOURCE_TYPE = kind.type_name
            cls.HCL_KINDS = hcl_kinds(kind)

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        provider: TerraformProvider | None = None,
        depends_on: Sequence[ITerraformDependable] | None = None,
        **arguments: Any,
    ) -> None:
        unknown = arguments.keys() - self.HCL_KINDS.keys()
        if unknown:
            raise TypeError(
                f"{type(self).__name__}() got unexpected keyword argument(s) {', '.join(sorted(unknown))}; "
                f"{self.TF_RESOURCE_TYPE} takes {', '.join(self.HCL_KINDS)}"
            )
        self._arguments: dict[str, Any] = {name: arguments.get(name) for name in self.HCL_KINDS}
        framework = framework_of(self).name
        if provider is None and depends_on is None:
            create_unchecked(self, scope, id, framework, self.TF_RESOURCE_TYPE)
            return
        super().__init__(
            scope,
            id,
            terraform_resource_type=self.TF_RESOURCE_TYPE,
            terraform_generator_metadata=generator_metadata(framework),
            provider=provider,
            depends_on=list(depends_on) if depends_on is not None else None,
        )

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        """The resource's Terraform arguments, without the unset ones (inside nested attributes too)."""
        return {name: without_unset(value) for name, value in self._arguments.items() if value is not None}

    def _synthesize_hcl_attributes(self) -> Mapping[str, Any]:
        """The same arguments for ``cdktf synth --hcl``, each typed for cdktf's HCL renderer (see ``_hcl``)."""
        return hcl_attributes(self._synthesize_attributes(), self.HCL_KINDS)

    def to_hcl_terraform(self) -> Any:
        """cdktf's HCL of this resource, with ``provider`` and ``depends_on`` written as references, not strings."""
        return unquote_references(super().to_hcl_terraform(), self.TF_RESOURCE_TYPE)

    @property
    def arguments(self) -> Mapping[str, Any]:
        """The arguments as given (None: not set), read-only: what aspects inspect before synth."""
        return MappingProxyType(self._arguments)

    def add_labels(self, labels: Mapping[str, str]) -> None:
        """Merge ``labels`` into the ``labels`` argument, unchecked (the L2 construct checks)."""
        current = self._arguments.get("labels")
        self._arguments["labels"] = {**(current or {}), **labels}

    @property
    def workspace(self) -> str:
        """Reference to the workspace the object lives in."""
        return self._string("workspace")

    @property
    def created_at(self) -> str:
        """Reference to the creation time."""
        return self._string("created_at")

    @property
    def updated_at(self) -> str:
        """Reference to the last update time."""
        return self._string("updated_at")

    def reference(self, attribute: str) -> str:
        """A Terraform reference to one of the resource's attributes (``${blaxel_model.<id>.url}``)."""
        return str(self.get_string_attribute(attribute))

    def _string(self, attribute: str) -> str:
        return self.reference(attribute)


Binding = TypeVar("Binding", bound=ArgumentsResource)


class ObjectConstruct(Construct, Generic[Binding]):
    """What every L2 construct of a kind shares: its one child, ``Resource`` (its L1 binding, ``_resource``),
    whose Terraform type and workspace it exposes."""

    _resource: Binding

    @property
    def resource(self) -> Binding:
        """The resource this construct manages (its ``Resource`` child, e.g. a ``blaxel_model``)."""
        return self._resource

    @property
    def terraform_resource_type(self) -> str:
        """The Terraform resource type (``blaxel_policy``)."""
        return self._resource.TF_RESOURCE_TYPE

    @property
    def workspace(self) -> str:
        """The workspace the object lives in, as a Terraform reference."""
        return self._resource.workspace


def unquote_references(config: Any, resource_type: str) -> Any:
    """``config`` (cdktf's HCL of a resource) with ``provider`` and ``depends_on`` written as bare references.

    cdktf 0.21 writes them quoted (``provider = "blaxel.shared"``), which Terraform accepts only with a
    "Quoted references are deprecated" warning; the JSON synth has no such problem.
    """
    for body in config.get("resource", {}).get(resource_type, {}).values():
        provider = body.get("provider")
        if isinstance(provider, str):
            body["provider"] = _reference(provider)
        depends_on = body.get("depends_on")
        if isinstance(depends_on, list) and all(isinstance(item, str) for item in depends_on):
            body["depends_on"] = _reference(f"[{', '.join(depends_on)}]")
    return config


def _reference(expression: str) -> dict[str, Any]:
    """An HCL attribute written as a bare expression (cdktf's renderer type ``reference``)."""
    return {"value": expression, "isBlock": False, "type": "reference", "storageClassType": "reference"}
