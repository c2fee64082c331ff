"""Every error this library raises, in one hierarchy.

Lower layers raise these; each boundary translates them exactly once (the provider turns them into
Terraform diagnostics, the constructs let ``SpecError`` reach the user's ``cdktf synth``). Nothing in
this module knows about HTTP libraries, Terraform or cdktf, and no message ever carries a credential::

    BlaxelError
    ├── SpecError                     invalid input, caught before any API call (field, construct path)
    │   ├── DurationError             a timeouts value that is not a Terraform duration
    │   └── EnvironmentConfigError    environments.yaml unreadable or invalid (file, field)
    ├── ConfigurationError            missing or malformed provider/client configuration
    ├── EnvironmentCheckError         `environments diff`/`status` could not synthesize, read a state or run terraform
    ├── WorkspaceImportError          `import` could not write the code (output directory, framework missing)
    ├── OperationInterrupted          Terraform asked the provider to stop (StopProvider) during a wait
    ├── FrameworkNotFoundError        no cdktf or cdktn to build constructs on (also an ImportError)
    ├── TransportError                the request may or may not have reached the API
    │   ├── ConnectError              could not connect (nothing was sent)
    │   └── RequestTimeout            no answer within the read timeout (ambiguous for writes)
    ├── APIError                      the API answered with an error status
    │   ├── BadRequestError           400
    │   ├── UnauthorizedError         401
    │   ├── ForbiddenError            403
    │   ├── NotFoundError             404
    │   ├── ConflictError             409
    │   │   └── NameTakenError        a create found a different object already using its name
    │   ├── RateLimitedError          429
    │   └── ServerError               5xx (and any other unexpected status)
    └── DeploymentError               a create/update/delete did not reach its goal
        ├── DeploymentFailedError     ended FAILED, TERMINATED or DEACTIVATED
        ├── DeploymentTimeoutError    the deadline passed while still in progress
        ├── DeploymentInterruptedError  Terraform asked to stop while the operation was under way
        └── StillInUseError           a delete was refused (409 "in use") until its deadline

Which of them are worth trying again is judged here too, once, for the client's retries and the handler's
polling and creates (``is_transient``, ``is_ambiguous``, ``is_retryable``), so that a status such as 408
means the same thing everywhere.
"""

from __future__ import annotations

from typing import Any, Final

__all__ = [
    "NO_RETRY_STATUSES",
    "APIError",
    "BadRequestError",
    "BlaxelError",
    "ConfigurationError",
    "ConflictError",
    "ConnectError",
    "DeploymentError",
    "DeploymentFailedError",
    "DeploymentInterruptedError",
    "DeploymentTimeoutError",
    "DurationError",
    "EnvironmentCheckError",
    "EnvironmentConfigError",
    "ForbiddenError",
    "FrameworkNotFoundError",
    "NameTakenError",
    "NotFoundError",
    "OperationInterrupted",
    "RateLimitedError",
    "RequestTimeout",
    "ServerError",
    "SpecError",
    "StillInUseError",
    "TransportError",
    "UnauthorizedError",
    "WorkspaceImportError",
    "api_error_for_status",
    "is_ambiguous",
    "is_retryable",
    "is_transient",
]


class BlaxelError(Exception):
    """Base class of every error raised by blaxel_constructs."""


class SpecError(BlaxelError, ValueError):
    """Invalid input, rejected locally before anything is synthesized or sent.

    ``field`` is the dotted attribute path (``runtime.type``), ``path`` the construct path when the
    error comes from a construct.
    """

    def __init__(self, message: str, *, field: str | None = None, path: str | None = None) -> None:
        self.field = field
        self.path = path
        where = []
        if path:
            where.append(f"construct {path}")
        if field:
            where.append(f"field {field!r}")
        prefix = f"{', '.join(where)}: " if where else ""
        super().__init__(f"{prefix}{message}")
        self.reason = message


class DurationError(SpecError):
    """A text is not a Terraform duration (``timeouts``); the message says what is expected."""


class EnvironmentConfigError(SpecError):
    """The environment configuration file is unreadable or invalid; ``file`` and ``field`` say where.

    The message reads ``environments.yaml: field 'environments.prod.runtime.type': <reason>``.
    """

    def __init__(self, message: str, *, file: str, field: str | None = None, note: str | None = None) -> None:
        super().__init__(message, field=field)
        self.file = file
        where = f"{file}: field {field!r}" if field else file
        extra = f" ({note})" if note else ""
        self.args = (f"{where}{extra}: {message}",)

    def __str__(self) -> str:
        return str(self.args[0])


class ConfigurationError(BlaxelError):
    """The provider or client configuration is missing something or is malformed."""


class EnvironmentCheckError(BlaxelError):
    """``blaxel-constructs environments diff`` or ``status`` could not do its job for one reason the message gives:
    no ``cdktf.json``, an app that failed to synthesize, an unknown environment, a state it could not read, or a
    ``terraform`` command that failed (its error lines included). ``environment`` names the one concerned, if any.
    """

    def __init__(self, message: str, *, environment: str | None = None) -> None:
        super().__init__(message)
        self.environment = environment


