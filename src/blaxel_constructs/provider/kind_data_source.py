"""The one data source of every kind: an object that exists already, looked up by name.

``data_source_class(kind)`` is the ``tf`` data source of a kind (``data "blaxel_policy"``...): every attribute
the API answers (``Kind.data_attributes``), never a local argument or a secret (Blaxel masks secrets). A
missing object is an error: a data source must find what it names.
"""

from __future__ import annotations

from typing import Any

from tf.iface import DataSource, ReadDataContext
from tf.utils import Diagnostics

from blaxel_constructs.kinds import INTEGRATION_CONNECTION, MODEL, POLICY
from blaxel_constructs.kinds.description import Kind
from blaxel_constructs.provider.named_object_binding import NamedObjectBinding, class_for
from blaxel_constructs.provider.schema import data_schema

__all__ = [
    "IntegrationConnectionDataSource",
    "KindDataSource",
    "ModelDataSource",
    "PolicyDataSource",
    "data_source_class",
]


class KindDataSource(NamedObjectBinding, DataSource):  # type: ignore[misc]
    """Reads one object of ``KIND``; a missing object is an error."""

    SCHEMA_OF = staticmethod(data_schema)

    def validate(self, diags: Diagnostics, type_name: str, config: dict[str, Any]) -> None:
        super().validate(diags, type_name, config)
        self.check_name(diags, config)

    def read(self, ctx: ReadDataContext, config: dict[str, Any]) -> dict[str, Any] | None:
        return self.state_by_name(ctx.diagnostics, "read", config["name"], self._data_state)

    def _data_state(self, document: dict[str, Any]) -> dict[str, Any]:
        state = self.KIND.state_of(document)
        return {attr.name: state[attr.name] for attr in self.KIND.data_attributes}


def data_source_class(kind: Kind) -> type[KindDataSource]:
    """The ``tf`` data source class of ``kind`` (``ModelDataSource``...), made once."""
    return class_for(KindDataSource, kind, "DataSource")


# The earlier names, one class per kind.
ModelDataSource = data_source_class(MODEL)
IntegrationConnectionDataSource = data_source_class(INTEGRATION_CONNECTION)
PolicyDataSource = data_source_class(POLICY)
