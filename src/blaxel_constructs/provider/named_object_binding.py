"""``NamedObjectBinding``: what every resource and data source of the provider shares, whatever it manages.

Each Blaxel object (model, integration connection, policy) is looked up by name in the provider's workspace,
and each binding reports errors the same way; only the words differ. Subclasses (``ModelBinding``,
``IntegrationConnectionBinding``, ``PolicyBinding``) set ``KIND`` and ``NOUN`` and add their own bounded read.
Why here: the diagnostics for "missing at import" and "missing in a data source" must read alike across
resources, so they are written once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Final

from tf.types import Unknown

from blaxel_constructs.document import rules
from blaxel_constructs.provider.diagnostics import report

if TYPE_CHECKING:
    from tf.utils import Diagnostics

    from blaxel_constructs.provider.terraform_provider import BlaxelTerraformProvider

__all__ = ["READ_TIMEOUT", "NamedObjectBinding"]

#: How long a refresh, an import or a data source read may spend retrying a flaky API before it reports.
READ_TIMEOUT: Final = 60.0


class NamedObjectBinding:
    """Mixed into a resource or data source; ``tf`` builds each with the provider."""

    #: What diagnostics call the object, in words (``integration connection``); ``model`` reports deployments.
    KIND: ClassVar[str]
    #: The short word in hints (``the connection's name``).
    NOUN: ClassVar[str]

    def __init__(self, provider: BlaxelTerraformProvider) -> None:
        self.provider = provider

    def report(self, diagnostics: Any, exc: BaseException, action: str, name: str) -> None:
        """Translate ``exc`` into one diagnostic naming the action, the object and the workspace."""
        report(diagnostics, exc, action=action, name=name, workspace=self.provider.workspace(), kind=self.KIND)

    def check_name(self, diags: Diagnostics, config: dict[str, Any]) -> None:
        """At a data source's validation: a known ``name`` that no object could have is an error on ``name``."""
        name = config.get("name")
        if isinstance(name, str) and name is not Unknown and (reason := rules.name_problem(name)):
            diags.add_error("Invalid name", f"name {reason}.", path=["name"])

    def report_not_found(self, diagnostics: Any, name: str) -> None:
        """A data source names an object that does not exist: an error (a data source must find what it names)."""
        diagnostics.add_error(
            f"{self.KIND.capitalize()} {name!r} not found",
            f"No {self.KIND} named {name!r} exists in workspace {self._workspace()}. "
            "Check the name and the provider's workspace.",
        )

    def report_not_importable(self, diagnostics: Any, name: str) -> None:
        """``terraform import`` names an object that does not exist: nothing to import."""
        diagnostics.add_error(
            f"Cannot import {self.KIND} {name!r}: it does not exist",
            f"No {self.KIND} named {name!r} exists in workspace {self._workspace()}. "
            f"Import takes the {self.NOUN}'s name; check it and the provider's workspace.",
        )

    def read_data(
        self,
        diagnostics: Any,
        name: str,
        lookup: Callable[[str], dict[str, Any] | None],
        to_state: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> dict[str, Any] | None:
        """A data source's read: ``lookup`` the object by name, its state, or None with one diagnostic."""
        return self._state_by_name(diagnostics, "read", name, lookup, to_state, self.report_not_found)

    def import_by_name(
        self,
        diagnostics: Any,
        name: str,
        lookup: Callable[[str], dict[str, Any] | None],
        to_state: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> dict[str, Any] | None:
        """A resource's import: ``lookup`` the object by name, its state with every key, or None with one diagnostic."""
        return self._state_by_name(diagnostics, "import", name, lookup, to_state, self.report_not_importable)

    def upgrade(self, ctx: Any, version: int, old: dict[str, Any]) -> dict[str, Any]:
        """Schema version 0 is the only one so far, for every resource: the stored state needs no change."""
        return old

    def _state_by_name(
        self,
        diagnostics: Any,
        action: str,
        name: str,
        lookup: Callable[[str], dict[str, Any] | None],
        to_state: Callable[[dict[str, Any]], dict[str, Any]],
        report_missing: Callable[[Any, str], None],
    ) -> dict[str, Any] | None:
        found, document = self._find(diagnostics, action, name, lookup)
        if found and document is None:
            report_missing(diagnostics, name)
        return to_state(document) if document is not None else None

    def _find(
        self, diagnostics: Any, action: str, name: str, lookup: Callable[[str], dict[str, Any] | None]
    ) -> tuple[bool, dict[str, Any] | None]:
        """``(True, lookup(name))``; ``(False, None)`` with the error reported when the lookup failed (the
        boundary: nothing may escape to gRPC)."""
        try:
            return True, lookup(name)
        except Exception as exc:
            self.report(diagnostics, exc, action, name)
            return False, None

    def _workspace(self) -> str:
        return self.provider.workspace() or "(default)"
