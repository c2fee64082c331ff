"""How requests are authenticated: a static API key, or an OAuth token from client credentials.

The client asks its token source for a bearer token before each request. With an API key that is
the key itself. With client credentials (``base64(clientId:clientSecret)``, Blaxel's
``BL_CLIENT_CREDENTIALS``) ``ClientCredentialsToken`` exchanges them at ``POST /oauth/token`` and
reuses the token until shortly before it expires, so a long ``terraform apply`` refreshes it
transparently. The exchange itself is a callable the client provides, so all I/O stays in the
client's one ``_send`` seam.

A token the API rejects (401) before its time is renewed once by the client (see ``BlaxelClient``);
``invalidate`` forgets only the token that was rejected, so that concurrent requests (Terraform applies
resources in parallel) renew it once between them rather than once each.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Final

import requests
from requests.auth import AuthBase

__all__ = [
    "DEFAULT_TOKEN_LIFETIME",
    "REMEMBERED_TOKENS",
    "TOKEN_REFRESH_MARGIN",
    "AuthorizationHeader",
    "ClientCredentialsToken",
]

#: Refresh this many seconds before the token's ``expires_in`` runs out, so that a token read just
#: before expiry cannot expire in flight (a request's own read timeout is 30 s by default).
TOKEN_REFRESH_MARGIN: Final = 60.0
#: Lifetime assumed when the token response has no usable ``expires_in``. Blaxel's tokens last about
#: two hours; five minutes keeps the cost of a wrong guess small.
DEFAULT_TOKEN_LIFETIME: Final = 300.0
#: How many past tokens are remembered so that error messages and logs can still redact them.
REMEMBERED_TOKENS: Final = 8


class AuthorizationHeader(AuthBase):
    """Sets ``Authorization: <scheme> <credential>`` on one request.

    Passing authentication as a requests ``AuthBase`` (rather than a plain header) also stops requests
    from replacing it with credentials from a ``~/.netrc``. The repr never shows the credential.
    """

    def __init__(self, scheme: str, credential: str) -> None:
        self._value = f"{scheme} {credential}"
        self.scheme = scheme

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = self._value
        return request

    def __repr__(self) -> str:
        return f"AuthorizationHeader({self.scheme!r}, <hidden>)"


class ClientCredentialsToken:
    """An OAuth access token obtained with client credentials, cached until shortly before it expires.

    ``fetch(deadline)`` performs the exchange and returns ``(access_token, expires_in_seconds_or_None)``;
    calling the instance (with the operation's deadline, passed on to ``fetch``) returns a valid token,
    fetching a new one only when the cached one is due. Thread-safe: one fetch at a time, and a thread
    that waited for another's fetch reuses its token.
    """

    def __init__(
        self,
        fetch: Callable[[float | None], tuple[str, float | None]],
        *,
        clock: Callable[[], float] = time.monotonic,
        refresh_margin: float = TOKEN_REFRESH_MARGIN,
    ) -> None:
        self._fetch = fetch
        self._clock = clock
        self._refresh_margin = refresh_margin
        self._lock = threading.Lock()
        self._token: str | None = None
        self._refresh_at = 0.0
        self._issued: deque[str] = deque(maxlen=REMEMBERED_TOKENS)
        self.fetches = 0

    def __call__(self, deadline: float | None = None) -> str:
        with self._lock:
            if self._token is None or self._clock() >= self._refresh_at:
                token, expires_in = self._fetch(deadline)
                self.fetches += 1
                lifetime = expires_in if expires_in is not None and expires_in > 0 else DEFAULT_TOKEN_LIFETIME
                # Keep at least half the lifetime, so a short-lived token is still reused a little.
                self._refresh_at = self._clock() + max(lifetime - self._refresh_margin, lifetime / 2)
                self._token = token
                self._issued.append(token)
            return self._token

    @property
    def current(self) -> str | None:
        """The cached token, if any."""
        return self._token

    @property
    def issued(self) -> tuple[str, ...]:
        """The last ``REMEMBERED_TOKENS`` tokens fetched, the current one included (the client redacts them)."""
        return tuple(self._issued)

    def invalidate(self, rejected: str | None = None) -> None:
        """Forget the cached token, so the next call fetches a new one.

        With ``rejected``, only if the cached token is still that one: when another thread has already
        renewed it, its fresh token is kept.
        """
        with self._lock:
            if rejected is None or self._token == rejected:
                self._token = None

    def __repr__(self) -> str:
        return f"ClientCredentialsToken(cached={self._token is not None})"
