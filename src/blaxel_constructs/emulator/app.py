"""The emulator's Flask app, built by ``create_app``: wiring only, the behaviour lives in the modules it joins.

    create_app(config, clock=..., store=...)
      ├── models_api  (/v0, api.py)        -> ModelStateMachine (state.py) -> RecordStore (storage.py)
      ├── control_api (/_emulator, control.py)
      ├── error handlers: every error, including Flask's own 404/405/413 and any 500, as the API's JSON body
      └── after_request: count the request in RequestStats (stats.py)

Tests build their own app with their own config, a fake clock and an in-memory store.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from blaxel_constructs.emulator.api import models_api
from blaxel_constructs.emulator.config import EmulatorConfig
from blaxel_constructs.emulator.context import EXTENSION_KEY, Emulator, current_emulator
from blaxel_constructs.emulator.control import control_api
from blaxel_constructs.emulator.payloads import ApiError, error_body, json_response
from blaxel_constructs.emulator.state import (
    Clock,
    ModelAlreadyExists,
    ModelBeingDeleted,
    ModelNotFound,
    ModelStateMachine,
)
from blaxel_constructs.emulator.stats import RequestStats, route_template
from blaxel_constructs.emulator.storage import RecordStore, SqliteRecordStore
from blaxel_constructs.emulator.validation import InvalidModel

__all__ = ["create_app"]

_log = logging.getLogger(__name__)


def create_app(
    config: EmulatorConfig | None = None,
    *,
    clock: Clock = time.time,
    store: RecordStore | None = None,
) -> Flask:
    """A Flask app serving the emulator for ``config``; ``store`` defaults to a new in-memory SQLite store.

    The caller owns ``store`` (and closes it); the app never closes it.
    """
    config = config or EmulatorConfig()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    machine = ModelStateMachine(
        store if store is not None else SqliteRecordStore(None),
        clock=clock,
        settings=config.lifecycle,
        run_url=config.run_url,
        plan=config.plan,
    )
    app.extensions[EXTENSION_KEY] = Emulator(config=config, machine=machine, stats=RequestStats())
    app.register_blueprint(models_api)
    app.register_blueprint(control_api)
    _register_error_handlers(app)
    app.after_request(_count_request)
    return app


def _register_error_handlers(app: Flask) -> None:
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(InvalidModel, _invalid_model)
    app.register_error_handler(ModelNotFound, _not_found)
    app.register_error_handler(ModelAlreadyExists, _conflict)
    app.register_error_handler(ModelBeingDeleted, _conflict)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def _api_error(error: ApiError) -> Response:
    return json_response(error_body(error.code, error.error, error.message), error.code)


def _invalid_model(error: InvalidModel) -> Response:
    return json_response(error_body(400, "Invalid model", str(error)), 400)


def _not_found(error: ModelNotFound) -> Response:
    return json_response(error_body(404, str(error)), 404)


def _conflict(error: ModelAlreadyExists | ModelBeingDeleted) -> Response:
    return json_response(error_body(409, str(error)), 409)


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


def _count_request(response: Response) -> Response:
    """Count every API request (not the control endpoints) by method, route template and status."""
    if not request.path.startswith(control_api.url_prefix or "/_emulator"):
        rule = request.url_rule.rule if request.url_rule is not None else None
        current_emulator().stats.record(request.method, route_template(rule), response.status_code)
    return response
