"""What the ``blaxel_policy`` resource and data source share: their type name, the policy handler, the bounded
read and the operation timeout; the error boundary (``kind="policy"``: a policy has no deployment) is
``NamedObjectBinding``'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Final

from blaxel_constructs.provider.named_object_binding import READ_TIMEOUT, NamedObjectBinding

if TYPE_CHECKING:
    from blaxel_constructs.handler.policy_handler import PolicyHandler

__all__ = ["OPERATION_TIMEOUT", "READ_TIMEOUT", "PolicyBinding"]

#: How long a create, update or delete may spend retrying: each is one call, so no ``timeouts`` argument.
OPERATION_TIMEOUT: Final = 5 * 60.0


class PolicyBinding(NamedObjectBinding):
    """Mixed into the ``blaxel_policy`` resource and data source; ``tf`` builds each with the provider."""

    KIND: ClassVar[str] = "policy"
    NOUN: ClassVar[str] = "policy"

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
