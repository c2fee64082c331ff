"""The provider's identity, spelled once: its registry host, namespace and type.

Terraform knows a provider by ``<host>/<namespace>/<type>``; configurations name it by ``<namespace>/<type>``
in ``required_providers``; resources carry ``<type>_`` as their prefix. The provider's gRPC server, the
installer's plugin-directory layout, the constructs' synthesized ``required_providers`` and the benchmarks'
HCL all read these constants, so the four can never disagree. A leaf module.
"""

from __future__ import annotations

from typing import Final

__all__ = ["ADDRESS", "HOST", "NAMESPACE", "RESOURCE_PREFIX", "SOURCE", "TYPE"]

#: The registry host Terraform assumes for a source without one.
HOST: Final = "registry.terraform.io"
#: The namespace the provider is installed under (no registry serves it: ``blaxel-constructs install-provider``).
NAMESPACE: Final = "blaxel-constructs"
#: The provider type: ``provider "blaxel"``, ``blaxel_model``.
TYPE: Final = "blaxel"
#: What ``required_providers`` names: ``blaxel-constructs/blaxel``.
SOURCE: Final = f"{NAMESPACE}/{TYPE}"
#: The fully qualified address Terraform and the plugin handshake use.
ADDRESS: Final = f"{HOST}/{SOURCE}"
#: The prefix of every resource and data source type of the provider.
RESOURCE_PREFIX: Final = f"{TYPE}_"
