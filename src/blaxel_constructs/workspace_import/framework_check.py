"""Whether the CDK that ``--format cdktf`` or ``--format cdktn`` names can run the generated app, and what to install.

The app imports the framework (``from cdktn import App``) and its CLI deploys it, so both must be there. The
Python package is checked where the import runs (the environment the app will run in: ``python3`` of the same
virtual environment); a missing one is an error that says what to install. The CLI, an npm package, may live in a
project's ``node_modules`` rather than on the PATH, so its absence is only a hint in the summary.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from typing import Final

from blaxel_constructs.errors import WorkspaceImportError

__all__ = ["CDK_PACKAGES", "cli_hint", "require_framework"]

#: Per framework: the extra of this package that installs its Python package, and its npm CLI package.
CDK_PACKAGES: Final = {
    "cdktf": ("blaxel-constructs[cdktf]", "cdktf-cli@0.21.0"),
    "cdktn": ("blaxel-constructs[cdktn]", "cdktn-cli@0.24.0"),
}


def require_framework(framework: str) -> None:
    """``WorkspaceImportError`` saying what to install when the Python package ``framework`` cannot be imported."""
    extra, cli = CDK_PACKAGES[framework]
    if importlib.util.find_spec(framework) is None:
        raise WorkspaceImportError(
            f"--format {framework} writes an app that imports the Python package {framework!r}, which is not "
            f'installed for {sys.executable}: run pip install "{extra}" in this environment (and npm install '
            f"{cli} for the {framework} command that deploys it), or choose another --format"
        )


def cli_hint(framework: str) -> str | None:
    """What to install when the framework's CLI is not on the PATH, or None when it is."""
    if shutil.which(framework) is not None:
        return None
    _, cli = CDK_PACKAGES[framework]
    return f"the {framework} command is not on the PATH: npm install {cli} (then npx {framework} ...) before deploying"
