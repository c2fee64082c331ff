"""The ``blaxel_policy`` resource: schema, create, read, update, delete, import (HashiCorp's order).

A policy has no deployment: each method decodes Terraform's state into an API document, makes one handler
call (the client retries transient failures; the handler makes a create leave exactly one policy), and
encodes the answer back into state. Every error is translated at this boundary (``PolicyBinding.report``);
none escapes, since ``tf`` would show it as an unreadable gRPC failure. The configuration is checked at
validate and again at plan (``policy_validation``), so an invalid policy costs no API call.
"""

from __future__ import annotations

from typing import Any, Final

from tf.iface import (
    CreateContext,
    DeleteContext,
    ImportContext,
    PlanContext,
    ReadContext,
    Resource,
    UpdateContext,
)
from tf.schema import Schema
from tf.types import Unknown
from tf.utils import Diagnostics

from blaxel_constructs.provider.model_validation import add_problems
from blaxel_constructs.provider.policy_binding import OPERATION_TIMEOUT, PolicyBinding
from blaxel_constructs.provider.policy_schema import policy_schema
from blaxel_constructs.provider.policy_state import document_from_state, state_from_document
from blaxel_constructs.provider.policy_validation import config_problems

__all__ = ["PolicyResource"]

#: Computed attributes that an update changes (the others are fixed at creation).
_CHANGED_BY_UPDATE: Final = ("updated_at", "updated_by")


class PolicyResource(PolicyBinding, Resource):  # type: ignore[misc]
    """A Blaxel policy managed by Terraform."""

    @classmethod
    def get_schema(cls) -> Schema:
        return policy_schema()

    def validate(self, diags: Diagnostics, type_name: str, config: dict[str, Any]) -> None:
        super().validate(diags, type_name, config)
        add_problems(diags, config_problems(config))

    def plan(self, ctx: PlanContext, current: dict[str, Any] | None, planned: dict[str, Any]) -> dict[str, Any]:
        """Check the planned values (now with what other resources resolved) and mark what an update changes."""
        add_problems(ctx.diagnostics, config_problems(planned))
        if current is not None and ctx.changed_fields:
            for key in _CHANGED_BY_UPDATE:
                planned[key] = Unknown
        return planned

    def create(self, ctx: CreateContext, planned: dict[str, Any]) -> dict[str, Any] | None:
        name = planned["name"]
        try:
            document = self.handler().create(document_from_state(planned), timeout=OPERATION_TIMEOUT)
        except Exception as exc:  # the boundary: nothing may escape to gRPC
            self.report(ctx.diagnostics, exc, "create", name)
            return None
        return state_from_document(document, prior=planned)

    def read(self, ctx: ReadContext, current: dict[str, Any]) -> dict[str, Any] | None:
        name = current.get("id") or current["name"]
        try:
            document = self.read_policy(name)
        except Exception as exc:
            self.report(ctx.diagnostics, exc, "read", name)
            return current
        if document is None:
            return None  # deleted outside Terraform: the next plan creates it again
        return state_from_document(document, prior=current)

    def update(self, ctx: UpdateContext, current: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any] | None:
        name = current["name"]
        try:
            document = self.handler().update(name, document_from_state(planned), timeout=OPERATION_TIMEOUT)
        except Exception as exc:
            self.report(ctx.diagnostics, exc, "update", name)
            return current
        return state_from_document(document, prior=planned)

    def delete(self, ctx: DeleteContext, current: dict[str, Any]) -> dict[str, Any] | None:
        name = current.get("id") or current["name"]
        try:
            self.handler().delete(name, timeout=OPERATION_TIMEOUT)
        except Exception as exc:
            self.report(ctx.diagnostics, exc, "delete", name)
            return current
        return None

    def import_(self, ctx: ImportContext, id: str) -> dict[str, Any] | None:
        return self.import_by_name(ctx.diagnostics, id, self.read_policy, state_from_document)
