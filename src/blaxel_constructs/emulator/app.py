"""The emulator's Flask app, built by ``create_app``: wiring only, the behaviour lives in the modules it joins.

    create_app(config, clock=..., store=..., tokens=..., sleep=...)
      ├── objects_api (/v0, object_routes.py): one set of routes per ``Collection`` of ``COLLECTIONS``
      │     /models -> ModelStateMachine (model_lifecycle.py) -> RecordStore (storage.py)
      │     /integrations/connections -> ConnectionRegistry (connection_registry.py) -> ResourceStore (storage.py)
      │     /policies -> PolicyRegistry (policy_registry.py) -> ResourceStore
      │     (the three share one lock: a model naming a connection and the connection's delete are atomic)
      ├── oauth_api   (/v0/oauth, oauth.py) -> TokenIssuer (tokens.py)      -> TokenStore (storage.py)
      ├── control_api (/_emulator, control.py)
      ├── before_request: an injected fault may answer first, or wait (faults.py)
      ├── error handlers (error_responses.py): the one place an exception becomes the API's JSON error body
      ├── after_request: an ``after`` fault replaces the answer; count the request in RequestStats (stats.py)
      └── wsgi_app wrapped in DropConnectionMiddleware: a fault may close the connection unanswered

Tests build their own app with their own config, a fake clock, a fake sleep and an in-memory store.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Final

from flask import Flask, Response, g, request

from blaxel_constructs.emulator.connection_registry import ConnectionRegistry
from blaxel_constructs.emulator.context import EXTENSION_KEY, Emulator, current_emulator
from blaxel_constructs.emulator.control import control_api
from blaxel_constructs.emulator.error_responses import register_error_handlers
from blaxel_constructs.emulator.faults import (
    DROP_KEY,
    DropConnectionMiddleware,
    FaultInjector,
    FaultRule,
    applies_to,
    fault_error_name,
    retry_after_value,
)
from blaxel_constructs.emulator.input_validation import clean_connection, clean_model, clean_policy
from blaxel_constructs.emulator.model_lifecycle import Clock, ModelStateMachine
from blaxel_constructs.emulator.oauth import oauth_api
from blaxel_constructs.emulator.object_routes import Collection, objects_api
from blaxel_constructs.emulator.payloads import error_body, json_response
from blaxel_constructs.emulator.policy_registry import PolicyRegistry
from blaxel_constructs.emulator.settings import EmulatorConfig
from blaxel_constructs.emulator.stats import DROPPED, RequestStats, route_template
from blaxel_constructs.emulator.storage import RecordStore, ResourceStore, SqliteRecordStore, TokenStore
from blaxel_constructs.emulator.tokens import TokenIssuer

__all__ = ["COLLECTIONS", "create_app"]

_log = logging.getLogger(__name__)

#: Every kind of object the API serves, with its path parameter as the spec names it.
COLLECTIONS: Final = (
    Collection("/models", "modelName", clean_model, lambda emulator: emulator.machine, reads=("revisions",)),
    Collection(
        "/integrations/connections",
        "connectionName",
        clean_connection,
        lambda emulator: emulator.connections,
        paged=False,
    ),
    Collection("/policies", "policyName", clean_policy, lambda emulator: emulator.policies, reads=("usages",)),
)


def create_app(
    config: EmulatorConfig | None = None,
    *,
    clock: Clock = time.time,
    store: RecordStore | None = None,
    tokens: TokenStore | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Flask:
    """A Flask app serving the emulator for ``config``.

    ``store`` defaults to a new in-memory SQLite store; ``tokens`` (where issued OAuth tokens are kept)
    defaults to ``store`` when it is also a ``TokenStore`` (as ``SqliteRecordStore`` is), else to a new
    in-memory one; connections and policies are kept in ``store`` when it is also a ``ResourceStore``, else
    in a new in-memory one. ``sleep`` waits out injected delays. The caller owns the stores; the app never closes them.
    """
    config = config or EmulatorConfig()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    records = store if store is not None else SqliteRecordStore(None)
    if tokens is None:
        tokens = records if isinstance(records, TokenStore) else SqliteRecordStore(None)
    resources = records if isinstance(records, ResourceStore) else SqliteRecordStore(None)
    lock = threading.RLock()
    stats = RequestStats()
    # The model state machine and the connections ask each other (missing connections, models using one): the
    # lambdas find ``machine`` when they are called, by then assigned.
    connections = ConnectionRegistry(
        resources, clock=clock, lock=lock, users=lambda ws, name: machine.users(ws, "integrationConnections", name)
    )
    policies = PolicyRegistry(
        resources, clock=clock, lock=lock, users=lambda ws, name: machine.users(ws, "policies", name)
    )
    machine = ModelStateMachine(
        records,
        clock=clock,
        settings=config.lifecycle,
        run_url=config.run_url,
        plan=config.plan,
        lock=lock,
        missing_connections=connections.missing,
        on_created=stats.model_created,
        on_deleted=stats.model_deleted,
    )
    issuer = TokenIssuer(tokens, clock=clock, clients=config.clients, workspace=config.workspace)
    app.extensions[EXTENSION_KEY] = Emulator(
        config=config,
        machine=machine,
        stats=stats,
        faults=FaultInjector(),
        tokens=issuer,
        sleep=sleep,
        connections=connections,
        policies=policies,
    )
    app.register_blueprint(objects_api(COLLECTIONS))
    app.register_blueprint(oauth_api)
    app.register_blueprint(control_api)
    register_error_handlers(app)
    app.before_request(_inject_fault)
    app.after_request(_finish_request)
    app.wsgi_app = DropConnectionMiddleware(app.wsgi_app)  # type: ignore[method-assign]
    return app


def _fault_answer(rule: FaultRule) -> Response | None:
    """Carry out a fired rule: wait its delay, then mark the connection to drop, or build the error answer.

    None when the rule only delays: the request is (or was) served normally.
    """
    emulator = current_emulator()
    if rule.delay:
        emulator.sleep(rule.delay)
    if rule.drop:
        request.environ[DROP_KEY] = True
        return Response(status=503)  # never sent: DropConnectionMiddleware closes the connection instead
    if rule.status is None:
        return None
    response = json_response(error_body(rule.status, fault_error_name(rule.status), "injected fault"), rule.status)
    if rule.retry_after is not None:
        response.headers["Retry-After"] = retry_after_value(rule.retry_after)
    return response


def _inject_fault() -> Response | None:
    """Before any /v0 request (and its authentication): the first rule that fires answers it, or delays it.

    An ``after`` rule only marks the request; ``_finish_request`` applies it once the request has been served.
    """
    if not applies_to(request.path):
        return None
    emulator = current_emulator()
    rule = emulator.faults.pick(request.method, request.path)
    if rule is None:
        return None
    emulator.stats.record_fault(status=rule.status, drop=rule.drop, after=rule.after)
    if rule.after:
        g.after_fault = rule
        return None
    return _fault_answer(rule)


def _finish_request(response: Response) -> Response:
    """Apply a pending ``after`` fault, then count the request (unless it is for a control endpoint) by
    method, route template and the status the client gets (or ``dropped``)."""
    rule: FaultRule | None = g.pop("after_fault", None)
    if rule is not None:
        response = _fault_answer(rule) or response
    if not request.path.startswith(control_api.url_prefix or "/_emulator"):
        rule_template = request.url_rule.rule if request.url_rule is not None else None
        status: int | str = DROPPED if request.environ.get(DROP_KEY) else response.status_code
        current_emulator().stats.record(request.method, route_template(rule_template), status)
    return response
