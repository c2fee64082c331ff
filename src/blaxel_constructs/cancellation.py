"""``Cancellation``: how Terraform's request to stop reaches every wait in flight.

Terraform stops a provider in one way only (Ctrl-C or SIGTERM to ``terraform``): it calls
``StopProvider``, then waits for the calls in flight to return, and saves what they return. A provider
that kept sleeping through a two-minute deployment would hold Terraform until it is killed, and one that
died would lose what it had created. So every sleep of the client's retries and of the handler's polling
goes through ``Cancellation.sleep``, which returns early by raising ``OperationInterrupted`` the moment
``cancel()`` is called (an ``Event`` wait, not a poll: well within the one second Terraform's contract
allows), and the handler checks ``Cancellation.check`` before a request that must not start any more.

A leaf module (no imports of ours but the errors), shared by the client, the handler and the provider.
"""

from __future__ import annotations

import threading

from blaxel_constructs.errors import OperationInterrupted

__all__ = ["Cancellation"]


class Cancellation:
    """A one-way flag with an interruptible ``sleep``; thread-safe, shared by every call of one process."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Interrupt every ``sleep`` in progress and every later one; idempotent."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise ``OperationInterrupted`` if ``cancel()`` was called."""
        if self._event.is_set():
            raise OperationInterrupted()

    def sleep(self, seconds: float) -> None:
        """Sleep ``seconds``, or raise ``OperationInterrupted`` as soon as ``cancel()`` is called."""
        if self._event.wait(max(0.0, seconds)):
            raise OperationInterrupted()
