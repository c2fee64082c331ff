"""Synthesis writes the stack's lock-file entry for this provider: ``cdktf.out/stacks/<stack>/.terraform.lock.hcl``.

``cdktf deploy`` and ``cdktn deploy`` run ``terraform providers lock`` before ``terraform init`` whenever the
stack's ``.terraform.lock.hcl`` is missing or does not match its ``required_providers``, and that command
asks only the public registry, where this provider is not: a deploy from a fresh clone (or a fresh output
directory) failed with "Could not retrieve providers for locking" unless given ``--skip-provider-lock``.

The installed provider package is a pure function of the version (``blaxel_constructs.provider_package``),
so its ``h1:`` hash is known here, without Terraform. Every stack holding a ``BlaxelProvider`` therefore
writes its lock entry when it is synthesized: the ``registry.terraform.io/blaxel-constructs/blaxel`` block,
version and constraint pinned to this package's version, merged into the file the stack already has
(other providers' entries are kept, and the file is left untouched when it already holds the entry).
cdktf then skips its registry step, ``terraform init`` checks the installed package against the hash
and accepts it, and upgrading ``blaxel-constructs`` rewrites the entry at the next synth: no flag, no
command. Plain HCL users commit the lock file ``terraform init`` writes; it is the same on every machine.

The hook is the stack's synthesizer, wrapped once per stack: it runs on ``app.synth()`` (``cdktf synth``,
``--hcl`` included) after the stack's own files are written, and never on ``Testing.synth``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import jsii
from constructs import Construct

from blaxel_constructs import identity
from blaxel_constructs._version import __version__
from blaxel_constructs.constructs.framework import Framework, framework_of
from blaxel_constructs.provider_package import package_hash

__all__ = ["LOCK_FILE", "lock_entry", "lock_on_synthesis", "merged_lock_file"]

#: The dependency lock file Terraform reads in each stack's working directory.
LOCK_FILE: Final = ".terraform.lock.hcl"
#: Terraform's own header, written the same way so that its next ``init`` changes nothing.
_HEADER: Final = (
    '# This file is maintained automatically by "terraform init".\n# Manual edits may be lost in future updates.\n'
)
_BLOCK_START: Final = 'provider "'
#: The locking synthesizer class, per framework (a jsii interface implementation is bound to one framework).
_CLASSES: dict[str, type] = {}


def lock_entry(version: str = __version__) -> str:
    """The lock file's block for this provider at ``version``, exactly as ``terraform init`` writes it."""
    return (
        f'provider "{identity.ADDRESS}" {{\n'
        f'  version     = "{version}"\n'
        f'  constraints = "{version}"\n'
        "  hashes = [\n"
        f'    "{package_hash(version)}",\n'
        "  ]\n"
        "}\n"
    )


def merged_lock_file(existing: str | None, version: str = __version__) -> str | None:
    """The lock file holding this provider's entry at ``version``, or None when ``existing`` already does.

    Other providers' blocks are kept as they are, all sorted by address as Terraform writes them.
    ``existing`` already holds the entry when its block for this provider pins ``version`` and lists
    this version's hash (Terraform may have added more).
    """
    blocks = _blocks(existing or "")
    current = blocks.get(identity.ADDRESS)
    if current is not None and f'version     = "{version}"' in current and f'"{package_hash(version)}"' in current:
        return None
    blocks[identity.ADDRESS] = lock_entry(version)
    return _HEADER + "".join(f"\n{blocks[address]}" for address in sorted(blocks))


def write_lock_file(directory: Path, version: str = __version__) -> None:
    """Write or update ``directory/.terraform.lock.hcl`` with this provider's entry (see ``merged_lock_file``)."""
    path = directory / LOCK_FILE
    try:
        existing: str | None = path.read_text()
    except FileNotFoundError:
        existing = None
    merged = merged_lock_file(existing, version)
    if merged is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(merged)


def lock_on_synthesis(scope: Construct) -> None:
    """Make the stack of ``scope`` write its lock entry whenever it is synthesized (once per stack)."""
    framework = framework_of(scope)
    stack = framework.module.TerraformStack.of(scope)
    locking = _synthesizer_class(framework)
    current = stack.synthesizer
    if not isinstance(current, locking):  # a stack with several (aliased) providers is wrapped once
        stack.synthesizer = locking(stack, current)


def _synthesizer_class(framework: Framework) -> type:
    """The framework's ``IStackSynthesizer`` that synthesizes as before, then writes the lock entry."""
    cls = _CLASSES.get(framework.name)
    if cls is None:

        class LockingSynthesizer:
            """Delegates to the stack's synthesizer, then writes the lock file into the stack's directory."""

            def __init__(self, stack: Any, inner: Any) -> None:
                self._stack = stack
                self._inner = inner

            def synthesize(self, session: Any) -> None:
                self._inner.synthesize(session)
                working = session.manifest.for_stack(self._stack).working_directory
                write_lock_file(Path(session.outdir) / working)

        cls = _CLASSES[framework.name] = jsii.implements(framework.module.IStackSynthesizer)(LockingSynthesizer)
    return cls


def _blocks(text: str) -> dict[str, str]:
    """The top-level ``provider "<address>" { ... }`` blocks of a lock file, by address, each with its lines."""
    blocks: dict[str, str] = {}
    address: str | None = None
    lines: list[str] = []
    for line in text.splitlines(keepends=True):
        if address is None:
            if line.startswith(_BLOCK_START):
                address = line[len(_BLOCK_START) :].split('"', 1)[0]
                lines = [line]
            continue
        lines.append(line)
        if line.rstrip("\r\n") == "}":
            blocks[address] = "".join(lines)
            address = None
    return blocks
