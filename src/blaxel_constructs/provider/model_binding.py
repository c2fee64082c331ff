"""What the ``blaxel_model`` resource and data source share: their type name, the provider they call, the
bounded read, and the one error boundary."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, Final

from blaxel_constructs.provider.diagnostics import report

if TYPE_CHECKING:
    from blaxel_constructs.provider.terraform_provider import BlaxelTerraformProvider

__all__ = ["READ_TIMEOUT", "ModelBinding"]

#: How long a refresh, an import or a data source read may spend retrying a flaky API before it reports.
READ_TIMEOUT: Final = 60.0

_log = logging.getLogger("blaxel_constructs.provider")


class ModelBinding:
    """Mixed into the ``blaxel_model`` resource and data source; ``tf`` builds each with the provider."""

    def __init__(self, provider: BlaxelTerraformProvider) -> None:
        self.provider = provider

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

    def report(self, diagnostics: Any, exc: BaseException, action: str, name: str) -> None:
        """Translate ``exc`` into one diagnostic naming the action, the model and the workspace."""
        report(diagnostics, exc, action=action, name=name, workspace=self.provider.workspace())
