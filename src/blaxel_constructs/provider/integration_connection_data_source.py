"""The ``blaxel_integration_connection`` data source: a connection that exists already, looked up by name.

Never its secret: Blaxel masks every secret value, and the schema has no secret attribute at all.
"""

from __future__ import annotations

from typing import Any

from tf.iface import DataSource, ReadDataContext
from tf.schema import Schema
from tf.utils import Diagnostics

from blaxel_constructs.provider.integration_connection_binding import IntegrationConnectionBinding
from blaxel_constructs.provider.integration_connection_state import SECRET_KEYS, state_from_document
from blaxel_constructs.provider.schema import integration_connection_data_schema

__all__ = ["IntegrationConnectionDataSource"]


def _data_state(document: dict[str, Any]) -> dict[str, Any]:
    """The connection's state without the secret attributes, which only the resource has."""
    state = state_from_document(document)
    for key in SECRET_KEYS:
        del state[key]
    return state


class IntegrationConnectionDataSource(IntegrationConnectionBinding, DataSource):  # type: ignore[misc]
    """Reads one connection; a missing connection is an error (a data source must find what it names)."""

    @classmethod
    def get_schema(cls) -> Schema:
        return integration_connection_data_schema()

    def validate(self, diags: Diagnostics, type_name: str, config: dict[str, Any]) -> None:
        super().validate(diags, type_name, config)
        self.check_name(diags, config)

    def read(self, ctx: ReadDataContext, config: dict[str, Any]) -> dict[str, Any] | None:
        return self.read_data(ctx.diagnostics, config["name"], self.read_connection, _data_state)
