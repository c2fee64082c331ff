"""What the handler reads from a document of any kind: its name, status, latest event message, owner, the
users a 409 "in use" names; and, for models, their goal and whether one is the model that was sent.

Documents are the API's JSON as dicts; these helpers tolerate missing or oddly typed fields, because
an in-progress model may not have a status or events yet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from blaxel_constructs.document.rules import OWNER_LABEL
from blaxel_constructs.errors import ConflictError, SpecError
from blaxel_constructs.kinds import INTEGRATION_CONNECTION, POLICY
from blaxel_constructs.kinds.model_kind import DEACTIVATED, DEPLOYED, MODEL, goal_for

__all__ = [
    "DEACTIVATED",
    "DELETED",
    "DELETING",
    "DEPLOYED",
    "goal_for",
    "latest_event_message",
    "model_name",
    "object_name",
    "owner_of",
    "policy_name",
    "same_connection",
    "same_model",
    "same_policy",
    "status_of",
    "users_named_in",
]

#: The status of a model whose deletion has started; it will answer 404 once done.
DELETING: Final = "DELETING"
#: Not an API status: the goal of a delete, reached when GET answers 404.
DELETED: Final = "deleted"


_USERS: Final = re.compile(r"in use by (?:models?|resources?)\s*:\s*(?P<names>[^;.\n]+)", re.IGNORECASE)


def object_name(document: Mapping[str, Any], noun: str = "model") -> str:
    """``metadata.name``; a ``SpecError`` naming the ``noun`` if the document has none (nothing can be sent or
    waited on without it)."""
    metadata = document.get("metadata")
    name = metadata.get("name") if isinstance(metadata, Mapping) else None
    if not isinstance(name, str) or not name:
        raise SpecError(f"the {noun} document has no metadata.name", field="metadata.name")
    return name


def model_name(document: Mapping[str, Any]) -> str:
    """A model document's ``metadata.name`` (``object_name``)."""
    return object_name(document, "model")


def users_named_in(error: ConflictError) -> list[str]:
    """The names of a 409 "in use by models: a, b" answer, in the API's order (empty if it names none)."""
    for text in (error.api_message, error.error, str(error)):
        match = _USERS.search(text or "")
        if match:
            return [name.strip() for name in match.group("names").split(",") if name.strip()]
    return []


def status_of(document: Mapping[str, Any] | None) -> str | None:
    """The document's status in upper case, or None when it has none yet (which means in progress)."""
    status = document.get("status") if document is not None else None
    return status.upper() if isinstance(status, str) and status else None


def owner_of(document: Mapping[str, Any] | None) -> str | None:
    """The value of the ``OWNER_LABEL`` label (the construct path that created the model), if any."""
    metadata = document.get("metadata") if document is not None else None
    labels = metadata.get("labels") if isinstance(metadata, Mapping) else None
    owner = labels.get(OWNER_LABEL) if isinstance(labels, Mapping) else None
    return owner if isinstance(owner, str) and owner else None


def same_model(remote: Mapping[str, Any], sent: Mapping[str, Any]) -> bool:
    """True when the API's ``remote`` document shows the model that ``sent`` describes.

    Compares every argument a user writes (metadata ``name``, ``displayName``, ``externalId``, ``labels``
    and the whole spec), never status, events or server-set metadata, by the one rule of
    ``document.equivalence``: absent and empty alike, the API's boolean defaults, unordered lists.
    """
    return MODEL.same_document(remote, sent)


def latest_event_message(document: Mapping[str, Any] | None) -> str | None:
    """The message of the most recent event that has one: by ``time`` when events carry it, else list order."""
    events = document.get("events") if document is not None else None
    if not isinstance(events, list):
        return None
    candidates = [e for e in events if isinstance(e, Mapping) and isinstance(e.get("message"), str) and e["message"]]
    if not candidates:
        return None
    timed = [(when, index) for index, e in enumerate(candidates) if (when := _parse_time(e.get("time"))) is not None]
    latest = candidates[max(timed)[1]] if timed else candidates[-1]
    message: str = latest["message"]
    return message


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


#: The earlier names of the other kinds' create-once equality: ``Kind.same_document``.
same_connection = INTEGRATION_CONNECTION.same_document
same_policy = POLICY.same_document


def policy_name(document: Mapping[str, Any]) -> str:
    """A policy document's ``metadata.name`` (``object_name``)."""
    return object_name(document, "policy")
