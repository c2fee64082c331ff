"""Where the client connects and how it authenticates: ``ClientConfig``.

A frozen value object, built either directly (the provider passes its arguments) or with
``ClientConfig.from_env`` (arguments first, then the ``BL_*`` variables the official Blaxel tools read,
then the defaults). ``validate`` says what is wrong before any request is made. Credentials never
appear in the ``repr``, so a config can be logged.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Final
from urllib.parse import urlsplit

from blaxel_constructs._version import __version__
from blaxel_constructs.document import rules
from blaxel_constructs.errors import ConfigurationError

__all__ = ["ENVIRONMENT", "ClientConfig"]

#: Config field -> the environment variable it falls back to (the names the official Blaxel tools use).
ENVIRONMENT: Final = {
    "api_url": "BL_API_URL",
    "workspace": "BL_WORKSPACE",
    "api_key": "BL_API_KEY",
    "client_credentials": "BL_CLIENT_CREDENTIALS",
    "api_version": "BL_API_VERSION",
}

_API_VERSION_RE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}(\.preview)?$")


@dataclass(frozen=True)
class ClientConfig:
    """Connection settings of a ``BlaxelClient``.

    ``api_url`` is the control-plane base URL, ending in ``/v0`` (a trailing slash is dropped).
    ``api_key`` wins over ``client_credentials`` (``base64(clientId:clientSecret)``, exchanged for an
    OAuth token) when both are set. Timeouts are in seconds and apply to every request.
    """

    api_url: str = rules.DEFAULT_API_URL
    workspace: str | None = None
    api_key: str | None = field(default=None, repr=False)
    client_credentials: str | None = field(default=None, repr=False)
    api_version: str = rules.DEFAULT_API_VERSION
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    user_agent: str = f"blaxel-constructs/{__version__}"

    def __post_init__(self) -> None:
        # Normalise once here so that every way of building a config joins paths the same way.
        object.__setattr__(self, "api_url", self.api_url.rstrip("/"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> ClientConfig:
        """A config from explicit values, else the ``BL_*`` environment variables, else the defaults.

        An override that is None (an unset provider argument) falls back to the environment; an empty
        environment variable counts as unset. ``environ`` defaults to ``os.environ``.
        """
        if environ is None:
            environ = os.environ
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise TypeError(f"ClientConfig.from_env() got unknown settings: {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for name in known:
            value = overrides.get(name)
            if value is None and name in ENVIRONMENT:
                value = environ.get(ENVIRONMENT[name]) or None
            if value is not None:
                values[name] = value
        return cls(**values)

    def validate(self) -> None:
        """Raise ``ConfigurationError`` naming the first problem; messages never quote a credential."""
        if not self.api_key and not self.client_credentials:
            raise ConfigurationError(
                "no Blaxel credential is configured: set BL_API_KEY or the provider's api_key "
                "(or BL_CLIENT_CREDENTIALS / client_credentials for OAuth client credentials)"
            )
        url = urlsplit(self.api_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ConfigurationError(
                f"api_url must be an http(s) URL such as {rules.DEFAULT_API_URL} (got {self._safe_url()!r})"
            )
        if url.username or url.password:
            raise ConfigurationError("api_url must not contain credentials; use api_key or client_credentials")
        if not _API_VERSION_RE.match(self.api_version):
            raise ConfigurationError(
                f"api_version must be a date YYYY-MM-DD, optionally followed by .preview "
                f"(got {self.api_version!r}; known versions: {', '.join(rules.API_VERSIONS)})"
            )
        if self.connect_timeout <= 0 or self.read_timeout <= 0:
            raise ConfigurationError("connect_timeout and read_timeout must be positive numbers of seconds")
        if not self.api_key and self.client_credentials and client_id_and_secret(self.client_credentials) is None:
            raise ConfigurationError(
                "client_credentials must be base64(clientId:clientSecret), as BL_CLIENT_CREDENTIALS is "
                "(the value given does not decode to that form)"
            )

    def _safe_url(self) -> str:
        """``api_url`` without any user:password part, for messages."""
        url = urlsplit(self.api_url)
        if url.username is None and url.password is None:
            return self.api_url
        netloc = url.netloc.rpartition("@")[2]
        return url._replace(netloc=netloc).geturl()


def client_id_and_secret(client_credentials: str) -> tuple[str, str] | None:
    """``(clientId, clientSecret)`` decoded from ``base64(clientId:clientSecret)``, or None if malformed."""
    try:
        decoded = base64.b64decode(client_credentials.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    client_id, sep, secret = decoded.partition(":")
    if not sep or not client_id or not secret:
        return None
    return client_id, secret
