"""A local emulator of Blaxel's control-plane API for the model gateway, like LocalStack for AWS.

Serves ``/v0/models``, ``/v0/integrations/connections`` and ``/v0/policies`` with the real service's auth
(API keys and OAuth client credentials), workspaces, API versions, error bodies and a model deployment
lifecycle driven by stored timestamps, plus ``/_emulator`` control endpoints for tests, fault injection
among them. It shares no code with the client: its tests compare its raw JSON with the official
``controlplane.yml``.

Modules, each with one job::

    server            run_emulator(): the ``blaxel-constructs emulator`` command (werkzeug, signals, stdout line)
    process           EmulatorProcess: run that command as a subprocess, for tests and demos
    app               create_app(): the Flask factory that wires the pieces below; COLLECTIONS, its kinds
    object_routes     /v0/<collection> routes of every kind, written once: auth, decode, one registry call, encode
    oauth             /v0/oauth/token: the client-credentials grant
    control           /_emulator routes: health, settings, stats, faults, secret digests (loopback only)
    model_lifecycle   ModelStateMachine: models and their deployment lifecycle, injected clock and store
    records           StoredObject (what every stored object has), ModelRecord and the pure lifecycle derivation
    resource_registry ObjectRegistry: what every kind without a lifecycle shares (create, get, list, replace, delete)
    connection_registry, policy_registry   what a connection (secret digests) and a policy (usage) add to it
    input_validation  a client's document of each kind -> what is stored (400 naming the field)
    error_responses   the one seam where an exception becomes the API's JSON error body
    tokens            TokenIssuer: issue and verify OAuth access tokens, injected clock and store
    faults            fault rules (error, delay, lost answer, dropped connection) and their injector
    storage           RecordStore, ResourceStore and TokenStore protocols and their SQLite implementation
    api_access, authentication, versioning, pagination, stats, payloads, context, settings: small helpers
"""

from __future__ import annotations

from blaxel_constructs.emulator.app import create_app
from blaxel_constructs.emulator.settings import EmulatorConfig, LifecycleSettings

__all__ = ["EmulatorConfig", "LifecycleSettings", "create_app"]
