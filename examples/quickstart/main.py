"""Quickstart: one Blaxel model gateway endpoint for OpenAI's gpt-4.1, deployed with CDK Terrain or cdktf.

Run ``cdktn synth`` or ``cdktf synth`` (or ``python examples/quickstart/main.py``) to write
``cdktf.out/stacks/quickstart/cdk.tf.json``, then ``cdktn deploy`` or ``cdktf deploy``. No credential is written in
this file: the ``blaxel`` provider reads ``BL_API_KEY``, ``BL_WORKSPACE`` and (for the local
emulator) ``BL_API_URL`` where Terraform runs. ``QUICKSTART_MODEL_NAME`` overrides the model's
name (default ``quickstart-gpt``), so that several runs can share one workspace.
"""

from __future__ import annotations

import os

from constructs import Construct

try:  # CDK Terrain, cdktf's maintained successor; your own app imports just the one it is built on
    from cdktn import App, TerraformOutput, TerraformStack
except ImportError:  # an environment with cdktf 0.21.0
    from cdktf import App, TerraformOutput, TerraformStack  # type: ignore[assignment]

from blaxel_constructs import BlaxelProvider, Flavor, ModelEndpoint, ModelRuntime

DEFAULT_MODEL_NAME = "quickstart-gpt"


class QuickstartStack(TerraformStack):
    """A provider configured from the environment, one endpoint, and its URL and status as outputs."""

    def __init__(self, scope: Construct, id: str, *, model_name: str = DEFAULT_MODEL_NAME) -> None:
        super().__init__(scope, id)
        BlaxelProvider(self, "blaxel")
        gpt = ModelEndpoint(
            self,
            "gpt",
            name=model_name,
            runtime=ModelRuntime(type="openai", model="gpt-4.1"),
            flavors=[Flavor(name="t4", type="cpu")],
            labels={"app": "quickstart"},
        )
        TerraformOutput(self, "url", value=gpt.url)
        TerraformOutput(self, "status", value=gpt.status)


def main() -> None:
    """Synthesize the ``quickstart`` stack into ``cdktf.out`` (or ``$CDKTF_OUTDIR``)."""
    app = App()
    QuickstartStack(app, "quickstart", model_name=os.environ.get("QUICKSTART_MODEL_NAME", DEFAULT_MODEL_NAME))
    app.synth()


if __name__ == "__main__":
    main()
