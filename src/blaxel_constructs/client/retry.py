"""When and how long the client waits before sending a failed request again: ``RetryPolicy``.

What is retried depends on whether replaying the request could apply it twice:

- GET, PUT and DELETE are idempotent (a PUT replaces the whole document, a repeated DELETE finds the
  model deleting or gone), so they are retried on every transient failure: any ``TransportError``
  (refused connection, connection dropped after sending, read timeout) and the statuses 408, 429 and
  5xx (except 501 and 505, which say the server will never handle the request).
- POST (create) is never replayed blindly: only when nothing can have reached the server
  (``ConnectError``: refused connection, DNS failure, connect timeout) or when the server refused it
  without applying it (429). A read timeout, a dropped connection, a 408 or a 5xx after a POST reach the
  caller unchanged: the model may exist, and only the handler, which knows what it sent, can tell.
  The OAuth token endpoint is the exception: exchanging credentials twice is harmless, so the client
  retries it like a GET.

Delays are exponential with full jitter (``rng() * min(max_delay, initial_delay * multiplier**n)``,
AWS Architecture Blog "Exponential Backoff and Jitter"): concurrent Terraform runs that fail together
do not come back together. A server's ``Retry-After`` (seconds or an HTTP date) is a lower bound on the
delay. An operation's ``deadline`` bounds the whole: no sleep ends after it, and a retry that could
only start after it is not made; the last error is raised instead.

Clock semantics: a deadline is an absolute time on ``RetryPolicy.clock.now`` (a ``timing.Clock``,
``SYSTEM_CLOCK`` by default), the same ``Clock`` object the handler's ``Waiter`` is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from blaxel_constructs.backoff import Backoff
from blaxel_constructs.timing import SYSTEM_CLOCK, Clock

__all__ = [
    "DEFAULT_RETRY_BACKOFF",
    "DEFAULT_RETRY_INITIAL_DELAY",
    "DEFAULT_RETRY_MAX_ATTEMPTS",
    "DEFAULT_RETRY_MAX_DELAY",
    "DEFAULT_RETRY_MULTIPLIER",
    "IDEMPOTENT_METHODS",
    "MAX_RETRY_AFTER",
    "RetryPolicy",
]

#: First delay cap (seconds): a blip (a restarting load balancer, a dropped keep-alive connection)
#: usually clears within a fraction of a second.
DEFAULT_RETRY_INITIAL_DELAY: Final = 0.2
#: Largest delay cap (seconds), the same as the handler's polling cap.
DEFAULT_RETRY_MAX_DELAY: Final = 5.0
#: Growth of the cap per retry: 0.2, 0.4, 0.8, 1.6, 3.2, 5, 5 seconds.
DEFAULT_RETRY_MULTIPLIER: Final = 2.0
#: Attempts per request, the first included: seven retries, whose caps add up to about 16 s (8 s on
#: average with full jitter), enough to ride out a short outage without hiding a long one.
DEFAULT_RETRY_MAX_ATTEMPTS: Final = 8
#: A ``Retry-After`` longer than this (seconds) is not waited out: the error is raised at once. A server
#: asking for minutes is not having a blip, and without a deadline the client would otherwise hang.
MAX_RETRY_AFTER: Final = 120.0
#: The retry schedule: full jitter, so that concurrent runs that failed together do not come back together.
DEFAULT_RETRY_BACKOFF: Final = Backoff(
    DEFAULT_RETRY_INITIAL_DELAY, DEFAULT_RETRY_MAX_DELAY, DEFAULT_RETRY_MULTIPLIER, jitter=1.0
)
#: Methods whose replay cannot apply anything twice.
IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


@dataclass(frozen=True)
class RetryPolicy:
    """How a ``BlaxelClient`` retries: a backoff schedule, an attempt cap, and the injected ``Clock``.

    ``RetryPolicy(max_attempts=1)`` disables retries. ``clock.now`` is the clock of every ``deadline``
    passed to the client (``SYSTEM_CLOCK``, the same as the handler's ``Waiter``, by default); tests pass a
    virtual ``Clock`` with fixed draws.
    """

    backoff: Backoff = DEFAULT_RETRY_BACKOFF
    max_attempts: int = DEFAULT_RETRY_MAX_ATTEMPTS
    clock: Clock = SYSTEM_CLOCK

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("RetryPolicy.max_attempts must be at least 1 (1 disables retries)")

    def delay(self, retry: int, retry_after: float | None, deadline: float | None) -> float | None:
        """Seconds to sleep before retry number ``retry`` (0 is the first), or None when it must not be made.

        The jittered delay, raised to ``retry_after`` when the server sent one, and clipped so that the
        retry starts at the ``deadline`` at the latest. None when the deadline has passed, or when the
        server's ``Retry-After`` ends after the deadline or beyond ``MAX_RETRY_AFTER`` (retrying sooner
        than the server asked would only be refused again).
        """
        floor = 0.0
        if retry_after is not None:
            if retry_after > MAX_RETRY_AFTER:
                return None
            floor = retry_after
        delay = max(floor, self.backoff.delay(retry, self.clock.random))
        if deadline is None:
            return delay
        remaining = deadline - self.clock.now()
        if remaining <= 0 or floor > remaining:
            return None
        return min(delay, remaining)
