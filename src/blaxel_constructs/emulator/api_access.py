"""Who may call the ``/v0`` API: the one ``before_request`` of every API blueprint (models, integration
connections, policies), so each resource answers 401, 403 and an unknown version alike.

A caller presents an API key or an OAuth access token from ``POST /v0/oauth/token`` (``oauth.py``), in
either auth header. No credential, an unknown one or an expired token -> 401 (``"message": "token
expired"`` for the latter); a valid one for another workspace -> 403; an unknown ``Blaxel-Version`` -> 400.
On success the ``Caller`` is in ``flask.g`` (``context.current_caller``).
"""

from __future__ import annotations

from flask import g, request

from blaxel_constructs.emulator.authentication import authenticate, bearer_tokens, requested_workspace
from blaxel_constructs.emulator.context import Caller, Emulator, current_emulator
from blaxel_constructs.emulator.payloads import ApiError
from blaxel_constructs.emulator.tokens import TokenExpired, TokenGrant
from blaxel_constructs.emulator.versioning import VERSION_HEADER, resolve_version

__all__ = ["authorize_api_request"]


def _token_grant(emulator: Emulator) -> TokenGrant | None:
    """The grant of the first valid OAuth token in the auth headers; 401 "token expired" if there is only an
    expired one, None if there is none."""
    expired = False
    for token in bearer_tokens(request.headers):
        try:
            grant = emulator.tokens.verify(token)
        except TokenExpired:
            expired = True
            continue
        if grant is not None:
            return grant
    if expired:
        raise ApiError(401, "Unauthorized", "token expired")
    return None


def authorize_api_request() -> None:
    """401 without an accepted key or token, 403 for another workspace, 400 for an unknown API version."""
    emulator = current_emulator()
    config = emulator.config
    identity = authenticate(request.headers, config.api_keys)
    grant = None
    if identity is None:
        grant = _token_grant(emulator)
        if grant is None:
            raise ApiError(401, "Unauthorized")
        identity = grant.identity
    workspace = requested_workspace(request.headers, request.args, config.workspace)
    if workspace != config.workspace or (grant is not None and grant.workspace != workspace):
        raise ApiError(403, "Forbidden", f"this credential has no access to workspace {workspace!r}")
    version = resolve_version(request.headers.get(VERSION_HEADER))
    g.caller = Caller(identity=identity, workspace=workspace, version=version)
