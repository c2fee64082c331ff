"""What ``blaxel-constructs import`` prints on stdout once the files are written: short, and nothing secret.

Counts per kind, the files, what was skipped and why, the secrets (kept, or the ``TF_VAR_`` variables to export
when taken over, one per line with its full name), notices, and the commands to run next with what the first
plan or deploy should say. A ``TF_VAR_`` name appears on stdout only for a variable the generated code reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from blaxel_constructs.kinds.description import Kind
from blaxel_constructs.workspace_import.adoption import Adoption

__all__ = ["Outcome", "render_summary"]


@dataclass(frozen=True)
class Outcome:
    """What the command did, for the summary: the format, where, which files, which kinds were not read."""

    format: str
    directory: Path
    files: tuple[Path, ...]
    source: str
    stack: str
    not_read: tuple[Kind, ...]
    unmanaged: tuple[str, ...]
    hints: tuple[str, ...] = ()


def _nouns(noun: str) -> str:
    """``policy`` -> ``policies``, ``model`` -> ``models``."""
    return f"{noun[:-1]}ies" if noun.endswith("y") else f"{noun}s"


def _plural(count: int, noun: str) -> str:
    return f"1 {noun}" if count == 1 else f"{count} {_nouns(noun)}"


def _secrets(adoption: Adoption) -> list[str]:
    held = [(adopted, secret) for adopted in adoption.objects for secret in adopted.secrets]
    if not held:
        return []
    owners = sum(1 for adopted in adoption.objects if adopted.secrets)
    if not adoption.take_over_secrets:
        return [
            "Secrets:",
            f"  {owners} object(s) keep the secret Blaxel holds (never read, never written): rerun with "
            "--take-over-secrets to manage them from this code (each resource shows how in a comment).",
        ]
    lines = [
        "Secrets taken over: export each variable where Terraform runs before the first plan; the first apply",
        "sends them (one update per object, of its secret's version):",
    ]
    for adopted, secret in held:
        for variable in secret.variables:
            owner = f"{adopted.kind.noun} {adopted.name}, key {variable.key!r}"
            lines.append(f"  export {variable.environment_variable}=...   ({owner})")
    return lines


def _next_steps(adoption: Adoption, outcome: Outcome) -> list[str]:
    total = len(adoption.objects)
    changes = sum(1 for adopted in adoption.objects if any(secret.taken_over for secret in adopted.secrets))
    if outcome.format == "hcl":
        return [
            f"Next, in {outcome.directory} (Terraform 1.5 or later; 1.11 for taken-over secrets):",
            "  terraform init",
            f"  terraform plan    # expect: {total} to import, 0 to add, {changes} to change, 0 to destroy",
            "  terraform apply",
        ]
    updates = f", updates {changes} (their secret's version)" if changes else ""
    return [
        f"Next, in {outcome.directory} (with the virtual environment where blaxel-constructs and {outcome.format} "
        "are installed active):",
        f"  {outcome.format} deploy {outcome.stack}    # the first deploy imports {total}{updates}, creates none",
    ]


def render_summary(adoption: Adoption, outcome: Outcome) -> str:
    """The summary printed after the files are written."""
    lines = [f"Read {outcome.source}."]
    kinds = adoption.kinds
    counts = ", ".join(_plural(adoption.count(kind), kind.noun) for kind in kinds) or "no objects"
    lines.append(f"Adopted {len(adoption.objects)} object(s): {counts}.")
    lines.append("Wrote:")
    lines += [f"  {path}" for path in outcome.files]
    skipped: Sequence[str] = [f"  {item.what}: {item.why}" for item in adoption.skipped]
    if outcome.not_read:
        nouns = ", ".join(_nouns(kind.noun) for kind in outcome.not_read)
        skipped = [*skipped, f"  {nouns}: not read (--kind)"]
    if outcome.unmanaged:
        skipped = [*skipped, f"  {', '.join(outcome.unmanaged)}: kinds blaxel-constructs does not manage (not read)"]
    if skipped:
        lines += ["Skipped:", *skipped]
    lines += _secrets(adoption)
    notes = [*adoption.notices, *outcome.hints]
    if notes:
        lines += ["Notes:", *(f"  {note}" for note in notes)]
    lines += _next_steps(adoption, outcome)
    return "\n".join(lines) + "\n"
