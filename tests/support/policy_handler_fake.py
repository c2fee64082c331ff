"""The fake of the ``blaxel_policy`` resource's seam below it: ``BlaxelTerraformProvider.policy_handler()``.

``FakePolicyHandler`` answers each call with the next scripted result (a document, None, or an exception to
raise) and records the calls; ``FakePolicyProvider`` is what the resource and data source see of the provider.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Answer = dict[str, Any] | None | BaseException


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


class FakePolicyHandler:
    """Scripted answers per method (``create``, ``update``, ``delete``, ``read``)."""

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

    def methods(self) -> list[str]:
        return [method for method, _, _ in self.calls]


class FakePolicyProvider:
    """What the policy resource uses of ``BlaxelTerraformProvider``: its policy handler and its workspace."""

    def __init__(self, handler: FakePolicyHandler) -> None:
        self._handler = handler

    def policy_handler(self) -> FakePolicyHandler:
        return self._handler

    def workspace(self) -> str:
        return "ws"
