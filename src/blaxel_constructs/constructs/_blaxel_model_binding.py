"""``BlaxelModelResource``: the low-level (L1) binding of the ``blaxel_model`` Terraform resource.

It maps keyword arguments one to one onto Terraform arguments and checks nothing: ``ModelEndpoint``
(the L2 users should reach for) resolves defaults and validates, then creates exactly one of these
as its ``Resource`` child. Hand-written in the style of a ``cdktf get`` binding: cdktf calls
``_synthesize_attributes`` for ``cdktf synth`` and ``_synthesize_hcl_attributes`` for
``cdktf synth --hcl`` (the leading underscores matter; without them the overrides are silently
ignored and the resource synthesizes empty). Both come from the same values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from constructs import Construct

from blaxel_constructs.constructs._hcl import HclKind, hcl_attributes
from blaxel_constructs.constructs._resource_binding import create_unchecked, generator_metadata, unquote_references
from blaxel_constructs.constructs.framework import framework_base, framework_of

if TYPE_CHECKING:
    from cdktf import IResolvable, ITerraformDependable, TerraformProvider
    from cdktf import TerraformResource as _ResourceBase
else:  # the app's framework (cdktf or cdktn) supplies the real base class: see constructs.framework
    _ResourceBase = framework_base("TerraformResource")

__all__ = ["RESOURCE_TYPE", "BlaxelModelResource"]

#: Terraform resource type of a Blaxel model gateway endpoint.
RESOURCE_TYPE: Final = "blaxel_model"


#: How each argument is written by ``cdktf synth --hcl``; an argument missing here fails that synth loudly.
_HCL_KINDS: Final[Mapping[str, HclKind]] = MappingProxyType(
    {
        "name": HclKind.STRING,
        "display_name": HclKind.STRING,
        "external_id": HclKind.STRING,
        "labels": HclKind.STRING_MAP,
        "enabled": HclKind.BOOLEAN,
        "sandbox": HclKind.BOOLEAN,
        "flavors": HclKind.OBJECT_LIST,
        "integration_connections": HclKind.STRING_LIST,
        "policies": HclKind.STRING_LIST,
        "runtime": HclKind.OBJECT,
        "timeouts": HclKind.OBJECT,
    }
)


class BlaxelModelResource(_ResourceBase):
    """A ``blaxel_model`` resource, argument for argument (snake_case); None means "not set".

    Reach for it directly only to set something ``ModelEndpoint`` does not model; values are
    passed to Terraform as given (the provider validates them at plan time).
    """

    TF_RESOURCE_TYPE: Final = RESOURCE_TYPE

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        runtime: Mapping[str, Any] | Any | None = None,
        display_name: str | None = None,
        external_id: str | None = None,
        labels: Mapping[str, str] | Any | None = None,
        flavors: Sequence[Mapping[str, Any]] | Any | None = None,
        integration_connections: Sequence[str] | Any | None = None,
        policies: Sequence[str] | Any | None = None,
        enabled: bool | IResolvable | None = None,
        sandbox: bool | IResolvable | None = None,
        timeouts: Mapping[str, str] | None = None,
        provider: TerraformProvider | None = None,
        depends_on: Sequence[ITerraformDependable] | None = None,
    ) -> None:
        self._arguments: dict[str, Any] = {
            "name": name,
            "display_name": display_name,
            "external_id": external_id,
            "labels": labels,
            "enabled": enabled,
            "sandbox": sandbox,
            "flavors": flavors,
            "integration_connections": integration_connections,
            "policies": policies,
            "runtime": runtime,
            "timeouts": timeouts,
        }
        framework = framework_of(self).name
        if provider is not None or depends_on is not None:
            super().__init__(
                scope,
                id,
                terraform_resource_type=RESOURCE_TYPE,
                terraform_generator_metadata=generator_metadata(framework),
                provider=provider,
                depends_on=list(depends_on) if depends_on is not None else None,
            )
            return
        create_unchecked(self, scope, id, framework, RESOURCE_TYPE)  # most endpoints: no typeguard checks

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        """The resource's Terraform arguments, without the unset ones (inside ``runtime`` too)."""
        attributes = {name: value for name, value in self._arguments.items() if value is not None}
        runtime = attributes.get("runtime")
        if isinstance(runtime, Mapping):
            attributes["runtime"] = {key: value for key, value in runtime.items() if value is not None}
        return attributes

    def _synthesize_hcl_attributes(self) -> Mapping[str, Any]:
        """The same arguments for ``cdktf synth --hcl``, each typed for cdktf's HCL renderer (see ``_hcl``)."""
        return hcl_attributes(self._synthesize_attributes(), _HCL_KINDS)

    def to_hcl_terraform(self) -> Any:
        """cdktf's HCL of this resource, with ``provider`` and ``depends_on`` written as references (see
        ``unquote_references``)."""
        return unquote_references(super().to_hcl_terraform(), RESOURCE_TYPE)

    @property
    def arguments(self) -> Mapping[str, Any]:
        """The arguments as given (None: not set), read-only: what aspects and policies inspect before synth."""
        return MappingProxyType(self._arguments)

    def add_labels(self, labels: Mapping[str, str]) -> None:
        """Merge ``labels`` into the ``labels`` argument, unchecked (``ModelEndpoint.add_labels`` checks)."""
        current = self._arguments.get("labels")
        self._arguments["labels"] = {**(current or {}), **labels}

    @property
    def model_name(self) -> str:
        """Reference to the model's ``name`` (``${blaxel_model.<id>.name}``)."""
        return str(self.get_string_attribute("name"))

    @property
    def url(self) -> str:
        """Reference to the endpoint URL, known after apply."""
        return str(self.get_string_attribute("url"))

    @property
    def status(self) -> str:
        """Reference to the deployment status (``DEPLOYED`` once apply succeeded)."""
        return str(self.get_string_attribute("status"))

    @property
    def workspace(self) -> str:
        """Reference to the workspace the model lives in."""
        return str(self.get_string_attribute("workspace"))

    @property
    def plan(self) -> str:
        """Reference to the billing plan."""
        return str(self.get_string_attribute("plan"))

    @property
    def created_at(self) -> str:
        """Reference to the creation time."""
        return str(self.get_string_attribute("created_at"))

    @property
    def updated_at(self) -> str:
        """Reference to the last update time."""
        return str(self.get_string_attribute("updated_at"))
