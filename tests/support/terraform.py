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


def require_tools() -> None:
    """Fail loudly (not skip) when a binary the end-to-end tests need is missing."""
    missing = [tool for tool in ("terraform", "node") if shutil.which(tool) is None]
    if not CDKTF.exists():
        missing.append(f"{CDKTF} (run make test, which installs the npm packages)")
    if missing:
        raise RuntimeError(f"end-to-end tests need: {', '.join(missing)}")
