"""The Blaxel control-plane client: plain Python over ``requests``, API documents as dicts.

``ClientConfig`` says where and how to connect (``ClientConfig.from_env`` reads the ``BL_*`` variables);
``BlaxelClient`` speaks the models endpoints and raises the errors of ``blaxel_constructs.errors``.
Imports neither pydantic nor any Terraform or cdktf module, so the provider starts fast.
"""

from __future__ import annotations

from blaxel_constructs.client.api import LIST_PAGE_SIZE, BlaxelClient
from blaxel_constructs.client.auth import DEFAULT_TOKEN_LIFETIME, TOKEN_REFRESH_MARGIN
from blaxel_constructs.client.config import ENVIRONMENT, ClientConfig

__all__ = [
    "DEFAULT_TOKEN_LIFETIME",
    "ENVIRONMENT",
    "LIST_PAGE_SIZE",
    "TOKEN_REFRESH_MARGIN",
    "BlaxelClient",
    "ClientConfig",
]