class WorkspaceImportError(BlaxelError):
    """``blaxel-constructs import`` could not write the code for one reason the message gives, with what to do:
    an output directory that already holds files (``--force``), a file it could not write, or the CDK that
    ``--format`` names not installed. Errors of the API read before it are the client's own (``APIError``...).
    """


class OperationInterrupted(BlaxelError):
    """Terraform asked the provider to stop (Ctrl-C, SIGTERM: its ``StopProvider`` call) during a wait.

    Raised by ``Cancellation.sleep`` in place of the rest of a backoff or polling delay, and by
    ``Cancellation.check`` before a request that must not start any more. The handler turns it into a
    ``DeploymentInterruptedError`` that says what exists remotely.
    """

    def __init__(self, message: str = "Terraform asked the provider to stop") -> None:
        super().__init__(message)


class FrameworkNotFoundError(BlaxelError, ImportError):
    """A construct was created but neither CDK it builds on (``cdktn`` or ``cdktf``) can be used.

    Raised by the constructs layer when the app's framework is not installed or cannot be told; the
    message says what to install (``pip install "blaxel-constructs[cdktn]"`` or ``[cdktf]``).
    """


class TransportError(BlaxelError):
    """The request failed below HTTP: it may or may not have reached the API.

    ``method`` and ``path`` say which request; never the URL's credentials or headers.
    """

    def __init__(self, message: str, *, method: str, path: str) -> None:
        self.method = method
        self.path = path
        super().__init__(f"{method} {path}: {message}")


class ConnectError(TransportError):
    """The connection could not be established, so nothing was sent."""


class RequestTimeout(TransportError):
    """The API did not answer in time; a write may have been applied anyway."""


class APIError(BlaxelError):
    """The API answered with an error status.

    Carries the request's ``method`` and ``path``, the HTTP ``status``, and the API's own ``error``
    and ``message`` fields from its JSON error body (``{"error", "code", "message"}``).
    """

    def __init__(
        self,
        *,
        method: str,
        path: str,
        status: int,
        error: str | None = None,
        message: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.error = error
        self.api_message = message
        self.retry_after = retry_after
        text = error or "no error text"
        if message and message != error:
            text = f"{text}: {message}"
        super().__init__(f"{method} {path} returned {status}: {text}")


class BadRequestError(APIError):
    """400: the API rejected the document (bad configuration, unknown integration connection, version)."""


class UnauthorizedError(APIError):
    """401: the credential is missing, unknown or expired."""


class ForbiddenError(APIError):
    """403: the credential is valid but has no access to this workspace or resource."""


class NotFoundError(APIError):
    """404: no such object in this workspace."""


class ConflictError(APIError):
    """409: an object with this name already exists (or, on a delete, is still in use)."""


class NameTakenError(ConflictError):
    """A create's POST failed ambiguously and the object then found under its name is not the one sent.

    Raised by the handler, not by the API (``status`` is 409 because it means the same: the name is
    taken). ``name`` is the object, ``kind`` what it is in words (``model``, ``policy``...), ``document`` the
    other object as the API showed it, ``cause`` the text of the ambiguous failure that made the handler look.
    Nothing was created by this create.
    """

    def __init__(
        self,
        *,
        name: str,
        document: dict[str, Any] | None = None,
        cause: str | None = None,
        kind: str = "model",
        path: str = "/models",
    ) -> None:
        super().__init__(
            method="POST",
            path=path,
            status=409,
            error=f"a different {kind} named {name!r} already exists",
            message=cause,
        )
        self.name = name
        self.kind = kind
        self.document = document
        self.cause = cause
        after = f" (after the create's own request failed: {cause})" if cause else ""
        self.args = (
            f"a different {kind} named {name!r} already exists{after}; it was not created by this apply "
            "and was left unchanged",
        )


class RateLimitedError(APIError):
    """429: too many requests; ``retry_after`` holds the server's hint in seconds, if any."""


class ServerError(APIError):
    """5xx, or any status the client does not expect."""


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitedError,
}


