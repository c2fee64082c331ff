"""The fake of the provider's one seam below it: its handlers (``BlaxelTerraformProvider.handler_for(kind)``).

``FakeHandler`` answers each handler call with the next scripted result (a document, None, or an exception
to raise) and records the calls; ``FakeProvider`` is what a resource sees of its provider, and hands the
same fake out as each resource's handler. With them the CRUD methods of ``blaxel_model``,
``blaxel_integration_connection`` and ``blaxel_policy`` run without Terraform, gRPC or a network.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from blaxel_constructs.kinds.description import Kind
from blaxel_constructs.provider.refresh_snapshot import RefreshSnapshot

Answer = dict[str, Any] | None | BaseException


def api_document(name: str = "chat", status: str = "DEPLOYED", **spec: Any) -> dict[str, Any]:
    """A model as the API shows it: metadata with the server's fields, spec, status."""
    return {
        "metadata": {
            "name": name,
            "workspace": "ws",
            "url": f"https://run.blaxel.ai/ws/models/{name}",
            "plan": "free",
            "createdAt": "2026-11-30T10:00:00Z",
            "updatedAt": "2026-11-30T10:00:01Z",
            "createdBy": "apikey-1",
            "updatedBy": "apikey-1",
        },
        "spec": {"runtime": {"type": "openai", "model": "gpt-4.1"}, **spec},
        "status": status,
    }


def policy_document(name: str = "eu-only", **spec: Any) -> dict[str, Any]:
    """A policy as the API shows it: metadata with the server's fields, and its spec (a location policy by default)."""
    return {
        "metadata": {
            "name": name,
            "workspace": "ws",
            "createdAt": "2026-11-30T10:00:00Z",
            "updatedAt": "2026-11-30T10:00:01Z",
            "createdBy": "apikey-1",
            "updatedBy": "apikey-1",
        },
        "spec": spec or {"type": "location", "locations": [{"name": "eu", "type": "continent"}], "sandbox": False},
        "usage": {"models": 0},
    }


class FakeHandler:
    """Scripted answers per method (``create``, ``update``, ``delete``, ``read``, ``wait_until_settled``)."""

    def __init__(self, **answers: Answer) -> None:
        self.answers = dict(answers)
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def _answer(self, method: str, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((method, args, kwargs))
        answer = self.answers.get(method)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def create(self, document: Mapping[str, Any], *, timeout: float) -> Any:
        return self._answer("create", document, timeout=timeout)

    def update(self, name: str, document: Mapping[str, Any], *, timeout: float) -> Any:
        return self._answer("update", name, document, timeout=timeout)

    def delete(self, name: str, *, timeout: float) -> Any:
        return self._answer("delete", name, timeout=timeout)

    def read(self, name: str, *, timeout: float | None = None) -> Any:
        return self._answer("read", name, timeout=timeout)

    def wait_until_settled(self, name: str, *, timeout: float, goal: str) -> Any:
        return self._answer("wait_until_settled", name, timeout=timeout, goal=goal)

    def methods(self) -> list[str]:
        return [method for method, _, _ in self.calls]


class FakeProvider:
    """What a resource uses of ``BlaxelTerraformProvider``: its handlers, the refresh snapshot of a kind that
    lists (``snapshot``, an empty one by default), and its workspace."""

    def __init__(self, handler: FakeHandler, snapshot: RefreshSnapshot | None = None) -> None:
        self._handler = handler
        self._snapshot = snapshot if snapshot is not None else RefreshSnapshot(list)

    def handler_for(self, kind: Kind) -> FakeHandler:
        """The handler of any kind: the same scripted fake (create, update, delete, read)."""
        return self._handler

    def snapshot_for(self, kind: Kind) -> RefreshSnapshot | None:
        return self._snapshot if kind.list_refresh else None

    def timings(self) -> str:
        return "http_requests=0"

    def workspace(self) -> str:
        return "ws"
