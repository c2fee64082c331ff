"""JSON in and out of the HTTP layer: request bodies to values, values and errors to responses.

Every error the emulator answers has the API's body ``{"error": str, "code": int, "message": str}``
(``message`` only when there is more to say), whatever went wrong: a view raises ``ApiError`` and the
app's error handler renders it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NoReturn

from flask import Response, request

from blaxel_constructs.emulator.pagination import PageRequest, paginate
from blaxel_constructs.emulator.versioning import is_paginated

__all__ = ["ApiError", "error_body", "json_response", "listing_response", "read_json_body"]


class ApiError(Exception):
    """An error answer: HTTP ``code``, the API's short ``error`` text, an optional ``message`` and headers."""

    def __init__(
        self, code: int, error: str, message: str | None = None, *, headers: Mapping[str, str] | None = None
    ) -> None:
        self.code = code
        self.error = error
        self.message = message
        self.headers = dict(headers or {})
        super().__init__(f"{code} {error}" + (f": {message}" if message else ""))


def error_body(code: int, error: str, message: str | None = None) -> dict[str, Any]:
    """The API's error document."""
    body: dict[str, Any] = {"error": error, "code": code}
    if message:
        body["message"] = message
    return body


def json_response(body: object, status: int = 200) -> Response:
    """``body`` as a JSON response; keys keep their order, so a document echoes the way it was sent."""
    return Response(json.dumps(body, separators=(",", ":")), status=status, mimetype="application/json")


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


def read_json_body() -> object:
    """The request's JSON body; ApiError 415 for another content type, 400 for malformed JSON.

    A body over the app's ``MAX_CONTENT_LENGTH`` raises werkzeug's 413 here, rendered like any error.
    """
    if request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        shown = request.mimetype or "none"
        raise ApiError(415, "Unsupported Media Type", f"Content-Type must be application/json (got {shown})")
    raw = request.get_data(cache=False)
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise ApiError(400, "Malformed JSON", f"the request body is not valid JSON: {error}") from None


def listing_response(items: list[dict[str, Any]], *, version: str) -> Response:
    """A list endpoint's answer: every item for API versions before pagination, one page of them (from
    2026-04-28, the query's ``limit``/``offset``/sort) after; every listed kind pages alike."""
    page = PageRequest.from_query(request.args) if is_paginated(version) else None
    return json_response(items if page is None else paginate(items, page))
