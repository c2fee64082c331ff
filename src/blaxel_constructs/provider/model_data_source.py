"""The ``blaxel_model`` data source: every attribute of a model that exists already, looked up by name."""

from __future__ import annotations

from typing import Any

from tf.iface import DataSource, ReadDataContext
from tf.schema import Schema
from tf.utils import Diagnostics

from blaxel_constructs.provider.model_binding import ModelBinding
from blaxel_constructs.provider.model_state import state_from_document
from blaxel_constructs.provider.schema import model_data_schema

__all__ = ["ModelDataSource"]


class ModelDataSource(ModelBinding, DataSource):  # type: ignore[misc]
    """Reads one model; a missing model is an error (a data source must find what it names)."""

    @classmethod
    def get_schema(cls) -> Schema:
        return model_data_schema()

    def validate(self, diags: Diagnostics, type_name: str, config: dict[str, Any]) -> None:
        super().validate(diags, type_name, config)
        self.check_name(diags, config)

    def read(self, ctx: ReadDataContext, config: dict[str, Any]) -> dict[str, Any] | None:
        name = config["name"]
        try:
            document = self.read_model(name)
        except Exception as exc:  # the boundary: nothing may escape to gRPC
            self.report(ctx.diagnostics, exc, "read", name)
            return None
        if document is None:
            self.report_not_found(ctx.diagnostics, name)
            return None
        state = state_from_document(document)
        del state["timeouts"]
        return state
