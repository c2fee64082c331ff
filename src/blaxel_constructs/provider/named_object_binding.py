"""``NamedObjectBinding``: what every resource and data source of the provider shares, whatever kind it serves.

Each Blaxel object is looked up by name in the provider's workspace through its kind's handler, and each
binding reports errors the same way (``diagnostics.report``, the one mapping, worded from the kind's
description). Why here: the diagnostics for "missing at import" and "missing in a data source" must read
alike across kinds, and the bounded read and the timing log are the same for all, so they are written once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Final, TypeVar

from tf.types import Unknown

from blaxel_constructs.document import rules
from blaxel_constructs.kinds.description import Kind
from blaxel_constructs.provider.diagnostics import report
from blaxel_constructs.provider.refresh_snapshot import IMPORT, REFRESH

if TYPE_CHECKING:
    from tf.schema import Schema
    from tf.utils import Diagnostics

    from blaxel_constructs.handler.kind_handler import KindHandler
    from blaxel_constructs.provider.terraform_provider import BlaxelTerraformProvider

__all__ = ["READ_TIMEOUT", "NamedObjectBinding", "class_for"]

#: How long a refresh, an import or a data source read may spend retrying a flaky API before it reports.
READ_TIMEOUT: Final = 60.0

_log = logging.getLogger("blaxel_constructs.provider")


class NamedObjectBinding:
    """Mixed into a resource or data source of one ``KIND``; ``tf`` builds each with the provider."""

    #: The kind served (set by ``kind_resource.resource_class`` and ``kind_data_source.data_source_class``).
    KIND: ClassVar[Kind]
    #: How a kind's schema is derived: the resource's, or the data source's.
    SCHEMA_OF: ClassVar[Callable[[Kind], Schema]]

    def __init__(self, provider: BlaxelTerraformProvider) -> None:
        self.provider = provider

    @classmethod
    def get_name(cls) -> str:
        return cls.KIND.name

    @classmethod
    def get_schema(cls) -> Schema:
        return cls.SCHEMA_OF(cls.KIND)

    def handler(self) -> KindHandler:
        """The provider's handler of this kind (built on first use, sharing the process's API client)."""
        return self.provider.handler_for(self.KIND)

    def read_object(self, name: str) -> dict[str, Any] | None:
        """The object's API document (secrets masked), or None when it does not exist."""
        return self.handler().read(name, timeout=READ_TIMEOUT)

    def refresh(self, name: str, purpose: str = REFRESH) -> dict[str, Any] | None:
        """Like ``read_object``, for a plan's refresh or import (``purpose``): answered from the plan's list when
        the kind has one (``refresh_snapshot``)."""
        snapshot = self.provider.snapshot_for(self.KIND)
        listed = snapshot.take(name, purpose) if snapshot is not None else None
        return listed if listed is not None else self.read_object(name)

    def report(self, diagnostics: Any, exc: BaseException, action: str, name: str) -> None:
        """Translate ``exc`` into one diagnostic naming the action, the object and the workspace."""
        report(diagnostics, exc, kind=self.KIND, action=action, name=name, workspace=self.provider.workspace())

    def check_name(self, diags: Diagnostics, config: dict[str, Any]) -> None:
        """At a data source's validation: a known ``name`` that no object could have is an error on ``name``."""
        name = config.get("name")
        if isinstance(name, str) and name is not Unknown and (reason := rules.name_problem(name)):
            diags.add_error("Invalid name", f"name {reason}.", path=["name"])

    def report_not_found(self, diagnostics: Any, name: str) -> None:
        """A data source names an object that does not exist: an error (a data source must find what it names)."""
        diagnostics.add_error(
            f"{self.KIND.title} {name!r} not found",
            f"No {self.KIND.noun} named {name!r} exists in workspace {self._workspace()}. "
            "Check the name and the provider's workspace.",
        )

    def report_not_importable(self, diagnostics: Any, name: str) -> None:
        """``terraform import`` names an object that does not exist: nothing to import."""
        diagnostics.add_error(
            f"Cannot import {self.KIND.noun} {name!r}: it does not exist",
            f"No {self.KIND.noun} named {name!r} exists in workspace {self._workspace()}. "
            f"Import takes the {self.KIND.short_noun}'s name; check it and the provider's workspace.",
        )

    def upgrade(self, ctx: Any, version: int, old: dict[str, Any]) -> dict[str, Any]:
        """Schema version 0 is the only one so far, for every resource: the stored state needs no change."""
        return old

    def log_timing(self, action: str, name: str, started: float) -> None:
        """One DEBUG line per call with its duration and the process's totals (``benchmarks.breakdown`` reads them)."""
        if _log.isEnabledFor(logging.DEBUG):
            seconds = time.perf_counter() - started
            _log.debug("timing action=%s name=%s seconds=%.4f %s", action, name, seconds, self.provider.timings())

    def state_by_name(
        self,
        diagnostics: Any,
        action: str,
        name: str,
        to_state: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> dict[str, Any] | None:
        """A data source's read (``action`` ``read``) or a resource's import (``import``): the object read by
        name, as ``to_state`` records it; or None with one diagnostic (missing, or the read failed: the boundary,
        nothing may escape to gRPC)."""
        try:
            document = self.refresh(name, IMPORT) if action == "import" else self.read_object(name)
        except Exception as exc:
            self.report(diagnostics, exc, action, name)
            return None
        if document is None:
            missing = self.report_not_importable if action == "import" else self.report_not_found
            missing(diagnostics, name)
            return None
        return to_state(document)

    def _workspace(self) -> str:
        return self.provider.workspace() or "(default)"


Binding = TypeVar("Binding", bound=NamedObjectBinding)
_MADE: dict[tuple[type, Kind], type] = {}


def class_for(base: type[Binding], kind: Kind, suffix: str) -> type[Binding]:
    """The ``tf`` class of ``kind`` built on ``base`` (a resource or a data source), made once and named like
    the kind (``IntegrationConnection`` + ``suffix``)."""
    if (base, kind) not in _MADE:
        name = "".join(part.title() for part in kind.name.split("_")) + suffix
        _MADE[base, kind] = type(name, (base,), {"KIND": kind, "__doc__": f"The ``{kind.type_name}`` {suffix}."})
    made: type[Binding] = _MADE[base, kind]
    return made
