"""Pytest fixtures around the real emulator process; import them from a ``conftest.py``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .emulator_process import EmulatorProcess

__all__ = ["emulator"]


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[EmulatorProcess]:
    """A started emulator process (deploy_seconds 0.3, database in ``tmp_path``), stopped after the test."""
    with EmulatorProcess(tmp_path / "emulator.db", deploy_seconds=0.3) as process:
        yield process
