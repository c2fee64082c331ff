"""``blaxel-constructs environments diff A B`` and ``environments status [ENV...]``: the command's one boundary.

It gets the app's stacks (synthesized into a private temporary directory, or read from ``--output``), runs the
diff or the status check, prints the table or the JSON, and returns the exit code: 0 the same / in sync,
2 differences / drift or changes pending, 1 error (as ``terraform plan -detailed-exitcode``). Every
``EnvironmentCheckError`` ends here as one ``error: ...`` message on stderr and exit 1.

The private directory (``blaxel-environments-*`` in the system's temporary directory, readable by its owner only)
holds the synthesized stacks and each environment's Terraform working directory and saved plan, and is removed
when the command ends: nothing is written into the app's directory.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Final, TextIO

from blaxel_constructs.environment_commands.app_synthesis import AppConfig, read_synthesized, synthesize_app
from blaxel_constructs.environment_commands.report_rendering import (
    Style,
    diff_json,
    diff_text,
    status_json,
    status_text,
)
from blaxel_constructs.environment_commands.stack_diff import diff_stacks
from blaxel_constructs.environment_commands.status_check import check_environments
from blaxel_constructs.environment_commands.synthesized_stack import SynthesizedStack
from blaxel_constructs.errors import EnvironmentCheckError

__all__ = ["run_environments"]

EXIT_ERROR: Final = 1
EXIT_INTERRUPTED: Final = 130
#: Set for every process the command starts (the app, terraform): no version checks, no Node.js banner.
_QUIET: Final = {
    "CHECKPOINT_DISABLE": "1",
    "DISABLE_VERSION_CHECK": "1",
    "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
}


def run_environments(
    args: argparse.Namespace,
    *,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Run ``environments diff`` or ``status`` as parsed into ``args``; the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    env = dict(os.environ if environ is None else environ)
    for name, value in _QUIET.items():
        env.setdefault(name, value)
    style = Style(colour=_is_terminal(out) and "NO_COLOR" not in env and env.get("TERM") != "dumb")
    if args.environments_command not in ("diff", "status"):
        print("usage: blaxel-constructs environments {diff A B | status [ENV ...]} [--output DIR] [--json]", file=err)
        return EXIT_ERROR
    try:
        with tempfile.TemporaryDirectory(prefix="blaxel-environments-") as private:
            workspace = Path(private)
            began = clock()
            stacks = _stacks(args.output, cwd or Path.cwd(), workspace / "synth", env)
            synth_seconds = clock() - began
            if args.environments_command == "diff":
                return _diff(args, stacks, out, style)
            return _status(args, stacks, workspace / "terraform", env, out, style, synth_seconds)
    except EnvironmentCheckError as error:
        print(f"error: {error}", file=err)
        return EXIT_ERROR
    except KeyboardInterrupt:  # Ctrl-C reached terraform too (same process group): it stopped, nothing to undo
        print("interrupted: nothing was checked to the end, and nothing was changed", file=err)
        return EXIT_INTERRUPTED


def _stacks(
    output: Path | None, directory: Path, into: Path, environ: Mapping[str, str]
) -> dict[str, SynthesizedStack]:
    if output is not None:
        return read_synthesized(output if output.is_absolute() else directory / output)
    return synthesize_app(AppConfig.read(directory), into, environ)


def _diff(args: argparse.Namespace, stacks: Mapping[str, SynthesizedStack], out: TextIO, style: Style) -> int:
    a, b = _select(stacks, [args.a, args.b], keep_duplicates=True)
    diff = diff_stacks(a, b, include_environment=args.include_environment)
    document = diff_json(diff)
    _print(out, document if args.json else diff_text(diff, style))
    return int(document["exit_code"])


def _status(
    args: argparse.Namespace,
    stacks: Mapping[str, SynthesizedStack],
    workspace: Path,
    environ: Mapping[str, str],
    out: TextIO,
    style: Style,
    synth_seconds: float,
) -> int:
    chosen = _select(stacks, args.environments) if args.environments else list(stacks.values())
    report = check_environments(chosen, workspace, environ)
    report = replace(report, timings={"synth": synth_seconds, **report.timings})
    _print(out, status_json(report) if args.json else status_text(report, style))
    return report.exit_code


def _select(
    stacks: Mapping[str, SynthesizedStack], names: Sequence[str], *, keep_duplicates: bool = False
) -> list[SynthesizedStack]:
    unknown = [name for name in names if name not in stacks]
    if unknown:
        known = ", ".join(stacks) or "none"
        raise EnvironmentCheckError(
            f"no environment {', '.join(repr(name) for name in unknown)} in the app (its stacks: {known})"
        )
    chosen = list(names) if keep_duplicates else list(dict.fromkeys(names))
    return [stacks[name] for name in chosen]


def _print(out: TextIO, content: str | dict[str, Any]) -> None:
    if isinstance(content, str):
        out.write(content)
    else:
        out.write(json.dumps(content, indent=2, ensure_ascii=False) + "\n")
    out.flush()


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
