"""blaxel_constructs: infrastructure as code for Blaxel model gateway endpoints.

``from blaxel_constructs import BlaxelProvider, ModelEndpoint, ModelRuntime, Flavor, Model, ModelSpec, Metadata``
and, for the rest of the model gateway, ``IntegrationConnection``, ``Policy`` and ``Secret``.

Everything is loaded on first use: the Terraform provider imports submodules of this package many
times per apply and must not pay for cdktf, jsii or pydantic it does not use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from blaxel_constructs._version import __version__

if TYPE_CHECKING:
    from blaxel_constructs.constructs import BlaxelProvider, IntegrationConnection, ModelEndpoint, Policy, Secret
    from blaxel_constructs.document.model_document import (
        CoreEvent,
        Flavor,
        Metadata,
        Model,
        ModelRuntime,
        ModelSpec,
        Status,
    )

__all__ = [
    "BlaxelProvider",
    "CoreEvent",
    "Flavor",
    "IntegrationConnection",
    "Metadata",
    "Model",
    "ModelEndpoint",
    "ModelRuntime",
    "ModelSpec",
    "Policy",
    "Secret",
    "Status",
    "__version__",
]

_CONSTRUCTS = {"BlaxelProvider", "IntegrationConnection", "ModelEndpoint", "Policy", "Secret"}


def __getattr__(name: str) -> Any:
    if name in _CONSTRUCTS:
        from blaxel_constructs import constructs

        return getattr(constructs, name)
    if name in __all__:
        from blaxel_constructs.document import model_document

        return getattr(model_document, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
