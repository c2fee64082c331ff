"""What the emulator is told: fixed settings at start (``EmulatorConfig``), changeable ones at run time.

``LifecycleSettings`` are the knobs tests and demos turn through ``PUT /_emulator/config`` (how long a
deployment or a deletion takes, which names fail, how long an OAuth token lives). They are immutable
values: a change builds a new one, so a request always sees one consistent set. Every write records the
settings it used in the model itself (and every token its own expiry), so a later change, or a restart,
never alters a deployment already under way or a token already issued.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from typing import Any, Final

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "DEFAULT_DELETE_SECONDS",
    "DEFAULT_DEPLOY_SECONDS",
    "DEFAULT_FAIL_MESSAGE",
    "DEFAULT_PLAN",
    "DEFAULT_RUN_URL",
    "DEFAULT_TOKEN_SECONDS",
    "DEFAULT_WORKSPACE",
    "MAX_BODY_BYTES",
    "EmulatorConfig",
    "LifecycleSettings",
    "SettingsError",
    "parse_client_pair",
]

DEFAULT_WORKSPACE: Final = "emulator"
DEFAULT_API_KEY: Final = "emulator-key"
#: The OAuth client accepted by default at ``POST /v0/oauth/token`` (``--client-credentials ID:SECRET``).
DEFAULT_CLIENT_ID: Final = "emulator-client"
DEFAULT_CLIENT_SECRET: Final = "emulator-secret"
#: Lifetime of an issued OAuth token; Blaxel's last about two hours.
DEFAULT_TOKEN_SECONDS: Final = 7200.0
DEFAULT_DEPLOY_SECONDS: Final = 1.0
DEFAULT_DELETE_SECONDS: Final = 0.2
DEFAULT_FAIL_MESSAGE: Final = "Deployment failed: simulated failure (emulator fail_names)"
#: ``metadata.url`` is ``{run_url}/{workspace}/models/{name}``: the real service's format, stable across restarts.
DEFAULT_RUN_URL: Final = "https://run.blaxel.ai"
DEFAULT_PLAN: Final = "free"
#: Largest request body accepted; a bigger one gets 413.
MAX_BODY_BYTES: Final = 1024 * 1024


class SettingsError(ValueError):
    """A setting has the wrong type or value; the message names the setting."""


def _seconds(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SettingsError(f"{name} must be a number of seconds (got {type(value).__name__})")
    seconds = float(value)
    if not math.isfinite(seconds) or seconds < 0:
        raise SettingsError(f"{name} must be a finite number >= 0 (got {value!r})")
    return seconds


def _globs(value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise SettingsError("fail_names must be a list of glob strings")
    return tuple(value)


def _message(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise SettingsError("fail_message must be a non-empty string")
    return value


@dataclass(frozen=True)
class LifecycleSettings:
    """How deployments behave for writes made from now on, and how long tokens issued from now on live.

    ``deploy_seconds`` is the time a model spends DEPLOYING (or DEACTIVATING), ``delete_seconds`` the time
    it spends DELETING, and a model whose name matches one of the ``fail_names`` globs (``fnmatch``,
    case-sensitive) ends FAILED with ``fail_message`` as its latest event's message. ``token_seconds``
    is the lifetime of an OAuth access token issued by ``POST /v0/oauth/token``.
    """

    deploy_seconds: float = DEFAULT_DEPLOY_SECONDS
    delete_seconds: float = DEFAULT_DELETE_SECONDS
    fail_names: tuple[str, ...] = ()
    fail_message: str = DEFAULT_FAIL_MESSAGE
    token_seconds: float = DEFAULT_TOKEN_SECONDS

    def __post_init__(self) -> None:
        object.__setattr__(self, "deploy_seconds", _seconds("deploy_seconds", self.deploy_seconds))
        object.__setattr__(self, "delete_seconds", _seconds("delete_seconds", self.delete_seconds))
        object.__setattr__(self, "token_seconds", _seconds("token_seconds", self.token_seconds))
        object.__setattr__(self, "fail_names", _globs(self.fail_names))
        object.__setattr__(self, "fail_message", _message(self.fail_message))

    def fails(self, name: str) -> bool:
        """Whether a deployment of the model ``name`` is to end FAILED."""
        return any(fnmatchcase(name, glob) for glob in self.fail_names)

    def changed(self, changes: Mapping[str, object]) -> LifecycleSettings:
        """A copy with ``changes`` (JSON from ``PUT /_emulator/config``) applied; SettingsError if one is bad."""
        unknown = sorted(set(changes) - set(self.to_json()))
        if unknown:
            raise SettingsError(f"unknown setting {unknown[0]!r}; known: {', '.join(self.to_json())}")
        fields: dict[str, Any] = dict(changes)
        if "fail_names" in fields:
            fields["fail_names"] = _globs(fields["fail_names"])
        return replace(self, **fields)

    def to_json(self) -> dict[str, Any]:
        """The settings as ``GET /_emulator/config`` shows them."""
        return {
            "deploy_seconds": self.deploy_seconds,
            "delete_seconds": self.delete_seconds,
            "fail_names": list(self.fail_names),
            "fail_message": self.fail_message,
            "token_seconds": self.token_seconds,
        }


def parse_client_pair(text: str) -> tuple[str, str]:
    """``"ID:SECRET"`` (as ``--client-credentials`` takes it) as ``(id, secret)``; the secret may hold colons.

    The SettingsError never quotes ``text``, since it holds a secret.
    """
    client_id, colon, secret = text.partition(":")
    if not colon or not client_id or not secret:
        raise SettingsError("client credentials must be ID:SECRET with a non-empty id and secret")
    return client_id, secret


@dataclass(frozen=True)
class EmulatorConfig:
    """Everything fixed for the life of one emulator: the workspace, the accepted keys and OAuth clients
    (``(client_id, client_secret)`` pairs; none means no token is ever issued), the initial settings.

    The keys and client secrets are kept out of ``repr`` so that no log line or traceback can show one.
    """

    workspace: str = DEFAULT_WORKSPACE
    api_keys: tuple[str, ...] = field(default=(DEFAULT_API_KEY,), repr=False)
    clients: tuple[tuple[str, str], ...] = field(default=((DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),), repr=False)
    lifecycle: LifecycleSettings = field(default_factory=LifecycleSettings)
    run_url: str = DEFAULT_RUN_URL
    plan: str = DEFAULT_PLAN
    max_body_bytes: int = MAX_BODY_BYTES

    def __post_init__(self) -> None:
        if not self.workspace:
            raise SettingsError("workspace must not be empty")
        if not self.api_keys or not all(self.api_keys):
            raise SettingsError("at least one non-empty API key is required")
        for client_id, secret in self.clients:
            if not client_id or ":" in client_id or not secret:
                raise SettingsError("an OAuth client needs a non-empty id without ':' and a non-empty secret")
        if self.max_body_bytes <= 0:
            raise SettingsError("max_body_bytes must be positive")
