"""The client's one translation point from ``requests`` outcomes to this library's errors.

``BlaxelClient._send`` calls ``error_from_exception`` when ``requests`` raises and ``error_from_response``
when the API answers with a non-2xx status, so nothing above the client ever sees a ``requests`` type.
Every text that could echo a credential passes through a ``Redactor`` first.

Which transport failures are ``ConnectError`` matters to a caller deciding whether a write can be
replayed: only failures that happen before the request is written (refused connection, DNS, connect
timeout, proxy or TLS handshake) are; a connection dropped after sending is a plain ``TransportError``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final

import requests
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

from blaxel_constructs.errors import (
    APIError,
    ConnectError,
    RequestTimeout,
    ServerError,
    TransportError,
    api_error_for_status,
)

__all__ = [
    "EXCERPT_CHARS",
    "REDACTED",
    "Redactor",
    "error_from_exception",
    "error_from_response",
    "excerpt",
    "invalid_body_error",
    "parse_retry_after",
]

#: How much of a non-JSON body an error message quotes: enough to recognise an HTML error page or a
#: proxy's text, short enough to keep a Terraform diagnostic readable.
EXCERPT_CHARS: Final = 200
REDACTED: Final = "[REDACTED]"

# urllib3 prefixes its reasons with the repr of the connection object ("<...HTTPConnection object at 0x..>: ").
_OBJECT_REPR = re.compile(r"<[^<>]* object at 0x[0-9a-fA-F]+>:?\s*")


class Redactor:
    """Replaces every current secret in a text; ``secrets`` is called each time, so new tokens count."""

    def __init__(self, secrets: Callable[[], Iterable[str | None]]) -> None:
        self._secrets = secrets

    def __call__(self, text: str) -> str:
        # Longest first, so a secret that contains another is replaced whole.
        for secret in sorted((s for s in self._secrets() if s), key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return text

    def __repr__(self) -> str:
        return "Redactor()"


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """``text`` with whitespace collapsed, cut to ``limit`` characters (an ellipsis marks the cut)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else f"{flat[: limit - 1]}…"


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date; None if absent or bad."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT; parsedate gives naive for "-0000"
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def error_from_response(method: str, path: str, response: requests.Response, redact: Redactor) -> APIError:
    """The ``APIError`` subclass for a non-2xx ``response``, with the API's ``error`` and ``message``.

    The API's error body is ``{"error", "code", "message"}``; a body that is not that (an HTML page from
    a proxy, plain text) is quoted as a short excerpt, and an empty one falls back to the reason phrase.
    """
    error, message = _error_fields(response)
    cls = api_error_for_status(response.status_code)
    return cls(
        method=method,
        path=path,
        status=response.status_code,
        error=redact(error) if error else None,
        message=redact(message) if message else None,
        retry_after=parse_retry_after(response.headers.get("Retry-After")),
    )


def invalid_body_error(method: str, path: str, response: requests.Response, problem: str, redact: Redactor) -> APIError:
    """A ``ServerError`` for a 2xx answer whose body is not what the API documents (bad JSON, wrong shape)."""
    text = excerpt(response.text) if response.content else None
    return ServerError(
        method=method,
        path=path,
        status=response.status_code,
        error=problem,
        message=redact(f"body: {text}") if text else None,
    )


def error_from_exception(method: str, path: str, exc: requests.RequestException, redact: Redactor) -> TransportError:
    """The ``TransportError`` for a failure below HTTP; the message names the cause, never the headers."""
    reason = redact(_reason(exc))
    if isinstance(exc, requests.ConnectTimeout):
        return ConnectError(f"timed out connecting to the Blaxel API ({reason})", method=method, path=path)
    if isinstance(exc, requests.Timeout):
        return RequestTimeout(f"no answer from the Blaxel API in time ({reason})", method=method, path=path)
    if isinstance(exc, requests.ConnectionError) and _nothing_sent(exc):
        return ConnectError(f"could not connect to the Blaxel API ({reason})", method=method, path=path)
    if isinstance(exc, requests.ConnectionError):
        return TransportError(
            f"the connection failed after the request was sent; it may have been applied ({reason})",
            method=method,
            path=path,
        )
    return TransportError(f"the request failed ({reason})", method=method, path=path)


def _error_fields(response: requests.Response) -> tuple[str | None, str | None]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        error, message = body.get("error"), body.get("message")
        error = str(error) if error not in (None, "") else None
        message = str(message) if message not in (None, "") else None
        if error or message:
            return error, message
    text = excerpt(response.text) if response.content else ""
    return (text or response.reason or None), None


def _nothing_sent(exc: requests.ConnectionError) -> bool:
    """True when the failure happened while connecting, so the API cannot have seen the request."""
    if isinstance(exc, requests.exceptions.ProxyError | requests.exceptions.SSLError):
        return True
    cause = exc.args[0] if exc.args else None
    if isinstance(cause, MaxRetryError):
        cause = cause.reason
    return isinstance(cause, NewConnectionError | ConnectTimeoutError)


def _reason(exc: BaseException) -> str:
    """The innermost readable cause of a requests failure, without object reprs or URLs' query strings."""
    cause: object = exc.args[0] if exc.args else exc
    if isinstance(cause, MaxRetryError) and cause.reason is not None:
        cause = cause.reason
    text = str(cause) or type(cause).__name__
    text = _OBJECT_REPR.sub("", text)
    text = re.sub(r"(url: \S*?)\?\S*", r"\1", text)  # "Max retries exceeded with url: /v0/models?cursor=..."
    return excerpt(text)
