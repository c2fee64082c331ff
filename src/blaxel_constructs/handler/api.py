"""``ModelsAPI``: the four calls the handler needs, as a Protocol.

``BlaxelClient`` satisfies it structurally; handler tests pass a scripted fake instead of a network.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

__all__ = ["ModelsAPI"]


class ModelsAPI(Protocol):
    """The model endpoints, raising ``blaxel_constructs.errors`` (``NotFoundError`` on 404)."""

    def get_model(self, name: str) -> dict[str, Any]: ...

    def create_model(self, document: Mapping[str, Any]) -> dict[str, Any]: ...

    def update_model(self, name: str, document: Mapping[str, Any]) -> dict[str, Any]: ...

    def delete_model(self, name: str) -> dict[str, Any]: ...
