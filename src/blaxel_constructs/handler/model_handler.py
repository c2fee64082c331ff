"""``ModelHandler``: create, update or delete a model and wait until Blaxel says it is done.

Each operation is one API call ("start the operation") followed by ``Waiter.poll`` over GET ("is it
complete?"). The timeout of an operation covers both: it is measured from before the first call, so
a Terraform ``timeouts.create`` of 10 minutes means 10 minutes in total. That is the operation's
deadline (``started + timeout`` on ``Waiter.clock``), and the handler passes it to every API call so
that the client's own retries end within it too.

A create never leaves a duplicate or an orphan:
- a POST that failed ambiguously (``RequestTimeout``, a ``TransportError`` other than ``ConnectError``,
  408, a ``ServerError``) may have been applied, so the handler GETs the model by name: on 404 it posts
  again (at most ``MAX_CREATE_ATTEMPTS`` POSTs in all, with backoff, within the deadline); if the model
  it finds is the one it sent (``same_model``) it adopts it and waits as usual; if it finds a model
  carrying its own ``OWNER_LABEL`` value, it adopts it and PUTs the document sent; anything else raises
  ``NameTakenError`` (a ``ConflictError``);
- a 409 on POST is answered with a GET: a model whose ``OWNER_LABEL`` has the value the document sent
  carries is this configuration's own, left by an apply interrupted after its POST: it is adopted (and
  PUT when it differs from what was sent). So is a model identical to the one sent when an earlier POST
  of this same create failed ambiguously (that POST was applied late). Otherwise the ``ConflictError``
  is raised unchanged.
``adopted`` and ``post_attempts`` count what happened, over the handler's life, across threads.

While waiting:
- the goal status (``DEPLOYED``, or ``DEACTIVATED`` for a document with ``spec.enabled = false``) ends
  the wait with the document;
- ``FAILED``, ``TERMINATED`` or ``DEACTIVATED`` when it is not the goal raise ``DeploymentFailedError``
  with the latest event's message;
- after a PUT, a final status (goal or failure) read within ``STALE_READ_GRACE`` seconds of the PUT's
  answer counts only if the document shows what was sent: a read served before the update was visible
  would otherwise end the wait on the previous deployment's status;
- anything else, including no status at all, is in progress;
- transient errors of a GET (``TransportError``, ``ServerError``, ``RateLimitedError``, 408) are not
  fatal: polling goes on, and if the deadline passes the ``DeploymentTimeoutError`` names the last one
  in its text and chains it as ``__cause__``;
- a create that meets a model of its name still ``DELETING`` (a destroy interrupted earlier, or a
  replacement) waits until it is gone, then posts;
- any other ``APIError`` propagates unchanged. In particular a ``NotFoundError`` while waiting after a
  create or update means the model was deleted meanwhile (or the workspace changed); its message says
  ``GET /models/<name> returned 404`` and the caller decides (the provider drops it from state).

Interrupted (Terraform's ``StopProvider``: the ``cancellation`` is cancelled, and every sleep of the
waiter and the client raises ``OperationInterrupted``): an operation not yet sent sends nothing; one
under way raises ``DeploymentInterruptedError`` with the model as last seen (read once more if need be,
or the API's answer to the request), so that the provider records what exists remotely.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

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
    is_ambiguous,
    is_transient,
)
from blaxel_constructs.handler.documents import (
    DELETED,
    DELETING,
    goal_for,
    latest_event_message,
    model_name,
    owner_of,
    same_model,
    status_of,
)
from blaxel_constructs.handler.models_api import ModelsAPI
from blaxel_constructs.handler.waiter import SettleTimes, Waiter

__all__ = [
    "LOGGER_NAME",
    "MAX_CREATE_ATTEMPTS",
    "STALE_READ_GRACE",
    "ModelHandler",
]

#: POSTs one create may send: the first, and others only after a GET proved the previous one was not
#: applied. Each failed ambiguously, so more would mostly add load to an API that is already failing.
MAX_CREATE_ATTEMPTS: Final = 5
#: Seconds after a PUT's answer during which a final status is believed only from a document that shows
#: what was sent. Bounded, so that a server that rewrites documents in a way ``same_model`` does not
#: know cannot turn every update into a timeout: it costs such an update at most these seconds.
STALE_READ_GRACE: Final = 5.0
#: The logger adoptions and repeated creates are reported on (INFO).
LOGGER_NAME: Final = "blaxel_constructs.handler"

_log = logging.getLogger(LOGGER_NAME)


@dataclass
class _Watch:
    """What a wait has seen so far: the last document read and the error of the last poll, if it failed."""

    document: dict[str, Any] | None = None
    error: BlaxelError | None = None


class ModelHandler:
    """Creates, updates, deletes and reads models through a ``ModelsAPI``, waiting for each to settle.

    One handler may serve concurrent operations (Terraform applies resources in parallel).
    """

    def __init__(
        self, api: ModelsAPI, *, waiter: Waiter | None = None, cancellation: Cancellation | None = None
    ) -> None:
        self._api = api
        self._waiter = waiter if waiter is not None else Waiter()
        #: Cancelled when Terraform asks the provider to stop; make the waiter's and the client's ``sleep``
        #: its ``sleep`` so that waits end at once too.
        self._cancellation = cancellation if cancellation is not None else Cancellation()
        self._counter_lock = threading.Lock()
        #: Creates that ended by adopting a model that already existed (ours, or the one just sent).
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
        """POST the document, then wait for its goal status; returns the settled document.

        Resolves ambiguous failures and conflicts as the module docstring says, so that exactly one
        model ends up with this document. The POST answer may already show a final status; the wait
        still reads it back once with GET.
        """
        started = self._waiter.clock.now()
        deadline = started + max(0.0, timeout)
        name = model_name(document)
        self._before_sending(name, "create")
        try:
            put, answer = self._create(name, document, deadline)
        except OperationInterrupted as exc:
            # Only sleeps raise it: a POST refused (429, no connection) or proven unapplied (404), nothing made.
            raise self._interrupted(name, "create", started, None, sent=False) from exc
        return self._settle(
            name,
            goal_for(document),
            started=started,
            deadline=deadline,
            sent=document if put else None,
            action="create",
            answer=answer,
            sized=True,
        )

    def update(self, name: str, document: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
        """PUT the full document, then wait for its goal status; returns the settled document."""
        started = self._waiter.clock.now()
        deadline = started + max(0.0, timeout)
        self._before_sending(name, "update")
        try:
            answer = self._api.update_model(name, document, deadline=deadline)
        except OperationInterrupted as exc:
            raise self._interrupted(name, "update", started, None, sent=False) from exc
        return self._settle(
            name,
            goal_for(document),
            started=started,
            deadline=deadline,
            sent=document,
            action="update",
            answer=answer,
            sized=True,
        )

    def delete(self, name: str, *, timeout: float) -> None:
        """DELETE the model, then wait until GET answers 404. A model that is already gone is a success.

        Any status while deleting (``DELETING``, even ``FAILED``) is waited out until the deadline, since
        only the 404 proves the model is gone; ``DeploymentTimeoutError(goal="deleted")`` if it never is.
        """
        started = self._waiter.clock.now()
        deadline = started + max(0.0, timeout)
        self._before_sending(name, "delete")
        try:
            answer = self._api.delete_model(name, deadline=deadline)
        except NotFoundError:
            return
        except OperationInterrupted as exc:
            raise self._interrupted(name, "delete", started, None, sent=False) from exc
        self._wait_gone(name, deadline=deadline, started=started, action="delete", answer=answer)

    def _wait_gone(
        self, name: str, *, deadline: float, started: float, action: str, answer: dict[str, Any] | None
    ) -> None:
        """Poll until GET answers 404 (the model is gone), within ``deadline``."""
        watch = _Watch()

        def probe() -> tuple[bool, dict[str, Any] | None]:
            try:
                watch.document, watch.error = self._api.get_model(name, deadline=deadline), None
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

    def read(self, name: str, *, timeout: float | None = None) -> dict[str, Any] | None:
        """The model's document, or None if it does not exist; ``timeout`` bounds the client's retries."""
        deadline = None if timeout is None else self._waiter.clock.now() + max(0.0, timeout)
        try:
            return self._api.get_model(name, deadline=deadline)
        except NotFoundError:
            return None

    def wait_until_settled(self, name: str, *, timeout: float, goal: str) -> dict[str, Any]:
        """Poll the model until it reaches ``goal`` (``DEPLOYED`` or ``DEACTIVATED``); the shared wait.

        Public so that a caller can resume waiting on a model whose create or update it started earlier.
        """
        started = self._waiter.clock.now()
        return self._settle(name, goal, started=started, deadline=started + max(0.0, timeout), action="update")

    # -- create: exactly one model --------------------------------------------------------------------

    def _create(self, name: str, sent: Mapping[str, Any], deadline: float) -> tuple[bool, dict[str, Any] | None]:
        """POST ``sent`` until one model has it, adopting what an earlier POST left.

        Returns whether that took a PUT, and the API's answer (the created or adopted model) when known.
        """
        ambiguous: BlaxelError | None = None
        last: BlaxelError | None = None
        for attempt in range(MAX_CREATE_ATTEMPTS):
            if attempt and not self._waiter.pause(attempt - 1, deadline=deadline):
                break
            self._cancellation.check()
            self._count_post()
            conflict: ConflictError | None = None
            try:
                return False, self._api.create_model(sent, deadline=deadline)
            except ConflictError as exc:
                conflict = last = exc
            except BlaxelError as exc:
                if not is_ambiguous(exc):
                    raise
                ambiguous = last = exc
                _log.info("create of model %r may or may not have been applied (%s); looking it up", name, exc)
            try:
                remote = self._api.get_model(name, deadline=deadline)
            except NotFoundError:
                again = "sending it again" if attempt + 1 < MAX_CREATE_ATTEMPTS else "giving up"
                _log.info("model %r does not exist: its create was not applied; %s", name, again)
                continue
            except BlaxelError as exc:
                raise exc from last  # cannot tell whether the create was applied: the caller sees both
            if conflict is not None and status_of(remote) == DELETING:
                _log.info("model %r is still being deleted; waiting until it is gone to create it", name)
                try:
                    now = self._waiter.clock.now()
                    self._wait_gone(name, deadline=deadline, started=now, action="create", answer=None)
                except DeploymentInterruptedError as exc:
                    raise OperationInterrupted() from exc  # nothing of this create exists yet
                continue
            return self._adopt(name, sent, remote, deadline, ambiguous=ambiguous, conflict=conflict), remote
        assert last is not None  # the loop only ends after a failed attempt
        raise last

    def _adopt(
        self,
        name: str,
        sent: Mapping[str, Any],
        remote: dict[str, Any],
        deadline: float,
        *,
        ambiguous: BlaxelError | None,
        conflict: ConflictError | None,
    ) -> bool:
        """Take over ``remote``, found under the name of the model being created, if it is this create's.

        Adopted when it is the model just sent after an ambiguous POST, or when its ``OWNER_LABEL`` has
        the value of the one sent (PUT first if it differs). True if a PUT was sent.
        """
        owner = owner_of(sent)
        ours = owner is not None and owner == owner_of(remote)
        if same_model(remote, sent) and (ours or ambiguous is not None):
            why = "after an ambiguous create" if ambiguous is not None else f"with owner label {owner!r}"
            _log.info("adopted existing model %r %s: it already has the document sent", name, why)
            self._count_adopted()
            return False
        if ours:
            _log.info(
                "adopted existing model %r with owner label %r (left by an interrupted apply); updating it "
                "to the document sent",
                name,
                owner,
            )
            self._api.update_model(name, sent, deadline=deadline)
            self._count_adopted()
            return True
        if conflict is not None:
            raise conflict
        raise NameTakenError(name=name, document=remote, cause=str(ambiguous) if ambiguous else None)

    def _count_post(self) -> None:
        with self._counter_lock:
            self.post_attempts += 1

    def _count_adopted(self) -> None:
        with self._counter_lock:
            self.adopted += 1

    # -- waiting --------------------------------------------------------------------------------------

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
        reports when no GET has shown the model yet.
        """
        goal = goal.upper()
        if goal not in rules.STATUSES:
            raise ValueError(f"goal must be one of {', '.join(rules.STATUSES)} (got {goal!r})")
        written_at = self._waiter.clock.now()
        watch = _Watch()

        def probe() -> tuple[bool, dict[str, Any] | None]:
            try:
                document = self._api.get_model(name, deadline=deadline)
            except BlaxelError as exc:
                if not is_transient(exc):
                    raise
                watch.error = exc
                return False, watch.document
            watch.document, watch.error = document, None
            status = status_of(document)
            final = status == goal or status in rules.FAILURE_STATUSES
            if final and sent is not None and self._maybe_stale(document, sent, written_at):
                _log.debug("model %r shows %s but not yet the document sent: still waiting", name, status)
                return False, document
            if status == goal:
                return True, document
            if status in rules.FAILURE_STATUSES:
                raise DeploymentFailedError(
                    name=name,
                    last_status=status,
                    message=latest_event_message(document),
                    waited=self._waiter.clock.now() - started,
                    document=document,
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

    def _before_sending(self, name: str, action: str) -> None:
        """Raise ``DeploymentInterruptedError`` (nothing sent) when Terraform has already asked to stop."""
        if self._cancellation.cancelled:
            raise DeploymentInterruptedError(name=name, action=action, sent=False, last_status=None, waited=0.0)

    def _interrupted(
        self, name: str, action: str, started: float, document: dict[str, Any] | None, *, sent: bool
    ) -> DeploymentInterruptedError:
        """The error for an operation interrupted by Terraform, carrying the model as last known."""
        return DeploymentInterruptedError(
            name=name,
            action=action,
            sent=sent,
            last_status=status_of(document),
            waited=self._waiter.clock.now() - started,
            document=document,
        )

    def _maybe_stale(self, document: Mapping[str, Any], sent: Mapping[str, Any], written_at: float) -> bool:
        """True when ``document`` may predate the PUT of ``sent``: it differs, and the grace has not run out."""
        return self._waiter.clock.now() - written_at < STALE_READ_GRACE and not same_model(document, sent)

    def _remaining(self, deadline: float) -> float:
        """What is left until ``deadline`` once an operation's initial API call has returned."""
        return max(0.0, deadline - self._waiter.clock.now())

    def _timed_out(
        self, name: str, goal: str, watch: _Watch, started: float
    ) -> Callable[[dict[str, Any] | None, float], Exception]:
        def build(last: dict[str, Any] | None, _waited: float) -> Exception:
            # ``waited`` counts from before the initial API call (``started``), not from the first poll.
            document = last if last is not None else watch.document
            error = DeploymentTimeoutError(
                name=name,
                last_status=status_of(document),
                goal=goal,
                waited=self._waiter.clock.now() - started,
                document=document,
            )
            if watch.error is not None:
                # The timeout's own text cannot say why polling failed; append it, and chain the error.
                error.args = (f"{error.args[0]}; last error while polling: {watch.error}",)
                error.__cause__ = watch.error
            return error

        return build
