"""The one resource of every kind: schema, validate, plan, create, read, update, delete, import (HashiCorp's order).

``resource_class(kind)`` is the ``tf`` resource of a kind (``blaxel_model``...): each method decodes Terraform's
state into an API document (``Kind.document_of``), makes one handler call, and encodes the result back into
state (``Kind.state_of``). What differs between kinds is what their description says:

- a kind with a deployment ``lifecycle``: a plan marks its status unknown when it will change or is still
  settling; an update with nothing to send waits for a deployment under way; a refresh that finds the object
  being deleted drops it from state; a create that ends with a remote object and an error (a FAILED
  deployment, an interruption) returns that object, so Terraform records it tainted and the next apply
  replaces it;
- local arguments (``timeouts``) steer the provider and are never sent: a change of them alone changes nothing
  remote; a write-only argument's ``version`` is what sends it again (``Kind.document_of``);
- the kind's ``timeouts`` (or its ``timeouts`` argument) bound each operation.

Every error is translated at this boundary by ``diagnostics.report``; none escapes, since ``tf`` would show it
as an unreadable gRPC failure.
"""

from __future__ import annotations

import functools
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
from tf.types import Unknown
from tf.utils import Diagnostics

from blaxel_constructs import errors
from blaxel_constructs.kinds import INTEGRATION_CONNECTION, MODEL, POLICY
from blaxel_constructs.kinds.description import Kind
from blaxel_constructs.provider.diagnostics import add_problems
from blaxel_constructs.provider.named_object_binding import NamedObjectBinding, class_for
from blaxel_constructs.provider.schema import resource_schema

__all__ = ["IntegrationConnectionResource", "KindResource", "ModelResource", "PolicyResource", "resource_class"]


class KindResource(NamedObjectBinding, Resource):  # type: ignore[misc]
    """A Blaxel object of ``KIND`` managed by Terraform."""

    SCHEMA_OF = staticmethod(resource_schema)

    def validate(self, diags: Diagnostics, type_name: str, config: dict[str, Any]) -> None:
        super().validate(diags, type_name, config)
        add_problems(diags, self.KIND.config_problems(config))

    def plan(self, ctx: PlanContext, current: dict[str, Any] | None, planned: dict[str, Any]) -> dict[str, Any]:
        """Check the planned values (now with what other resources resolved) and mark what an update changes
        as unknown; a change of local arguments alone changes nothing remote."""
        add_problems(ctx.diagnostics, self.KIND.config_problems(planned, plan=True))
        if current is not None and (ctx.changed_fields - _local_or_write_only(self.KIND) or self._settling(current)):
            for attr in self.KIND.computed:
                if attr.changes_on_update:
                    planned[attr.name] = Unknown
        return planned

    def create(self, ctx: CreateContext, planned: dict[str, Any]) -> dict[str, Any] | None:
        kind, name, started = self.KIND, planned["name"], time.perf_counter()
        try:
            document = self.handler().create(kind.document_of(planned), timeout=kind.timeout(planned, "create"))
        except Exception as exc:  # the boundary: nothing may escape to gRPC
            self.report(ctx.diagnostics, exc, "create", name)
            # Returning the remote object with an error taints it: the next apply replaces it.
            remote = exc.document if isinstance(exc, errors.DeploymentError) else None
            return kind.state_of(remote, prior=planned) if remote else None
        self.log_timing("create", name, started)
        return kind.state_of(document, prior=planned)

    def read(self, ctx: ReadContext, current: dict[str, Any]) -> dict[str, Any] | None:
        name, started = current.get("id") or current["name"], time.perf_counter()
        try:
            document = self.refresh(name)
        except Exception as exc:
            self.report(ctx.diagnostics, exc, "read", name)
            return current
        self.log_timing("read", name, started)
        lifecycle = self.KIND.lifecycle
        if document is None or (lifecycle is not None and document.get("status") == lifecycle.gone_status):
            # Deleted (or being deleted, e.g. by an interrupted destroy) outside this apply: drop it from state,
            # so that the next plan creates it again; a create waits until the old one is gone.
            return None
        return self.KIND.state_of(document, prior=current)

    def update(self, ctx: UpdateContext, current: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any] | None:
        kind, name = self.KIND, current["name"]
        changed = {
            attr.name
            for attr in kind.attributes
            if not attr.write_only
            and current.get(attr.name) != planned.get(attr.name)
            and planned.get(attr.name) is not Unknown
        }
        remote = changed - {attr.name for attr in kind.local_only}
        if not remote and not self._settling(current):
            return self._kept(current, planned)
        try:
            timeout = kind.timeout(planned, "update")
            if remote:
                document = self.handler().update(name, kind.document_of(planned, prior=current), timeout=timeout)
            else:  # nothing to send: wait for the deployment under way (see _settling)
                assert kind.lifecycle is not None  # only a kind that deploys is ever settling
                goal = kind.lifecycle.goal(kind.document_of(planned))
                document = self.handler().wait_until_settled(name, timeout=timeout, goal=goal)
        except Exception as exc:
            self.report(ctx.diagnostics, exc, "update", name)
            last = exc.document if isinstance(exc, errors.DeploymentError) else None
            return kind.state_of(last, prior=planned) if last else self._kept(current, current)
        return kind.state_of(document, prior=planned)

    def delete(self, ctx: DeleteContext, current: dict[str, Any]) -> dict[str, Any] | None:
        name, started = current.get("id") or current["name"], time.perf_counter()
        try:
            self.handler().delete(name, timeout=self.KIND.timeout(current, "delete"))
        except Exception as exc:
            self.report(ctx.diagnostics, exc, "delete", name)
            return current
        self.log_timing("delete", name, started)
        return None

    def import_(self, ctx: ImportContext, id: str) -> dict[str, Any] | None:
        return self.state_by_name(ctx.diagnostics, "import", id, self._imported)

    def _imported(self, document: dict[str, Any]) -> dict[str, Any]:
        """Every attribute of the object found: local and secret arguments null (nothing configured yet)."""
        return self.KIND.state_of(document)

    def _settling(self, state: dict[str, Any]) -> bool:
        """True when the object is still deploying (an apply was interrupted, or someone else updated it).

        The plan then shows its status as known after apply, and the apply waits for the deployment to end.
        """
        lifecycle = self.KIND.lifecycle
        return lifecycle is not None and lifecycle.settling(state.get("status"))

    def _kept(self, current: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any]:
        """The state as it is, with the local arguments planned and the write-only ones null."""
        local = {attr.name: planned.get(attr.name) for attr in self.KIND.local_only}
        return {**current, **local, **dict.fromkeys(a.name for a in self.KIND.write_only)}


@functools.cache
def _local_or_write_only(kind: Kind) -> frozenset[str]:
    """Arguments whose change alone sends nothing (write-only ones are null in every plan)."""
    return frozenset(a.name for a in (*kind.local_only, *kind.write_only))


def resource_class(kind: Kind) -> type[KindResource]:
    """The ``tf`` resource class of ``kind`` (``ModelResource``...), made once."""
    return class_for(KindResource, kind, "Resource")


# The earlier names, one class per kind.
ModelResource = resource_class(MODEL)
IntegrationConnectionResource = resource_class(INTEGRATION_CONNECTION)
PolicyResource = resource_class(POLICY)
