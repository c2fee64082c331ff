"""Governance policies: stored as sent, answered with their ``usage`` counts; ``usages`` lists the models.

A policy has no lifecycle: writes take effect at once. ``usage`` (``PolicyUsageCounts``) and
``GET /policies/{policyName}/usages`` (``PolicyUsages``) count and name the models whose ``spec.policies``
contains the policy, a model still DELETING included; the emulator has no agents, functions, jobs or
sandboxes, so those are always 0 and empty. Deleting a policy in use is allowed, as the spec documents only
200 for it ("resources using this policy will need to be updated").
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any, Final

from blaxel_constructs.emulator.resource_registry import ResourceRegistry, StoredResource
from blaxel_constructs.emulator.storage import ResourceStore

__all__ = ["POLICY_KIND", "PolicyRegistry"]

POLICY_KIND: Final = "policy"
_OTHER_KINDS: Final = ("agents", "functions", "jobs", "sandboxes")

ModelUsers = Callable[[str, str], list[str]]
Usages = dict[str, list[dict[str, str]]]
"""``PolicyUsages``: kind of resource -> ``[{"name": ...}]``."""
"""(workspace, policy name) -> names of the models that name it."""


class PolicyRegistry:
    """The policies of every workspace, as the API shows them (plain JSON)."""

    def __init__(
        self,
        store: ResourceStore,
        *,
        clock: Callable[[], float],
        users: ModelUsers,
        lock: threading.RLock | None = None,
    ) -> None:
        self._resources = ResourceRegistry(store, kind=POLICY_KIND, label="policy", clock=clock, lock=lock)
        self._users = users

    def create(self, workspace: str, document: dict[str, Any], *, identity: str) -> dict[str, Any]:
        """Store a new policy; ResourceAlreadyExists if the name is taken."""
        with self._resources.lock:
            return self._wire(self._resources.create(workspace, document, identity=identity))

    def get(self, workspace: str, name: str) -> dict[str, Any]:
        """One policy; ResourceNotFound if absent."""
        with self._resources.lock:
            return self._wire(self._resources.get(workspace, name))

    def list(self, workspace: str) -> list[dict[str, Any]]:
        """Every policy of the workspace, newest first."""
        with self._resources.lock:
            return [self._wire(record) for record in self._resources.list(workspace)]

    def update(self, workspace: str, name: str, document: dict[str, Any], *, identity: str) -> dict[str, Any]:
        """Replace the whole document; ResourceNotFound if absent."""
        with self._resources.lock:
            return self._wire(self._resources.replace(workspace, name, document, identity=identity, private={}))

    def delete(self, workspace: str, name: str) -> dict[str, Any]:
        """Remove the policy and return it; ResourceNotFound if absent."""
        with self._resources.lock:
            return self._wire(self._resources.delete(workspace, name))

    def usages(self, workspace: str, name: str) -> Usages:
        """``PolicyUsages``: ``{"models": [{"name": ...}], "agents": [], ...}``; ResourceNotFound if absent."""
        with self._resources.lock:
            self._resources.get(workspace, name)
            models = sorted(self._users(workspace, name))
        return {"models": [{"name": model} for model in models], **{kind: [] for kind in _OTHER_KINDS}}

    def _wire(self, record: StoredResource) -> dict[str, Any]:
        """The Policy JSON: the stored document, server metadata and the usage counts."""
        document = copy.deepcopy(record.document)
        document["metadata"].update(record.server_metadata())
        usage = {"models": len(self._users(record.workspace, record.name)), **dict.fromkeys(_OTHER_KINDS, 0)}
        return {"metadata": document["metadata"], "spec": document["spec"], "usage": usage}
