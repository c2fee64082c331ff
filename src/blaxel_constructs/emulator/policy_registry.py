"""Governance policies: stored as sent, answered with their ``usage`` counts; ``usages`` lists the models.

A policy has no lifecycle: writes take effect at once. ``usage`` (``PolicyUsageCounts``) and
``GET /policies/{policyName}/usages`` (``PolicyUsages``) count and name the models whose ``spec.policies``
contains the policy, a model still DELETING included; the emulator has no agents, functions, jobs or
sandboxes, so those are always 0 and empty. Deleting a policy in use is allowed, as the spec documents only
200 for it ("resources using this policy will need to be updated").
"""

from __future__ import annotations

from typing import Any, ClassVar, Final

from blaxel_constructs.emulator.resource_registry import ObjectRegistry, StoredResource

__all__ = ["POLICY_KIND", "PolicyRegistry"]

POLICY_KIND: Final = "policy"
_OTHER_KINDS: Final = ("agents", "functions", "jobs", "sandboxes")

Usages = dict[str, list[dict[str, str]]]
"""``PolicyUsages``: kind of resource -> ``[{"name": ...}]``."""


class PolicyRegistry(ObjectRegistry):
    """The policies of every workspace, as the API shows them (plain JSON, with their usage counts)."""

    KIND: ClassVar[str] = POLICY_KIND
    LABEL: ClassVar[str] = "policy"

    def usages(self, workspace: str, name: str) -> Usages:
        """``PolicyUsages``: ``{"models": [{"name": ...}], "agents": [], ...}``; ResourceNotFound if absent."""
        with self._resources.lock:
            self._resources.get(workspace, name)
            models = sorted(self._users(workspace, name))
        return {"models": [{"name": model} for model in models], **{kind: [] for kind in _OTHER_KINDS}}

    def _wire(self, record: StoredResource) -> dict[str, Any]:
        """The Policy JSON: the stored document, server metadata and the usage counts."""
        usage = {"models": len(self._users(record.workspace, record.name)), **dict.fromkeys(_OTHER_KINDS, 0)}
        return {**super()._wire(record), "usage": usage}
