"""What the ``blaxel_integration_connection`` resource and data source share: their type name, the provider
they call and the bounded read; the error boundary is ``NamedObjectBinding``'s."""

from __future__ import annotations

from typing import Any, ClassVar, Final

from blaxel_constructs.provider.named_object_binding import READ_TIMEOUT, NamedObjectBinding

__all__ = ["KIND", "IntegrationConnectionBinding"]

#: What diagnostics call it.
KIND: Final = "integration connection"


class IntegrationConnectionBinding(NamedObjectBinding):
    """Mixed into the resource and the data source; ``tf`` builds each with the provider."""

    KIND: ClassVar[str] = KIND
    NOUN: ClassVar[str] = "connection"

    @classmethod
    def get_name(cls) -> str:
        return "integration_connection"

    def read_connection(self, name: str) -> dict[str, Any] | None:
        """The connection's API document (secret masked), or None when it does not exist."""
        return self.provider.connection_handler().read(name, timeout=READ_TIMEOUT)
