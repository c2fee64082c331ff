"""Entry point of ``terraform-provider-blaxel``: Terraform launches it and reads one handshake line.

Terraform reads the handshake from stdout, so everything else goes to stderr. ``tf`` caches its TLS
certificate under ``~/.cache``; when HOME is not writable it would crash, so a private temporary
home is used instead.
"""

from __future__ import annotations

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


def main() -> None:
    """Serve the provider until Terraform stops it."""
    _ensure_writable_cache()
    from tf.runner import run_provider

    from blaxel_constructs.provider.provider import BlaxelTerraformProvider

    run_provider(BlaxelTerraformProvider(), sys.argv)


if __name__ == "__main__":
    main()
