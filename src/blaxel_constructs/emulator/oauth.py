"""``POST /v0/oauth/token``: the OAuth 2.0 client-credentials grant (RFC 6749 section 4.4), no bearer auth.

The body is form-encoded (``application/x-www-form-urlencoded``, as the RFC says) or JSON, with
``grant_type=client_credentials``; the client authenticates with HTTP Basic (``base64(id:secret)``, what
``BL_CLIENT_CREDENTIALS`` holds) or with ``client_id`` and ``client_secret`` in the body.

| outcome | answer |
|---|---|
| issued | 200 ``{"access_token", "token_type": "Bearer", "expires_in"}``, ``Cache-Control: no-store`` |
| no ``grant_type`` or a bad body | 400 ``invalid_request`` (415 for another content type) |
| another grant type | 400 ``unsupported_grant_type`` |
| unknown client or wrong secret | 401 ``invalid_client`` (with ``WWW-Authenticate: Basic`` after Basic auth) |

Neither the secret nor the token is ever echoed in an error or written to the log.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote_plus

from flask import Blueprint, Response, request

from blaxel_constructs.emulator.context import current_emulator
from blaxel_constructs.emulator.payloads import ApiError, json_response, read_json_body
from blaxel_constructs.emulator.tokens import InvalidClient, IssuedToken

__all__ = ["basic_credentials", "oauth_api"]

oauth_api = Blueprint("oauth", __name__, url_prefix="/v0/oauth")

_GRANT = "client_credentials"
_FIELDS = ("grant_type", "client_id", "client_secret", "scope", "audience")
_CHALLENGE = {"WWW-Authenticate": 'Basic realm="blaxel-emulator"'}


def basic_credentials(value: str | None) -> tuple[str, str] | None:
    """``(id, secret)`` of an ``Authorization: Basic base64(id:secret)`` value, or None if it is not one."""
    if not value:
        return None
    scheme, _, encoded = value.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    client_id, colon, secret = decoded.partition(":")
    return (client_id, secret) if colon else None


def _form_fields() -> dict[str, str]:
    if request.mimetype == "application/x-www-form-urlencoded":
        form = request.form
        return {key: form[key] for key in _FIELDS if key in form}
    if not request.mimetype and not request.get_data(cache=True):
        return {}
    body = read_json_body()
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_request", "the body must be a form or a JSON object")
    fields: dict[str, str] = {}
    for key in _FIELDS:
        value = body.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise ApiError(400, "invalid_request", f"{key} must be a string")
        fields[key] = value
    return fields


def _client(fields: dict[str, str]) -> tuple[tuple[str, str], bool]:
    """The client's ``(id, secret)`` and whether it came by Basic auth; 400 or 401 when there is no usable pair."""
    header = request.headers.get("Authorization")
    body_id, body_secret = fields.get("client_id"), fields.get("client_secret")
    if header:
        basic = basic_credentials(header)
        if basic is None:
            raise ApiError(
                401,
                "invalid_client",
                "the Authorization header is not HTTP Basic client authentication",
                headers=_CHALLENGE,
            )
        if (body_id is not None and body_id != basic[0]) or (body_secret is not None and body_secret != basic[1]):
            raise ApiError(400, "invalid_request", "the client is authenticated twice, differently (Basic and body)")
        return basic, True
    if body_id is None or body_secret is None:
        raise ApiError(
            401, "invalid_client", "client authentication is required (HTTP Basic, or client_id and client_secret)"
        )
    return (body_id, body_secret), False


def _issue(client: tuple[str, str], basic: bool) -> IssuedToken:
    emulator = current_emulator()
    lifetime = emulator.machine.settings.token_seconds
    client_id, secret = client
    candidates = [(client_id, secret)]
    if basic:  # RFC 6749 2.3.1: Basic credentials are form-encoded first; most clients skip it
        candidates.append((unquote_plus(client_id), unquote_plus(secret)))
    for candidate_id, candidate_secret in candidates:
        try:
            return emulator.tokens.issue(candidate_id, candidate_secret, lifetime=lifetime)
        except InvalidClient:
            continue
    raise ApiError(401, "invalid_client", "client authentication failed", headers=_CHALLENGE if basic else None)


@oauth_api.post("/token")
def issue_token() -> Response:
    """Exchange client credentials for an access token."""
    fields = _form_fields()
    grant = fields.get("grant_type")
    if not grant:
        raise ApiError(400, "invalid_request", "grant_type is required")
    if grant != _GRANT:
        raise ApiError(400, "unsupported_grant_type", f"only the {_GRANT} grant is supported")
    client, basic = _client(fields)
    response = json_response(_issue(client, basic).to_json())
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response
