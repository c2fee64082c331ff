"""The deployment handler: plain Python that creates, updates and deletes models and waits for them.

``ModelHandler`` talks to any ``ModelsAPI`` (``BlaxelClient`` in production, a fake in tests) and waits
with a ``Waiter`` (exponential backoff, a little jitter, a deadline), passing each operation's deadline to
every API call. A create never leaves a duplicate or an orphan: an ambiguous failure or a 409 is resolved
by looking the model up and adopting it when it is this create's (``same_model``, ``OWNER_LABEL``).
No Terraform types and no pydantic: the provider calls it on every apply.
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
)
from blaxel_constructs.handler.model_handler import (
    LOGGER_NAME,
    MAX_CREATE_ATTEMPTS,
    STALE_READ_GRACE,
    ModelHandler,
)
from blaxel_constructs.handler.models_api import ModelsAPI
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
    "ModelHandler",
    "ModelsAPI",
    "Waiter",
    "goal_for",
    "latest_event_message",
    "owner_of",
    "same_model",
]
