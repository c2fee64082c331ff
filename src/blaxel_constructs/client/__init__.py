"""The Blaxel control-plane client: plain Python over ``requests``, API documents as dicts.

``ClientConfig`` says where and how to connect (``ClientConfig.from_env`` reads the ``BL_*`` variables);
``BlaxelClient`` speaks the models endpoints and raises the errors of ``blaxel_constructs.errors``;
``RetryPolicy`` says how it retries (and carries the clock its ``deadline`` arguments are measured on).
Imports neither pydantic nor any Terraform or cdktf module, so the provider starts fast.
"""

from __future__ import annotations

from blaxel_constructs.client.blaxel_client import LIST_PAGE_SIZE, LOGGER_NAME, BlaxelClient
from blaxel_constructs.client.client_config import ENVIRONMENT, ClientConfig
from blaxel_constructs.client.credentials import DEFAULT_TOKEN_LIFETIME, TOKEN_REFRESH_MARGIN
from blaxel_constructs.client.retry import (
    DEFAULT_RETRY_BACKOFF,
    DEFAULT_RETRY_INITIAL_DELAY,
    DEFAULT_RETRY_MAX_ATTEMPTS,
    DEFAULT_RETRY_MAX_DELAY,
    DEFAULT_RETRY_MULTIPLIER,
    MAX_RETRY_AFTER,
    RetryPolicy,
)

__all__ = [
    "DEFAULT_RETRY_BACKOFF",
    "DEFAULT_RETRY_INITIAL_DELAY",
    "DEFAULT_RETRY_MAX_ATTEMPTS",
    "DEFAULT_RETRY_MAX_DELAY",
    "DEFAULT_RETRY_MULTIPLIER",
    "DEFAULT_TOKEN_LIFETIME",
    "ENVIRONMENT",
    "LIST_PAGE_SIZE",
    "LOGGER_NAME",
    "MAX_RETRY_AFTER",
    "TOKEN_REFRESH_MARGIN",
    "BlaxelClient",
    "ClientConfig",
    "RetryPolicy",
]
