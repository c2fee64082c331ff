"""Get an app's synthesized stacks: run the app into a private directory, or read what ``cdktf synth`` wrote.

``synthesize_app`` does what ``cdktf synth`` and ``cdktn synth`` do to an app, without their CLI: it reads
``cdktf.json`` in the app's directory (both CLIs read that file), runs its ``app`` command there with
``CDKTF_OUTDIR`` pointing at a directory of the caller's (both frameworks read that variable), and reads the
``manifest.json`` the app wrote. The app is the user's own program on whichever framework it is built on, in its
own process, so these commands never import cdktf or cdktn, and never write into the app's ``cdktf.out``, where a
deploy may be synthesizing at the same moment. ``read_synthesized`` reads the stacks of a ``cdktf synth --output
DIR`` instead, when a pipeline has synthesized already.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from blaxel_constructs.environment_commands.synthesized_stack import SynthesizedStack
from blaxel_constructs.errors import EnvironmentCheckError

__all__ = ["APP_CONFIG", "AppConfig", "read_synthesized", "synthesize_app"]

#: The project file of a cdktf (and CDK Terrain) app.
APP_CONFIG: Final = "cdktf.json"
_MANIFEST: Final = "manifest.json"
_DEFAULT_OUTPUT: Final = "cdktf.out"
_CONTEXT_VARIABLE: Final = "CDKTF_CONTEXT_JSON"
#: Lines of the app's own output quoted in the error when it fails.
_QUOTED_LINES: Final = 40


@dataclass(frozen=True)
class AppConfig:
    """What ``cdktf.json`` says: the command that synthesizes the app, its output directory, its context."""

    directory: Path
    app: str
    output: Path
    context: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, directory: Path) -> AppConfig:
        """The ``cdktf.json`` of ``directory``; ``EnvironmentCheckError`` when it is missing or has no ``app``."""
        path = directory / APP_CONFIG
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise EnvironmentCheckError(
                f"no {APP_CONFIG} in {directory}: run blaxel-constructs environments in the app's directory, "
                "where cdktf deploy runs"
            ) from None
        except (OSError, ValueError) as error:
            raise EnvironmentCheckError(f"cannot read {path}: {error}") from None
        app = document.get("app") if isinstance(document, Mapping) else None
        if not isinstance(app, str) or not app.strip():
            raise EnvironmentCheckError(f'{path} has no "app" command to synthesize the app with')
        output = document.get("output")
        context = document.get("context")
        return cls(
            directory=directory,
            app=app,
            output=directory / (output if isinstance(output, str) and output else _DEFAULT_OUTPUT),
            context=context if isinstance(context, Mapping) else {},
        )


def synthesize_app(config: AppConfig, into: Path, environ: Mapping[str, str]) -> dict[str, SynthesizedStack]:
    """Run the app into ``into`` (a directory of the caller's) and return its stacks, by name.

    ``environ`` is the app's environment, as a deploy's would be (``BLAXEL_STATE_PG`` decides the backend at
    synth). The stacks' ``working_directory`` is where a deploy of the app runs Terraform
    (``<output>/stacks/<name>``), since a relative local state path is relative to it.
    """
    context = {**config.context, **_context_of(environ)}
    env = {
        **environ,
        "CDKTF_OUTDIR": str(into),
        "SYNTH_HCL_OUTPUT": "false",  # JSON, which the commands read, whatever the app's own habit
        _CONTEXT_VARIABLE: json.dumps(context),
    }
    try:
        completed = subprocess.run(
            config.app,
            shell=True,
            cwd=config.directory,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        raise EnvironmentCheckError(f"cannot run the app ({config.app}): {error}") from None
    if completed.returncode != 0:
        said = (completed.stderr.strip() or completed.stdout.strip()).splitlines()[-_QUOTED_LINES:]
        raise EnvironmentCheckError(
            f"the app failed to synthesize (exit {completed.returncode}, {config.app}):\n" + "\n".join(said)
        )
    return _read_manifest(into, deployed_in=config.output)


def read_synthesized(output: Path) -> dict[str, SynthesizedStack]:
    """The stacks a ``cdktf synth --output <output>`` wrote (a deploy from there runs Terraform in the same place)."""
    if not (output / _MANIFEST).is_file():
        raise EnvironmentCheckError(
            f"no synthesized stacks in {output} ({_MANIFEST} is missing): run cdktf synth --output {output} first, "
            "or leave out --output to synthesize the app"
        )
    return _read_manifest(output, deployed_in=output)


def _context_of(environ: Mapping[str, str]) -> dict[str, Any]:
    text = environ.get(_CONTEXT_VARIABLE)
    if not text:
        return {}
    try:
        context = json.loads(text)
    except ValueError:
        return {}
    return context if isinstance(context, dict) else {}


def _read_manifest(root: Path, *, deployed_in: Path) -> dict[str, SynthesizedStack]:
    """The stacks of the synthesized app in ``root``, their working directories under ``deployed_in``."""
    manifest = _read_json(root / _MANIFEST)
    entries = manifest.get("stacks") if isinstance(manifest, Mapping) else None
    if not isinstance(entries, Mapping):
        raise EnvironmentCheckError(f"{root / _MANIFEST} lists no stacks")
    stacks: dict[str, SynthesizedStack] = {}
    for name, entry in entries.items():
        if not isinstance(entry, Mapping):
            continue
        synthesized = str(entry.get("synthesizedStackPath") or f"stacks/{name}/cdk.tf.json")
        source = root / synthesized
        if not source.is_file():
            raise EnvironmentCheckError(
                f"stack {name!r} has no {source.name} in {source.parent}: the commands read JSON stacks "
                "(synthesize without --hcl)"
            )
        document = _read_json(source)
        if not isinstance(document, Mapping):
            raise EnvironmentCheckError(f"{source} is not a Terraform JSON document")
        working = str(entry.get("workingDirectory") or f"stacks/{name}")
        stacks[str(name)] = SynthesizedStack(
            name=str(name),
            construct_path=str(entry.get("constructPath") or name),
            document=document,
            source=source,
            working_directory=Path(os.path.normpath(deployed_in / working)),
        )
    return dict(sorted(stacks.items(), key=lambda item: item[1].position))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise EnvironmentCheckError(f"cannot read {path}: {error}") from None
