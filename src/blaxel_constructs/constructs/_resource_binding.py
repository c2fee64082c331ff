"""``ArgumentsResource``: what the L1 bindings of ``blaxel_integration_connection`` and ``blaxel_policy`` share.

A binding maps keyword arguments one to one onto Terraform arguments (snake_case; None means "not
set") and checks nothing: the L2 constructs validate. cdktf calls ``_synthesize_attributes`` for
``cdktf synth`` and ``_synthesize_hcl_attributes`` for ``cdktf synth --hcl`` (the leading underscores
matter: without them the overrides are silently ignored). Both come from the same values; the HCL
one types each argument from the subclass's ``HCL_KINDS`` table (see ``_hcl``), so an argument
missing there fails that synth loudly instead of vanishing.

``blaxel_model`` keeps its own binding (``_blaxel_model_binding``), tuned for stacks of a thousand
endpoints; connections and policies are few per stack and use the framework's ordinary constructor.
What all three share lives here: the generator metadata and the HCL fix of ``provider``/``depends_on``
(``unquote_references``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from constructs import Construct

from blaxel_constructs._version import __version__
from blaxel_constructs.constructs._hcl import HclKind, hcl_attributes
from blaxel_constructs.constructs.blaxel_provider import PROVIDER_TYPE
from blaxel_constructs.constructs.framework import framework_base, framework_named, framework_of

if TYPE_CHECKING:
    from cdktf import ITerraformDependable, TerraformProvider
    from cdktf import TerraformResource as _ResourceBase
else:  # the app's framework (cdktf or cdktn) supplies the real base class: see constructs.framework
    _ResourceBase = framework_base("TerraformResource")

__all__ = ["ArgumentsResource", "generator_metadata", "unquote_references", "without_unset"]


@functools.cache
def generator_metadata(framework: str) -> Any:
    """The same for every resource: a jsii struct (a plain Python value until it is sent), built once per
    framework because building one runs the framework's runtime type checks, a measurable share of
    synthesizing many endpoints."""
    module = framework_named(framework).module
    return module.TerraformProviderGeneratorMetadata(
        provider_name=PROVIDER_TYPE, provider_version_constraint=__version__
    )


def without_unset(value: Any) -> Any:
    """``value`` without None entries, inside nested mappings and lists of mappings too (tokens unchanged)."""
    if isinstance(value, Mapping):
        return {key: without_unset(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [without_unset(item) for item in value]
    return value


class ArgumentsResource(_ResourceBase):
    """A Terraform resource of the ``blaxel`` provider whose arguments are given as keywords, unchecked."""

    #: The Terraform resource type (``blaxel_policy``); set by each subclass.
    TF_RESOURCE_TYPE: ClassVar[str]
    #: How each argument is written by ``cdktf synth --hcl``; set by each subclass.
    HCL_KINDS: ClassVar[Mapping[str, HclKind]]

    def __init__(
        self,
        scope: Construct,
        id: str,
        arguments: Mapping[str, Any],
        *,
        provider: TerraformProvider | None = None,
        depends_on: Sequence[ITerraformDependable] | None = None,
    ) -> None:
        self._arguments: dict[str, Any] = dict(arguments)
        super().__init__(
            scope,
            id,
            terraform_resource_type=self.TF_RESOURCE_TYPE,
            terraform_generator_metadata=generator_metadata(framework_of(scope).name),
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

    def _string(self, attribute: str) -> str:
        return str(self.get_string_attribute(attribute))


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
