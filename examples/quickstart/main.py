"""Quickstart: a whole Blaxel model gateway in one stack, deployed with CDK Terrain or cdktf.

One integration connection holding the OpenAI API key, one policy (EU only), and one model gateway
endpoint for OpenAI's gpt-4.1 that uses both. Run ``cdktn synth`` or ``cdktf synth`` (or
``python examples/quickstart/main.py``) to write ``cdktf.out/stacks/quickstart/cdk.tf.json``, then
``cdktn deploy`` or ``cdktf deploy``. No credential is written in this file, nor in ``cdk.tf.json``:

- the ``blaxel`` provider reads ``BL_API_KEY``, ``BL_WORKSPACE`` and (for the local emulator)
  ``BL_API_URL`` where Terraform runs;
- the OpenAI key is ``Secret.from_env("OPENAI_API_KEY")``: an ephemeral, sensitive Terraform variable
  that Terraform reads from ``TF_VAR_OPENAI_API_KEY`` at deploy time and sends through the write-only
  argument ``secret_wo``, so it is in no plan and no state either. Export it before deploying::

      export TF_VAR_OPENAI_API_KEY="$OPENAI_API_KEY"

``QUICKSTART_MODEL_NAME`` overrides the model's name (default ``quickstart-gpt``; the connection and
the policy are named after it), so that several runs can share one workspace.
"""

from __future__ import annotations

import os

from constructs import Construct

try:  # CDK Terrain, cdktf's maintained successor; your own app imports just the one it is built on
    from cdktn import App, TerraformOutput, TerraformStack
except ImportError:  # an environment with cdktf 0.21.0
    from cdktf import App, TerraformOutput, TerraformStack  # type: ignore[assignment]

from blaxel_constructs import (
    BlaxelProvider,
    Flavor,
    IntegrationConnection,
    ModelEndpoint,
    ModelRuntime,
    Policy,
    Secret,
)

DEFAULT_MODEL_NAME = "quickstart-gpt"
#: The environment variable (without Terraform's ``TF_VAR_`` prefix) that holds the OpenAI API key.
OPENAI_KEY_VARIABLE = "OPENAI_API_KEY"


class QuickstartStack(TerraformStack):
    """A provider configured from the environment, a connection, a policy, one endpoint using both, and outputs."""

    def __init__(self, scope: Construct, id: str, *, model_name: str = DEFAULT_MODEL_NAME) -> None:
        super().__init__(scope, id)
        BlaxelProvider(self, "blaxel")
        openai = IntegrationConnection(
            self,
            "openai",
            name=f"{model_name}-openai",
            integration="openai",
            secret={"apiKey": Secret.from_env(OPENAI_KEY_VARIABLE)},  # bump secret_version=2 to send a new key
        )
        eu_only = Policy(
            self,
            "eu",
            name=f"{model_name}-eu",
            type="location",
            locations=[{"name": "EU", "type": "continent"}],
            resource_types=["model"],
        )
        gpt = ModelEndpoint(
            self,
            "gpt",
            name=model_name,
            runtime=ModelRuntime(type="openai", model="gpt-4.1"),
            flavors=[Flavor(name="t4", type="cpu")],
            labels={"app": "quickstart"},
            integration_connections=[openai],  # objects render as references: Terraform creates them first
            policies=[eu_only],
        )
        TerraformOutput(self, "url", value=gpt.url)
        TerraformOutput(self, "status", value=gpt.status)
        TerraformOutput(self, "connection", value=openai.connection_name)
        TerraformOutput(self, "policy", value=eu_only.policy_name)


def main() -> None:
    """Synthesize the ``quickstart`` stack into ``cdktf.out`` (or ``$CDKTF_OUTDIR``)."""
    app = App()
    QuickstartStack(app, "quickstart", model_name=os.environ.get("QUICKSTART_MODEL_NAME", DEFAULT_MODEL_NAME))
    app.synth()


if __name__ == "__main__":
    main()
