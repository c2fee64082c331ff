"""The Blaxel documents: pydantic models (``model``, ``integration_connection``, ``policy``), raw rules
(``rules``) and the wire mapping (``wire``).

The pydantic models are loaded lazily so that ``import blaxel_constructs.document.rules`` (the provider's
path) does not pay for pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from blaxel_constructs.document.integration_connection_document import (
        IntegrationConnection,
        IntegrationConnectionSpec,
    )
    from blaxel_constructs.document.model_document import (
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
    from blaxel_constructs.document.policy_document import (
        Policy,
        PolicyLocation,
        PolicyLocationType,
        PolicyMaxTokens,
        PolicyResourceType,
        PolicySpec,
        PolicyType,
        PolicyUsageCounts,
    )

#: The modules (under ``blaxel_constructs.document``) whose ``__all__`` this package re-exports, loaded on first use.
_MODULES: Final = ("model_document", "integration_connection_document", "policy_document")

__all__ = [
    "CoreEvent",
    "Flavor",
    "FlavorType",
    "Generation",
    "IntegrationConnection",
    "IntegrationConnectionSpec",
    "Metadata",
    "Model",
    "ModelRuntime",
    "ModelSpec",
    "Policy",
    "PolicyLocation",
    "PolicyLocationType",
    "PolicyMaxTokens",
    "PolicyResourceType",
    "PolicySpec",
    "PolicyType",
    "PolicyUsageCounts",
    "RuntimeType",
    "Status",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        for home in _MODULES:
            module = importlib.import_module(f"{__name__}.{home}")
            if name in module.__all__:
                return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
