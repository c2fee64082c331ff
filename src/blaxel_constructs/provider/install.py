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
    _byte_compile()
    return executable


def _byte_compile() -> None:
    """Write the package's ``.pyc`` files now, as ``pip install`` does for a wheel.

    Terraform launches the provider three to five times per command; without bytecode each launch compiles
    the provider's modules again (about 60 ms on a 2-core machine). An editable install never gets them
    when ``PYTHONDONTWRITEBYTECODE`` is set, which many CI images and containers do. Best effort: a
    read-only installation is left as it is (its modules are then compiled in memory at each launch).
    """
    import compileall

    package = Path(__file__).resolve().parent.parent
    compileall.compile_dir(str(package), quiet=2, workers=1)


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
