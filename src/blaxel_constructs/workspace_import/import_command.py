"""``blaxel-constructs import``: read the workspace, decide what to write, write it, say what was done.

``run_import`` is the boundary: it builds the client from the ``BL_*`` variables (``ClientConfig.from_env``, the
provider's own configuration), runs ``import_workspace`` and translates every error of this library once, into
one line on stderr saying what failed and what to do, and exit code 1. ``import_workspace`` does the work with
any lister (tests pass a fake): check the format's framework and the output directory first (nothing is read
when nothing could be written), list the kinds asked for, filter, adopt, render, write, summarize.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from blaxel_constructs.errors import APIError, BlaxelError, ConfigurationError, TransportError
from blaxel_constructs.kinds import KINDS
from blaxel_constructs.kinds.description import Kind
from blaxel_constructs.workspace_import.adoption import adopt
from blaxel_constructs.workspace_import.framework_check import cli_hint, require_framework
from blaxel_constructs.workspace_import.hcl_rendering import render_imports, render_main
from blaxel_constructs.workspace_import.import_parser import DEFAULT_STACK
from blaxel_constructs.workspace_import.object_filter import Filters
from blaxel_constructs.workspace_import.output_writing import check_directory, write_files
from blaxel_constructs.workspace_import.python_rendering import render_app, render_cdktf_json
from blaxel_constructs.workspace_import.summary_rendering import Outcome, render_summary
from blaxel_constructs.workspace_import.workspace_reading import UNMANAGED_KINDS, ObjectLister, read_workspace

__all__ = ["ImportRequest", "import_workspace", "run_import"]

_PROGRAM = "blaxel-constructs import"
#: The exit code of a usage error, as argparse gives for the others.
USAGE_ERROR = 2


@dataclass(frozen=True)
class ImportRequest:
    """What to import and how (the command's arguments)."""

    format: str
    out: Path
    filters: Filters = field(default_factory=Filters)
    kinds: tuple[Kind, ...] = KINDS
    force: bool = False
    take_over_secrets: bool = False
    stack: str = DEFAULT_STACK

    @classmethod
    def from_arguments(cls, args: argparse.Namespace) -> ImportRequest:
        return cls(
            format=args.format,
            out=args.out,
            filters=Filters(names=tuple(args.names), labels=tuple(args.labels)),
            kinds=kinds_named(args.kinds),
            force=args.force,
            take_over_secrets=args.take_over_secrets,
            stack=args.stack or DEFAULT_STACK,
        )


def import_workspace(request: ImportRequest, lister: ObjectLister, *, source: str) -> str:
    """Write the code adopting what ``lister`` lists into ``request.out``; the summary to print.

    ``source`` names where the objects come from (workspace and URL) in the files and the summary.
    """
    hints: list[str] = []
    if request.format != "hcl":
        require_framework(request.format)
        hint = cli_hint(request.format)
        if hint:
            hints.append(hint)
    check_directory(request.out, force=request.force)
    listing = read_workspace(lister, request.kinds)
    adoption = adopt(
        request.filters.select(listing.objects),
        skipped=[s for s in listing.skipped if s.listed is None or request.filters.keeps(s.listed)],
        take_over_secrets=request.take_over_secrets,
    )
    if request.format == "hcl":
        files = {"main.tf": render_main(adoption, source=source), "imports.tf": render_imports(adoption)}
    else:
        files = {
            "main.py": render_app(adoption, framework=request.format, stack=request.stack, source=source),
            "cdktf.json": render_cdktf_json(request.stack),
        }
    written = write_files(request.out, files)
    outcome = Outcome(
        format=request.format,
        directory=request.out,
        files=tuple(written),
        source=source,
        stack=request.stack,
        not_read=tuple(kind for kind in KINDS if kind not in request.kinds),
        unmanaged=UNMANAGED_KINDS,
        hints=tuple(hints),
    )
    return render_summary(adoption, outcome)


def _source(workspace: str | None, api_url: str) -> str:
    return f'workspace "{workspace}" at {api_url}' if workspace else f"the API at {api_url}"


def run_import(
    args: argparse.Namespace,
    *,
    environ: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    lister: ObjectLister | None = None,
) -> int:
    """Run the command: 0 when the files are written, 1 on an error (one line on stderr: what, and what to do).

    The workspace is read with a ``BlaxelClient`` configured from ``environ`` (``os.environ`` by default), or
    with ``lister`` when one is given (tests).
    """
    from blaxel_constructs.client import BlaxelClient, ClientConfig

    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if args.format == "hcl" and args.stack is not None:
        stderr.write(f"{_PROGRAM}: error: --stack names the stack of a cdktf or cdktn app; --format hcl has none\n")
        return USAGE_ERROR
    request = ImportRequest.from_arguments(args)
    try:
        config = ClientConfig.from_env(environ)
        config.validate()
        source = _source(config.workspace, config.api_url)
        if lister is not None:
            summary = import_workspace(request, lister, source=source)
        else:
            with BlaxelClient(config) as client:
                summary = import_workspace(request, client, source=source)
    except ConfigurationError as error:
        return _fail(stderr, f"{error} (the import reads the same BL_* variables as the provider)")
    except (APIError, TransportError) as error:
        return _fail(
            stderr,
            f"could not read the workspace: {error}; check BL_API_URL, BL_WORKSPACE and the credential "
            "(BL_API_KEY or BL_CLIENT_CREDENTIALS), then run the import again (nothing was written)",
        )
    except BlaxelError as error:
        return _fail(stderr, str(error))
    stdout.write(summary)
    return 0


def _fail(stderr: TextIO, message: str) -> int:
    stderr.write(f"{_PROGRAM}: error: {message}\n")
    return 1


def kinds_named(names: Sequence[str]) -> tuple[Kind, ...]:
    """The kinds of ``names`` (``--kind`` values), in ``KINDS`` order; every kind when none is named."""
    chosen = set(names)
    return tuple(kind for kind in KINDS if not chosen or kind.name in chosen)
