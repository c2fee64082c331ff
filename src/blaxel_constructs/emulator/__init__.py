"""A local emulator of Blaxel's control-plane API for models, like LocalStack for AWS.

Serves ``/v0/models`` with the real service's auth (API keys and OAuth client credentials), workspaces,
API versions, error bodies and a deployment lifecycle driven by stored timestamps, plus ``/_emulator``
control endpoints for tests, fault injection among them. It shares no code with the client: its tests
compare its raw JSON with the official ``controlplane.yml``.

Modules, each with one job::

    server      run_emulator(): the ``blaxel-constructs emulator`` command (werkzeug, signals, stdout line)
    process     EmulatorProcess: run that command as a subprocess, for tests and demos
    app         create_app(): the Flask factory that wires the pieces below
    api         /v0/models routes: auth, decode, one state-machine call, encode
    oauth       /v0/oauth/token: the client-credentials grant
    control     /_emulator routes: health, settings, stats, faults (loopback only)
    state       ModelStateMachine: create/get/list/update/delete/revisions, injected clock and store
    records     ModelRecord and the pure lifecycle derivation (status, events, revisions, wire JSON)
    tokens      TokenIssuer: issue and verify OAuth access tokens, injected clock and store
    faults      fault rules (error, delay, lost answer, dropped connection) and their injector
    validation  a client's Model document -> what is stored (400 naming the field)
    storage     RecordStore and TokenStore protocols and their SQLite implementation
    auth, versioning, pagination, stats, payloads, context, config: small helpers of the HTTP layer
"""

from __future__ import annotations

from blaxel_constructs.emulator.app import create_app
from blaxel_constructs.emulator.settings import EmulatorConfig, LifecycleSettings

__all__ = ["EmulatorConfig", "LifecycleSettings", "create_app"]
