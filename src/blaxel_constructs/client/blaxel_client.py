"""``BlaxelClient``: the Blaxel control-plane API for models, integration connections and policies, over
``requests``, with plain dicts.

The object endpoints of every kind are the same five calls on the kind's ``collection`` (its description,
``blaxel_constructs.kinds``): ``list_objects``, ``get_object``, ``create_object``, ``update_object``,
``delete_object``, or bound to one kind, ``objects(kind)``; ``get_model``, ``create_policy``... are their
earlier per-kind names. Each call builds a path and decodes the answer. Every request
goes through ``_send``, the single seam where headers, timeouts, authentication, retries and error
translation happen. Tests replace the network by passing a ``requests.Session`` with a fake transport
adapter mounted, and time by passing a ``RetryPolicy`` with a fake clock, so the whole client runs
unchanged in them and nothing really sleeps.

Retries (``retry.py`` says which failures and why): GET, PUT and DELETE on transient failures, POST
only when nothing reached the server or on 429, each request within the ``deadline`` its caller passes
(an absolute time on ``RetryPolicy.clock``, ``time.monotonic`` by default: the handler's clock). A 401
on a request sent with an OAuth token renews the token once and sends the request once more.

Each retry is logged at DEBUG on the ``blaxel_constructs.client`` logger. The library installs no log
handler: the program that imports it decides where logs go (the Terraform provider must send them to
stderr, since its stdout is the plugin handshake). No log line and no error message carries a credential.

No pydantic and no Terraform types: the Terraform provider imports this module on every start.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Final
from urllib.parse import quote

import requests
from requests.auth import AuthBase

from blaxel_constructs.client.client_config import ClientConfig, client_id_and_secret
from blaxel_constructs.client.credentials import AuthorizationHeader, ClientCredentialsToken
from blaxel_constructs.client.retry import IDEMPOTENT_METHODS, RetryPolicy
from blaxel_constructs.client.translate import (
    Redactor,
    error_from_exception,
    error_from_response,
    invalid_body_error,
)
from blaxel_constructs.document import rules
from blaxel_constructs.errors import APIError, SpecError, TransportError, UnauthorizedError, is_retryable
from blaxel_constructs.kinds import INTEGRATION_CONNECTION, MODEL, POLICY
from blaxel_constructs.kinds.description import Kind

__all__ = ["JSON", "LIST_PAGE_SIZE", "LOGGER_NAME", "BlaxelClient", "KindEndpoints"]

JSON: Final = "application/json"
#: Page size asked of paginated lists: the API's maximum, so a workspace lists in as few requests as possible.
LIST_PAGE_SIZE: Final = 200
#: The logger retries and token renewals are reported on (DEBUG).
LOGGER_NAME: Final = "blaxel_constructs.client"
_TOKEN_PATH: Final = "/oauth/token"

_log = logging.getLogger(LOGGER_NAME)


class BlaxelClient:
    """A client for the models, integration connections and policies of one Blaxel workspace.

    Raises ``APIError`` subclasses for error statuses, ``TransportError`` subclasses when the API could
    not be reached, and ``ConfigurationError`` (from ``config.validate()``) at construction. The session
    is closed by ``close()`` only if the client created it. ``retry`` defaults to ``RetryPolicy()``;
    ``RetryPolicy(max_attempts=1)`` disables retries.

    Every method takes an optional ``deadline``: an absolute time on ``retry.clock.now`` (``time.monotonic``
    by default) after which no retry starts and no backoff sleep ends; None bounds retries by the
    attempt cap only. A deadline never stops a first attempt, and it does not shorten a request's own
    connect and read timeouts. ``retries`` counts the requests sent again (after a backoff or a token
    renewal) over the client's life, across threads.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        config.validate()
        self._config = config
        self._retry = retry if retry is not None else RetryPolicy()
        self._owns_session = session is None
        self._session = session if session is not None else requests.Session()
        self._oauth: ClientCredentialsToken | None = None
        if not config.api_key:
            self._oauth = ClientCredentialsToken(self._fetch_token, clock=self._retry.clock.now)
        self._redact = Redactor(self._secrets)
        self._paginated = config.api_version[:10] >= rules.PAGINATED_SINCE
        self._counter_lock = threading.Lock()
        self.retries = 0

    @property
    def config(self) -> ClientConfig:
        return self._config

    @property
    def retry(self) -> RetryPolicy:
        return self._retry

    # -- any kind of object ---------------------------------------------------------------------------

    def objects(self, kind: Kind) -> KindEndpoints:
        """The endpoints of one ``kind`` (what the handler calls: ``handler.ObjectsAPI``)."""
        return KindEndpoints(self, kind)

    def list_objects(self, kind: Kind, *, deadline: float | None = None) -> list[dict[str, Any]]:
        """Every object of ``kind`` in the workspace, following cursors on paginated API versions."""
        return self._list(kind.collection, deadline)

    def get_object(self, kind: Kind, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        """The object's document; ``NotFoundError`` when there is no such object."""
        return self._call("GET", _object_path(kind, name), deadline=deadline)

    def create_object(
        self, kind: Kind, document: Mapping[str, Any], *, deadline: float | None = None
    ) -> dict[str, Any]:
        """POST the document; the API answers 200 (not 201) with the object (a model usually still deploying).

        Sent again only if nothing reached the server or it answered 429: a ``RequestTimeout``, a
        ``TransportError`` or a 408/5xx means the object may exist, and the caller must look before posting
        again (409: the name exists).
        """
        return self._call("POST", kind.collection, json=dict(document), deadline=deadline)

    def update_object(
        self, kind: Kind, name: str, document: Mapping[str, Any], *, deadline: float | None = None
    ) -> dict[str, Any]:
        """PUT the full document (the API replaces the whole object, never merges a partial body)."""
        return self._call("PUT", _object_path(kind, name), json=dict(document), deadline=deadline)

    def delete_object(self, kind: Kind, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        """DELETE the object; the API answers 200 with the deleted object (an empty body gives ``{}``), or 409
        while something still uses it (a connection a model names)."""
        return self._delete(_object_path(kind, name), deadline=deadline)

    # -- the earlier per-kind names --------------------------------------------------------------------

    def list_models(self, *, deadline: float | None = None) -> list[dict[str, Any]]:
        return self.list_objects(MODEL, deadline=deadline)

    def get_model(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        return self.get_object(MODEL, name, deadline=deadline)

    def create_model(self, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        return self.create_object(MODEL, document, deadline=deadline)

    def update_model(self, name: str, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        return self.update_object(MODEL, name, document, deadline=deadline)

    def delete_model(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        return self.delete_object(MODEL, name, deadline=deadline)

    def list_revisions(self, name: str, *, deadline: float | None = None) -> list[dict[str, Any]]:
        """The model's revisions (``{id, active, canary, status, trafficPercent, ...}``)."""
        return self._list(f"{_object_path(MODEL, name)}/revisions", deadline)

    def list_integration_connections(self, *, deadline: float | None = None) -> list[dict[str, Any]]:
        return self.list_objects(INTEGRATION_CONNECTION, deadline=deadline)

    def get_integration_connection(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        return self.get_object(INTEGRATION_CONNECTION, name, deadline=deadline)

    def create_integration_connection(
        self, document: Mapping[str, Any], *, deadline: float | None = None
    ) -> dict[str, Any]:
        return self.create_object(INTEGRATION_CONNECTION, document, deadline=deadline)

    def update_integration_connection(
        self, name: str, document: Mapping[str, Any], *, deadline: float | None = None
    ) -> dict[str, Any]:
        return self.update_object(INTEGRATION_CONNECTION, name, document, deadline=deadline)

    def delete_integration_connection(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        return self.delete_object(INTEGRATION_CONNECTION, name, deadline=deadline)

    def list_policies(self, *, deadline: float | None = None) -> list[dict[str, Any]]:
        return self.list_objects(POLICY, deadline=deadline)

    def get_policy(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        return self.get_object(POLICY, name, deadline=deadline)

    def create_policy(self, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        return self.create_object(POLICY, document, deadline=deadline)

    def update_policy(self, name: str, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        return self.update_object(POLICY, name, document, deadline=deadline)

    def delete_policy(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        return self.delete_object(POLICY, name, deadline=deadline)

    def policy_usages(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        """``{models: [...], agents: [...], functions: [...], jobs: [...], sandboxes: [...]}`` naming the policy."""
        return self._call("GET", f"{_object_path(POLICY, name)}/usages", deadline=deadline)

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
        deadline: float | None = None,
    ) -> requests.Response:
        """Send an authenticated request to ``api_url + path``; its 2xx response, or a library error.

        Retries what ``is_retryable`` allows within ``deadline``. With an OAuth token, a 401 means the
        token was expired or revoked early and nothing was applied: the token is renewed once and the
        request (whatever its method) sent once more; a second 401 is raised. ``path`` (without the
        query) is what error messages and logs show.
        """
        if self._oauth is None:
            assert self._config.api_key  # validate() guarantees one credential
            auth = AuthorizationHeader("Bearer", self._config.api_key)
            return self._retrying(method, path, params=params, json=json, auth=auth, deadline=deadline)
        token = self._oauth(deadline)
        try:
            return self._retrying(
                method, path, params=params, json=json, auth=AuthorizationHeader("Bearer", token), deadline=deadline
            )
        except UnauthorizedError:
            self._oauth.invalidate(token)
        _log.debug("%s %s: the OAuth token was rejected (401); renewing it and sending the request again", method, path)
        self._count_retry()
        token = self._oauth(deadline)
        try:
            return self._retrying(
                method, path, params=params, json=json, auth=AuthorizationHeader("Bearer", token), deadline=deadline
            )
        except UnauthorizedError:
            self._oauth.invalidate(token)  # the next request tries a fresh token again
            raise

    def _retrying(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None,
        json: Any,
        auth: AuthBase,
        deadline: float | None,
        idempotent: bool | None = None,
    ) -> requests.Response:
        """``_attempt`` until it succeeds, the failure is not retryable, attempts run out or the deadline nears.

        ``idempotent`` defaults to what the method says (``IDEMPOTENT_METHODS``). The last error is raised.
        """
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        policy = self._retry
        retry = 0
        while True:
            try:
                return self._attempt(method, path, params=params, json=json, auth=auth)
            except (TransportError, APIError) as error:
                if retry + 1 >= policy.max_attempts or not is_retryable(error, idempotent=idempotent):
                    raise
                delay = policy.delay(retry, error.retry_after if isinstance(error, APIError) else None, deadline)
                if delay is None:
                    raise
                _log.debug(
                    "retrying in %.2fs (attempt %d of %d) after: %s",
                    delay,
                    retry + 2,
                    policy.max_attempts,
                    self._redact(str(error)),
                )
            self._count_retry()
            policy.clock.sleep(delay)
            retry += 1

    def _attempt(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None,
        json: Any,
        auth: AuthBase,
    ) -> requests.Response:
        """Send the request once; its 2xx response, or the translated error."""
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
            raise error_from_response(method, path, response, self._redact)
        return response

    def _count_retry(self) -> None:
        with self._counter_lock:
            self.retries += 1

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

    def _fetch_token(self, deadline: float | None) -> tuple[str, float | None]:
        """Exchange the client credentials for an OAuth access token (``POST /oauth/token``).

        Retried like a GET: exchanging the same credentials twice creates nothing.
        """
        assert self._config.client_credentials  # only used when there is no API key
        basic = AuthorizationHeader("Basic", self._config.client_credentials.strip())
        response = self._retrying(
            "POST",
            _TOKEN_PATH,
            params=None,
            json={"grant_type": "client_credentials"},
            auth=basic,
            deadline=deadline,
            idempotent=True,
        )
        body = self._object("POST", _TOKEN_PATH, response)
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise invalid_body_error(
                "POST", _TOKEN_PATH, response, "the token response has no access_token", self._redact
            )
        return token, _seconds(body.get("expires_in"))

    def _secrets(self) -> list[str | None]:
        """Every credential an error message or a log line must never contain."""
        secrets = [self._config.api_key, self._config.client_credentials]
        if self._config.client_credentials:
            pair = client_id_and_secret(self._config.client_credentials)
            if pair:
                secrets.append(pair[1])
        if self._oauth is not None:
            secrets.extend(self._oauth.issued)
        return secrets

    # -- decoding -------------------------------------------------------------------------------------

    def _json(self, method: str, path: str, response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise invalid_body_error(
                method, path, response, "the API answered with invalid JSON", self._redact
            ) from None

    def _call(self, method: str, path: str, *, json: Any = None, deadline: float | None) -> dict[str, Any]:
        """One request whose answer is a JSON object (get, create, update): what every object endpoint does."""
        return self._object(method, path, self._send(method, path, json=json, deadline=deadline))

    def _delete(self, path: str, *, deadline: float | None) -> dict[str, Any]:
        """DELETE ``path``: the API answers 200 with the deleted object, or an empty body, read as ``{}``."""
        response = self._send("DELETE", path, deadline=deadline)
        return self._object("DELETE", path, response) if response.content.strip() else {}

    def _object(self, method: str, path: str, response: requests.Response) -> dict[str, Any]:
        body = self._json(method, path, response)
        if not isinstance(body, dict):
            raise invalid_body_error(method, path, response, "expected a JSON object", self._redact)
        return body

    def _list(self, path: str, deadline: float | None) -> list[dict[str, Any]]:
        """All items of a list endpoint: a bare array (before 2026-04-28) or ``{data, meta}`` pages.

        Decided by the body's shape, not the version sent, so either answer is understood. A page that
        says ``hasMore`` without a new ``nextCursor`` is an error rather than a silently short list.
        """
        params = {"limit": str(LIST_PAGE_SIZE)} if self._paginated else {}
        items: list[dict[str, Any]] = []
        cursors: set[str] = set()
        while True:
            response = self._send("GET", path, params=params or None, deadline=deadline)
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


def _object_path(kind: Kind, name: str) -> str:
    """``{collection}/{name}`` with the name percent-encoded (a ``/`` or ``?`` in it cannot change the path)."""
    if not name:
        raise SpecError(f"a {kind.noun} name is required", field="name")
    return f"{kind.collection}/{quote(name, safe='')}"


class KindEndpoints:
    """One kind's endpoints of a ``BlaxelClient``: ``list``, ``get``, ``create``, ``update``, ``delete``."""

    def __init__(self, client: BlaxelClient, kind: Kind) -> None:
        self.client = client
        self.kind = kind

    def list(self, *, deadline: float | None = None) -> list[dict[str, Any]]:
        return self.client.list_objects(self.kind, deadline=deadline)

    def get(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        return self.client.get_object(self.kind, name, deadline=deadline)

    def create(self, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        return self.client.create_object(self.kind, document, deadline=deadline)

    def update(self, name: str, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        return self.client.update_object(self.kind, name, document, deadline=deadline)

    def delete(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        return self.client.delete_object(self.kind, name, deadline=deadline)
