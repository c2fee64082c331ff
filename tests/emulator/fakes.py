"""The seams of the emulator, faked: the record store, and where the suite's one fake clock starts.

The clock and the sleep of injected delays are both ``tests.support.clock.FakeClock`` (``clock`` and
``clock.sleep``; the delays slept are in ``clock.sleeps``), started at ``START`` by ``emulator_clock``.
"""

from __future__ import annotations

import copy
from typing import Any

from tests.support.clock import FakeClock

__all__ = ["START", "MemoryRecordStore", "emulator_clock"]

#: Where the emulator tests' virtual time starts: 2026-05-01T12:00:00Z, so timestamps read as real dates.
START = 1_777_636_800.0


def emulator_clock() -> FakeClock:
    """The suite's fake clock at ``START``: it moves only when a test advances it or the app sleeps."""
    return FakeClock(START)


class MemoryRecordStore:
    """A ``RecordStore`` in a dict; copies on the way in and out, as a real store serialises."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], dict[str, Any]] = {}

    def get(self, workspace: str, name: str) -> dict[str, Any] | None:
        record = self.records.get((workspace, name))
        return None if record is None else copy.deepcopy(record)

    def put(self, workspace: str, name: str, record: dict[str, Any]) -> None:
        self.records[(workspace, name)] = copy.deepcopy(record)

    def delete(self, workspace: str, name: str) -> None:
        self.records.pop((workspace, name), None)

    def list(self, workspace: str) -> list[dict[str, Any]]:
        return [copy.deepcopy(r) for (ws, _), r in self.records.items() if ws == workspace]
