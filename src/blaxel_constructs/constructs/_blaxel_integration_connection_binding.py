"""``BlaxelIntegrationConnectionResource``: the low-level (L1) binding of ``blaxel_integration_connection``.

It maps keyword arguments one to one onto Terraform arguments and checks nothing:
``IntegrationConnection`` (the L2 users should reach for) resolves the secret into an ephemeral
variable reference, validates, then creates exactly one of these as its ``Resource`` child. JSON and
HCL synthesis come from the same values (``ArgumentsResource``).
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

__all__ = ["CONNECTION_RESOURCE_TYPE", "BlaxelIntegrationConnectionResource"]

#: Terraform resource type of a Blaxel integration connection (the credentials a model gateway proxies with).
CONNECTION_RESOURCE_TYPE: Final = "blaxel_integration_connection"

_HCL_KINDS: Final[Mapping[str, HclKind]] = MappingProxyType(
    {
        "name": HclKind.STRING,
        "integration": HclKind.STRING,
        "display_name": HclKind.STRING,
        "labels": HclKind.STRING_MAP,
        "config": HclKind.STRING_MAP,
        "sandbox": HclKind.BOOLEAN,
        "secret_wo": HclKind.STRING_MAP,
        "secret_wo_version": HclKind.NUMBER,
        "secret": HclKind.STRING_MAP,
    }
)


class BlaxelIntegrationConnectionResource(ArgumentsResource):
    """A ``blaxel_integration_connection`` resource, argument for argument (snake_case); None means "not set".

    ``secret_wo`` is write-only (Terraform 1.11+: never in a plan or state), sent again when
    ``secret_wo_version`` changes; ``secret`` is the stored, sensitive alternative for older Terraform.
    Give at most one of them. Values are passed to Terraform as given.
    """

    TF_RESOURCE_TYPE: ClassVar[str] = CONNECTION_RESOURCE_TYPE
    HCL_KINDS: ClassVar[Mapping[str, HclKind]] = _HCL_KINDS

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        integration: str,
        config: Mapping[str, str] | Any | None = None,
        sandbox: bool | IResolvable | None = None,
        display_name: str | None = None,
        labels: Mapping[str, str] | Any | None = None,
        secret_wo: Mapping[str, str] | Any | None = None,
        secret_wo_version: int | float | Any | None = None,
        secret: Mapping[str, str] | Any | None = None,
        provider: TerraformProvider | None = None,
        depends_on: Sequence[ITerraformDependable] | None = None,
    ) -> None:
        arguments = {
            "name": name,
            "integration": integration,
            "display_name": display_name,
            "labels": labels,
            "config": config,
            "sandbox": sandbox,
            "secret_wo": secret_wo,
            "secret_wo_version": secret_wo_version,
            "secret": secret,
        }
        super().__init__(scope, id, arguments, provider=provider, depends_on=depends_on)

    @property
    def connection_name(self) -> str:
        """Reference to the connection's ``name`` (``${blaxel_integration_connection.<id>.name}``)."""
        return self._string("name")
