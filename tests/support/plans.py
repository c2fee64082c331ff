"""Plan a synthesized stack with real Terraform and reduce the plan to what two synths must agree on.

Shared by the HCL-export tests of cdktf and of CDK Terrain: a stack synthesized as HCL must plan exactly
the values its JSON synth plans.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.terraform import Result, Workdir

__all__ = ["comparable", "plan_of"]


def plan_of(stack: Path, env: dict[str, str]) -> tuple[dict[str, Any], Result]:
    """``terraform init`` and ``plan`` of one synthesized stack: ``show -json`` of the plan, and the plan's output."""
    workdir = Workdir(stack, env)
    workdir.init()
    result = workdir.plan("-out=tfplan")
    shown = json.loads(workdir.terraform("show", "-json", "-no-color", "tfplan").stdout)
    return shown, result


def comparable(plan: dict[str, Any]) -> dict[str, Any]:
    """What must agree between the two plans, with resources keyed by address (their order is not meaning)."""
    planned = plan["planned_values"]
    configured = plan["configuration"]["root_module"].get("resources", [])
    return {
        "planned_resources": {r["address"]: r for r in planned["root_module"].get("resources", [])},
        "planned_outputs": planned.get("outputs", {}),
        "after": {change["address"]: change["change"]["after"] for change in plan.get("resource_changes", [])},
        "actions": {change["address"]: change["change"]["actions"] for change in plan.get("resource_changes", [])},
        "provider_config": {r["address"]: r["provider_config_key"] for r in configured},
        "depends_on": {r["address"]: sorted(r.get("depends_on", [])) for r in configured},
    }
