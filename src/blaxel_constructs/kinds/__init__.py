"""Every kind of Blaxel object this library manages, each described once (``kinds.description``).

``KINDS`` lists them in the order the provider serves them; ``kind_of`` finds one by its Terraform type.
What is the same for every kind (the provider's resource, data source and diagnostics, the handler, the
client's paths, the constructs' bindings, the documentation) is written once and driven by these
descriptions; what a kind adds is data, or a capability its description names.

Plain data: importing this package loads neither pydantic nor ``tf``, cdktf or jsii.
"""

from __future__ import annotations

from typing import Final

from blaxel_constructs.kinds.description import Kind
from blaxel_constructs.kinds.integration_connection_kind import INTEGRATION_CONNECTION
from blaxel_constructs.kinds.model_kind import MODEL
from blaxel_constructs.kinds.policy_kind import POLICY

__all__ = ["INTEGRATION_CONNECTION", "KINDS", "MODEL", "POLICY", "Kind", "kind_of", "users_of"]

#: Every kind, in the order the provider lists its resources and data sources.
KINDS: Final[tuple[Kind, ...]] = (MODEL, INTEGRATION_CONNECTION, POLICY)


def kind_of(type_name: str, kinds: tuple[Kind, ...] = KINDS) -> Kind:
    """The kind whose Terraform type is ``type_name`` (``KeyError`` when none is)."""
    for kind in kinds:
        if kind.type_name == type_name:
            return kind
    raise KeyError(f"no kind of Blaxel object is {type_name!r}")


def users_of(kind: Kind, kinds: tuple[Kind, ...] = KINDS) -> list[tuple[Kind, str]]:
    """The (kind, argument) pairs whose argument names objects of ``kind``: what may keep it in use."""
    return [(other, attr.name) for other in kinds for attr in other.references if attr.refers_to == kind.type_name]
