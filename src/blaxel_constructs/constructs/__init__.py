"""The construct layer: ``BlaxelProvider``, ``ModelEndpoint``, ``IntegrationConnection``, ``Policy`` and ``Secret``.

This is the only module of the package that imports ``cdktf`` or ``cdktn``, ``constructs`` or ``jsii``: the
Terraform provider, handler and client never load it, so they start fast. The constructs run on either
CDK, cdktf 0.21 (archived upstream) or its maintained successor CDK Terrain (``cdktn``): each construct
is built on the framework of the scope it is created in (``constructs.framework``). Typical use::

    from cdktn import App, TerraformOutput, TerraformStack   # or: from cdktf import ...
    from blaxel_constructs import BlaxelProvider, ModelEndpoint, ModelRuntime

    stack = TerraformStack(App(), "demo")
    BlaxelProvider(stack, "blaxel")  # credentials come from BL_* variables at deploy time
    gpt = ModelEndpoint(stack, "gpt", name="my-gpt", runtime=ModelRuntime(type="openai", model="gpt-4.1"))
    TerraformOutput(stack, "url", value=gpt.url)

Several environments (dev, staging, prod) from one configuration file live in the subpackage
``blaxel_constructs.constructs.environments`` (``load_environments``, ``EnvironmentStack``, their aspects
and state backend). ``synth_app`` runs
``app.synth()`` and turns the aspects' error annotations into one ``AnnotationError`` (a ``SpecError``),
so an app's ``main`` can print every error of this library as its message alone. Secrets enter as
``Secret.from_env("VAR")`` (an ephemeral, sensitive variable that Terraform reads from ``TF_VAR_VAR``,
wired to the connection's write-only ``secret_wo``) or ``ephemeral_variable``: never in plan or state.
The whole gateway in one stack::

    openai = IntegrationConnection(stack, "openai", name="openai", integration="openai",
                                   secret={"apiKey": Secret.from_env("OPENAI_API_KEY")})
    eu = Policy(stack, "eu", name="eu-only", type="location", locations=[{"name": "EU", "type": "continent"}])
    ModelEndpoint(stack, "gpt", name="my-gpt", runtime=ModelRuntime(type="openai", model="gpt-4.1"),
                  integration_connections=[openai], policies=[eu])   # references: Terraform orders them
"""

from __future__ import annotations

from blaxel_constructs.constructs.annotations import AnnotationError, synth_app
from blaxel_constructs.constructs.blaxel_provider import (
    PROVIDER_SOURCE,
    PROVIDER_TYPE,
    BlaxelProvider,
    PlaintextSecretWarning,
)
from blaxel_constructs.constructs.integration_connection import (
    CONNECTION_RESOURCE_TYPE,
    BlaxelIntegrationConnectionResource,
    IntegrationConnection,
)
from blaxel_constructs.constructs.model_endpoint import RESOURCE_TYPE, BlaxelModelResource, ModelEndpoint
from blaxel_constructs.constructs.policy import POLICY_RESOURCE_TYPE, BlaxelPolicyResource, Policy
from blaxel_constructs.constructs.secret import Secret
from blaxel_constructs.constructs.timeouts import Timeouts
from blaxel_constructs.constructs.variables import ephemeral_variable

__all__ = [
    "CONNECTION_RESOURCE_TYPE",
    "POLICY_RESOURCE_TYPE",
    "PROVIDER_SOURCE",
    "PROVIDER_TYPE",
    "RESOURCE_TYPE",
    "AnnotationError",
    "BlaxelIntegrationConnectionResource",
    "BlaxelModelResource",
    "BlaxelPolicyResource",
    "BlaxelProvider",
    "IntegrationConnection",
    "ModelEndpoint",
    "PlaintextSecretWarning",
    "Policy",
    "Secret",
    "Timeouts",
    "ephemeral_variable",
    "synth_app",
]
