"""The ``blaxel_policy`` data source: every attribute of a policy that exists already, looked up by name."""

from __future__ import annotations

from typing import Any

from tf.iface import DataSource, ReadDataContext
from tf.schema import Schema
from tf.utils import Diagnostics

from blaxel_constructs.provider.policy_binding import PolicyBinding
from blaxel_constructs.provider.policy_schema import policy_data_schema
from blaxel_constructs.provider.policy_state import state_from_document

__all__ = ["PolicyDataSource"]


class PolicyDataSource(PolicyBinding, DataSource):  # type: ignore[misc]
    """Reads one policy; a missing policy is an error (a data source must find what it names)."""

    @classmethod
    def get_schema(cls) -> Schema:
        return policy_data_schema()

    def validate(self, diags: Diagnostics, type_name: str, config: dict[str, Any]) -> None:
        super().validate(diags, type_name, config)
        self.check_name(diags, config)

    def read(self, ctx: ReadDataContext, config: dict[str, Any]) -> dict[str, Any] | None:
        return self.read_data(ctx.diagnostics, config["name"], self.read_policy, state_from_document)