def api_error_for_status(status: int) -> type[APIError]:
    """The ``APIError`` subclass for an HTTP status (``ServerError`` for anything unlisted)."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if 400 <= status < 500:
        return BadRequestError
    return ServerError


class DeploymentError(BlaxelError):
    """A create, update or delete did not reach its goal.

    ``name`` is the object, ``kind`` what it is in words (``model``, ``integration connection``...),
    ``last_status`` the last status seen (None if never read), ``message`` the latest event's message,
    ``waited`` the seconds spent waiting, ``document`` the last API document read (so a caller can still
    record the remote object, e.g. as a tainted resource).
    """

    def __init__(
        self,
        text: str,
        *,
        name: str,
        last_status: str | None,
        message: str | None = None,
        waited: float = 0.0,
        document: dict[str, Any] | None = None,
        kind: str = "model",
    ) -> None:
        self.name = name
        self.last_status = last_status
        self.message = message
        self.waited = waited
        self.document = document
        super().__init__(text)
        self.kind = kind


class DeploymentFailedError(DeploymentError):
    """The deployment ended in a failure status (FAILED, TERMINATED or DEACTIVATED)."""

    def __init__(
        self,
        *,
        name: str,
        last_status: str,
        message: str | None,
        waited: float,
        document: dict[str, Any] | None = None,
        kind: str = "model",
    ) -> None:
        reason = message or "the API gave no event message"
        super().__init__(
            f"{kind} {name!r} ended {last_status} after {waited:.1f}s: {reason}",
            name=name,
            last_status=last_status,
            message=message,
            waited=waited,
            document=document,
            kind=kind,
        )


class DeploymentTimeoutError(DeploymentError):
    """The deadline passed while the model was still in progress."""

    def __init__(
        self,
        *,
        name: str,
        last_status: str | None,
        goal: str,
        waited: float,
        document: dict[str, Any] | None = None,
        kind: str = "model",
    ) -> None:
        seen = last_status or "no status read yet"
        text = f"{kind} {name!r} did not become {goal} within {waited:.1f}s; last status: {seen}"
        super().__init__(text, name=name, last_status=last_status, waited=waited, document=document, kind=kind)
        self.goal = goal


class DeploymentInterruptedError(DeploymentError):
    """Terraform asked to stop (``StopProvider``) while a create, update or delete was under way.

    ``action`` is ``create``, ``update`` or ``delete``; ``sent`` whether the operation's request was sent
    (False: nothing changed remotely). ``document`` is the model as last read (or as the API answered the
    request), so that the caller can still record the remote object; None when nothing is known of it.
    """

    def __init__(
        self,
        *,
        name: str,
        action: str,
        sent: bool,
        last_status: str | None,
        waited: float,
        document: dict[str, Any] | None = None,
        kind: str = "model",
    ) -> None:
        if not sent:
            text = f"interrupted before the {action} of {kind} {name!r} was sent; nothing was changed"
        else:
            seen = last_status or "in an unknown state"
            text = f"interrupted after {waited:.1f}s while {kind} {name!r} was {seen} ({action})"
        super().__init__(text, name=name, last_status=last_status, waited=waited, document=document, kind=kind)
        self.action = action
        self.sent = sent


class StillInUseError(DeploymentError):
    """A delete kept being refused with 409 "in use" until its deadline (an integration connection that a
    model still names). ``kind`` is what was deleted (``integration connection``), ``users`` the names the
    API's last refusal listed (empty when it listed none), ``users_kind`` what they are (``models``),
    ``__cause__`` that ``ConflictError``.
    """

    def __init__(
        self,
        *,
        kind: str,
        name: str,
        users: list[str],
        waited: float,
        message: str | None,
        users_kind: str = "models",
    ) -> None:
        who = f"{users_kind}: {', '.join(users)}" if users else (message or "resources the API did not name")
        super().__init__(
            f"{kind} {name!r} is still in use by {who} after {waited:.1f}s of retrying its delete",
            name=name,
            last_status=None,
            message=message,
            waited=waited,
            kind=kind,
        )
        self.users = users


# -- classification: one judgement of "try again?" for every layer ------------------------------------

#: 5xx statuses that are not transient: the server says it will never handle this request.
NO_RETRY_STATUSES: Final = frozenset({501, 505})


def is_transient(error: BaseException) -> bool:
    """True when the same request may well succeed if sent again a little later.

    Any ``TransportError`` (nothing or no answer got through), 408 (the server gave up waiting), 429 (it
    refused, for now), and any ``ServerError`` (5xx, or a 2xx whose body could not be read) but 501 and
    505, which say the server will never handle the request. The handler keeps polling through these;
    the client retries them when ``is_retryable`` allows.
    """
    if isinstance(error, TransportError | RateLimitedError):
        return True
    if isinstance(error, ServerError):
        return error.status not in NO_RETRY_STATUSES
    return isinstance(error, APIError) and error.status == 408


def is_ambiguous(error: BaseException) -> bool:
    """True for a failed write that may have been applied anyway: only a read can tell.

    A ``TransportError`` other than ``ConnectError`` (the request may have been written), a
    ``ServerError`` and 408. Not a ``ConnectError`` (nothing was sent) nor any other 4xx (refused).
    """
    if isinstance(error, ConnectError):
        return False
    return isinstance(error, TransportError | ServerError) or (isinstance(error, APIError) and error.status == 408)


def is_retryable(error: BaseException, *, idempotent: bool) -> bool:
    """Whether a request that failed with ``error`` may be sent again as it is.

    A transient failure, and for a request that is not ``idempotent`` (a POST) only one that cannot have
    been applied: a ``ConnectError`` or a 429. A POST that failed ambiguously is left to the handler,
    which knows what it sent and looks before posting again.
    """
    return is_transient(error) and (idempotent or not is_ambiguous(error))
