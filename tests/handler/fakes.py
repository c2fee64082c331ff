"""The handler tests' fakes of the ``ModelsAPI`` seam, on the suite's one fake clock.

Two fakes of the one seam, because they play different roles, and neither can play the other's without
growing into it:

- ``FakeModelsAPI`` is a script: GETs answer a given sequence of statuses, documents or errors, and writes
  answer one canned document. The waiting tests use it to drive the handler through any status sequence
  (DEPLOYING, DEPLOYED, FAILED, a 404 or a 5xx in between) and to see when each poll happened.
- ``FakeRemote`` is a server: it holds models by name (POST 409s on a taken name, PUT replaces, GET reads
  what was written) and can fail a call before or after applying it (``Fault``). The adoption tests use it
  for the creates and updates that must end with exactly one model whatever is lost on the way.

Nothing sleeps for real: ``FakeClock.sleep`` (``tests.support.clock``) advances virtual time, and the
fake APIs can advance it too (``latency``), as a slow network would. Both record the ``deadline`` of
every call.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from blaxel_constructs.errors import ConflictError, NotFoundError
from blaxel_constructs.handler import DEFAULT_BACKOFF, ModelHandler, ModelsAPI, Waiter
from tests.support.clock import FakeClock

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
    recorded in ``calls``; GETs take no virtual time and their times are in ``poll_times``. A status step
    reads back the metadata and spec last written, as a server stores them.
    """

    def __init__(self, *gets: Step, clock: FakeClock | None = None, write_latency: float = 0.0) -> None:
        self.gets = list(gets)
        self.calls: list[tuple[str, Any]] = []
        self.poll_times: list[float] = []
        self.write_answer: dict[str, Any] | BaseException = document()
        self.clock = clock
        self.write_latency = write_latency
        self.deadlines: list[float | None] = []
        self.stored: Mapping[str, Any] | None = None

    def _write(self, call: str, arg: Any, deadline: float | None) -> dict[str, Any]:
        self.calls.append((call, arg))
        self.deadlines.append(deadline)
        if call in ("create", "update"):
            self.stored = arg if call == "create" else arg[1]
        if self.clock is not None:
            self.clock.now += self.write_latency  # a slow POST, PUT or DELETE
        if isinstance(self.write_answer, BaseException):
            raise self.write_answer
        return self.write_answer

    def get_model(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        self.calls.append(("get", name))
        self.deadlines.append(deadline)
        if self.clock is not None:
            self.poll_times.append(self.clock.now)
        step = self.gets.pop(0) if len(self.gets) > 1 else self.gets[0]
        if isinstance(step, BaseException):
            raise step
        if isinstance(step, dict):
            return step
        answer = document(name, step)
        if self.stored is not None:
            answer.update(copy.deepcopy({"metadata": self.stored["metadata"], "spec": self.stored["spec"]}))
        return answer

    def create_model(self, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        return self._write("create", document, deadline)

    def update_model(self, name: str, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        return self._write("update", (name, document), deadline)

    def delete_model(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        return self._write("delete", name, deadline)

    @property
    def polls(self) -> int:
        return sum(1 for call, _ in self.calls if call == "get")


def handler_over(api: ModelsAPI, clock: FakeClock, *, rng: float = 1.0) -> ModelHandler:
    """A handler whose waiter runs on ``clock`` with a fixed jitter draw (1.0 = always the full cap)."""
    waiter = Waiter(DEFAULT_BACKOFF, clock=clock.as_clock(rng))
    return ModelHandler(api, waiter=waiter)


@dataclass
class Fault:
    """Make the next ``call`` (``"create"``, ``"get"``, ``"update"``) raise ``error``, after applying it if
    ``applied`` (the answer was lost on the way back) or without applying it; ``then`` runs just before
    the error is raised (something else happening on the server meanwhile)."""

    call: str
    error: BaseException
    applied: bool = False
    then: Callable[[], None] | None = None


class FakeRemote:
    """A server's models, by name: POST stores (409 if the name is taken), PUT replaces, GET reads.

    A stored model reads back with ``status`` (``DEPLOYED`` unless changed) and server-set metadata, as the
    API would show it. ``faults`` are consumed in order, each by the first call of its kind.
    """

    def __init__(self, *faults: Fault, status: str = "DEPLOYED", clock: FakeClock | None = None) -> None:
        self.models: dict[str, dict[str, Any]] = {}
        self.faults = list(faults)
        self.status = status
        self.clock = clock
        self.calls: list[str] = []
        self.deadlines: list[float | None] = []
        self.call_times: list[float] = []

    def seed(self, document: Mapping[str, Any]) -> None:
        """A model that exists before the test starts."""
        self.models[document["metadata"]["name"]] = copy.deepcopy(dict(document))

    def _enter(self, call: str, deadline: float | None) -> Fault | None:
        self.calls.append(call)
        self.deadlines.append(deadline)
        if self.clock is not None:
            self.call_times.append(self.clock.now)
        for index, fault in enumerate(self.faults):
            if fault.call == call:
                del self.faults[index]
                if not fault.applied:
                    self._fire(fault)
                return fault
        return None

    @staticmethod
    def _fire(fault: Fault) -> None:
        if fault.then is not None:
            fault.then()
        raise fault.error

    def _read(self, name: str) -> dict[str, Any]:
        stored = copy.deepcopy(self.models[name])
        stored["metadata"].update({"workspace": "my-team", "createdAt": "2026-05-01T10:00:00Z"})
        return {**stored, "status": self.status, "events": []}

    def get_model(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        fault = self._enter("get", deadline)
        if name not in self.models:
            raise not_found(name)
        if fault is not None:
            self._fire(fault)
        return self._read(name)

    def create_model(self, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        fault = self._enter("create", deadline)
        name = document["metadata"]["name"]
        if name in self.models:
            raise ConflictError(method="POST", path="/models", status=409, error=f"Resource already exists: {name}")
        self.models[name] = copy.deepcopy(dict(document))
        if fault is not None:
            self._fire(fault)
        return self._read(name)

    def update_model(self, name: str, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        fault = self._enter("update", deadline)
        if name not in self.models:
            raise not_found(name)
        self.models[name] = copy.deepcopy(dict(document))
        if fault is not None:
            self._fire(fault)
        return self._read(name)

    def delete_model(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        self._enter("delete", deadline)
        if name not in self.models:
            raise not_found(name)
        return {**self._read(name), "status": "DELETING"}

    def count(self, call: str) -> int:
        return self.calls.count(call)
