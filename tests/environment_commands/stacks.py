"""Synthesized stacks for the ``environments`` command's unit tests, written as cdktf writes ``cdk.tf.json``.

``environment_stack("staging", ...)`` builds the document an ``EnvironmentStack`` of examples/multi_env would
synthesize (a connection, two models, optionally a policy and an aliased provider), with its ``"//"`` metadata.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from blaxel_constructs.environment_commands.synthesized_stack import SynthesizedStack
from blaxel_constructs.environment_metadata import ENVIRONMENT_METADATA_KEY

__all__ = ["environment_document", "stack_of"]


def _resource(path: str, **arguments: Any) -> dict[str, Any]:
    return {"//": {"metadata": {"path": path, "uniqueId": path.split("/")[1]}}, **arguments}


def environment_document(
    name: str,
    *,
    suffix: str = "",
    tier: str | None = None,
    chat_model: str = "gpt-4.1",
    chat_flavor: str = "t4",
    with_policy: bool = False,
    shared_provider: bool = False,
    workspace: str = "emulator",
) -> dict[str, Any]:
    """The ``cdk.tf.json`` of environment ``name`` of the example app."""
    labels = {"team": "assistant", "tier": tier or name, "environment": name}
    chat: dict[str, Any] = {
        "name": f"chat{suffix}",
        "runtime": {"type": "openai", "model": chat_model},
        "flavors": [{"name": chat_flavor, "type": "gpu" if chat_flavor == "a100" else "cpu"}],
        "labels": {**labels, "blaxel-constructs-owner": f"{name}/chat"},
        "integration_connections": ["${blaxel_integration_connection.connection-openai_1A7D1170.name}"],
    }
    if with_policy:
        chat["policies"] = ["${blaxel_policy.policy-eu-only_5EBF76FF.name}"]
    resources: dict[str, Any] = {
        "blaxel_integration_connection": {
            "connection-openai_1A7D1170": _resource(
                f"{name}/connection-openai/Resource",
                name=f"openai{suffix}",
                integration="openai",
                labels=labels,
                secret_wo={"apiKey": "${var.OPENAI_API_KEY}"},
            )
        },
        "blaxel_model": {
            "chat_22ADE1FF": _resource(f"{name}/chat/Resource", **chat),
            "summarize_EF98AFAE": _resource(
                f"{name}/summarize/Resource",
                name=f"summarize{suffix}",
                runtime={"type": "anthropic", "model": "claude-3-5-haiku"},
                labels={**labels, "blaxel-constructs-owner": f"{name}/summarize"},
            ),
        },
    }
    if with_policy:
        resources["blaxel_policy"] = {
            "policy-eu-only_5EBF76FF": _resource(
                f"{name}/policy-eu-only/Resource", name=f"eu-only{suffix}", type="location", labels=labels
            )
        }
    providers = [{"workspace": workspace}]
    if shared_provider:
        providers.append({"alias": "shared", "workspace": "shared"})
    return {
        "//": {
            "metadata": {"backend": "local", "stackName": name, "version": "0.21.0"},
            ENVIRONMENT_METADATA_KEY: {
                "name": name,
                "name_prefix": "",
                "name_suffix": suffix,
                "labels": {"team": "assistant", "tier": tier or name, "environment": name},
                "position": {"dev": 0, "staging": 1, "prod": 2}.get(name, 9),
            },
        },
        "provider": {"blaxel": providers},
        "resource": resources,
        "terraform": {"backend": {"local": {"path": f"/app/terraform.{name}.tfstate"}}},
        "variable": {"OPENAI_API_KEY": {"type": "string", "ephemeral": True, "sensitive": True}},
    }


def stack_of(name: str, document: dict[str, Any], *, directory: Path = Path("/app/cdktf.out")) -> SynthesizedStack:
    """``document`` as the stack ``name`` (its construct path the same), deployed from ``directory/stacks/name``."""
    return SynthesizedStack(
        name=name,
        construct_path=name,
        document=copy.deepcopy(document),
        source=directory / "stacks" / name / "cdk.tf.json",
        working_directory=directory / "stacks" / name,
    )
