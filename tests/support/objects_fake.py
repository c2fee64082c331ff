"""``FakeObjects``: the fake of the handler's one seam (``handler.ObjectsAPI``), a server of any kind's objects.

It holds objects by name, as the API would: POST stores (409 when the name is taken), PUT replaces, GET reads
what was written with server-set metadata (and ``status`` for a kind that deploys, ``DEPLOYED`` unless set),
DELETE removes (409 "in use by models: ..." while ``in_use`` names users), and the values of a kind's secret
arguments read back masked, as Blaxel masks them. A ``Fault`` fails the next call of its kind, before or after
applying it. Every call is recorded in ``log`` (``POST``, ``GET``, ``PUT``, ``DELETE``), which a test may share
with other recorders (the write fence) to check the order of events. Nothing sleeps: calls take no time unless
``latency`` says so, on the suite's ``FakeClock``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from blaxel_constructs.document.rules import SECRET_MASK
from blaxel_constructs.errors import ConflictError, NotFoundError
from blaxel_constructs.kinds.description import Kind
from tests.support.clock import FakeClock

__all__ = ["FakeClient", "FakeObjects", "Fault"]


@dataclass
class Fault:
    """Make the next ``call`` (``POST``, ``GET``, ``PUT``, ``DELETE``) raise ``error``, after applying it when
    ``applied`` (the answer was lost on the way back) or without applying it."""

    call: str
    error: BaseException
    applied: bool = False


class FakeObjects:
    """One kind's objects on a fake server (see the module docstring)."""

    def __init__(
        self,
        kind: Kind,
        *faults: Fault,
        clock: FakeClock | None = None,
        status: str = "DEPLOYED",
        log: list[str] | None = None,
    ) -> None:
        self.kind = kind
        self.faults = list(faults)
        self.clock = clock
        self.status = status
        self.log = log if log is not None else []
        self.objects: dict[str, dict[str, Any]] = {}
        #: Names of the models that keep an object in use: a DELETE of it is refused while any are listed.
        self.in_use: dict[str, list[str]] = {}
        #: Runs at each refused DELETE (a model going away meanwhile, say).
        self.on_refused: Callable[[], None] = lambda: None
        #: What happens elsewhere while a write (``POST``, ``PUT``, ``DELETE``) is in flight, before the server
        #: applies it and after (another of Terraform's calls reading the workspace, say).
        self.before_apply: dict[str, Callable[[], None]] = {}
        self.after_apply: dict[str, Callable[[], None]] = {}

    def seed(self, document: Mapping[str, Any]) -> None:
        """An object that exists before the test starts."""
        self.objects[document["metadata"]["name"]] = copy.deepcopy(dict(document))

    def count(self, call: str) -> int:
        return self.log.count(call)

    def _enter(self, call: str) -> Fault | None:
        self.log.append(call)
        self.before_apply.get(call, lambda: None)()
        for index, fault in enumerate(self.faults):
            if fault.call == call:
                del self.faults[index]
                if not fault.applied:
                    raise fault.error
                return fault
        return None

    def _path(self, name: str = "") -> str:
        return f"{self.kind.collection}/{name}" if name else self.kind.collection

    def _read(self, name: str) -> dict[str, Any]:
        document = copy.deepcopy(self.objects[name])
        document["metadata"].update({"workspace": "ws", "createdAt": "2026-11-30T10:00:00Z"})
        for attr in self.kind.secrets:
            place: Any = document
            for key in attr.wire_path[:-1]:
                place = place.get(key) if isinstance(place, dict) else None
            if isinstance(place, dict) and isinstance(place.get(attr.wire_path[-1]), dict):
                place[attr.wire_path[-1]] = dict.fromkeys(place[attr.wire_path[-1]], SECRET_MASK)
        if self.kind.lifecycle is not None:
            document["status"] = self.status
        return document

    def _missing(self, method: str, name: str) -> NotFoundError:
        return NotFoundError(method=method, path=self._path(name), status=404, error=f"{self.kind.title} not found")

    def get(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        fault = self._enter("GET")
        if name not in self.objects:
            raise self._missing("GET", name)
        if fault is not None:
            raise fault.error
        return self._read(name)

    def list(self, *, deadline: float | None = None) -> list[dict[str, Any]]:
        self.log.append("LIST")
        return [self._read(name) for name in self.objects]

    def create(self, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        fault = self._enter("POST")
        name = document["metadata"]["name"]
        if name in self.objects:
            raise ConflictError(method="POST", path=self._path(), status=409, error=f"Resource already exists: {name}")
        self.objects[name] = copy.deepcopy(dict(document))
        self.after_apply.get("POST", lambda: None)()
        if fault is not None:
            raise fault.error
        return self._read(name)

    def update(self, name: str, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        fault = self._enter("PUT")
        if name not in self.objects:
            raise self._missing("PUT", name)
        self.objects[name] = copy.deepcopy(dict(document))
        self.after_apply.get("PUT", lambda: None)()
        if fault is not None:
            raise fault.error
        return self._read(name)

    def delete(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        fault = self._enter("DELETE")
        if name not in self.objects:
            raise self._missing("DELETE", name)
        users = self.in_use.get(name)
        if users:
            self.on_refused()
            if self.clock is not None:
                self.clock.advance(0.1)  # each refusal takes a little time, as a real request would
            text = f"{self.kind.title} {name} is in use by models: {', '.join(users)}"
            raise ConflictError(method="DELETE", path=self._path(name), status=409, error=text)
        deleted = self._read(name)
        del self.objects[name]
        self.after_apply.get("DELETE", lambda: None)()
        if fault is not None:
            raise fault.error
        return deleted


class FakeClient:
    """What the provider uses of ``BlaxelClient`` (its ``client`` argument): each kind's endpoints, one fake
    server per kind, sharing one ``log``."""

    def __init__(self) -> None:
        self.servers: dict[Kind, FakeObjects] = {}
        self.log: list[str] = []

    def objects(self, kind: Kind) -> FakeObjects:
        return self.servers.setdefault(kind, FakeObjects(kind, log=self.log))

    def list_objects(self, kind: Kind, *, deadline: float | None = None) -> list[dict[str, Any]]:
        return self.objects(kind).list()
