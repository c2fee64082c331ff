"""The end-to-end tests' view of the Terraform helpers: the shared ones (``blaxel_constructs.testing``), plus
where this checkout keeps its cdktf CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

from blaxel_constructs.testing import (
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
    "CDKTF",
    "NO_REGISTRY",
    "QUIET_ENV",
    "REPO",
    "CommandFailed",
    "ProviderInstall",
    "Result",
    "Workdir",
    "base_env",
    "hcl_header",
    "require_tools",
    "run",
]

REPO = Path(__file__).resolve().parents[2]
CDKTF = REPO / "node_modules" / ".bin" / "cdktf"
#: An environment in which any HTTPS request (a registry's) fails at once, while 127.0.0.1 (the emulator) works:
#: what a deploy needs must already be on the machine.
NO_REGISTRY = {"HTTPS_PROXY": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "NO_PROXY": "127.0.0.1"}


def require_tools() -> None:
    """Fail loudly (not skip) when a binary the end-to-end tests need is missing."""
    missing = [tool for tool in ("terraform", "node") if shutil.which(tool) is None]
    if not CDKTF.exists():
        missing.append(f"{CDKTF} (run make test, which installs the npm packages)")
    if missing:
        raise RuntimeError(f"end-to-end tests need: {', '.join(missing)}")
