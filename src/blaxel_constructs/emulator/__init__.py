"""A local emulator of Blaxel's control-plane API for models, like LocalStack for AWS.

Serves ``/v0/models`` with the real service's auth, workspaces, API versions, error bodies and a
deployment lifecycle driven by stored timestamps, plus ``/_emulator`` control endpoints for tests.
It shares no code with the client: its tests compare its raw JSON with the official ``controlplane.yml``.

Modules, each with one job::

    server      run_emulator(): the ``blaxel-constructs emulator`` command (werkzeug, signals, stdout line)
    app         create_app(): the Flask factory that wires the pieces below
    api         /v0 routes: auth, decode, one state-machine call, encode
    control     /_emulator routes: health, settings, stats (loopback only)
    state       ModelStateMachine: create/get/list/update/delete/revisions, injected clock and store
    records     ModelRecord and the pure lifecycle derivation (status, events, revisions, wire JSON)
    validation  a client's Model document -> what is stored (400 naming the field)
    storage     RecordStore protocol and its SQLite implementation
    auth, versioning, pagination, stats, payloads, context, config: small helpers of the HTTP layer
"""

from __future__ import annotations

from blaxel_constructs.emulator.app import create_app
from blaxel_constructs.emulator.config import EmulatorConfig, LifecycleSettings

__all__ = ["EmulatorConfig", "LifecycleSettings", "create_app"]
