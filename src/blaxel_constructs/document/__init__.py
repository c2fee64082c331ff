"""The Blaxel model document: pydantic models (``models``), raw rules (``rules``) and the wire mapping (``wire``).

The pydantic models are loaded lazily so that ``import blaxel_constructs.document.rules`` (the provider's
path) does not pay for pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from blaxel_constructs.document.model import (
        CoreEvent,
        Flavor,
        FlavorType,
        Generation,
        Metadata,
        Model,
        ModelRuntime,
        ModelSpec,
        RuntimeType,
        Status,
    )

__all__ = [
    "CoreEvent",
    "Flavor",
    "FlavorType",
    "Generation",
    "Metadata",
    "Model",
    "ModelRuntime",
    "ModelSpec",
    "RuntimeType",
    "Status",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from blaxel_constructs.document import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
