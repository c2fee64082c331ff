"""Multiple environments: the same model endpoints in dev, staging and prod, from one configuration file.

``environments.yaml`` (next to this file, or the file ``BLAXEL_ENVIRONMENTS`` names) holds shared
defaults and what each environment changes: workspace, name suffix, labels, flavors, ``enabled``,
runtime model, policy. This app makes one stack per environment, named after it::

    cdktf deploy dev --skip-provider-lock
    cdktf deploy staging prod --skip-provider-lock

Every stack keeps its state in PostgreSQL (schema ``blaxel_<env>``, locked while an apply runs) when
``BLAXEL_STATE_PG`` holds a libpq connection string, else in ``terraform.<env>.tfstate`` here. No
credential is written in code: the provider reads ``BL_API_KEY`` (and ``BL_API_URL`` for the emulator)
where Terraform runs.
"""

from __future__ import annotations

import os
from pathlib import Path

from constructs import Construct

try:  # CDK Terrain, cdktf's maintained successor; your own app imports just the one it is built on
    from cdktn import App, TerraformOutput
except ImportError:  # an environment with cdktf 0.21.0
    from cdktf import App, TerraformOutput  # type: ignore[assignment]

from blaxel_constructs.constructs import EnvironmentConfig, EnvironmentStack, load_environments

CONFIG = Path(__file__).resolve().parent / "environments.yaml"


class AssistantStack(EnvironmentStack):
    """One environment: its configured endpoints, and each one's URL and status as outputs."""

    def __init__(self, scope: Construct, environment: EnvironmentConfig) -> None:
        super().__init__(scope, environment)
        for key, endpoint in self.model_endpoints().items():
            output = key.replace("-", "_")
            TerraformOutput(self, f"{output}_url", value=endpoint.url)
            TerraformOutput(self, f"{output}_status", value=endpoint.status)


def main() -> None:
    """Synthesize one stack per environment into ``cdktf.out`` (or ``$CDKTF_OUTDIR``)."""
    app = App()
    for environment in load_environments(os.environ.get("BLAXEL_ENVIRONMENTS", CONFIG)).values():
        AssistantStack(app, environment)
    app.synth()


if __name__ == "__main__":
    main()
