"""``ObjectsAPI``: the four calls the handler needs of one kind's endpoints, as a Protocol.

``BlaxelClient.objects(kind)`` satisfies it; handler tests pass a scripted fake instead of a network.
``ModelsAPI`` is the earlier shape of the same seam, with the kind in each method's name (``get_model``...);
``endpoints_of`` reads any object that has a kind's methods of that shape (``BlaxelClient`` does, for every
kind) as an ``ObjectsAPI``, by the kind's ``name``.

Every call takes the operation's ``deadline``: an absolute time on the same clock as the handler's
``Waiter.clock`` (``time.monotonic`` by default, as is ``RetryPolicy.clock`` of ``BlaxelClient``), or
None for no deadline. An implementation that retries must not start a retry, nor sleep, past it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol, runtime_checkable

from blaxel_constructs.kinds.description import Kind

__all__ = ["ModelsAPI", "NamedEndpoints", "ObjectsAPI", "endpoints_of"]


@runtime_checkable
class ObjectsAPI(Protocol):
    """One kind's endpoints, raising ``blaxel_constructs.errors`` (``NotFoundError`` on 404).

    ``create`` must not replay a POST that may have reached the server: after a ``RequestTimeout``, a
    ``TransportError`` other than ``ConnectError``, a 408 or a ``ServerError`` the object may exist, and the
    handler looks before posting again.
    """

    def get(self, name: str, *, deadline: float | None = None) -> dict[str, Any]: ...

    def create(self, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]: ...

    def update(self, name: str, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]: ...

    def delete(self, name: str, *, deadline: float | None = None) -> dict[str, Any]: ...


class ModelsAPI(Protocol):
    """The model endpoints, in the earlier shape (``BlaxelClient`` satisfies it)."""

    def get_model(self, name: str, *, deadline: float | None = None) -> dict[str, Any]: ...

    def create_model(self, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]: ...

    def update_model(
        self, name: str, document: Mapping[str, Any], *, deadline: float | None = None
    ) -> dict[str, Any]: ...

    def delete_model(self, name: str, *, deadline: float | None = None) -> dict[str, Any]: ...


class NamedEndpoints:
    """An ``ObjectsAPI`` over an object with per-kind methods: ``get_<kind>``, ``create_<kind>``..."""

    def __init__(self, api: Any, kind: Kind) -> None:
        self._api = api
        self._name = kind.name

    def _method(self, verb: str) -> Callable[..., dict[str, Any]]:
        method: Callable[..., dict[str, Any]] = getattr(self._api, f"{verb}_{self._name}")
        return method

    def get(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        return self._method("get")(name, deadline=deadline)

    def create(self, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        return self._method("create")(document, deadline=deadline)

    def update(self, name: str, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        return self._method("update")(name, document, deadline=deadline)

    def delete(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        return self._method("delete")(name, deadline=deadline)


def endpoints_of(api: Any, kind: Kind) -> ObjectsAPI:
    """``api`` itself when it is an ``ObjectsAPI``, else its per-kind methods of ``kind`` as one."""
    return api if isinstance(api, ObjectsAPI) else NamedEndpoints(api, kind)
