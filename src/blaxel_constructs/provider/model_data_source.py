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


def _data_state(document: dict[str, Any]) -> dict[str, Any]:
    """The model's state without ``timeouts``, which only the resource has."""
    state = state_from_document(document)
    del state["timeouts"]
    return state


class ModelDataSource(ModelBinding, DataSource):  # type: ignore[misc]
    """Reads one model; a missing model is an error (a data source must find what it names)."""

    @classmethod
    def get_schema(cls) -> Schema:
        return model_data_schema()

    def validate(self, diags: Diagnostics, type_name: str, config: dict[str, Any]) -> None:
        super().validate(diags, type_name, config)
        self.check_name(diags, config)

    def read(self, ctx: ReadDataContext, config: dict[str, Any]) -> dict[str, Any] | None:
        return self.read_data(ctx.diagnostics, config["name"], self.read_model, _data_state)
