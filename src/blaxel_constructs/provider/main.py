"""Entry point of ``terraform-provider-blaxel``: Terraform launches it and reads one handshake line.

Terraform reads the handshake from stdout, so everything else goes to stderr, except a reason not to
start at all: Terraform shows a first stdout line that is no handshake to the user ("Unrecognized remote
plugin message: ..."). ``--version`` prints the version and exits. The installed launcher
(``blaxel_constructs.provider_package``) calls ``launch`` with its own version, which refuses to serve
when this environment now holds another version of the package. With ``--dev`` (debugging
with ``TF_REATTACH_PROVIDERS``) ``tf``'s own loop serves, and it caches its TLS certificate under
``~/.cache``: when HOME is not writable it would crash, so a private temporary home is used instead.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from pathlib import Path

from blaxel_constructs._version import __version__

__all__ = ["launch", "main"]


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


def launch(version: str) -> None:
    """Serve as the launcher of provider ``version`` asks, unless this environment now holds another version.

    The launcher of one version runs the Python it was installed from; after ``pip install -U`` that
    environment holds another version, whose code must not serve under the old version's name (its schema
    and state format may differ). The line printed says what to do.
    """
    if version != __version__:
        print(
            f"terraform-provider-blaxel {version} cannot start: {sys.executable} now has blaxel-constructs "
            f"{__version__}. Synthesize again (the stack then requires {__version__}) and run "
            '"blaxel-constructs install-provider" from that environment, '
            f"or reinstall blaxel-constructs {version} there.",
            flush=True,
        )
        sys.exit(1)
    main()


def main() -> None:
    """Serve the provider until Terraform stops it; ``--version`` prints the version instead."""
    if "--version" in sys.argv[1:]:
        print(f"terraform-provider-blaxel {__version__}")
        return
    if "--dev" in sys.argv:
        _ensure_writable_cache()
    _configure_logging()
    from blaxel_constructs.provider.plugin_server import serve
    from blaxel_constructs.provider.terraform_provider import BlaxelTerraformProvider

    serve(BlaxelTerraformProvider(), sys.argv)


if __name__ == "__main__":
    main()
