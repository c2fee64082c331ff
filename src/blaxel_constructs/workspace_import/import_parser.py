"""The ``import`` subcommand's arguments, kept apart from the command so that parsing loads nothing else.

``--kind`` takes the kinds of ``blaxel_constructs.kinds`` by their short name (``model``, ``integration_connection``,
``policy``): a kind added there can be chosen here with no change. Usage errors exit 2 (argparse's own).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any, Final

from blaxel_constructs.kinds import KINDS
from blaxel_constructs.workspace_import.object_filter import parse_label

__all__ = ["DEFAULT_STACK", "FORMATS", "add_import_parser"]

#: The formats: plain Terraform, or a construct app on cdktf or on CDK Terrain.
FORMATS: Final = ("hcl", "cdktf", "cdktn")
#: The stack of a generated construct app, unless ``--stack`` names another.
DEFAULT_STACK: Final = "adopted"
_STACK_NAME: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def _label(text: str) -> tuple[str, str]:
    try:
        return parse_label(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _stack(text: str) -> str:
    if not _STACK_NAME.match(text):
        raise argparse.ArgumentTypeError(f"a stack name is letters, digits, '-' and '_' (got {text!r})")
    return text


def add_import_parser(commands: Any) -> argparse.ArgumentParser:
    """Add ``import`` to ``commands`` (argparse subparsers); its parser (the documentation page reads its options)."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "import",
        help="write code (HCL, or a cdktf/cdktn app) that manages what the workspace already holds",
        description="Read the workspace named by the BL_* variables (BL_API_URL, BL_WORKSPACE, BL_API_KEY or "
        "BL_CLIENT_CREDENTIALS, BL_API_VERSION) and write code that adopts its objects: the first plan or deploy "
        "imports them and changes nothing. Only reads; secrets are never read. Exit codes: 0 written, 1 error, "
        "2 usage error.",
    )
    parser.add_argument(
        "--format",
        required=True,
        choices=FORMATS,
        help="hcl (main.tf, imports.tf) or a construct app for cdktf or cdktn (main.py, cdktf.json)",
    )
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="directory to write the files in")
    parser.add_argument(
        "--name",
        action="append",
        dest="names",
        default=[],
        metavar="GLOB",
        help="adopt only objects whose name matches this glob (fnmatch: * ? [..]); repeat: any may match",
    )
    parser.add_argument(
        "--label",
        action="append",
        dest="labels",
        type=_label,
        default=[],
        metavar="KEY=VALUE",
        help="adopt only objects carrying this label; repeat: all must match",
    )
    parser.add_argument(
        "--kind",
        action="append",
        dest="kinds",
        choices=[kind.name for kind in KINDS],
        default=[],
        help="adopt only objects of this kind; repeat for several (default: every kind)",
    )
    parser.add_argument(
        "--force", action="store_true", help="write into --out even when it holds files (ours are overwritten)"
    )
    parser.add_argument(
        "--take-over-secrets",
        action="store_true",
        help="manage the connections' secrets from the code: write secret_wo (HCL) or Secret.from_env (constructs) "
        "with a TF_VAR_ variable per secret key, printed on stdout; the first apply sends them",
    )
    parser.add_argument(
        "--stack",
        type=_stack,
        default=None,
        help=f"name of the construct app's stack (cdktf and cdktn only; default {DEFAULT_STACK})",
    )
    return parser
