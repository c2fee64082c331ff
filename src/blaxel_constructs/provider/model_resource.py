"""The ``blaxel_model`` resource: schema, create, read, update, delete, import (HashiCorp's order).

Each method decodes Terraform's state into an API document, makes one handler call, and encodes the
result back into state. Every error is translated at this boundary by ``diagnostics.report``; none
escapes, since ``tf`` would show it as an unreadable gRPC failure.
"""

from __future__ import annotations

import time
from typing import Any

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

from blaxel_constructs import errors
from blaxel_constructs.document import rules
from blaxel_constructs.durations import parse_duration
from blaxel_constructs.provider.model_binding import ModelBinding
from blaxel_constructs.provider.model_state import ALL_KEYS, document_from_state, state_from_document
from blaxel_constructs.provider.model_validation import add_problems, config_problems
from blaxel_constructs.provider.schema import DEFAULT_TIMEOUTS, model_schema

__all__ = ["ModelResource"]

#: Computed attributes that a create or an update changes (the others are fixed at creation).
_CHANGED_BY_UPDATE = ("status", "updated_at", "updated_by")
#: Arguments whose change needs no API call: they only steer the provider.
_LOCAL_ONLY = frozenset({"timeouts"})
#: The status of a model whose deletion has started: for Terraform it is gone already.
_DELETING = "DELETING"


def _settling(state: dict[str, Any]) -> bool:
    """True when the model is still deploying (an apply was interrupted, or someone else updated it).

    The plan then shows its status as known after apply, and the apply waits for the deployment to end.
    """
    status = state.get("status")
    return isinstance(status, str) and status in rules.IN_PROGRESS_STATUSES and status != _DELETING


def _timeout(state: dict[str, Any], action: str) -> float:
    configured = (state.get("timeouts") or {}).get(action)
    return parse_duration(configured) if configured else DEFAULT_TIMEOUTS[action]


class ModelResource(ModelBinding, Resource):  # type: ignore[misc]
    """A Blaxel model gateway endpoint managed by Terraform."""

    @classmethod
    def get_schema(cls) -> Schema:
        return model_schema()

    def validate(self, diags: Diagnostics, type_name: str, config: dict[str, Any]) -> None:
        super().validate(diags, type_name, config)
        add_problems(diags, config_problems(config))

    def plan(self, ctx: PlanContext, current: dict[str, Any] | None, planned: dict[str, Any]) -> dict[str, Any]:
        """Mark what an update will change as unknown; a change of timeouts alone changes nothing remote."""
        add_problems(ctx.diagnostics, config_problems(planned))
        if current is not None and (ctx.changed_fields - _LOCAL_ONLY or _settling(current)):
            for key in _CHANGED_BY_UPDATE:
                planned[key] = Unknown
        return planned

    def create(self, ctx: CreateContext, planned: dict[str, Any]) -> dict[str, Any] | None:
        name, started = planned["name"], time.perf_counter()
        try:
            handler = self.provider.handler()
            self.provider.model_snapshot().invalidate()
            document = handler.create(document_from_state(planned), timeout=_timeout(planned, "create"))
        except errors.DeploymentError as exc:
            self.report(ctx.diagnostics, exc, "create", name)
            # Returning the remote object with an error taints it: the next apply replaces it.
            return self._state(exc.document, planned) if exc.document else None
        except Exception as exc:  # the boundary: nothing may escape to gRPC
            self.report(ctx.diagnostics, exc, "create", name)
            return None
        self.log_timing("create", name, started)
        return self._state(document, planned)

    def read(self, ctx: ReadContext, current: dict[str, Any]) -> dict[str, Any] | None:
        name, started = current.get("id") or current["name"], time.perf_counter()
        try:
            document = self.refresh_model(name)
        except Exception as exc:
            self.report(ctx.diagnostics, exc, "read", name)
            return current
        self.log_timing("read", name, started)
        if document is None or document.get("status") == _DELETING:
            # Deleted (or being deleted, e.g. by an interrupted destroy) outside this apply: drop it from state,
            # so that the next plan creates it again; the create waits until the old one is gone.
            return None
        return self._state(document, current)

    def update(self, ctx: UpdateContext, current: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any] | None:
        name = current["name"]
        changed = {k for k in ALL_KEYS if current.get(k) != planned.get(k) and planned.get(k) is not Unknown}
        if not changed - _LOCAL_ONLY and not _settling(current):
            return {**current, "timeouts": planned.get("timeouts")}
        try:
            handler = self.provider.handler()
            self.provider.model_snapshot().invalidate()
            timeout = _timeout(planned, "update")
            if changed - _LOCAL_ONLY:
                document = handler.update(name, document_from_state(planned), timeout=timeout)
            else:  # nothing to send: wait for the deployment under way (see _settling)
                from blaxel_constructs.handler import goal_for

                goal = goal_for(document_from_state(planned))
                document = handler.wait_until_settled(name, timeout=timeout, goal=goal)
        except errors.DeploymentError as exc:
            self.report(ctx.diagnostics, exc, "update", name)
            return self._state(exc.document, planned) if exc.document else current
        except Exception as exc:
            self.report(ctx.diagnostics, exc, "update", name)
            return current
        return self._state(document, planned)

    def delete(self, ctx: DeleteContext, current: dict[str, Any]) -> dict[str, Any] | None:
        name, started = current.get("id") or current["name"], time.perf_counter()
        try:
            self.provider.model_snapshot().invalidate()
            self.provider.handler().delete(name, timeout=_timeout(current, "delete"))
        except Exception as exc:
            self.report(ctx.diagnostics, exc, "delete", name)
            return current
        self.log_timing("delete", name, started)
        return None

    def import_(self, ctx: ImportContext, id: str) -> dict[str, Any] | None:
        return self.import_by_name(ctx.diagnostics, id, self.read_model, state_from_document)

    def _state(self, document: dict[str, Any], config_state: dict[str, Any]) -> dict[str, Any]:
        return state_from_document(document, prior=config_state, timeouts=config_state.get("timeouts"))
