"""The handler tests' fakes: a virtual clock and a ``ModelsAPI`` that plays scripted status sequences.

Nothing sleeps for real: ``FakeClock.sleep`` advances virtual time, and the fake API can advance it too
(``latency``), as a slow network would.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from blaxel_constructs.errors import NotFoundError
from blaxel_constructs.handler import Backoff, ModelHandler, Waiter


class FakeClock:
    """``clock()`` and ``sleep()`` over virtual seconds; records each sleep."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


Step = str | None | dict[str, Any] | BaseException


def document(name: str = "my-model", status: str | None = "DEPLOYING", **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"metadata": {"name": name}, "spec": {"enabled": True}, "events": []}
    if status is not None:
        doc["status"] = status
    doc.update(extra)
    return doc


def not_found(name: str = "my-model") -> NotFoundError:
    return NotFoundError(method="GET", path=f"/models/{name}", status=404, error="Model not found")


class FakeModelsAPI:
    """Answers GET with the next scripted step (a status, a document or an exception); the last one repeats.

    Write calls return ``write_answer`` (or raise it), take ``write_latency`` virtual seconds, and are
    recorded in ``calls``; GETs take no virtual time and their times are in ``poll_times``.
    """

    def __init__(self, *gets: Step, clock: FakeClock | None = None, write_latency: float = 0.0) -> None:
        self.gets = list(gets)
        self.calls: list[tuple[str, Any]] = []
        self.poll_times: list[float] = []
        self.write_answer: dict[str, Any] | BaseException = document()
        self.clock = clock
        self.write_latency = write_latency

    def _write(self, call: str, arg: Any) -> dict[str, Any]:
        self.calls.append((call, arg))
        if self.clock is not None:
            self.clock.now += self.write_latency  # a slow POST, PUT or DELETE
        if isinstance(self.write_answer, BaseException):
            raise self.write_answer
        return self.write_answer

    def get_model(self, name: str) -> dict[str, Any]:
        self.calls.append(("get", name))
        if self.clock is not None:
            self.poll_times.append(self.clock.now)
        step = self.gets.pop(0) if len(self.gets) > 1 else self.gets[0]
        if isinstance(step, BaseException):
            raise step
        if isinstance(step, dict):
            return step
        return document(name, step)

    def create_model(self, document: Mapping[str, Any]) -> dict[str, Any]:
        return self._write("create", document)

    def update_model(self, name: str, document: Mapping[str, Any]) -> dict[str, Any]:
        return self._write("update", (name, document))

    def delete_model(self, name: str) -> dict[str, Any]:
        return self._write("delete", name)

    @property
    def polls(self) -> int:
        return sum(1 for call, _ in self.calls if call == "get")


def handler_over(api: FakeModelsAPI, clock: FakeClock, *, rng: float = 1.0) -> ModelHandler:
    """A handler whose waiter runs on ``clock`` with a fixed jitter draw (1.0 = always the full cap)."""
    waiter = Waiter(Backoff(), clock=clock, sleep=clock.sleep, rng=lambda: rng)
    return ModelHandler(api, waiter=waiter)
