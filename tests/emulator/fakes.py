"""The seams of the emulator, faked: the clock, the sleep of injected delays and the record store."""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["FakeClock", "FakeSleep", "MemoryRecordStore"]


class FakeClock:
    """A clock that moves only when told to; starts at a fixed instant (2026-05-01T12:00:00Z)."""

    def __init__(self, now: float = 1_777_636_800.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass."""
        self.now += seconds


class FakeSleep:
    """A sleep that returns at once, remembers each delay and moves the fake clock by it."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.clock.advance(seconds)


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
