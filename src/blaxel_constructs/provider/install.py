"""``blaxel-constructs install-provider``: put the provider where a plain ``terraform init`` finds it offline.

Terraform looks for unpacked providers under ``<plugin dir>/<host>/<namespace>/<type>/<version>/<os_arch>/``;
``~/.terraform.d/plugins`` is searched by default (an "implied local mirror"). The package is one launcher
whose bytes depend on the version alone (``blaxel_constructs.provider_package``), so its lock-file hash is
the same on every machine; which Python it runs (this environment's) is recorded outside the package:
``<os_arch>.python`` beside the package directory, and a per-user record for a package Terraform copied.
``dev_overrides`` is not used: it breaks ``terraform init`` and therefore backends and cdktf.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import sys
from pathlib import Path

from blaxel_constructs._version import __version__
from blaxel_constructs.identity import HOST, NAMESPACE, TYPE
from blaxel_constructs.provider_package import RECORD_SUFFIX, launcher_name, launcher_script, user_record

__all__ = ["HOST", "NAMESPACE", "TYPE", "cli_config_text", "default_plugin_dir", "install_provider", "os_arch"]

_ARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}


def os_arch() -> str:
    """Terraform's platform name for this machine, e.g. ``linux_amd64``."""
    machine = platform.machine().lower()
    return f"{platform.system().lower()}_{_ARCH.get(machine, machine)}"


def default_plugin_dir() -> Path:
    """``~/.terraform.d/plugins``, the implied local mirror Terraform searches without configuration."""
    return Path.home() / ".terraform.d" / "plugins"


def install_provider(
    plugin_dir: Path | None = None, *, python: str | None = None, user_config: Path | None = None
) -> Path:
    """Install ``terraform-provider-blaxel`` into ``plugin_dir`` and return the launcher's path.

    ``python`` (default: this interpreter, as invoked, so that a virtual environment stays one) is
    recorded beside the package directory and in the per-user record, under ``user_config`` (default
    ``$XDG_CONFIG_HOME`` or ``~/.config``, where the launcher looks). Idempotent: installing the same
    version again rewrites the launcher and the records in place; the package directory is left holding
    the launcher alone, since any other file there would change its hash.
    """
    root = (plugin_dir or default_plugin_dir()).expanduser().resolve()
    package = root / HOST / NAMESPACE / TYPE / __version__ / os_arch()
    package.mkdir(parents=True, exist_ok=True)
    executable = package / launcher_name(__version__)
    for entry in package.iterdir():
        if entry != executable:
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    _write(executable, launcher_script(__version__), mode=0o755, staging=package.parent)
    interpreter = f"{python or sys.executable}\n"
    _write(package.parent / f"{package.name}{RECORD_SUFFIX}", interpreter)
    with contextlib.suppress(OSError):  # the fallback for a package Terraform copied; a read-only home goes without
        _write(user_record(__version__, user_config), interpreter)
    _byte_compile()
    return executable


def _write(path: Path, text: str, *, mode: int = 0o644, staging: Path | None = None) -> None:
    """Replace ``path`` atomically, through a temporary file in ``staging`` (default: its own directory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = (staging or path.parent) / f".{path.name}.{os.getpid()}.tmp"
    temporary.write_text(text)
    temporary.chmod(mode)
    os.replace(temporary, path)


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
