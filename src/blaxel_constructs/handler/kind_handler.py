"""``KindHandler``: create, update, read or delete one object of any kind, and wait when the kind deploys.

One handler for every kind (``blaxel_constructs.kinds``): what differs is what the kind's description says.
Each operation is one API call ("start the operation"), then, for a kind with a deployment ``lifecycle``,
``Waiter.poll`` over GET ("is it complete?"). The timeout of an operation covers both: it is measured from
before the first call, so a Terraform ``timeouts.create`` of 10 minutes means 10 minutes in total. That is
the operation's deadline (``started + timeout`` on ``Waiter.clock``), and the handler passes it to every API
call so that the client's own retries end within it too.

A create never leaves a duplicate or an orphan:
- a POST that failed ambiguously (``RequestTimeout``, a ``TransportError`` other than ``ConnectError``,
  408, a ``ServerError``) may have been applied, so the handler GETs the object by name: on 404 it posts
  again (at most ``MAX_CREATE_ATTEMPTS`` POSTs in all, with backoff, within the deadline); if the object
  it finds is the one it sent (``Kind.same_document``) it adopts it, and PUTs the document again when it
  carries a secret (no read can show that the stored secret is the one sent); if it finds an object
  carrying its own ``OWNER_LABEL`` value, it adopts it and PUTs the document sent; anything else raises
  ``NameTakenError`` (a ``ConflictError``);
- a 409 on POST is answered with a GET: an object whose ``OWNER_LABEL`` has the value the document sent
  carries is this configuration's own, left by an apply interrupted after its POST: it is adopted (and
  PUT when it differs from what was sent). So is an object identical to the one sent when an earlier POST
  of this same create failed ambiguously (that POST was applied late). An object of the name still
  ``DELETING`` (a destroy interrupted earlier, or a replacement) is waited out, then the POST is sent
  again. Otherwise the ``ConflictError`` is raised unchanged.
``adopted`` and ``post_attempts`` count what happened, over the handler's life, across threads.

While waiting (a kind with a ``lifecycle``):
- the goal status (``DEPLOYED``, or ``DEACTIVATED`` for a model with ``spec.enabled = false``) ends the
  wait with the document;
- ``FAILED``, ``TERMINATED`` or ``DEACTIVATED`` when it is not the goal raise ``DeploymentFailedError``
  with the latest event's message;
- after a PUT, a final status (goal or failure) read within ``STALE_READ_GRACE`` seconds of the PUT's
  answer counts only if the document shows what was sent: a read served before the update was visible
  would otherwise end the wait on the previous deployment's status;
- anything else, including no status at all, is in progress;
- transient errors of a GET (``TransportError``, ``ServerError``, ``RateLimitedError``, 408) are not
  fatal: polling goes on, and if the deadline passes the ``DeploymentTimeoutError`` names the last one
  in its text and chains it as ``__cause__``;
- any other ``APIError`` propagates unchanged. In particular a ``NotFoundError`` while waiting after a
  create or update means the object was deleted meanwhile (or the workspace changed); its message says
  ``GET /models/<name> returned 404`` and the caller decides (the provider drops it from state).

A delete of a kind whose delete can be refused while in use (``delete_waits_while_in_use``: a connection
that a model still names) is retried while the API answers 409 "in use", with the waiter's backoff, until the
deadline; then ``StillInUseError`` names the users of the last refusal. An object already gone is a success.
A kind with a lifecycle is then waited for until GET answers 404.

Interrupted (Terraform's ``StopProvider``: the ``cancellation`` is cancelled, and every sleep of the
waiter and the client raises ``OperationInterrupted``): an operation not yet sent sends nothing and raises
``DeploymentInterruptedError`` (``sent`` False); one under way raises it with the object as last seen (read
once more if need be, or the API's answer to the request), so that the provider records what exists
remotely. A create interrupted after a POST that may have been applied says so (``sent`` True).

Every write (POST, PUT, DELETE) calls ``on_write`` just before it is sent and again once it has returned or
failed: the provider passes its refresh snapshot's ``invalidate`` (``provider/refresh_snapshot``), so that no
list made before or during a write serves a later read. No Terraform types and no pydantic: the provider
calls it on every apply.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, Final

from blaxel_constructs.cancellation import Cancellation
from blaxel_constructs.document import rules
from blaxel_constructs.errors import (
    BlaxelError,
    ConflictError,
    DeploymentFailedError,
    DeploymentInterruptedError,
    DeploymentTimeoutError,
    NameTakenError,
    NotFoundError,
    OperationInterrupted,
    StillInUseError,
    is_ambiguous,
    is_transient,
)
from blaxel_constructs.handler.documents import (
    DELETED,
    DELETING,
    latest_event_message,
    object_name,
    owner_of,
    status_of,
    users_named_in,
)
from blaxel_constructs.handler.objects_api import ObjectsAPI, endpoints_of
from blaxel_constructs.handler.waiter import SettleTimes, Waiter
from blaxel_constructs.kinds import INTEGRATION_CONNECTION, MODEL, POLICY
from blaxel_constructs.kinds.description import Kind

__all__ = [
    "LOGGER_NAME",
    "MAX_CREATE_ATTEMPTS",
    "STALE_READ_GRACE",
    "IntegrationConnectionHandler",
    "KindHandler",
    "ModelHandler",
    "PolicyHandler",
]

#: POSTs one create may send: the first, and others only after a GET proved the previous one was not
#: applied. Each failed ambiguously, so more would mostly add load to an API that is already failing.
MAX_CREATE_ATTEMPTS: Final = 5
#: Seconds after a PUT's answer during which a final status is believed only from a document that shows
#: what was sent. Bounded, so that a server that rewrites documents in a way ``same_document`` does not
#: know cannot turn every update into a timeout: it costs such an update at most these seconds.
STALE_READ_GRACE: Final = 5.0
#: The logger adoptions, repeated creates and retried deletes are reported on (INFO).
LOGGER_NAME: Final = "blaxel_constructs.handler"

_log = logging.getLogger(LOGGER_NAME)


@dataclass
class _Watch:
    """What a wait has seen so far: the last document read and the error of the last poll, if it failed."""

    document: dict[str, Any] | None = None
    error: BlaxelError | None = None


@dataclass
class _Attempts:
    """What a create has met so far: the last ambiguous failure of a POST, and whether what that POST did is
    still unknown (no GET has answered since: it may have been applied)."""

    started: float
    ambiguous: BlaxelError | None = None
    unresolved: bool = False


def _nothing() -> None:
    """No one to tell about a write."""


class KindHandler:
    """Creates, updates, deletes and reads objects of one ``kind`` through an ``ObjectsAPI``, waiting for each
    to settle when the kind deploys. One handler may serve concurrent operations (Terraform applies resources
    in parallel).

    ``api`` is the kind's endpoints (``BlaxelClient.objects(kind)``), or any object with the per-kind methods
    of the earlier API (``get_model``, ``create_policy``...). ``kind`` defaults to the class's ``KIND``.
    """

    #: The kind a subclass handles when none is given (``ModelHandler``...).
    KIND: ClassVar[Kind | None] = None

    def __init__(
        self,
        api: Any,
        *,
        kind: Kind | None = None,
        waiter: Waiter | None = None,
        cancellation: Cancellation | None = None,
        on_write: Callable[[], None] = _nothing,
    ) -> None:
        chosen = kind if kind is not None else self.KIND
        if chosen is None:
            raise TypeError("KindHandler needs a kind")
        self.kind: Kind = chosen
        self._api: ObjectsAPI = endpoints_of(api, chosen)
        self._waiter = waiter if waiter is not None else Waiter()
        #: Cancelled when Terraform asks the provider to stop; make the waiter's and the client's ``sleep``
        #: its ``sleep`` so that waits end at once too.
        self._cancellation = cancellation if cancellation is not None else Cancellation()
        self._on_write = on_write
        self._counter_lock = threading.Lock()
        #: Creates that ended by adopting an object that already existed (ours, or the one just sent).
        self.adopted = 0
        #: POST requests the handler made (the client's own retries of one POST are not counted here).
        self.post_attempts = 0
        #: How long recent creates, updates and deletes took to settle: sizes the first poll of the next
        #: one of the same kind (``waiter.SettleTimes``), so a large apply stops probing at once.
        self.settle_times = {action: SettleTimes() for action in ("create", "update", "delete")}

    @property
    def waiter(self) -> Waiter:
        return self._waiter

    def create(self, document: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
        """POST the document, then (for a kind that deploys) wait for its goal status; returns the object.

        Resolves ambiguous failures and conflicts as the module docstring says, so that exactly one object
        ends up with this document. The POST answer may already show a final status; the wait still reads
        it back once with GET.
        """
        started = self._waiter.clock.now()
        deadline = started + max(0.0, timeout)
        name = object_name(document, self.kind.noun)
        self._before_sending(name, "create")
        attempts = _Attempts(started)
        try:
            put, answer = self._create(name, document, deadline, attempts)
        except OperationInterrupted as exc:
            # Sleeps and the last check raise it: nothing was made, unless a POST failed ambiguously and no GET
            # has told since whether it was applied.
            raise self._interrupted(name, "create", started, None, sent=attempts.unresolved) from exc
        return self._finish(name, document, "create", answer, put=put, started=started, deadline=deadline)

    def update(self, name: str, document: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
        """PUT the full document, then (for a kind that deploys) wait for its goal status; returns the object."""
        started = self._waiter.clock.now()
        deadline = started + max(0.0, timeout)
        self._before_sending(name, "update")
        try:
            with self._writing():
                answer = self._api.update(name, document, deadline=deadline)
        except OperationInterrupted as exc:
            raise self._interrupted(name, "update", started, None, sent=False) from exc
        return self._finish(name, document, "update", answer, put=True, started=started, deadline=deadline)

    def delete(self, name: str, *, timeout: float) -> None:
        """DELETE the object (retried while in use, for a kind whose delete may be refused so), then, for a
        kind that deploys, wait until GET answers 404. An object already gone is a success.

        Any status while deleting (``DELETING``, even ``FAILED``) is waited out until the deadline, since
        only the 404 proves the object is gone; ``DeploymentTimeoutError(goal="deleted")`` if it never is.
        """
        started = self._waiter.clock.now()
        deadline = started + max(0.0, timeout)
        self._before_sending(name, "delete")
        attempt = 0
        while True:
            try:
                with self._writing():
                    answer = self._api.delete(name, deadline=deadline)
                break
            except NotFoundError:
                return
            except OperationInterrupted as exc:
                raise self._interrupted(name, "delete", started, None, sent=False) from exc
            except ConflictError as exc:
                if not self.kind.delete_waits_while_in_use:
                    raise
                conflict = exc
            self._retry_in_use(name, conflict, attempt, started=started, deadline=deadline)
            attempt += 1
        if self.kind.lifecycle is not None:
            self._wait_gone(name, deadline=deadline, started=started, action="delete", answer=answer)

    def read(self, name: str, *, timeout: float | None = None) -> dict[str, Any] | None:
        """The object's document, or None if it does not exist; ``timeout`` bounds the client's retries."""
        deadline = None if timeout is None else self._waiter.clock.now() + max(0.0, timeout)
        try:
            return self._api.get(name, deadline=deadline)
        except NotFoundError:
            return None

    def wait_until_settled(self, name: str, *, timeout: float, goal: str) -> dict[str, Any]:
        """Poll the object until it reaches ``goal`` (``DEPLOYED`` or ``DEACTIVATED``); the shared wait.

        Public so that a caller can resume waiting on an object whose create or update it started earlier.
        """
        started = self._waiter.clock.now()
        return self._settle(name, goal, started=started, deadline=started + max(0.0, timeout), action="update")

    # -- create: exactly one object -------------------------------------------------------------------

    def _create(
        self, name: str, sent: Mapping[str, Any], deadline: float, attempts: _Attempts
    ) -> tuple[bool, dict[str, Any]]:
        """POST ``sent`` until one object has it, adopting what an earlier POST left.

        Returns whether that took a PUT, and the API's answer (the created object, the adopted one, or the
        answer to its PUT).
        """
        last: BlaxelError | None = None
        noun = self.kind.noun
        for attempt in range(MAX_CREATE_ATTEMPTS):
            if attempt and not self._waiter.pause(attempt - 1, deadline=deadline):
                break
            self._cancellation.check()
            self._count_post()
            conflict: ConflictError | None = None
            try:
                with self._writing():
                    return False, self._api.create(sent, deadline=deadline)
            except ConflictError as exc:
                conflict = last = exc
            except BlaxelError as exc:
                if not is_ambiguous(exc):
                    raise
                attempts.ambiguous = last = exc
                attempts.unresolved = True
                _log.info("create of %s %r may or may not have been applied (%s); looking it up", noun, name, exc)
            try:
                remote = self._api.get(name, deadline=deadline)
            except NotFoundError:
                attempts.unresolved = False
                again = "sending it again" if attempt + 1 < MAX_CREATE_ATTEMPTS else "giving up"
                _log.info("%s %r does not exist: its create was not applied; %s", noun, name, again)
                continue
            except BlaxelError as exc:
                raise exc from last  # cannot tell whether the create was applied: the caller sees both
            attempts.unresolved = False
            if conflict is not None and status_of(remote) == DELETING:
                _log.info("%s %r is still being deleted; waiting until it is gone to create it", noun, name)
                try:
                    now = self._waiter.clock.now()
                    self._wait_gone(name, deadline=deadline, started=now, action="create", answer=None)
                except DeploymentInterruptedError as exc:
                    raise OperationInterrupted() from exc  # nothing of this create exists yet
                continue
            return self._adopt(name, sent, remote, deadline, attempts, conflict=conflict)
        assert last is not None  # the loop only ends after a failed attempt
        raise last

    def _adopt(
        self,
        name: str,
        sent: Mapping[str, Any],
        remote: dict[str, Any],
        deadline: float,
        attempts: _Attempts,
        *,
        conflict: ConflictError | None,
    ) -> tuple[bool, dict[str, Any]]:
        """Take over ``remote``, found under the name of the object being created, if it is this create's.

        Adopted when it is the object just sent after an ambiguous POST, or when its ``OWNER_LABEL`` has the
        value of the one sent (PUT first if it differs, or if the document carries a secret no read can
        confirm). Returns whether a PUT was sent, and the object (the PUT's answer when there was one).
        """
        noun = self.kind.noun
        ambiguous = attempts.ambiguous
        owner = owner_of(sent)
        ours = owner is not None and owner == owner_of(remote)
        if self.kind.same_document(remote, sent) and (ours or ambiguous is not None):
            why = "after an ambiguous create" if ambiguous is not None else f"with owner label {owner!r}"
            self._count_adopted()
            if not self.kind.carries_secret(sent):
                _log.info("adopted existing %s %r %s: it already has the document sent", noun, name, why)
                return False, remote
            _log.info("adopted existing %s %r %s; sending the document again for its secret", noun, name, why)
            return True, self._put(name, sent, deadline, remote, attempts)
        if ours:
            _log.info(
                "adopted existing %s %r with owner label %r (left by an interrupted apply); updating it "
                "to the document sent",
                noun,
                name,
                owner,
            )
            self._count_adopted()
            return True, self._put(name, sent, deadline, remote, attempts)
        if conflict is not None:
            raise conflict
        raise NameTakenError(
            name=name,
            document=remote,
            cause=str(ambiguous) if ambiguous else None,
            kind=noun,
            path=self.kind.collection,
        )

    def _put(
        self, name: str, document: Mapping[str, Any], deadline: float, adopted: dict[str, Any], attempts: _Attempts
    ) -> dict[str, Any]:
        """The PUT that makes an adopted object the one sent; interrupted, the adopted object is reported."""
        try:
            with self._writing():
                return self._api.update(name, document, deadline=deadline)
        except OperationInterrupted as exc:
            raise self._interrupted(name, "create", attempts.started, adopted, sent=True) from exc

    def _count_post(self) -> None:
        with self._counter_lock:
            self.post_attempts += 1

    def _count_adopted(self) -> None:
        with self._counter_lock:
            self.adopted += 1

    # -- delete: retried while in use ----------------------------------------------------------------

    def _retry_in_use(
        self, name: str, conflict: ConflictError, attempt: int, *, started: float, deadline: float
    ) -> None:
        """Back off before the next DELETE of an object in use, or raise ``StillInUseError`` at the deadline."""
        _log.info("%s %r is still in use (%s); retrying its delete", self.kind.noun, name, conflict)
        try:
            paused = self._waiter.pause(attempt, deadline=deadline)
        except OperationInterrupted as exc:
            raise self._interrupted(name, "delete", started, None, sent=False) from exc  # nothing deleted
        if not paused:
            raise StillInUseError(
                kind=self.kind.noun,
                name=name,
                users=users_named_in(conflict),
                waited=self._waiter.clock.now() - started,
                message=conflict.api_message or conflict.error,
            ) from conflict

    # -- waiting --------------------------------------------------------------------------------------

    def _finish(
        self,
        name: str,
        document: Mapping[str, Any],
        action: str,
        answer: dict[str, Any],
        *,
        put: bool,
        started: float,
        deadline: float,
    ) -> dict[str, Any]:
        """The end of a create or update: the API's ``answer``, or for a kind that deploys, the object once it
        reached the goal of ``document`` (``put``: a PUT sent it, so early final statuses must show it)."""
        lifecycle = self.kind.lifecycle
        if lifecycle is None:
            return answer
        return self._settle(
            name,
            lifecycle.goal(document),
            started=started,
            deadline=deadline,
            sent=document if put else None,
            action=action,
            answer=answer,
            sized=True,
        )

    def _wait_gone(
        self, name: str, *, deadline: float, started: float, action: str, answer: dict[str, Any] | None
    ) -> None:
        """Poll until GET answers 404 (the object is gone), within ``deadline``."""
        watch = _Watch()

        def probe() -> tuple[bool, dict[str, Any] | None]:
            try:
                watch.document, watch.error = self._api.get(name, deadline=deadline), None
            except NotFoundError:
                return True, None
            except BlaxelError as exc:
                if not is_transient(exc):
                    raise
                watch.error = exc
            return False, watch.document

        try:
            self._waiter.poll(
                probe,
                timeout=self._remaining(deadline),
                on_timeout=self._timed_out(name, DELETED, watch, started),
                sizing=self.settle_times["delete"] if action == "delete" else None,
            )
        except OperationInterrupted as exc:
            raise self._interrupted(name, action, started, watch.document or answer, sent=True) from exc

    def _settle(
        self,
        name: str,
        goal: str,
        *,
        started: float,
        deadline: float,
        action: str,
        sent: Mapping[str, Any] | None = None,
        answer: dict[str, Any] | None = None,
        sized: bool = False,
    ) -> dict[str, Any]:
        """Poll until ``goal``; ``sent`` (after a PUT) makes early final statuses prove they are fresh.

        ``sized``: the wait follows this handler's own request, so its first poll may be sized by (and its
        duration recorded in) ``settle_times[action]``; not for a wait resumed on an earlier operation.

        ``answer`` is the API's answer to the request that started the operation: what an interruption
        reports when no GET has shown the object yet.
        """
        goal = goal.upper()
        if goal not in rules.STATUSES:
            raise ValueError(f"goal must be one of {', '.join(rules.STATUSES)} (got {goal!r})")
        written_at = self._waiter.clock.now()
        watch = _Watch()

        def probe() -> tuple[bool, dict[str, Any] | None]:
            try:
                document = self._api.get(name, deadline=deadline)
            except BlaxelError as exc:
                if not is_transient(exc):
                    raise
                watch.error = exc
                return False, watch.document
            watch.document, watch.error = document, None
            status = status_of(document)
            final = status == goal or status in rules.FAILURE_STATUSES
            if final and sent is not None and self._maybe_stale(document, sent, written_at):
                _log.debug("%s %r shows %s but not yet the document sent: still waiting", self.kind.noun, name, status)
                return False, document
            if status == goal:
                return True, document
            if status in rules.FAILURE_STATUSES:
                raise DeploymentFailedError(
                    **self._facts(name, started, document), message=latest_event_message(document)
                )
            return False, document

        try:
            settled = self._waiter.poll(
                probe,
                timeout=self._remaining(deadline),
                on_timeout=self._timed_out(name, goal, watch, started),
                sizing=self.settle_times[action] if sized else None,
            )
        except OperationInterrupted as exc:
            raise self._interrupted(name, action, started, watch.document or answer, sent=True) from exc
        assert settled is not None  # the probe only reports done with a document
        return settled

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Around one write: ``on_write`` before it is sent and after it returned or failed."""
        self._on_write()
        try:
            yield
        finally:
            self._on_write()

    def _before_sending(self, name: str, action: str) -> None:
        """Raise ``DeploymentInterruptedError`` (nothing sent) when Terraform has already asked to stop."""
        if self._cancellation.cancelled:
            raise DeploymentInterruptedError(
                name=name, action=action, sent=False, last_status=None, waited=0.0, kind=self.kind.noun
            )

    def _interrupted(
        self, name: str, action: str, started: float, document: dict[str, Any] | None, *, sent: bool
    ) -> DeploymentInterruptedError:
        """The error for an operation interrupted by Terraform, carrying the object as last known."""
        return DeploymentInterruptedError(**self._facts(name, started, document), action=action, sent=sent)

    def _facts(self, name: str, started: float, document: dict[str, Any] | None) -> dict[str, Any]:
        """What every ``DeploymentError`` of an operation says: the object, its last status and document, and
        how long the operation has taken (from before its first request)."""
        return {
            "name": name,
            "last_status": status_of(document),
            "waited": self._waiter.clock.now() - started,
            "document": document,
            "kind": self.kind.noun,
        }

    def _maybe_stale(self, document: Mapping[str, Any], sent: Mapping[str, Any], written_at: float) -> bool:
        """True when ``document`` may predate the PUT of ``sent``: it differs, and the grace has not run out."""
        return self._waiter.clock.now() - written_at < STALE_READ_GRACE and not self.kind.same_document(document, sent)

    def _remaining(self, deadline: float) -> float:
        """What is left until ``deadline`` once an operation's initial API call has returned."""
        return max(0.0, deadline - self._waiter.clock.now())

    def _timed_out(
        self, name: str, goal: str, watch: _Watch, started: float
    ) -> Callable[[dict[str, Any] | None, float], Exception]:
        def build(last: dict[str, Any] | None, _waited: float) -> Exception:
            # ``waited`` counts from before the initial API call (``started``), not from the first poll.
            document = last if last is not None else watch.document
            error = DeploymentTimeoutError(**self._facts(name, started, document), goal=goal)
            if watch.error is not None:
                # The timeout's own text cannot say why polling failed; append it, and chain the error.
                error.args = (f"{error.args[0]}; last error while polling: {watch.error}",)
                error.__cause__ = watch.error
            return error

        return build


# -- the earlier names: one handler class per kind, now the same engine --------------------------------


class ModelHandler(KindHandler):
    """The handler of models (``KindHandler`` of ``MODEL``): ``ModelHandler(client)`` or over a ``ModelsAPI``."""

    KIND = MODEL


class IntegrationConnectionHandler(KindHandler):
    """The handler of integration connections (``KindHandler`` of ``INTEGRATION_CONNECTION``)."""

    KIND = INTEGRATION_CONNECTION


class PolicyHandler(KindHandler):
    """The handler of policies (``KindHandler`` of ``POLICY``)."""

    KIND = POLICY
