"""The emulator's one error seam: every exception a request raises becomes the API's JSON error body here.

Views and the modules behind them raise what they mean (``ModelNotFound``, ``InvalidPage``, ``SettingsError``
...) and never build an error response themselves; ``ApiError`` is for what only a view can say (401, 403,
a malformed body). ``register_error_handlers`` maps each to its status and ``error`` text once::

    ApiError                                   its own status, error and message
    InvalidDocument                            400 "Invalid <its kind>" ("Invalid model", "Invalid policy"...)
    MissingConnections                         400 "Invalid model"
    UnknownVersion                             400 "invalid_api_version"
    InvalidPage, SettingsError, InvalidFaults  400 "Bad Request"
    ResourceNotFound (ModelNotFound too)       404
    ResourceAlreadyExists, ModelBeingDeleted   409
    ResourceInUse                              409 ("Integration connection x is in use by models: a, b")
    werkzeug HTTPException                     its status (unknown route 404, wrong method 405 with Allow, 413...)
    anything else                              500, logged with its traceback, never its details to the client
"""

from __future__ import annotations

import logging
from typing import Final

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from blaxel_constructs.emulator.faults import InvalidFaults
from blaxel_constructs.emulator.input_validation import InvalidDocument
from blaxel_constructs.emulator.model_lifecycle import MissingConnections, ModelBeingDeleted
from blaxel_constructs.emulator.pagination import InvalidPage
from blaxel_constructs.emulator.payloads import ApiError, error_body, json_response
from blaxel_constructs.emulator.resource_registry import ResourceAlreadyExists, ResourceInUse, ResourceNotFound
from blaxel_constructs.emulator.settings import SettingsError
from blaxel_constructs.emulator.versioning import UnknownVersion

__all__ = ["DOMAIN_ERRORS", "register_error_handlers"]

_log = logging.getLogger("blaxel_constructs.emulator.app")

#: Exception type -> (status, ``error`` text; None: the exception's own text is the error). An
#: ``InvalidDocument`` names its kind itself (``error_text``).
DOMAIN_ERRORS: Final[dict[type[Exception], tuple[int, str | None]]] = {
    InvalidDocument: (400, "Invalid document"),
    MissingConnections: (400, "Invalid model"),
    UnknownVersion: (400, "invalid_api_version"),
    InvalidPage: (400, "Bad Request"),
    SettingsError: (400, "Bad Request"),
    InvalidFaults: (400, "Bad Request"),
    ModelBeingDeleted: (409, None),
    ResourceNotFound: (404, None),
    ResourceAlreadyExists: (409, None),
    ResourceInUse: (409, None),
}


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on ``app``: one per kind of exception above."""
    app.register_error_handler(ApiError, _api_error)
    for kind in DOMAIN_ERRORS:
        app.register_error_handler(kind, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def _api_error(error: ApiError) -> Response:
    response = json_response(error_body(error.code, error.error, error.message), error.code)
    response.headers.update(error.headers)
    return response


def _domain_error(error: Exception) -> Response:
    status, text = next(value for kind, value in DOMAIN_ERRORS.items() if isinstance(error, kind))
    if isinstance(error, InvalidDocument):
        text = error.error_text
    if text is None:
        return json_response(error_body(status, str(error)), status)
    return json_response(error_body(status, text, str(error)), status)


def _http_error(error: HTTPException) -> Response | HTTPException:
    """Flask's own errors (unknown route, wrong method, body too large...) in the API's error format."""
    code = error.code or 500
    if code < 400:
        return error
    response = json_response(error_body(code, error.name, error.description), code)
    allowed = error.get_response().headers.get("Allow")
    if allowed:
        response.headers["Allow"] = allowed
    return response


def _unexpected(error: Exception) -> Response:
    _log.exception("unexpected error on %s %s", request.method, request.path)
    return json_response(error_body(500, "Internal Server Error", "unexpected emulator error; see its log"), 500)
