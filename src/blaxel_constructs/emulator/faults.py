"""Fault injection for ``/v0`` requests, set through ``PUT /_emulator/faults``: error answers, slow answers,
lost answers and dropped connections, so tests can prove a client retries safely.

The body is a list of rules, or ``{"rules": [...], "seed": int}`` to make ``rate`` draws reproducible.
Every field of a rule is optional, but a rule must do something (``status``, ``drop`` or ``delay``)::

    {
      "method": "POST",         # HTTP method, or "*" (default): any
      "path": "/v0/models*",    # fnmatch glob on the request path (default "*"); "*" also matches "/"
      "status": 503,            # answer this error (400-599) with the API's error body
      "rate": 0.25,             # fire on this share of matching requests (0..1) ...
      "count": 2,               # ... or on the next N of them; neither: on every one
      "retry_after": 1,         # seconds, sent as the Retry-After header of the error answer
      "delay": 0.5,             # seconds to wait before answering
      "drop": false,            # close the TCP connection without any answer (instead of a status)
      "after": false            # apply the request for real first, then lose its answer (status or drop)
    }

Rules are tried in order for each ``/v0`` request (never for ``/_emulator``); the first that fires wins
and the others are not consulted. A rule fires when its method and path match, it has ``count`` left
and (with ``rate``) it wins its random draw. Without ``after`` the request is never applied: the
emulator waits ``delay``, then answers ``status`` or drops the connection (or, with only a ``delay``,
serves the request normally, late). With ``after`` the request is applied at once, then the emulator
waits ``delay`` and answers ``status`` instead of the real answer, or drops the connection, or (with
only a ``delay``) sends the real answer late: what a client sees when its request timed out.

Rules live in memory only (a restart clears them) and are shared by the server's threads under a lock.
"""

from __future__ import annotations

import contextlib
import math
import random
import socket
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = [
    "DROP_KEY",
    "MAX_DELAY",
    "METHODS",
    "DropConnectionMiddleware",
    "FaultInjector",
    "FaultRule",
    "FaultSet",
    "InvalidFaults",
    "applies_to",
    "drop_connection",
    "fault_error_name",
    "parse_faults",
    "retry_after_value",
]

METHODS: Final = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
#: Longest accepted ``delay`` (and ``retry_after``), in seconds: a thread sleeps that long.
MAX_DELAY: Final = 600.0
#: WSGI environ key the app sets when the current request's connection is to be dropped unanswered.
DROP_KEY: Final = "blaxel_emulator.drop_connection"
_FIELDS: Final = ("method", "path", "status", "rate", "count", "retry_after", "delay", "drop", "after")


class InvalidFaults(ValueError):
    """A rule breaks a rule of its own; ``field`` is its path (``rules[0].status``)."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


@dataclass(frozen=True)
class FaultRule:
    """One fault rule, validated (build it with ``parse_faults`` from JSON)."""

    method: str = "*"
    path: str = "*"
    status: int | None = None
    rate: float | None = None
    count: int | None = None
    retry_after: float | None = None
    delay: float = 0.0
    drop: bool = False
    after: bool = False

    def matches(self, method: str, path: str) -> bool:
        """Whether a request with ``method`` on ``path`` is one this rule is about."""
        return (self.method == "*" or self.method == method) and fnmatchcase(path, self.path)

    def to_json(self) -> dict[str, Any]:
        """Every field, unset ones as null, as ``GET /_emulator/faults`` shows them."""
        return {name: getattr(self, name) for name in _FIELDS}


@dataclass(frozen=True)
class FaultSet:
    """What ``PUT /_emulator/faults`` sets: the rules, in order, and the seed of the random draws."""

    rules: tuple[FaultRule, ...] = ()
    seed: int | None = None


def _shown(value: object) -> str:
    """``repr(value)``, cut short: a hostile body may hold a 4000-digit number or a huge string."""
    return _cut(repr(value))


def _cut(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _number(value: object, field: str, low: float, high: float) -> float:
    number = math.nan
    if isinstance(value, int | float) and not isinstance(value, bool):
        with contextlib.suppress(OverflowError):
            number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        raise InvalidFaults(field, f"must be a number from {low:g} to {high:g} (got {_shown(value)})")
    return number


def _integer(value: object, field: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidFaults(field, f"must be an integer from {low} to {high} (got {_shown(value)})")
    return value


def _boolean(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidFaults(field, f"must be true or false (got {_shown(value)})")
    return value


def _method(value: object, field: str) -> str:
    method = value.upper() if isinstance(value, str) else None
    if method != "*" and method not in METHODS:
        raise InvalidFaults(field, f"must be one of {', '.join(METHODS)} or * (got {_shown(value)})")
    return method


def _path(value: object, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidFaults(field, f"must be a non-empty glob string (got {_shown(value)})")
    return value


def _rule(value: object, field: str) -> FaultRule:
    if not isinstance(value, dict):
        raise InvalidFaults(field, "must be an object")
    for key in value:
        if key not in _FIELDS:
            raise InvalidFaults(f"{field}.{_cut(key)}", f"unknown field; known: {', '.join(_FIELDS)}")
    given = {key: item for key, item in value.items() if item is not None}
    fields: dict[str, Any] = {}
    if "method" in given:
        fields["method"] = _method(given["method"], f"{field}.method")
    if "path" in given:
        fields["path"] = _path(given["path"], f"{field}.path")
    if "status" in given:
        fields["status"] = _integer(given["status"], f"{field}.status", 400, 599)
    if "rate" in given:
        fields["rate"] = _number(given["rate"], f"{field}.rate", 0.0, 1.0)
    if "count" in given:
        fields["count"] = _integer(given["count"], f"{field}.count", 1, 1_000_000_000)
    if "retry_after" in given:
        fields["retry_after"] = _number(given["retry_after"], f"{field}.retry_after", 0.0, MAX_DELAY)
    if "delay" in given:
        fields["delay"] = _number(given["delay"], f"{field}.delay", 0.0, MAX_DELAY)
    for flag in ("drop", "after"):
        if flag in given:
            fields[flag] = _boolean(given[flag], f"{field}.{flag}")
    rule = FaultRule(**fields)
    if rule.rate is not None and rule.count is not None:
        raise InvalidFaults(f"{field}.count", "give either rate or count, not both")
    if rule.drop and rule.status is not None:
        raise InvalidFaults(f"{field}.drop", "a dropped connection has no status: give either drop or status")
    if rule.retry_after is not None and rule.status is None:
        raise InvalidFaults(f"{field}.retry_after", "is the header of an error answer: it needs status")
    if rule.status is None and not rule.drop and not rule.delay:
        raise InvalidFaults(field, "does nothing: give status, drop or delay")
    return rule


def parse_faults(body: object) -> FaultSet:
    """The ``FaultSet`` of a ``PUT /_emulator/faults`` body; InvalidFaults naming the first bad field."""
    seed: int | None = None
    if isinstance(body, dict):
        for key in body:
            if key not in ("rules", "seed"):
                raise InvalidFaults(_cut(key), "unknown field; known: rules, seed")
        if "rules" not in body:
            raise InvalidFaults("rules", "is required")
        if body.get("seed") is not None:
            seed = _integer(body["seed"], "seed", -(2**63), 2**63 - 1)
        rules = body["rules"]
    else:
        rules = body
    if not isinstance(rules, list):
        raise InvalidFaults("rules", "must be a list of rules (the body is a list, or {rules, seed})")
    return FaultSet(rules=tuple(_rule(item, f"rules[{index}]") for index, item in enumerate(rules)), seed=seed)


def applies_to(path: str) -> bool:
    """Whether faults may touch a request to ``path``: the API under ``/v0``, never ``/_emulator``."""
    return path == "/v0" or path.startswith("/v0/")


def fault_error_name(status: int) -> str:
    """The ``error`` text of an injected answer: the status's reason phrase (``Service Unavailable``)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Injected Fault"


