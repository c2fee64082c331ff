"""``IntegrationConnectionHandler``: create, update, read and delete integration connections.

A connection has no deployment lifecycle (the API shows no status and applies a change at once, to every
model using it), so each operation is one API call, with the client's usual retries, and no wait. Two
things still need the handler:

- **Ambiguous creates.** A POST that failed ambiguously (``errors.is_ambiguous``) may have been applied. The
  handler GETs the name: on 404 it posts again (at most ``MAX_CREATE_ATTEMPTS`` POSTs, with backoff, within
  the deadline); a connection with the same arguments is taken as this create's and PUT with the document
  sent, because the secret cannot be compared (the API masks it) and must end up being the one sent; a
  connection with other arguments raises ``NameTakenError``. A plain 409 is raised unchanged: the
  provider tells the user to import the connection.
- **Deletes refused while in use.** The API answers 409 "in use by models: a, b" while a model names the
  connection. In one ``terraform apply`` a model that names it by a plain string (no reference, so no
  ordering) may be going away at the same moment, so the delete is retried with the waiter's backoff until
  the deadline; then ``StillInUseError`` names the models of the last refusal. A connection already gone
  is a success.

Terraform's ``StopProvider`` (the ``cancellation``) ends the retries at once with
``DeploymentInterruptedError``. No Terraform types and no pydantic: the provider calls it on every apply.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any, Final, Protocol

from blaxel_constructs.cancellation import Cancellation
from blaxel_constructs.document import wire
from blaxel_constructs.document.equivalence import same_meaning
from blaxel_constructs.errors import (
    BlaxelError,
    ConflictError,
    DeploymentInterruptedError,
    NameTakenError,
    NotFoundError,
    OperationInterrupted,
    SpecError,
    StillInUseError,
    is_ambiguous,
)
from blaxel_constructs.handler.waiter import Waiter

__all__ = ["KIND", "MAX_CREATE_ATTEMPTS", "ConnectionsAPI", "IntegrationConnectionHandler", "users_named_in"]

#: What error messages call this resource.
KIND: Final = "integration connection"
#: POSTs one create may send: more only after a GET proved the previous one was not applied.
MAX_CREATE_ATTEMPTS: Final = 5

_log = logging.getLogger("blaxel_constructs.handler")
_USERS = re.compile(r"in use by (?:models?|resources?)\s*:\s*(?P<names>[^;.\n]+)", re.IGNORECASE)


class ConnectionsAPI(Protocol):
    """The integration connection endpoints (``BlaxelClient`` satisfies it), raising ``blaxel_constructs.errors``."""

    def get_integration_connection(self, name: str, *, deadline: float | None = None) -> dict[str, Any]: ...

    def create_integration_connection(
        self, document: Mapping[str, Any], *, deadline: float | None = None
    ) -> dict[str, Any]: ...

    def update_integration_connection(
        self, name: str, document: Mapping[str, Any], *, deadline: float | None = None
    ) -> dict[str, Any]: ...

    def delete_integration_connection(self, name: str, *, deadline: float | None = None) -> dict[str, Any]: ...


def users_named_in(error: ConflictError) -> list[str]:
    """The model names of a 409 "in use by models: a, b" answer, in the API's order (empty if it names none)."""
    for text in (error.api_message, error.error, str(error)):
        match = _USERS.search(text or "")
        if match:
            return [name.strip() for name in match.group("names").split(",") if name.strip()]
    return []


def _name(document: Mapping[str, Any]) -> str:
    metadata = document.get("metadata")
    name = metadata.get("name") if isinstance(metadata, Mapping) else None
    if not isinstance(name, str) or not name:
        raise SpecError("the integration connection document has no metadata.name", field="metadata.name")
    return name


def same_connection(remote: Mapping[str, Any], sent: Mapping[str, Any]) -> bool:
    """True when ``remote`` has every argument of ``sent`` (secrets aside: the API masks them)."""
    first = wire.from_integration_connection_document(remote)
    second = wire.from_integration_connection_document(sent)
    return all(same_meaning(key, first.get(key), second.get(key)) for key in wire.CONNECTION_ARGUMENTS)


