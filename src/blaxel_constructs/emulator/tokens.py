"""OAuth 2.0 client credentials: issue access tokens to known clients and recognise them later.

Pure in the Flask sense: no HTTP, time from an injected clock, storage behind the ``TokenStore``
protocol. A token looks like a JWT (``header.payload.signature``, base64url; the payload holds ``sub``,
``workspace``, ``iat`` and ``exp`` as a client may read them) but the emulator never checks a signature:
a token is valid because the SHA-256 digest of its text is in the store with an expiry still ahead. The
store holds only the digest, so neither the database nor a log can give a token away, and tokens stay
valid across a restart on the same database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from blaxel_constructs.emulator.authentication import identity_for_client
from blaxel_constructs.emulator.model_lifecycle import Clock
from blaxel_constructs.emulator.storage import TokenStore

__all__ = [
    "PURGE_AFTER_SECONDS",
    "TOKEN_ISSUER",
    "InvalidClient",
    "IssuedToken",
    "TokenExpired",
    "TokenGrant",
    "TokenIssuer",
    "token_digest",
]

TOKEN_ISSUER: Final = "blaxel-emulator"
#: An expired token is remembered this long (so it is answered "token expired", not just unknown).
PURGE_AFTER_SECONDS: Final = 86_400.0


class InvalidClient(Exception):
    """Unknown client id or wrong secret (OAuth ``invalid_client``); never says which, never quotes either."""


class TokenExpired(Exception):
    """The token was issued here but its lifetime is over."""


@dataclass(frozen=True)
class IssuedToken:
    """A new access token, as the token endpoint answers it; the token text stays out of ``repr``."""

    access_token: str = field(repr=False)
    expires_in: int

    def to_json(self) -> dict[str, Any]:
        """``{"access_token": ..., "token_type": "Bearer", "expires_in": seconds}``."""
        return {"access_token": self.access_token, "token_type": "Bearer", "expires_in": self.expires_in}


@dataclass(frozen=True)
class TokenGrant:
    """What a valid token lets its bearer do: act as ``identity`` in ``workspace`` until ``expires_at``."""

    identity: str
    workspace: str
    expires_at: float


def token_digest(token: str) -> str:
    """The key a token is stored under: the hex SHA-256 of its text."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _jwt_like(claims: dict[str, Any]) -> str:
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    return f"{header}.{payload}.{_b64(secrets.token_bytes(32))}"


class TokenIssuer:
    """Issues tokens to the configured clients for one workspace and checks the tokens it issued."""

    def __init__(self, store: TokenStore, *, clock: Clock, clients: Iterable[tuple[str, str]], workspace: str) -> None:
        self._store = store
        self._clock = clock
        self._clients = tuple(clients)
        self._workspace = workspace
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"TokenIssuer(workspace={self._workspace!r}, clients={len(self._clients)})"

    def _known(self, client_id: str, client_secret: str) -> bool:
        found = False
        for known_id, known_secret in self._clients:  # compare with every client, so timing tells nothing
            same_id = hmac.compare_digest(client_id.encode(), known_id.encode())
            same_secret = hmac.compare_digest(client_secret.encode(), known_secret.encode())
            found |= same_id and same_secret
        return found

    def issue(self, client_id: str, client_secret: str, *, lifetime: float) -> IssuedToken:
        """A new token for the client, valid ``lifetime`` seconds from now; InvalidClient if it is not known."""
        if not self._known(client_id, client_secret):
            raise InvalidClient("client authentication failed")
        identity = identity_for_client(client_id)
        with self._lock:
            now = self._clock()
            expires_at = now + lifetime
            claims = {
                "iss": TOKEN_ISSUER,
                "sub": identity,
                "workspace": self._workspace,
                "iat": math.floor(now),
                "exp": math.ceil(expires_at),
                "jti": secrets.token_hex(16),
            }
            token = _jwt_like(claims)
            record = {"identity": identity, "workspace": self._workspace, "issuedAt": now, "expiresAt": expires_at}
            self._store.purge_tokens(now - PURGE_AFTER_SECONDS)
            self._store.put_token(token_digest(token), record)
        return IssuedToken(access_token=token, expires_in=math.ceil(lifetime))

    def verify(self, token: str) -> TokenGrant | None:
        """The grant of a token issued here and still valid; None if unknown, TokenExpired if expired."""
        with self._lock:
            record = self._store.get_token(token_digest(token))
            now = self._clock()
        if record is None:
            return None
        grant = TokenGrant(
            identity=str(record["identity"]), workspace=str(record["workspace"]), expires_at=float(record["expiresAt"])
        )
        if now >= grant.expires_at:
            raise TokenExpired("token expired")
        return grant
