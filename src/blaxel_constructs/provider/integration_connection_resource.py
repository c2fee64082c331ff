"""The ``blaxel_integration_connection`` resource: schema, create, read, update, delete, import.

Each method decodes Terraform's state into an API document, makes one handler call and encodes the result.
The secret: ``secret_wo`` reaches ``create()``/``update()`` from the configuration (``servicer`` puts it in
the planned state it hands them) and is sent on create and when ``secret_wo_version`` changes; ``secret``
is sent whenever set. Neither is ever read back (the API masks secrets), and ``secret_wo`` is null in every
state returned. A connection has no deployment: its changes apply at once to the models using it, which are
not redeployed. Every error is translated at this boundary (``IntegrationConnectionBinding.report``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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

from blaxel_constructs.document import rules
from blaxel_constructs.provider.integration_connection_binding import IntegrationConnectionBinding
from blaxel_constructs.provider.integration_connection_state import (
    ALL_KEYS,
    document_from_state,
    secret_to_send,
    state_from_document,
)
from blaxel_constructs.provider.schema import (
    CONNECTION_DELETE_TIMEOUT,
    CONNECTION_TIMEOUT,
    integration_connection_schema,
)

__all__ = ["IntegrationConnectionResource", "config_problems"]

#: Computed attributes that an update changes.
_CHANGED_BY_UPDATE: Final = ("updated_at", "updated_by")
#: Never compared: null in every plan and state (write-only).
_WRITE_ONLY: Final = frozenset({"secret_wo"})


def _concrete(value: Any) -> bool:
    """A known value (not null, not unknown, not a refined unknown: see ``model_validation``)."""
    return value is not None and value is not Unknown and isinstance(value, str | dict | int | float | bool)


def config_problems(config: Mapping[str, Any], *, secrets: bool = True) -> Iterator[tuple[list[str], str, str]]:
    """``(path, summary, detail)`` of every rule the configuration breaks; unknown values are skipped.

    ``secrets=False`` leaves out the rules between the secret arguments: a plan cannot check them, since
    ``secret_wo`` is null in every plan (they are checked at validation, which sees the configuration).
    """
    for key, check in (("name", rules.name_problem), ("display_name", rules.display_name_problem)):
        value = config.get(key)
        if isinstance(value, str) and (reason := check(value)):
            yield [key], f"Invalid {key}", f"{key} {reason}."
    integration = config.get("integration")
    if isinstance(integration, str) and not integration:
        yield ["integration"], "Invalid integration", "integration must not be empty (e.g. openai, anthropic)."
    if not secrets:
        return
    if _concrete(config.get("secret")) and _concrete(config.get("secret_wo")):
        yield (
            ["secret"],
            "Conflicting secret arguments",
            "Set either secret_wo (write-only, never stored; Terraform 1.11+) or secret (stored in the state), "
            "not both.",
        )
    if _concrete(config.get("secret_wo_version")) and config.get("secret_wo") is None:
        yield (
            ["secret_wo_version"],
            "secret_wo_version without secret_wo",
            "secret_wo_version says when to send secret_wo again; set secret_wo too, or remove secret_wo_version.",
        )


class IntegrationConnectionResource(IntegrationConnectionBinding, Resource):  # type: ignore[misc]
    """A Blaxel integration connection managed by Terraform."""

    @classmethod
    def get_schema(cls) -> Schema:
        return integration_connection_schema()

    def validate(self, diags: Diagnostics, type_name: str, config: dict[str, Any]) -> None:
        super().validate(diags, type_name, config)
        for path, summary, detail in config_problems(config):
            diags.add_error(summary, detail, path=path)

    def plan(self, ctx: PlanContext, current: dict[str, Any] | None, planned: dict[str, Any]) -> dict[str, Any]:
        """An update changes ``updated_at``/``updated_by``; a ``secret_wo_version`` change alone is an update."""
        for path, summary, detail in config_problems(planned, secrets=False):
            ctx.diagnostics.add_error(summary, detail, path=path)
        if current is not None and ctx.changed_fields - _WRITE_ONLY:
            for key in _CHANGED_BY_UPDATE:
                planned[key] = Unknown
        return planned

    def create(self, ctx: CreateContext, planned: dict[str, Any]) -> dict[str, Any] | None:
        name = planned["name"]
        try:
            document = document_from_state(planned, secret=secret_to_send(planned, None))
            created = self.provider.connection_handler().create(document, timeout=CONNECTION_TIMEOUT)
        except Exception as exc:  # the boundary: nothing may escape to gRPC
            self.report(ctx.diagnostics, exc, "create", name)
            return None
        return state_from_document(created, prior=planned)

    def read(self, ctx: ReadContext, current: dict[str, Any]) -> dict[str, Any] | None:
        name = current.get("id") or current["name"]
        try:
            document = self.read_connection(name)
        except Exception as exc:
            self.report(ctx.diagnostics, exc, "read", name)
            return current
        if document is None:
            return None  # deleted outside Terraform: the next plan creates it again
        return state_from_document(document, prior=current)

    def update(self, ctx: UpdateContext, current: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any] | None:
        name = current["name"]
        changed = {
            k
            for k in ALL_KEYS
            if k not in _WRITE_ONLY and current.get(k) != planned.get(k) and planned.get(k) is not Unknown
        }
        if not changed:
            return {**current, "secret_wo": None}
        try:
            document = document_from_state(planned, secret=secret_to_send(planned, current))
            updated = self.provider.connection_handler().update(name, document, timeout=CONNECTION_TIMEOUT)
        except Exception as exc:
            self.report(ctx.diagnostics, exc, "update", name)
            return {**current, "secret_wo": None}
        return state_from_document(updated, prior=planned)

    def delete(self, ctx: DeleteContext, current: dict[str, Any]) -> dict[str, Any] | None:
        name = current.get("id") or current["name"]
        try:
            self.provider.connection_handler().delete(name, timeout=CONNECTION_DELETE_TIMEOUT)
        except Exception as exc:
            self.report(ctx.diagnostics, exc, "delete", name)
            return current
        return None

    def import_(self, ctx: ImportContext, id: str) -> dict[str, Any] | None:
        return self.import_by_name(ctx.diagnostics, id, self.read_connection, state_from_document)
