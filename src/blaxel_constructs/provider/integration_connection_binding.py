"""What the ``blaxel_integration_connection`` resource and data source share: their type name, the provider
they call, the bounded read, and the one error boundary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from blaxel_constructs.provider.diagnostics import report
from blaxel_constructs.provider.model_binding import READ_TIMEOUT

if TYPE_CHECKING:
    from blaxel_constructs.provider.terraform_provider import BlaxelTerraformProvider

__all__ = ["KIND", "IntegrationConnectionBinding"]

#: What diagnostics call it.
KIND: Final = "integration connection"


class IntegrationConnectionBinding:
    """Mixed into the resource and the data source; ``tf`` builds each with the provider."""

    def __init__(self, provider: BlaxelTerraformProvider) -> None:
        self.provider = provider

    @classmethod
    def get_name(cls) -> str:
        return "integration_connection"

    def read_connection(self, name: str) -> dict[str, Any] | None:
        """The connection's API document (secret masked), or None when it does not exist."""
        return self.provider.connection_handler().read(name, timeout=READ_TIMEOUT)

    def report(self, diagnostics: Any, exc: BaseException, action: str, name: str) -> None:
        """Translate ``exc`` into one diagnostic naming the action, the connection and the workspace."""
        report(diagnostics, exc, action=action, name=name, workspace=self.provider.workspace(), kind=KIND)
