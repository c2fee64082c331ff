"""``blaxel-constructs install-provider``: put the provider where a plain ``terraform init`` finds it offline.

Terraform looks for unpacked providers under ``<plugin dir>/<host>/<namespace>/<type>/<version>/<os_arch>/``;
``~/.terraform.d/plugins`` is searched by default (an "implied local mirror"). The installed executable
is a small wrapper that runs this environment's Python, so the provider always matches the installed
package. ``dev_overrides`` is not used: it breaks ``terraform init`` and therefore backends and cdktf.
"""

from __future__ import annotations

import os
import platform
import shlex
import sys
from pathlib import Path

from blaxel_constructs._version import __version__
from blaxel_constructs.identity import HOST, NAMESPACE, TYPE

__all__ = ["HOST", "NAMESPACE", "TYPE", "cli_config_text", "default_plugin_dir", "install_provider", "os_arch"]

_ARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}


def os_arch() -> str:
    """Terraform's platform name for this machine, e.g. ``linux_amd64``."""
    machine = platform.machine().lower()
    return f"{platform.system().lower()}_{_ARCH.get(machine, machine)}"


def default_plugin_dir() -> Path:
    """``~/.terraform.d/plugins``, the implied local mirror Terraform searches without configuration."""
    return Path.home() / ".terraform.d" / "plugins"


def install_provider(plugin_dir: Path | None = None, *, python: str | None = None) -> Path:
    """Install ``terraform-provider-blaxel`` into ``plugin_dir`` and return the executable's path.

    Idempotent: installing the same version again rewrites the wrapper in place.
    """
    root = (plugin_dir or default_plugin_dir()).expanduser().resolve()
    target = root / HOST / NAMESPACE / TYPE / __version__ / os_arch()
    target.mkdir(parents=True, exist_ok=True)
    executable = target / f"terraform-provider-{TYPE}_v{__version__}"
    interpreter = shlex.quote(python or sys.executable)
    script = (
        "#!/bin/sh\n"
        "# terraform-provider-blaxel, installed by `blaxel-constructs install-provider`.\n"
        f'exec {interpreter} -m blaxel_constructs.provider.main "$@"\n'
    )
    temporary = executable.with_suffix(".tmp")
    temporary.write_text(script)
    temporary.chmod(0o755)
    os.replace(temporary, executable)
    return executable


def cli_config_text(plugin_dir: Path) -> str:
    """A Terraform CLI configuration that installs blaxel-constructs providers from ``plugin_dir`` only.

    Point ``TF_CLI_CONFIG_FILE`` at it when the plugin directory is not the default one.
    """
    path = str(plugin_dir.expanduser().resolve()).replace("\\", "\\\\").replace('"', '\\"')
    pattern = f"{HOST}/{NAMESPACE}/*"
    return (
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{path}"\n'
        f'    include = ["{pattern}"]\n'
        "  }\n"
        "  direct {\n"
        f'    exclude = ["{pattern}"]\n'
        "  }\n"
        "}\n"
    )
