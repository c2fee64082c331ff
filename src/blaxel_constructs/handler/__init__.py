"""The deployment handler: plain Python that creates, updates and deletes Blaxel objects and waits for them.

One ``KindHandler`` for every kind of object (``blaxel_constructs.kinds``), over that kind's endpoints (an
``ObjectsAPI``: ``BlaxelClient.objects(kind)`` in production, a fake in tests), waiting with a ``Waiter``
(exponential backoff, a little jitter, a deadline) for a kind that deploys, and passing each operation's
deadline to every API call. A create never leaves a duplicate or an orphan: an ambiguous failure or a 409 is
resolved by looking the object up and adopting it when it is this create's (``Kind.same_document``,
``OWNER_LABEL``). ``ModelHandler``, ``IntegrationConnectionHandler`` and ``PolicyHandler`` are its earlier
names, one per kind. No Terraform types and no pydantic: the provider calls it on every apply.
"""

from __future__ import annotations

from blaxel_constructs.handler.documents import (
    DEACTIVATED,
    DELETED,
    DEPLOYED,
    goal_for,
    latest_event_message,
    owner_of,
    same_model,
    users_named_in,
)
from blaxel_constructs.handler.kind_handler import (
    LOGGER_NAME,
    MAX_CREATE_ATTEMPTS,
    STALE_READ_GRACE,
    IntegrationConnectionHandler,
    KindHandler,
    ModelHandler,
    PolicyHandler,
)
from blaxel_constructs.handler.objects_api import ModelsAPI, ObjectsAPI
from blaxel_constructs.handler.waiter import (
    DEFAULT_BACKOFF,
    DEFAULT_INITIAL_DELAY,
    DEFAULT_JITTER,
    DEFAULT_MAX_DELAY,
    DEFAULT_MIN_DELAY,
    DEFAULT_MULTIPLIER,
    Backoff,
    Waiter,
)

__all__ = [
    "DEACTIVATED",
    "DEFAULT_BACKOFF",
    "DEFAULT_INITIAL_DELAY",
    "DEFAULT_JITTER",
    "DEFAULT_MAX_DELAY",
    "DEFAULT_MIN_DELAY",
    "DEFAULT_MULTIPLIER",
    "DELETED",
    "DEPLOYED",
    "LOGGER_NAME",
    "MAX_CREATE_ATTEMPTS",
    "STALE_READ_GRACE",
    "Backoff",
    "IntegrationConnectionHandler",
    "KindHandler",
    "ModelHandler",
    "ModelsAPI",
    "ObjectsAPI",
    "PolicyHandler",
    "Waiter",
    "goal_for",
    "latest_event_message",
    "owner_of",
    "same_model",
    "users_named_in",
]
