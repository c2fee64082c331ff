"""Where the generated files go: an output directory that is empty or new, unless ``--force`` says otherwise.

A directory already holding files is refused (``WorkspaceImportError`` naming ``--force``): it may hold the
code a team already edited. With ``force``, the generated files are written over, and nothing else in the
directory is touched (a ``.terraform`` directory or a state file stays where it is).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from blaxel_constructs.errors import WorkspaceImportError

__all__ = ["check_directory", "write_files"]


def check_directory(directory: Path, *, force: bool) -> None:
    """Refuse a ``directory`` that is a file or holds files (unless ``force``), before the workspace is read."""
    if directory.exists() and not directory.is_dir():
        raise WorkspaceImportError(
            f"--out {directory} is a file, not a directory: give a directory to write the code in"
        )
    if directory.is_dir() and not force and any(directory.iterdir()):
        raise WorkspaceImportError(
            f"--out {directory} already holds files, which the import would overwrite: give an empty or new "
            "directory, or add --force to write the generated files over those of the same name"
        )


def write_files(directory: Path, files: Mapping[str, str]) -> list[Path]:
    """Write each file (relative name -> text, UTF-8) into ``directory``, created if missing; the paths written."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WorkspaceImportError(f"cannot create --out {directory}: {error.strerror or error}") from None
    written: list[Path] = []
    for name, text in files.items():
        path = directory / name
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise WorkspaceImportError(f"cannot write {path}: {error.strerror or error}") from None
        written.append(path)
    return written
