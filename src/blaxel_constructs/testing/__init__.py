"""Helpers to test Terraform configurations of this provider for real: ``terraform`` against the emulator.

``terraform_workdir`` drives the ``terraform`` binary with the provider installed privately; the emulator
process itself is ``blaxel_constructs.emulator.process.EmulatorProcess``. Nothing here imports cdktf.
"""

from blaxel_constructs.testing.terraform_workdir import (
    QUIET_ENV,
    CommandFailed,
    ProviderInstall,
    Result,
    Workdir,
    base_env,
    hcl_header,
    run,
)

__all__ = [
    "QUIET_ENV",
    "CommandFailed",
    "ProviderInstall",
    "Result",
    "Workdir",
    "base_env",
    "hcl_header",
    "run",
]
