"""``BlaxelClient``: the Blaxel control-plane API for models, over ``requests``, with plain dicts.

One method per endpoint of API-NOTES.md, each building a path and decoding the answer. Every request
goes through ``_send``, the single seam where headers, timeouts, authentication and error translation
happen (and where retries will go). Tests replace the network by passing a ``requests.Session`` with a
fake transport adapter mounted, so the whole client runs unchanged in them.

No pydantic and no Terraform types: the Terraform provider imports this module on every start.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, Final
from urllib.parse import quote

import requests
from requests.auth import AuthBase

from blaxel_constructs.client.auth import AuthorizationHeader, ClientCredentialsToken
from blaxel_constructs.client.config import ClientConfig, client_id_and_secret
from blaxel_constructs.client.translate import (
    Redactor,
    error_from_exception,
    error_from_response,
    invalid_body_error,
)
from blaxel_constructs.errors import SpecError
from blaxel_constructs.spec import rules

__all__ = ["JSON", "LIST_PAGE_SIZE", "BlaxelClient"]

JSON: Final = "application/json"
#: Page size asked of paginated lists: the API's maximum, so a workspace lists in as few requests as possible.
LIST_PAGE_SIZE: Final = 200
_TOKEN_PATH: Final = "/oauth/token"


class BlaxelClient:
    """A client for the models endpoints of one Blaxel workspace.

    Raises ``APIError`` subclasses for error statuses, ``TransportError`` subclasses when the API could
    not be reached, and ``ConfigurationError`` (from ``config.validate()``) at construction. The session
    is closed by ``close()`` only if the client created it.
    """

    def __init__(self, config: ClientConfig, *, session: requests.Session | None = None) -> None:
        config.validate()
        self._config = config
        self._owns_session = session is None
        self._session = session if session is not None else requests.Session()
        self._oauth: ClientCredentialsToken | None = None
        if not config.api_key:
            self._oauth = ClientCredentialsToken(self._fetch_token)
        self._redact = Redactor(self._secrets)
        self._paginated = config.api_version[:10] >= rules.PAGINATED_SINCE

    @property
    def config(self) -> ClientConfig:
        return self._config

    # -- models ---------------------------------------------------------------------------------------

    def list_models(self) -> list[dict[str, Any]]:
        """Every model of the workspace, following cursors on paginated API versions."""
        return self._list("/models")

    def get_model(self, name: str) -> dict[str, Any]:
        """The model document; ``NotFoundError`` when there is no such model."""
        path = _model_path(name)
        return self._object("GET", path, self._send("GET", path))

    def create_model(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """POST the document; the API answers 200 (not 201) with the created model, usually still deploying."""
        return self._object("POST", "/models", self._send("POST", "/models", json=dict(document)))

    def update_model(self, name: str, document: Mapping[str, Any]) -> dict[str, Any]:
        """PUT the full document (the API replaces the whole model, never merges a partial body)."""
        path = _model_path(name)
        return self._object("PUT", path, self._send("PUT", path, json=dict(document)))

    def delete_model(self, name: str) -> dict[str, Any]:
        """DELETE the model; the API answers 200 with the deleted model (an empty body gives ``{}``)."""
        path = _model_path(name)
        response = self._send("DELETE", path)
        return self._object("DELETE", path, response) if response.content.strip() else {}

    def list_revisions(self, name: str) -> list[dict[str, Any]]:
        """The model's revisions (``{id, active, canary, status, trafficPercent, ...}``)."""
        return self._list(f"{_model_path(name)}/revisions")

    # -- lifecycle ------------------------------------------------------------------------------------

    def close(self) -> None:
        """Release the connection pool, if this client created the session."""
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> BlaxelClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"BlaxelClient(api_url={self._config.api_url!r}, workspace={self._config.workspace!r})"

    # -- the seam -------------------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        auth: AuthBase | None = None,
    ) -> requests.Response:
        """Send one request to ``api_url + path`` and return its 2xx response, or raise a library error.

        Every request passes here, so this is where retries go: wrapping the attempt below, retrying
        ``TransportError``/429/408/5xx for idempotent methods, honouring ``APIError.retry_after``, and
        never replaying a POST whose request may have been written (anything but ``ConnectError``).
        ``path`` (without the query) is what error messages show.
        """
        auth = auth or AuthorizationHeader("Bearer", self._bearer_token())
        try:
            response = self._session.request(
                method,
                self._config.api_url + path,
                params=params,
                json=json,
                headers=self._headers(),
                auth=auth,
                timeout=(self._config.connect_timeout, self._config.read_timeout),
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise error_from_exception(method, path, exc, self._redact) from exc
        if not 200 <= response.status_code < 300:
            error = error_from_response(method, path, response, self._redact)
            if response.status_code == 401 and self._oauth is not None:
                self._oauth.invalidate()  # expired or revoked early: the next request fetches a new token
            raise error
        return response

    def _headers(self) -> dict[str, str]:
        headers = {
            "Accept": JSON,
            "Content-Type": JSON,
            "Blaxel-Version": self._config.api_version,
            "User-Agent": self._config.user_agent,
        }
        if self._config.workspace:
            headers["X-Blaxel-Workspace"] = self._config.workspace
        return headers

    # -- authentication -------------------------------------------------------------------------------

    def _bearer_token(self) -> str:
        if self._oauth is not None:
            return self._oauth()
        assert self._config.api_key  # validate() guarantees one credential
        return self._config.api_key

    def _fetch_token(self) -> tuple[str, float | None]:
        """Exchange the client credentials for an OAuth access token (``POST /oauth/token``)."""
        assert self._config.client_credentials  # only used when there is no API key
        basic = AuthorizationHeader("Basic", self._config.client_credentials.strip())
        response = self._send("POST", _TOKEN_PATH, json={"grant_type": "client_credentials"}, auth=basic)
        body = self._object("POST", _TOKEN_PATH, response)
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise invalid_body_error(
                "POST", _TOKEN_PATH, response, "the token response has no access_token", self._redact
            )
        return token, _seconds(body.get("expires_in"))

    def _secrets(self) -> list[str | None]:
        """Every credential an error message must never contain."""
        secrets = [self._config.api_key, self._config.client_credentials]
        if self._config.client_credentials:
            pair = client_id_and_secret(self._config.client_credentials)
            if pair:
                secrets.append(pair[1])
        if self._oauth is not None:
            secrets.append(self._oauth.current)
        return secrets

    # -- decoding -------------------------------------------------------------------------------------

    def _json(self, method: str, path: str, response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise invalid_body_error(
                method, path, response, "the API answered with invalid JSON", self._redact
            ) from None

    def _object(self, method: str, path: str, response: requests.Response) -> dict[str, Any]:
        body = self._json(method, path, response)
        if not isinstance(body, dict):
            raise invalid_body_error(method, path, response, "expected a JSON object", self._redact)
        return body

    def _list(self, path: str) -> list[dict[str, Any]]:
        """All items of a list endpoint: a bare array (before 2026-04-28) or ``{data, meta}`` pages.

        Decided by the body's shape, not the version sent, so either answer is understood. A page that
        says ``hasMore`` without a new ``nextCursor`` is an error rather than a silently short list.
        """
        params = {"limit": str(LIST_PAGE_SIZE)} if self._paginated else {}
        items: list[dict[str, Any]] = []
        cursors: set[str] = set()
        while True:
            response = self._send("GET", path, params=params or None)
            body = self._json("GET", path, response)
            if isinstance(body, list):
                page = body
            elif isinstance(body, dict) and isinstance(body.get("data"), list):
                page = body["data"]
            else:
                raise invalid_body_error("GET", path, response, "expected a JSON array or {data, meta}", self._redact)
            if not all(isinstance(item, dict) for item in page):
                raise invalid_body_error("GET", path, response, "expected a list of JSON objects", self._redact)
            items.extend(page)
            meta = body.get("meta") if isinstance(body, dict) else None
            if not isinstance(meta, dict) or not meta.get("hasMore"):
                return items
            cursor = meta.get("nextCursor")
            if not isinstance(cursor, str) or not cursor or cursor in cursors:
                raise invalid_body_error(
                    "GET", path, response, "hasMore is true but nextCursor is missing or repeated", self._redact
                )
            cursors.add(cursor)
            params = {**params, "cursor": cursor}


def _seconds(value: Any) -> float | None:
    """A number of seconds from a JSON number or numeric string (some OAuth servers send strings)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _model_path(name: str) -> str:
    """``/models/{name}`` with the name percent-encoded (a ``/`` or ``?`` in it cannot change the path)."""
    if not name:
        raise SpecError("a model name is required", field="name")
    return f"/models/{quote(name, safe='')}"
