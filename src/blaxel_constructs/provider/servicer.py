"""``BlaxelServicer``: ``tf``'s gRPC servicer with the two additions this provider needs, as hooks around it.

- **Shutdown.** ``StopProvider`` cancels the waits in flight (``BlaxelTerraformProvider.stop``) instead of
  only acknowledging (``plugin_server`` keeps serving until Terraform shuts the plugin down).
- **Write-only attributes** (``write_only``): each hook rewrites a request or a response of ``tf``'s own
  method, never its logic:
  - ``ValidateResourceConfig``: a write-only attribute set by a Terraform that did not announce
    ``write_only_attributes_allowed`` (before 1.11) is an error saying why and what to use instead;
  - ``PlanResourceChange``: the proposed state (which carries the configured value) is nulled before ``tf``
    plans, so the value is neither a change nor part of the plan, and the planned state is nulled after;
  - ``ApplyResourceChange``: the planned state handed to ``create()``/``update()`` gets the value from the
    request's configuration; the new state is nulled after;
  - ``ReadResource`` and ``ImportResourceState``: their states are nulled.

Imported only by ``plugin_server.serve`` (it loads gRPC), and by tests, which call its methods directly.
"""

from __future__ import annotations

from typing import Any

from tf.gen import tfplugin_pb2 as pb
from tf.provider import ProviderServicer
from tf.utils import Diagnostics, read_dynamic_value

from blaxel_constructs.provider.write_only import (
    WriteOnlyAttribute,
    null_write_only,
    with_config_values,
    write_only_allowed,
)

__all__ = ["BlaxelServicer"]


class BlaxelServicer(ProviderServicer):  # type: ignore[misc]
    """Serves one ``BlaxelTerraformProvider`` (``app``)."""

    def StopProvider(self, request: Any, context: Any) -> Any:
        self.app.stop()
        return pb.StopProvider.Response()

    def ValidateResourceConfig(self, request: Any, context: Any) -> Any:
        response = super().ValidateResourceConfig(request, context)
        write_only = self._write_only(request.type_name)
        if not write_only or write_only_allowed(request.SerializeToString()):
            return response
        config = read_dynamic_value(request.config)
        diagnostics = Diagnostics()
        for attr in write_only:
            if isinstance(config, dict) and config.get(attr.name) is not None:
                diagnostics.add_error(
                    f"{attr.name} needs Terraform 1.11 or later",
                    f"{attr.name} is a write-only argument: Terraform 1.11 and later send it to the provider without "
                    "ever storing it in the plan or the state. This Terraform does not support write-only "
                    f"arguments, so it would store the value in the state in clear text. Upgrade Terraform to 1.11 "
                    f"or later, or use {attr.instead} instead (sensitive, but stored in the state).",
                    path=[attr.name],
                )
        response.diagnostics.extend(diagnostics.to_pb())
        return response

    def ReadResource(self, request: Any, context: Any) -> Any:
        response = super().ReadResource(request, context)
        names = self._write_only_names(request.type_name)
        if names and response.HasField("new_state"):
            response.new_state.CopyFrom(null_write_only(response.new_state, names))
        return response

    def PlanResourceChange(self, request: Any, context: Any) -> Any:
        names = self._write_only_names(request.type_name)
        if not names:
            return super().PlanResourceChange(request, context)
        nulled = type(request)()
        nulled.CopyFrom(request)
        nulled.proposed_new_state.CopyFrom(null_write_only(request.proposed_new_state, names))
        response = super().PlanResourceChange(nulled, context)
        if response.HasField("planned_state"):
            response.planned_state.CopyFrom(null_write_only(response.planned_state, names))
        return response

    def ApplyResourceChange(self, request: Any, context: Any) -> Any:
        names = self._write_only_names(request.type_name)
        if not names:
            return super().ApplyResourceChange(request, context)
        given = type(request)()
        given.CopyFrom(request)
        given.planned_state.CopyFrom(with_config_values(request.planned_state, request.config, names))
        response = super().ApplyResourceChange(given, context)
        if response.HasField("new_state"):
            response.new_state.CopyFrom(null_write_only(response.new_state, names))
        return response

    def ImportResourceState(self, request: Any, context: Any) -> Any:
        response = super().ImportResourceState(request, context)
        names = self._write_only_names(request.type_name)
        for imported in response.imported_resources if names else ():
            imported.state.CopyFrom(null_write_only(imported.state, names))
        return response

    def _write_only(self, type_name: str) -> list[WriteOnlyAttribute]:
        """The write-only attributes of a resource type (none for an unknown type: ``tf`` reports that)."""
        try:
            attributes = self._get_res_attrs(type_name)
        except KeyError:
            return []
        return [a for a in attributes.values() if isinstance(a, WriteOnlyAttribute)]

    def _write_only_names(self, type_name: str) -> tuple[str, ...]:
        return tuple(a.name for a in self._write_only(type_name))
