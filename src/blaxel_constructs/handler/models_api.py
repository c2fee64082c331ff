"""``ModelsAPI``: the four calls the handler needs, as a Protocol.

``BlaxelClient`` satisfies it structurally; handler tests pass a scripted fake instead of a network.

Every call takes the operation's ``deadline``: an absolute time on the same clock as the handler's
``Waiter.clock`` (``time.monotonic`` by default, as is ``RetryPolicy.clock`` of ``BlaxelClient``), or
None for no deadline. An implementation that retries must not start a retry, nor sleep, past it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

__all__ = ["ModelsAPI"]


class ModelsAPI(Protocol):
    """The model endpoints, raising ``blaxel_constructs.errors`` (``NotFoundError`` on 404).

    ``create_model`` must not replay a POST that may have reached the server: after a ``RequestTimeout``,
    a ``TransportError`` other than ``ConnectError``, a 408 or a ``ServerError`` the model may exist, and
    the handler looks before posting again.
    """

    def get_model(self, name: str, *, deadline: float | None = None) -> dict[str, Any]: ...

    def create_model(self, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]: ...

    def update_model(
        self, name: str, document: Mapping[str, Any], *, deadline: float | None = None
    ) -> dict[str, Any]: ...

    def delete_model(self, name: str, *, deadline: float | None = None) -> dict[str, Any]: ...