def retry_after_value(seconds: float) -> str:
    """The ``Retry-After`` header for ``seconds``: ``"1"`` for whole seconds, else e.g. ``"0.5"``."""
    return str(int(seconds)) if seconds.is_integer() else repr(seconds)


class FaultInjector:
    """The active rules, how many times each may still fire and has fired, and the random source.

    Thread-safe: ``pick`` chooses, draws and counts atomically, so ``count`` is exact under concurrency.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults = FaultSet()
        self._remaining: list[int | None] = []
        self._fired: list[int] = []
        self._random = random.Random()

    def set(self, faults: FaultSet) -> None:
        """Replace every rule (and every count) by ``faults``."""
        with self._lock:
            self._faults = faults
            self._remaining = [rule.count for rule in faults.rules]
            self._fired = [0] * len(faults.rules)
            self._random = random.Random(faults.seed)

    def clear(self) -> None:
        """Remove every rule."""
        self.set(FaultSet())

    def pick(self, method: str, path: str) -> FaultRule | None:
        """The rule that fires for this request (now counted as fired), or None."""
        with self._lock:
            for index, rule in enumerate(self._faults.rules):
                remaining = self._remaining[index]
                if not rule.matches(method, path) or remaining == 0:
                    continue
                if rule.rate is not None and not self._random.random() < rule.rate:
                    continue
                if remaining is not None:
                    self._remaining[index] = remaining - 1
                self._fired[index] += 1
                return rule
        return None

    def snapshot(self) -> dict[str, Any]:
        """``{"rules": [{...rule, "remaining": n|null, "fired": n}], "seed": n|null}``."""
        with self._lock:
            rules = [
                {**rule.to_json(), "remaining": remaining, "fired": fired}
                for rule, remaining, fired in zip(self._faults.rules, self._remaining, self._fired, strict=True)
            ]
            return {"rules": rules, "seed": self._faults.seed}


def drop_connection(environ: Mapping[str, Any]) -> None:
    """Close the client's TCP connection (werkzeug's ``werkzeug.socket``) without sending a byte."""
    connection = environ.get("werkzeug.socket")
    if isinstance(connection, socket.socket):
        with contextlib.suppress(OSError):
            connection.shutdown(socket.SHUT_RDWR)
        connection.close()


class DropConnectionMiddleware:
    """WSGI middleware: when the app marked the request (``environ[DROP_KEY]``), drop its connection.

    The app's response is discarded, the socket shut down and closed, and ``ConnectionAbortedError``
    raised: werkzeug's server takes it for a client that went away and logs nothing. A server or test
    client without ``werkzeug.socket`` sees the exception.
    """

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        result = self.app(environ, start_response)
        if not environ.get(DROP_KEY):
            return result
        close = getattr(result, "close", None)
        if close is not None:
            close()
        drop_connection(environ)
        raise ConnectionAbortedError("connection dropped by an injected fault")
