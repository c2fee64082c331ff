"""The client tests' fake of the transport seam: a requests adapter that records requests and replays canned answers.

The adapter is mounted on a real ``requests.Session`` (``session.mount("https://", adapter)``), so the
client's own code, from header building to retries and error translation, runs unchanged and nothing
touches the network. The retry policy runs on the suite's one fake clock (``tests.support.clock.FakeClock``,
started at 1000 s in these tests so absolute times in assertions are not offsets from zero): nothing sleeps.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from blaxel_constructs.client import BlaxelClient, ClientConfig, RetryPolicy
from blaxel_constructs.client.retry import DEFAULT_RETRY_MAX_ATTEMPTS
from tests.support.clock import FakeClock

API_URL = "https://api.test/v0"
API_KEY = "sk-test-SECRET-key-0123456789"


@dataclass
class Reply:
    """A canned answer: a status, a body (JSON-encoded unless ``raw`` is given) and headers."""

    status: int = 200
    body: Any = None
    raw: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    reason: str = ""

    def content(self) -> bytes:
        if self.raw is not None:
            return self.raw
        return b"" if self.body is None else json.dumps(self.body).encode()


Script = Reply | BaseException | Callable[[requests.PreparedRequest], "Reply | BaseException"]


#: What ``client_with`` uses unless told otherwise: one attempt per request, so a test of error
#: translation sees the first answer's error.
NO_RETRY = RetryPolicy(max_attempts=1)


def retry_on(clock: FakeClock, *, rng: float = 1.0, max_attempts: int = DEFAULT_RETRY_MAX_ATTEMPTS) -> RetryPolicy:
    """A retry policy on ``clock`` with a fixed jitter draw (1.0 = always the full cap)."""
    return RetryPolicy(clock=clock.as_clock(rng), max_attempts=max_attempts)


@dataclass
class Sent:
    """One request as the adapter received it."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: Any
    timeout: Any
    at: float | None = None

    @property
    def path_and_query(self) -> str:
        return self.url.removeprefix(API_URL)


class FakeAdapter(BaseAdapter):
    """Answers each request with the next scripted reply (or raises the next scripted exception)."""

    def __init__(self, *script: Script, clock: FakeClock | None = None) -> None:
        super().__init__()
        self.script = list(script)
        self.sent: list[Sent] = []
        self.clock = clock

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        body = json.loads(request.body) if request.body else None
        at = self.clock() if self.clock is not None else None
        self.sent.append(Sent(request.method or "", request.url or "", dict(request.headers), body, timeout, at))
        if not self.script:
            raise AssertionError(f"unexpected request: {request.method} {request.url}")
        step = self.script.pop(0)
        if callable(step) and not isinstance(step, BaseException):
            step = step(request)
        if isinstance(step, BaseException):
            raise step
        response = requests.Response()
        response.status_code = step.status
        response._content = step.content()
        response.headers = CaseInsensitiveDict(step.headers)
        if step.raw is None and step.body is not None:
            response.headers.setdefault("Content-Type", "application/json")
        response.reason = step.reason
        response.url = request.url or ""
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass


def client_with(*script: Script, retry: RetryPolicy = NO_RETRY, **config: Any) -> tuple[BlaxelClient, FakeAdapter]:
    """A client over a session whose only transport is a ``FakeAdapter`` playing ``script``.

    Without retries unless ``retry`` says otherwise; if ``retry.clock`` is a ``FakeClock`` the adapter
    stamps each request with its virtual time.
    """
    adapter = FakeAdapter(*script, clock=retry.clock.now if isinstance(retry.clock.now, FakeClock) else None)
    session = requests.Session()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    settings: dict[str, Any] = {"api_url": API_URL, "api_key": API_KEY, "workspace": "my-team"}
    settings.update(config)
    return BlaxelClient(ClientConfig(**settings), session=session, retry=retry), adapter


def model(name: str = "my-model", status: str = "DEPLOYING") -> dict[str, Any]:
    return {
        "metadata": {"name": name, "workspace": "my-team"},
        "spec": {"enabled": True, "runtime": {"type": "openai", "model": "gpt-4.1"}},
        "status": status,
        "events": [],
    }
