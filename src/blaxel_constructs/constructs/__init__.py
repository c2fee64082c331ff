"""The cdktf construct layer: ``BlaxelProvider`` and ``ModelEndpoint`` (and what they are made of).

This is the only module of the package that imports ``cdktf``, ``constructs`` or ``jsii``: the
Terraform provider, handler and client never load it, so they start fast and cdktf (archived
upstream at 0.21.0) stays replaceable. Typical use::

    from cdktf import App, TerraformOutput, TerraformStack
    from blaxel_constructs import BlaxelProvider, ModelEndpoint, ModelRuntime

    stack = TerraformStack(App(), "demo")
    BlaxelProvider(stack, "blaxel")  # credentials come from BL_* variables at deploy time
    gpt = ModelEndpoint(stack, "gpt", name="my-gpt", runtime=ModelRuntime(type="openai", model="gpt-4.1"))
    TerraformOutput(stack, "url", value=gpt.url)
"""

from __future__ import annotations

from blaxel_constructs.constructs._resource import RESOURCE_TYPE, BlaxelModelResource
from blaxel_constructs.constructs.model_endpoint import ModelEndpoint
from blaxel_constructs.constructs.provider import PROVIDER_SOURCE, PROVIDER_TYPE, BlaxelProvider, PlaintextSecretWarning
from blaxel_constructs.constructs.timeouts import Timeouts

__all__ = [
    "PROVIDER_SOURCE",
    "PROVIDER_TYPE",
    "RESOURCE_TYPE",
    "BlaxelModelResource",
    "BlaxelProvider",
    "ModelEndpoint",
    "PlaintextSecretWarning",
    "Timeouts",
]
