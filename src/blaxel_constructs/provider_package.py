"""The provider package Terraform installs, as a pure function of the version: its launcher and its ``h1:`` hash.

Terraform installs ``terraform-provider-blaxel`` from a plugin directory (``blaxel-constructs install-provider``
puts it there) and records the package's ``h1:`` hash in ``.terraform.lock.hcl``. That hash covers the
package directory's relative file paths and contents (Go's ``dirhash.Hash1``), not its location, so a
package whose bytes depend on the version alone has one hash on every machine, Linux or macOS, from
every virtual environment: a lock file committed by one teammate is accepted by every other one and by
CI, and synthesis can write it with no Terraform at hand (``constructs.provider_lock``).

So the package holds one file, a POSIX ``sh`` launcher whose text names no path. Which Python to run
is recorded *outside* the hashed directory by ``install-provider``, and the launcher looks, in order:

1. ``$BLAXEL_PROVIDER_PYTHON``, when set (containers, debugging);
2. the record beside the package directory, ``<version dir>/<os_arch>.python``, found from the
   launcher's own physical directory: Terraform links the plugin directory's package into
   ``.terraform/providers`` with a symlink, which ``cd -P`` resolves (portable ``sh``: no ``readlink -f``,
   which older macOS lacks). Terraform skips plain files at that depth of a plugin directory;
3. the per-user record ``terraform-provider-blaxel_v<version>.python`` in
   ``${XDG_CONFIG_HOME:-$HOME/.config}/blaxel-constructs``, for when Terraform copied the package instead
   of linking it (a file system without symlinks).

When the recorded Python is gone (the virtual environment was deleted) or no longer has this version of
``blaxel-constructs``, the launcher prints one line on stdout, which Terraform shows ("Unrecognized
remote plugin message: ..."), naming the path and the fix, and exits 1. ``--version`` prints the version
at once, without starting Python. A leaf module: standard library only.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from typing import Final

from blaxel_constructs import identity

__all__ = [
    "PYTHON_VARIABLE",
    "RECORD_SUFFIX",
    "launcher_name",
    "launcher_script",
    "package_files",
    "package_hash",
    "user_record",
]

#: The environment variable that names the Python to run, ahead of any record.
PYTHON_VARIABLE: Final = "BLAXEL_PROVIDER_PYTHON"
#: A record file's name is the package directory's name (``linux_amd64``) plus this suffix.
RECORD_SUFFIX: Final = ".python"
#: The per-user records' directory under ``$XDG_CONFIG_HOME`` (default ``~/.config``).
USER_RECORD_DIR: Final = "blaxel-constructs"
#: What the launcher runs with ``python -P -c`` (``-P``: never import from Terraform's working directory, a
#: stack's folder). It sits in single quotes in the launcher, so it holds none; ``{fix}`` is the same fix.
_BOOTSTRAP: Final = """import sys
try:
    from blaxel_constructs.provider.main import launch
except ImportError as error:
    print("terraform-provider-blaxel {version} cannot start: " + sys.executable
          + " cannot import blaxel_constructs (" + str(error) + "). {fix}")
    sys.exit(1)
launch("{version}")"""
#: The fix every failure names (in the launcher's single quotes and the bootstrap's double quotes).
_FIX: Final = (
    'Run \\"blaxel-constructs install-provider\\" from the virtual environment that has blaxel-constructs {version}.'
)


def launcher_name(version: str) -> str:
    """The executable's file name Terraform expects: ``terraform-provider-blaxel_v<version>``."""
    return f"terraform-provider-{identity.TYPE}_v{version}"


def launcher_script(version: str) -> str:
    """The launcher's text for ``version``: the same bytes wherever and from whichever venv it is installed."""
    name = launcher_name(version)
    fix = _FIX.format(version=version)
    bootstrap = _BOOTSTRAP.format(version=version, fix=fix)
    shell_fix = fix.replace('\\"', '"')  # in the shell's single quotes
    return f"""#!/bin/sh
# terraform-provider-blaxel {version}, installed by `blaxel-constructs install-provider`.
# Its bytes depend on the version alone, so its lock-file hash (h1:) is the same on every machine. It runs
# the Python of the virtual environment it was installed from, found outside this directory, in order:
# ${PYTHON_VARIABLE}; the record <this directory>{RECORD_SUFFIX} beside this directory (symlinks resolved);
# {name}{RECORD_SUFFIX} in ${{XDG_CONFIG_HOME:-$HOME/.config}}/{USER_RECORD_DIR} (copied directory).
version={version}
case ${{1-}} in --version | -version | -v) printf 'terraform-provider-blaxel %s\\n' "$version"; exit 0 ;; esac
fail() {{
  printf 'terraform-provider-blaxel %s cannot start: %s %s\\n' "$version" "$1" '{shell_fix}'
  exit 1
}}
python=${{{PYTHON_VARIABLE}-}}
source={PYTHON_VARIABLE}
if [ -z "$python" ]; then
  case $0 in */*) here=${{0%/*}} ;; *) here=. ;; esac
  beside=$(CDPATH= cd -P -- "$here" 2>/dev/null && pwd -P) && beside=$beside{RECORD_SUFFIX}
  user=${{XDG_CONFIG_HOME:-${{HOME-}}/.config}}/{USER_RECORD_DIR}/{name}{RECORD_SUFFIX}
  for source in "$beside" "$user"; do
    if [ -r "$source" ]; then
      IFS= read -r python <"$source"
      break
    fi
  done
  [ -n "$python" ] || fail "no record of the Python it was installed from ($beside, $user)."
fi
[ -x "$python" ] || fail "the Python it was installed from, $python (named by $source), is gone."
exec "$python" -P -c '{bootstrap}' "$@"
"""


def package_files(version: str) -> dict[str, bytes]:
    """The package directory's files, by path relative to it: the launcher alone."""
    return {launcher_name(version): launcher_script(version).encode()}


def package_hash(version: str) -> str:
    """Terraform's ``h1:`` hash of the installed package (Go's ``dirhash.Hash1``).

    The SHA-256 of lines ``"<sha256 hex of the file>  <relative path>\\n"``, sorted by path, in base64.
    """
    summary = "".join(
        f"{hashlib.sha256(content).hexdigest()}  {path}\n" for path, content in sorted(package_files(version).items())
    )
    return "h1:" + base64.b64encode(hashlib.sha256(summary.encode()).digest()).decode()


def user_record(version: str, config: Path | None = None) -> Path:
    """The per-user record of the Python for ``version``, under ``config``: by default where the launcher
    looks, ``$XDG_CONFIG_HOME`` or else ``$HOME/.config``."""
    if config is None:
        config = Path(os.environ.get("XDG_CONFIG_HOME") or f"{os.environ.get('HOME', '')}/.config")
    return config / USER_RECORD_DIR / f"{launcher_name(version)}{RECORD_SUFFIX}"
