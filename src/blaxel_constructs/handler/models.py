"""``ModelHandler``: create, update or delete a model and wait until Blaxel says it is done.

Each operation is one API call ("start the operation") followed by ``Waiter.poll`` over GET ("is it
complete?"). The timeout of an operation covers both: it is measured from before the first call, so
a Terraform ``timeouts.create`` of 10 minutes means 10 minutes in total.

While waiting:
- the goal status (``DEPLOYED``, or ``DEACTIVATED`` for a document with ``spec.enabled = false``) ends
  the wait with the document;
- ``FAILED``, ``TERMINATED`` or ``DEACTIVATED`` when it is not the goal raise ``DeploymentFailedError``
  with the latest event's message;
- anything else, including no status at all, is in progress;
- transient errors of a GET (``TransportError``, ``ServerError``, ``RateLimitedError``, 408) are not
  fatal: polling goes on, and if the deadline passes the ``DeploymentTimeoutError`` names the last one
  in its text and chains it as ``__cause__``;
- any other ``APIError`` propagates unchanged. In particular a ``NotFoundError`` while waiting after a
  create or update means the model was deleted meanwhile (or the workspace changed); its message says
  ``GET /models/<name> returned 404`` and the caller decides (the provider drops it from state).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from blaxel_constructs.errors import (
    APIError,
    BlaxelError,
    DeploymentFailedError,
    DeploymentTimeoutError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
)
from blaxel_constructs.handler.api import ModelsAPI
from blaxel_constructs.handler.documents import (
    DELETED,
    goal_for,
    latest_event_message,
    model_name,
    status_of,
)
from blaxel_constructs.handler.waiter import Waiter
from blaxel_constructs.spec import rules

__all__ = ["TRANSIENT_ERRORS", "ModelHandler", "is_transient"]

#: Errors of a GET poll that waiting may outlast. 408 (a ``BadRequestError``) is added by ``is_transient``.
TRANSIENT_ERRORS: Final = (TransportError, ServerError, RateLimitedError)


def is_transient(error: BaseException) -> bool:
    """True for a poll error that should not end a wait: a transport failure, 5xx, 429 or 408."""
    return isinstance(error, TRANSIENT_ERRORS) or (isinstance(error, APIError) and error.status == 408)


@dataclass
class _Watch:
    """What a wait has seen so far: the last document read and the error of the last poll, if it failed."""

    document: dict[str, Any] | None = None
    error: BlaxelError | None = None


class ModelHandler:
    """Creates, updates, deletes and reads models through a ``ModelsAPI``, waiting for each to settle."""

    def __init__(self, api: ModelsAPI, *, waiter: Waiter | None = None) -> None:
        self._api = api
        self._waiter = waiter if waiter is not None else Waiter()

    @property
    def waiter(self) -> Waiter:
        return self._waiter

    def create(self, document: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
        """POST the document, then wait for its goal status; returns the settled document.

        The POST answer may already show a final status; the wait still reads it back once with GET.
        """
        started = self._waiter.clock()
        name = model_name(document)
        self._api.create_model(document)
        return self._settle(name, goal_for(document), timeout=timeout, started=started)

    def update(self, name: str, document: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
        """PUT the full document, then wait for its goal status; returns the settled document."""
        started = self._waiter.clock()
        self._api.update_model(name, document)
        return self._settle(name, goal_for(document), timeout=timeout, started=started)

    def delete(self, name: str, *, timeout: float) -> None:
        """DELETE the model, then wait until GET answers 404. A model that is already gone is a success.

        Any status while deleting (``DELETING``, even ``FAILED``) is waited out until the deadline, since
        only the 404 proves the model is gone; ``DeploymentTimeoutError(goal="deleted")`` if it never is.
        """
        started = self._waiter.clock()
        try:
            self._api.delete_model(name)
        except NotFoundError:
            return
        watch = _Watch()

        def probe() -> tuple[bool, dict[str, Any] | None]:
            try:
                watch.document, watch.error = self._api.get_model(name), None
            except NotFoundError:
                return True, None
            except BlaxelError as exc:
                if not is_transient(exc):
                    raise
                watch.error = exc
            return False, watch.document

        self._waiter.poll(
            probe, timeout=self._remaining(timeout, started), on_timeout=self._timed_out(name, DELETED, watch, started)
        )

    def read(self, name: str) -> dict[str, Any] | None:
        """The model's document, or None if it does not exist."""
        try:
            return self._api.get_model(name)
        except NotFoundError:
            return None

    def wait_until_settled(self, name: str, *, timeout: float, goal: str) -> dict[str, Any]:
        """Poll the model until it reaches ``goal`` (``DEPLOYED`` or ``DEACTIVATED``); the shared wait.

        Public so that a caller can resume waiting on a model whose create or update it started earlier.
        """
        return self._settle(name, goal, timeout=timeout, started=self._waiter.clock())

    def _settle(self, name: str, goal: str, *, timeout: float, started: float) -> dict[str, Any]:
        goal = goal.upper()
        if goal not in rules.STATUSES:
            raise ValueError(f"goal must be one of {', '.join(rules.STATUSES)} (got {goal!r})")
        watch = _Watch()

        def probe() -> tuple[bool, dict[str, Any] | None]:
            try:
                document = self._api.get_model(name)
            except BlaxelError as exc:
                if not is_transient(exc):
                    raise
                watch.error = exc
                return False, watch.document
            watch.document, watch.error = document, None
            status = status_of(document)
            if status == goal:
                return True, document
            if status in rules.FAILURE_STATUSES:
                raise DeploymentFailedError(
                    name=name,
                    last_status=status,
                    message=latest_event_message(document),
                    waited=self._waiter.clock() - started,
                    document=document,
                )
            return False, document

        settled = self._waiter.poll(
            probe,
            timeout=self._remaining(timeout, started),
            on_timeout=self._timed_out(name, goal, watch, started),
        )
        assert settled is not None  # the probe only reports done with a document
        return settled

    def _remaining(self, timeout: float, started: float) -> float:
        """What is left of an operation's timeout once its initial API call has returned."""
        return max(0.0, timeout - (self._waiter.clock() - started))

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
                waited=self._waiter.clock() - started,
                document=document,
            )
            if watch.error is not None:
                # The timeout's own text cannot say why polling failed; append it, and chain the error.
                error.args = (f"{error.args[0]}; last error while polling: {watch.error}",)
                error.__cause__ = watch.error
            return error

        return build