class IntegrationConnectionHandler:
    """Creates, updates, reads and deletes connections through a ``ConnectionsAPI``; safe across threads."""

    def __init__(
        self, api: ConnectionsAPI, *, waiter: Waiter | None = None, cancellation: Cancellation | None = None
    ) -> None:
        self._api = api
        self._waiter = waiter if waiter is not None else Waiter()
        self._cancellation = cancellation if cancellation is not None else Cancellation()

    @property
    def waiter(self) -> Waiter:
        return self._waiter

    def create(self, document: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
        """POST the document (its secret included); the connection as the API answers it (secret masked)."""
        started = self._waiter.clock.now()
        deadline = started + max(0.0, timeout)
        name = _name(document)
        self._before_sending(name, "create")
        last: BlaxelError | None = None
        try:
            for attempt in range(MAX_CREATE_ATTEMPTS):
                if attempt and not self._waiter.pause(attempt - 1, deadline=deadline):
                    break
                self._cancellation.check()
                try:
                    return self._api.create_integration_connection(document, deadline=deadline)
                except BlaxelError as exc:
                    if not is_ambiguous(exc):
                        raise
                    last = exc
                _log.info("create of %s %r may or may not have been applied (%s); looking it up", KIND, name, last)
                try:
                    remote = self._api.get_integration_connection(name, deadline=deadline)
                except NotFoundError:
                    continue
                if not same_connection(remote, document):
                    raise NameTakenError(name=name, document=remote, cause=str(last))
                _log.info("%s %r exists with the arguments sent; sending the document again for its secret", KIND, name)
                return self._api.update_integration_connection(name, document, deadline=deadline)
        except OperationInterrupted as exc:
            raise DeploymentInterruptedError(
                name=name, action="create", sent=last is not None, last_status=None, waited=self._since(started)
            ) from exc
        assert last is not None  # the loop only ends after a failed attempt
        raise last

    def update(self, name: str, document: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
        """PUT the document; without ``spec.secret`` the API keeps the stored secret."""
        deadline = self._waiter.clock.now() + max(0.0, timeout)
        self._before_sending(name, "update")
        return self._api.update_integration_connection(name, document, deadline=deadline)

    def read(self, name: str, *, timeout: float | None = None) -> dict[str, Any] | None:
        """The connection (secret masked), or None if it does not exist; ``timeout`` bounds the client's retries."""
        deadline = None if timeout is None else self._waiter.clock.now() + max(0.0, timeout)
        try:
            return self._api.get_integration_connection(name, deadline=deadline)
        except NotFoundError:
            return None

    def delete(self, name: str, *, timeout: float) -> None:
        """DELETE the connection, retrying while the API answers 409 "in use", until ``timeout``.

        Already gone is a success. ``StillInUseError`` (chaining the last ``ConflictError``) when the deadline
        passes first; ``DeploymentInterruptedError`` when Terraform asks to stop meanwhile (nothing deleted).
        """
        started = self._waiter.clock.now()
        deadline = started + max(0.0, timeout)
        self._before_sending(name, "delete")
        attempt = 0
        while True:
            try:
                self._api.delete_integration_connection(name, deadline=deadline)
                return
            except NotFoundError:
                return
            except ConflictError as exc:
                conflict = exc
            except OperationInterrupted as exc:
                raise self._interrupted_delete(name, started) from exc
            users = users_named_in(conflict)
            _log.info("%s %r is still in use (%s); retrying its delete", KIND, name, conflict)
            try:
                paused = self._waiter.pause(attempt, deadline=deadline)
            except OperationInterrupted as exc:
                raise self._interrupted_delete(name, started) from exc
            if not paused:
                raise StillInUseError(
                    kind=KIND,
                    name=name,
                    users=users,
                    waited=self._since(started),
                    message=conflict.api_message or conflict.error,
                ) from conflict
            attempt += 1

    def _before_sending(self, name: str, action: str) -> None:
        if self._cancellation.cancelled:
            raise DeploymentInterruptedError(name=name, action=action, sent=False, last_status=None, waited=0.0)

    def _interrupted_delete(self, name: str, started: float) -> DeploymentInterruptedError:
        """Stopped while the API kept refusing the delete: nothing was deleted."""
        return DeploymentInterruptedError(
            name=name, action="delete", sent=False, last_status=None, waited=self._since(started)
        )

    def _since(self, started: float) -> float:
        return self._waiter.clock.now() - started
