"""Who is calling and for which workspace, from the request headers; no Flask, no I/O.

A key (or an OAuth access token, see ``tokens``) is accepted as a bearer token in ``Authorization`` or
``X-Blaxel-Authorization`` (the API takes both). The caller's identity, written into
``createdBy``/``updatedBy``, is a digest of the key (or of the OAuth client's id), so a key never appears
in a response or a log line. The workspace comes from ``X-Blaxel-Workspace`` or the
``workspace`` query parameter, else the emulator's own; any other workspace is forbidden (403).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from typing import Protocol

__all__ = [
    "AUTH_HEADERS",
    "WORKSPACE_HEADER",
    "authenticate",
    "bearer_token",
    "bearer_tokens",
    "identity_for_client",
    "identity_for_key",
    "requested_workspace",
]


class HeaderLookup(Protocol):
    """Case-insensitive header access, as werkzeug's ``Headers`` (or a dict in tests) provides."""

    def get(self, key: str) -> str | None:
        """The header's value, or None."""
        ...


#: Headers that may carry ``Bearer <key>``, in the order they are tried.
AUTH_HEADERS = ("Authorization", "X-Blaxel-Authorization")
WORKSPACE_HEADER = "X-Blaxel-Workspace"


def bearer_token(value: str | None) -> str | None:
    """The token of a ``Bearer <token>`` header value (scheme case-insensitive), or None."""
    if not value:
        return None
    scheme, _, token = value.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def bearer_tokens(headers: HeaderLookup) -> list[str]:
    """The bearer tokens of both auth headers, in the order they are tried (none, one or two)."""
    tokens = (bearer_token(headers.get(header)) for header in AUTH_HEADERS)
    return [token for token in tokens if token is not None]


def identity_for_key(key: str) -> str:
    """The stable, non-secret identity of the holder of ``key``, e.g. ``apikey-3f1c9a0b7d2e``."""
    return "apikey-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def identity_for_client(client_id: str) -> str:
    """The stable identity of an OAuth client (a service account), e.g. ``client-0b7d2e3f1c9a``."""
    return "client-" + hashlib.sha256(client_id.encode()).hexdigest()[:12]


def authenticate(headers: HeaderLookup, api_keys: Iterable[str]) -> str | None:
    """The caller's identity if either auth header carries an accepted key, else None (401)."""
    keys = tuple(api_keys)
    for token in bearer_tokens(headers):
        for key in keys:
            if hmac.compare_digest(token.encode(), key.encode()):
                return identity_for_key(key)
    return None


def requested_workspace(headers: HeaderLookup, query: Mapping[str, str], default: str) -> str:
    """The workspace a request addresses: the header, else the ``workspace`` query parameter, else ``default``."""
    return headers.get(WORKSPACE_HEADER) or query.get("workspace") or default
