"""``PolicyHandler``: create, update, delete and read Blaxel policies.

A policy has no deployment lifecycle (the API shows no status for it), so each operation is one API call
and nothing is waited for: the client's own retries (GET, PUT and DELETE on transient failures, within the
operation's deadline) are the only repetition. The one exception is the create, which must leave exactly
one policy, as ``ModelHandler``'s does:

- a POST that failed ambiguously (``is_ambiguous``: the request may have been applied) is followed by a
  GET of the name: 404 means it was not applied, and it is sent again (at most ``MAX_CREATE_ATTEMPTS``
  POSTs, with the waiter's backoff, within the deadline); a policy equal to the one sent (``same_policy``)
  is adopted; anything else raises ``ConflictError`` (a different policy has the name; nothing was created);
- a 409 is answered with a GET too, but the policy found is adopted only if an earlier POST of this same
  create failed ambiguously (that POST was applied late); otherwise the ``ConflictError`` is raised, and
  the provider tells the user to import the policy.

Terraform's ``StopProvider`` cancels the ``cancellation``: an operation not yet sent raises
``OperationInterrupted`` and sends nothing; the client's and the waiter's sleeps raise it too.
No Terraform types and no pydantic: the provider calls this on every apply.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, Final, Protocol

from blaxel_constructs.cancellation import Cancellation
from blaxel_constructs.errors import BlaxelError, ConflictError, NotFoundError, SpecError, is_ambiguous
from blaxel_constructs.handler.waiter import Waiter

__all__ = ["MAX_CREATE_ATTEMPTS", "PoliciesAPI", "PolicyHandler", "policy_name", "same_policy"]

#: POSTs one create may send: the first, and others only after a GET proved the previous one was not applied.
MAX_CREATE_ATTEMPTS: Final = 5
#: ``spec`` members with a documented default: absent means this value.
_SPEC_DEFAULTS: Final = {"sandbox": False}

_log = logging.getLogger("blaxel_constructs.handler")


class PoliciesAPI(Protocol):
    """The policy endpoints, raising ``blaxel_constructs.errors`` (``NotFoundError`` on 404).

    ``create_policy`` must not replay a POST that may have reached the server (as ``create_model``).
    ``deadline`` is an absolute time on the handler's ``Waiter.clock``, or None.
    """

    def get_policy(self, name: str, *, deadline: float | None = None) -> dict[str, Any]: ...

    def create_policy(self, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]: ...

    def update_policy(
        self, name: str, document: Mapping[str, Any], *, deadline: float | None = None
    ) -> dict[str, Any]: ...

    def delete_policy(self, name: str, *, deadline: float | None = None) -> dict[str, Any]: ...


def policy_name(document: Mapping[str, Any]) -> str:
    """``metadata.name``; a ``SpecError`` if the document has none."""
    metadata = document.get("metadata")
    name = metadata.get("name") if isinstance(metadata, Mapping) else None
    if not isinstance(name, str) or not name:
        raise SpecError("the policy document has no metadata.name", field="metadata.name")
    return name


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)


def _normal(value: Any) -> Any:
    """``value`` with empty mapping members dropped and lists in a canonical order (their order means nothing)."""
    if isinstance(value, Mapping):
        members = {key: _normal(member) for key, member in value.items()}
        return {key: member for key, member in members.items() if not _empty(member)}
    if isinstance(value, list):
        return sorted((_normal(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    return value


def _user_part(document: Any) -> tuple[Any, Any]:
    """What a user writes of a policy document: ``metadata`` name, displayName, labels, and the whole spec."""
    metadata = document.get("metadata") if isinstance(document, Mapping) else None
    spec = document.get("spec") if isinstance(document, Mapping) else None
    metadata = metadata if isinstance(metadata, Mapping) else {}
    spec = dict(spec) if isinstance(spec, Mapping) else {}
    for key, default in _SPEC_DEFAULTS.items():
        if spec.get(key) is None:
            spec[key] = default
    written = {key: metadata.get(key) for key in ("name", "displayName", "labels")}
    return _normal(written), _normal(spec)


def same_policy(remote: Mapping[str, Any], sent: Mapping[str, Any]) -> bool:
    """True when the API's ``remote`` document shows the policy that ``sent`` describes.

    Compares the metadata a user writes and the whole spec, never server-set metadata or usage counts;
    absent and empty alike, ``sandbox`` absent as false, lists in any order. Malformed documents compare.
    """
    return _user_part(remote) == _user_part(sent)


class PolicyHandler:
    """Creates, updates, deletes and reads policies through a ``PoliciesAPI``; safe across threads."""

    def __init__(
        self, api: PoliciesAPI, *, waiter: Waiter | None = None, cancellation: Cancellation | None = None
    ) -> None:
        self._api = api
        #: Only its clock and its backoff are used: between the POSTs of one create.
        self._waiter = waiter if waiter is not None else Waiter()
        self._cancellation = cancellation if cancellation is not None else Cancellation()

    def create(self, document: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
        """POST the document, resolving ambiguous failures and conflicts (module docstring); returns the policy."""
        deadline = self._deadline(timeout)
        name = policy_name(document)
        ambiguous: BlaxelError | None = None
        last: BlaxelError | None = None
        for attempt in range(MAX_CREATE_ATTEMPTS):
            if attempt and not self._waiter.pause(attempt - 1, deadline=deadline):
                break
            self._cancellation.check()
            conflict: ConflictError | None = None
            try:
                return self._api.create_policy(document, deadline=deadline)
            except ConflictError as exc:
                conflict = last = exc
            except BlaxelError as exc:
                if not is_ambiguous(exc):
                    raise
                ambiguous = last = exc
                _log.info("create of policy %r may or may not have been applied (%s); looking it up", name, exc)
            try:
                remote = self._api.get_policy(name, deadline=deadline)
            except NotFoundError:
                continue  # not applied: post again
            except BlaxelError as exc:
                raise exc from last  # cannot tell whether the create was applied: the caller sees both
            if ambiguous is not None and same_policy(remote, document):
                _log.info("adopted existing policy %r after an ambiguous create: it has the document sent", name)
                return remote
            if conflict is not None:
                raise conflict
            raise ConflictError(
                method="POST",
                path="/policies",
                status=409,
                error=f"a different policy named {name!r} already exists; it was left unchanged",
                message=f"this create's own request failed first: {ambiguous}",
            ) from ambiguous
        assert last is not None  # the loop only ends after a failed attempt
        raise last

    def update(self, name: str, document: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
        """PUT the full document (the API replaces the whole policy); returns the updated policy."""
        deadline = self._deadline(timeout)
        self._cancellation.check()
        return self._api.update_policy(name, document, deadline=deadline)

    def delete(self, name: str, *, timeout: float) -> None:
        """DELETE the policy; one that is already gone is a success."""
        deadline = self._deadline(timeout)
        self._cancellation.check()
        try:
            self._api.delete_policy(name, deadline=deadline)
        except NotFoundError:
            return

    def read(self, name: str, *, timeout: float | None = None) -> dict[str, Any] | None:
        """The policy's document, or None if it does not exist; ``timeout`` bounds the client's retries."""
        deadline = None if timeout is None else self._deadline(timeout)
        try:
            return self._api.get_policy(name, deadline=deadline)
        except NotFoundError:
            return None

    def _deadline(self, timeout: float) -> float:
        return self._waiter.clock.now() + max(0.0, timeout)
