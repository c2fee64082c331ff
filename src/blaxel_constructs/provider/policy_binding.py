"""What the ``blaxel_policy`` resource and data source share: their type name, the policy handler, the bounded
read, and the one error boundary (``diagnostics.report`` with ``kind="policy"``: a policy has no deployment).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from blaxel_constructs.provider.diagnostics import report

if TYPE_CHECKING:
    from blaxel_constructs.handler.policy_handler import PolicyHandler

__all__ = ["OPERATION_TIMEOUT", "READ_TIMEOUT", "PolicyBinding"]

#: How long a refresh, an import or a data source read may spend retrying a flaky API before it reports.
READ_TIMEOUT: Final = 60.0
#: How long a create, update or delete may spend retrying: each is one call, so no ``timeouts`` argument.
OPERATION_TIMEOUT: Final = 5 * 60.0


class PolicyBinding:
    """Mixed into the ``blaxel_policy`` resource and data source; ``tf`` builds each with the provider."""

    def __init__(self, provider: Any) -> None:
        self.provider = provider

    @classmethod
    def get_name(cls) -> str:
        return "policy"

    def handler(self) -> PolicyHandler:
        """The provider's policy handler (built on first use, sharing the process's API client)."""
        handler: PolicyHandler = self.provider.policy_handler()
        return handler

    def read_policy(self, name: str) -> dict[str, Any] | None:
        """The policy's API document, or None when it does not exist."""
        return self.handler().read(name, timeout=READ_TIMEOUT)

    def report(self, diagnostics: Any, exc: BaseException, action: str, name: str) -> None:
        """Translate ``exc`` into one diagnostic naming the action, the policy and the workspace."""
        report(diagnostics, exc, action=action, name=name, workspace=self.provider.workspace(), kind="policy")
