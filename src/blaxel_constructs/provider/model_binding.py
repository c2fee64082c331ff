"""What the ``blaxel_model`` resource and data source share: their type name, the provider they call, the
bounded read and the timing log; the error boundary is ``NamedObjectBinding``'s."""

from __future__ import annotations

import logging
import time
from typing import Any, ClassVar

from blaxel_constructs.provider.named_object_binding import READ_TIMEOUT, NamedObjectBinding

__all__ = ["READ_TIMEOUT", "ModelBinding"]

_log = logging.getLogger("blaxel_constructs.provider")


class ModelBinding(NamedObjectBinding):
    """Mixed into the ``blaxel_model`` resource and data source; ``tf`` builds each with the provider."""

    KIND: ClassVar[str] = "model"
    NOUN: ClassVar[str] = "model"

    @classmethod
    def get_name(cls) -> str:
        return "model"

    def read_model(self, name: str) -> dict[str, Any] | None:
        """The model's API document, or None when it does not exist."""
        return self.provider.handler().read(name, timeout=READ_TIMEOUT)

    def refresh_model(self, name: str) -> dict[str, Any] | None:
        """Like ``read_model``, for a plan's refresh: answered from the plan's list when it can (``model_snapshot``)."""
        listed = self.provider.model_snapshot().take(name)
        return listed if listed is not None else self.read_model(name)

    def log_timing(self, action: str, name: str, started: float) -> None:
        """One DEBUG line per call with its duration and the process's totals (``benchmarks.breakdown`` reads them)."""
        if _log.isEnabledFor(logging.DEBUG):
            seconds = time.perf_counter() - started
            _log.debug("timing action=%s name=%s seconds=%.4f %s", action, name, seconds, self.provider.timings())
