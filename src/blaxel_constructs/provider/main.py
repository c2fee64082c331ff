"""Entry point of ``terraform-provider-blaxel``: Terraform launches it and reads one handshake line.

Terraform reads the handshake from stdout, so everything else goes to stderr. With ``--dev`` (debugging
with ``TF_REATTACH_PROVIDERS``) ``tf``'s own loop serves, and it caches its TLS certificate under
``~/.cache``: when HOME is not writable it would crash, so a private temporary home is used instead.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from pathlib import Path

__all__ = ["main"]


def _ensure_writable_cache() -> None:
    try:
        cache = Path.home() / ".cache" / "tf-python-provider"
        cache.mkdir(parents=True, exist_ok=True)
        probe = cache / f".probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except (OSError, RuntimeError):
        os.environ["HOME"] = tempfile.mkdtemp(prefix="terraform-provider-blaxel-")


def _configure_logging() -> None:
    """Library logs go to stderr (Terraform's provider log), at the level TF_LOG_PROVIDER or TF_LOG asks for."""
    level_name = (os.environ.get("TF_LOG_PROVIDER") or os.environ.get("TF_LOG") or "").upper()
    level = {"TRACE": logging.DEBUG, "DEBUG": logging.DEBUG, "INFO": logging.INFO}.get(level_name, logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("blaxel_constructs")
    logger.addHandler(handler)
    logger.setLevel(level)


def main() -> None:
    """Serve the provider until Terraform stops it."""
    if "--dev" in sys.argv:
        _ensure_writable_cache()
    _configure_logging()
    from blaxel_constructs.provider.plugin_server import serve
    from blaxel_constructs.provider.terraform_provider import BlaxelTerraformProvider

    serve(BlaxelTerraformProvider(), sys.argv)


if __name__ == "__main__":
    main()
