"""Multiple environments: the same model endpoints in dev, staging and prod, from one configuration file.

``environments.yaml`` (next to this file, or the file ``BLAXEL_ENVIRONMENTS`` names) holds shared
defaults and what each environment changes: workspace, name suffix, labels, flavors, ``enabled``,
runtime model, policy. This app makes one stack per environment, named after it::

    cdktf deploy dev --auto-approve
    cdktf deploy staging prod --auto-approve

Every stack keeps its state in PostgreSQL (schema ``blaxel_<env>``, locked while an apply runs) when
``BLAXEL_STATE_PG`` holds a libpq connection string, else in ``terraform.<env>.tfstate`` here. No
credential is written in code: the provider reads ``BL_API_KEY`` (and ``BL_API_URL`` for the emulator)
where Terraform runs.

A mistake in the configuration file, or an endpoint that breaks its environment's policy, ends the app
with exit code 1 and the error's message alone on stderr: the file and field, or one
``ERROR [prod/chat]: ...`` line per violation, never a Python or jsii traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from constructs import Construct

try:  # CDK Terrain, cdktf's maintained successor; your own app imports just the one it is built on
    from cdktn import App, TerraformOutput
except ImportError:  # an environment with cdktf 0.21.0
    from cdktf import App, TerraformOutput  # type: ignore[assignment]

from blaxel_constructs.constructs import synth_app
from blaxel_constructs.constructs.environments import EnvironmentConfig, EnvironmentStack, load_environments
from blaxel_constructs.errors import SpecError

CONFIG = Path(__file__).resolve().parent / "environments.yaml"


class AssistantStack(EnvironmentStack):
    """One environment: its configured endpoints, and each one's URL and status as outputs."""

    def __init__(self, scope: Construct, environment: EnvironmentConfig) -> None:
        super().__init__(scope, environment)
        for key, endpoint in self.model_endpoints().items():
            output = key.replace("-", "_")
            TerraformOutput(self, f"{output}_url", value=endpoint.url)
            TerraformOutput(self, f"{output}_status", value=endpoint.status)


def main() -> int:
    """Synthesize one stack per environment into ``cdktf.out`` (or ``$CDKTF_OUTDIR``); the exit code.

    Every error of the library is a ``SpecError`` whose message names what to fix (the file and field,
    the construct path): that message is all the user needs, so it is printed alone, without a traceback.
    """
    try:
        app = App()
        for environment in load_environments(os.environ.get("BLAXEL_ENVIRONMENTS", CONFIG)).values():
            AssistantStack(app, environment)
        synth_app(app)
    except SpecError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
