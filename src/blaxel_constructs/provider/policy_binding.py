"""What the ``blaxel_policy`` resource and data source share: their type name, the policy handler, the bounded
read, and the translation of every error into one diagnostic (the policy's error boundary).

The messages follow ``diagnostics`` (HashiCorp's convention: a short summary; a detail that says what failed,
on which policy, in which workspace, and what to try next) for the errors a policy can meet: it has no
deployment, so none of the deployment errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from blaxel_constructs import errors

if TYPE_CHECKING:
    from blaxel_constructs.handler.policy_handler import PolicyHandler

__all__ = ["OPERATION_TIMEOUT", "READ_TIMEOUT", "PolicyBinding", "describe"]

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
        summary, detail = describe(exc, action=action, name=name, workspace=self.provider.workspace())
        diagnostics.add_error(summary, detail)


def describe(exc: BaseException, *, action: str, name: str, workspace: str | None) -> tuple[str, str]:
    """The summary and detail of the diagnostic for ``exc``, raised while trying to ``action`` policy ``name``."""
    where = f"in workspace {workspace!r}" if workspace else "in the configured workspace"
    if isinstance(exc, errors.OperationInterrupted):
        return (
            f"Interrupted while trying to {action} policy {name!r}",
            "Terraform was asked to stop (Ctrl-C or SIGTERM) before Blaxel confirmed the "
            f"{action} of policy {name!r} {where}. Run terraform plan: it shows what remains to do.",
        )
    if isinstance(exc, errors.ConflictError):
        return (
            f"Policy {name!r} already exists",
            f"{exc}. A policy named {name!r} already exists {where} and this Terraform state does not track it. "
            f"To manage it here, import it: terraform import <resource address> {name} (or an import block "
            "with id = the name). Otherwise choose another name.",
        )
    if isinstance(exc, errors.UnauthorizedError):
        return (
            "Blaxel rejected the credentials",
            f"{exc} while trying to {action} policy {name!r}. Set BL_API_KEY (or the provider's api_key), "
            "or BL_CLIENT_CREDENTIALS, to a valid credential.",
        )
    if isinstance(exc, errors.ForbiddenError):
        return (
            "No access to the workspace",
            f"{exc} while trying to {action} policy {name!r} {where}. Check BL_WORKSPACE (or the provider's "
            "workspace) and that the credential belongs to that workspace.",
        )
    if isinstance(exc, errors.BadRequestError):
        return (f"Blaxel rejected policy {name!r}", f"{exc}. Fix the configuration of policy {name!r} and apply again.")
    if isinstance(exc, errors.NotFoundError):
        return (
            f"Policy {name!r} not found",
            f"{exc}. It was deleted outside Terraform during the {action}; run terraform apply again.",
        )
    if isinstance(exc, errors.APIError | errors.TransportError):
        return (
            f"Could not {action} policy {name!r}",
            f"{exc}. The Blaxel API failed or could not be reached; check BL_API_URL and retry. "
            "If a create was interrupted, the next apply adopts the policy it made when it matches.",
        )
    if isinstance(exc, errors.ConfigurationError):
        return ("Invalid provider configuration", str(exc))
    if isinstance(exc, errors.BlaxelError):
        return (f"Could not {action} policy {name!r}", str(exc))
    return (
        f"Unexpected error while trying to {action} policy {name!r}",
        f"{type(exc).__name__}: {exc}. This is a bug in terraform-provider-blaxel; please report it.",
    )
