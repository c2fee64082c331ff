"""The ``environments`` subcommand's arguments: ``diff A B`` and ``status [ENV...]``.

Kept apart from the command itself so that ``blaxel-constructs`` parses its arguments without loading it. A
usage error exits 1, not argparse's usual 2: for these commands 2 means "differences found" (as ``terraform plan
-detailed-exitcode``), which a mistyped flag must never look like.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, NoReturn

__all__ = ["add_environments_parser"]

_OUTPUT_HELP = (
    "read the stacks that `cdktf synth --output DIR` wrote instead of synthesizing the app (cdktf's --output; "
    "default: synthesize the app of cdktf.json into a private directory)"
)
_EXIT_CODES = "exit codes: 0 the same / in sync, 2 differences / drift or changes pending, 1 error"


class _UsageErrorExitsOne(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose usage errors exit 1."""

    def error(self, message: str) -> NoReturn:
        self.print_usage()
        self.exit(1, f"{self.prog}: error: {message}\n")


def add_environments_parser(commands: Any) -> None:
    """Add ``environments`` with its ``diff`` and ``status`` subcommands to ``commands`` (argparse subparsers)."""
    parser = commands.add_parser(
        "environments",
        help="compare two environments of an app (diff) and check each for drift and pending changes (status)",
        description="Run in the app's directory (where cdktf.json is). " + _EXIT_CODES + ".",
    )
    actions = parser.add_subparsers(dest="environments_command", parser_class=_UsageErrorExitsOne)
    diff = actions.add_parser(
        "diff",
        help="what environment B has that A has not, and each argument that differs",
        description="Compare the synthesized stacks of environments A and B, resource by resource (matched by "
        "construct path). Differences that come only from the environments' own settings (name prefix and suffix, "
        "environment labels, the provider's workspace) are left out unless --all. Reads nothing remote. "
        + _EXIT_CODES
        + ".",
    )
    diff.add_argument("a", metavar="A", help="the environment to compare from (e.g. staging)")
    diff.add_argument("b", metavar="B", help="the environment to compare to (e.g. prod)")
    diff.add_argument(
        "--all",
        action="store_true",
        dest="include_environment",
        help="also show (and count) what differs only by the environments' own settings",
    )
    status = actions.add_parser(
        "status",
        help="per environment: in sync, drifted, changes pending or not deployed",
        description="One terraform plan per environment, all at once, against its own state backend and the live "
        "API: drift (changed outside Terraform) and changes pending (configuration not yet applied). Writes no "
        "state, sends no change to the API, takes no lock, needs no secret. "
        + _EXIT_CODES
        + " (1 when any environment could not be checked; the others are still reported).",
    )
    status.add_argument("environments", nargs="*", metavar="ENV", help="environments to check (default: all)")
    for command in (diff, status):
        command.add_argument("--output", type=Path, default=None, metavar="DIR", help=_OUTPUT_HELP)
        command.add_argument("--json", action="store_true", help="print one JSON document instead of the table")
