"""What a request handler reaches through Flask: the app's emulator services and the authenticated caller.

``create_app`` stores one ``Emulator`` in ``app.extensions``; the API's ``before_request`` (``api_access``) stores
the ``Caller`` in ``flask.g``. Handlers use the two accessors below instead of module globals, so several
apps (one per test) live side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from flask import current_app, g

from blaxel_constructs.emulator.connection_registry import ConnectionRegistry
from blaxel_constructs.emulator.faults import FaultInjector
from blaxel_constructs.emulator.model_lifecycle import ModelStateMachine
from blaxel_constructs.emulator.policy_registry import PolicyRegistry
from blaxel_constructs.emulator.settings import EmulatorConfig
from blaxel_constructs.emulator.stats import RequestStats
from blaxel_constructs.emulator.tokens import TokenIssuer

__all__ = ["EXTENSION_KEY", "Caller", "Emulator", "current_caller", "current_emulator"]

EXTENSION_KEY: Final = "blaxel_emulator"


@dataclass(frozen=True)
class Emulator:
    """The services of one emulator app; ``sleep`` waits out an injected fault's delay (faked in tests)."""

    config: EmulatorConfig
    machine: ModelStateMachine
    stats: RequestStats
    faults: FaultInjector
    tokens: TokenIssuer
    sleep: Callable[[float], None]
    connections: ConnectionRegistry
    policies: PolicyRegistry


@dataclass(frozen=True)
class Caller:
    """Who sent the current API request (an identity, never the key), for which workspace and API version."""

    identity: str
    workspace: str
    version: str


def current_emulator() -> Emulator:
    """The services of the app handling the current request."""
    emulator = current_app.extensions[EXTENSION_KEY]
    assert isinstance(emulator, Emulator)
    return emulator


def current_caller() -> Caller:
    """The authenticated caller of the current API request (set by ``api_access.authorize_api_request``)."""
    caller = g.caller
    assert isinstance(caller, Caller)
    return caller
