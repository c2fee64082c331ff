"""``BlaxelPolicyResource``: the low-level (L1) binding of the ``blaxel_policy`` Terraform resource.

It maps keyword arguments one to one onto Terraform arguments and checks nothing: ``Policy`` (the
L2 users should reach for) validates, then creates exactly one of these as its ``Resource`` child.
JSON and HCL synthesis come from the same values (``ArgumentsResource``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Final

from constructs import Construct

from blaxel_constructs.constructs._hcl import HclKind
from blaxel_constructs.constructs._resource_binding import ArgumentsResource

if TYPE_CHECKING:
    from cdktf import IResolvable, ITerraformDependable, TerraformProvider

__all__ = ["POLICY_RESOURCE_TYPE", "BlaxelPolicyResource"]

#: Terraform resource type of a Blaxel policy (where a model may run, on which flavors, how many tokens).
POLICY_RESOURCE_TYPE: Final = "blaxel_policy"

_HCL_KINDS: Final[Mapping[str, HclKind]] = MappingProxyType(
    {
        "name": HclKind.STRING,
        "type": HclKind.STRING,
        "display_name": HclKind.STRING,
        "labels": HclKind.STRING_MAP,
        "sandbox": HclKind.BOOLEAN,
        "locations": HclKind.OBJECT_LIST,
        "flavors": HclKind.OBJECT_LIST,
        "max_tokens": HclKind.OBJECT,
        "resource_types": HclKind.STRING_LIST,
    }
)


class BlaxelPolicyResource(ArgumentsResource):
    """A ``blaxel_policy`` resource, argument for argument (snake_case); None means "not set".

    ``locations`` and ``flavors`` are lists of ``{name, type}``, ``max_tokens`` one object of
    ``granularity, input, output, total, step, ratio_input_over_output``. Values are passed to
    Terraform as given (the provider validates them at plan time).
    """

    TF_RESOURCE_TYPE: ClassVar[str] = POLICY_RESOURCE_TYPE
    HCL_KINDS: ClassVar[Mapping[str, HclKind]] = _HCL_KINDS

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        type: str,
        locations: Sequence[Mapping[str, Any]] | Any | None = None,
        flavors: Sequence[Mapping[str, Any]] | Any | None = None,
        max_tokens: Mapping[str, Any] | Any | None = None,
        resource_types: Sequence[str] | Any | None = None,
        sandbox: bool | IResolvable | None = None,
        display_name: str | None = None,
        labels: Mapping[str, str] | Any | None = None,
        provider: TerraformProvider | None = None,
        depends_on: Sequence[ITerraformDependable] | None = None,
    ) -> None:
        arguments = {
            "name": name,
            "type": type,
            "display_name": display_name,
            "labels": labels,
            "sandbox": sandbox,
            "locations": locations,
            "flavors": flavors,
            "max_tokens": max_tokens,
            "resource_types": resource_types,
        }
        super().__init__(scope, id, arguments, provider=provider, depends_on=depends_on)

    @property
    def policy_name(self) -> str:
        """Reference to the policy's ``name`` (``${blaxel_policy.<id>.name}``)."""
        return self._string("name")
