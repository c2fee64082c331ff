"""Translation of every library error into a Terraform diagnostic: the provider's one error boundary.

HashiCorp's convention: a short summary, and a detail that says what failed, on which object, the last
status seen, and what to try next. An exception that escaped a CRUD method would reach the user as an
unreadable gRPC error, so ``report`` also turns unexpected exceptions into a readable diagnostic.
"""

from __future__ import annotations

from typing import Any

from blaxel_constructs import errors
from blaxel_constructs.document.rules import OWNER_LABEL
from blaxel_constructs.durations import format_duration

__all__ = ["report"]


def _describe(exc: BaseException, *, action: str, name: str, workspace: str | None) -> tuple[str, str]:
    where = f"in workspace {workspace!r}" if workspace else "in the configured workspace"
    if isinstance(exc, errors.DeploymentFailedError):
        tracked = (
            "The model exists and stays in the Terraform state; it is tainted after a create, so the next "
            "apply replaces it."
            if action == "create"
            else "The Terraform state now matches the model as Blaxel reports it."
        )
        return (
            f"Model {name!r} failed to deploy",
            f"Blaxel reported status {exc.last_status} for model {name!r} {where} after "
            f"{format_duration(exc.waited)} of the {action}, with the message: "
            f"{exc.message or '(no event message)'}.\n\n{tracked} Check the runtime, integration connections "
            "and policies, then run terraform apply again.",
        )
    if isinstance(exc, errors.DeploymentInterruptedError):
        return _interrupted(exc, action=action, name=name, where=where)
    if isinstance(exc, errors.DeploymentTimeoutError):
        cause = f" Last error while polling: {exc.__cause__}." if exc.__cause__ else ""
        return (
            f"Timed out waiting for model {name!r}",
            f"Model {name!r} {where} did not become {exc.goal} within {format_duration(exc.waited)} "
            f"({action}); last status seen: {exc.last_status or 'none'}. Raise timeouts.{action} in the "
            "configuration if deployments are slow, or inspect the model in Blaxel. "
            + ("It stays in state, tainted: the next apply replaces it." if action == "create" else "")
            + cause,
        )
    if isinstance(exc, errors.NameTakenError):
        return (
            f"Model {name!r} already exists and is not this configuration's",
            f"The create got no clear answer ({exc.cause}); looking the model up found a different model named "
            f"{name!r} {where}, so nothing was created or changed. To manage that model here, import it: "
            f"terraform import <resource address> {name}. Otherwise choose another name.",
        )
    if isinstance(exc, errors.ConflictError):
        return (
            f"Model {name!r} already exists",
            f"A model named {name!r} already exists {where}, this Terraform state does not track it, and it "
            f"does not carry this configuration's {OWNER_LABEL!r} label, so it was not adopted. To manage it "
            f"here, import it: terraform import <resource address> {name} (or an import block with id = the "
            "name). Otherwise choose another name.",
        )
    if isinstance(exc, errors.UnauthorizedError):
        return (
            "Blaxel rejected the credentials",
            f"{exc} while trying to {action} model {name!r}. Set BL_API_KEY (or the provider's api_key), "
            "or BL_CLIENT_CREDENTIALS, to a valid credential.",
        )
    if isinstance(exc, errors.ForbiddenError):
        return (
            "No access to the workspace",
            f"{exc} while trying to {action} model {name!r} {where}. Check BL_WORKSPACE (or the provider's "
            "workspace) and that the credential belongs to that workspace.",
        )
    if isinstance(exc, errors.BadRequestError):
        return (
            f"Blaxel rejected model {name!r}",
            f"{exc}. Fix the configuration of model {name!r} and apply again.",
        )
    if isinstance(exc, errors.NotFoundError):
        return (
            f"Model {name!r} not found",
            f"{exc}. It was deleted outside Terraform during the {action}; run terraform apply again.",
        )
    if isinstance(exc, errors.APIError | errors.TransportError):
        return (
            f"Could not {action} model {name!r}",
            f"{exc}. The Blaxel API failed or could not be reached; check BL_API_URL and retry. "
            "If a create was interrupted, the next apply adopts or replaces the model.",
        )
    if isinstance(exc, errors.ConfigurationError):
        return ("Invalid provider configuration", str(exc))
    if isinstance(exc, errors.BlaxelError):
        return (f"Could not {action} model {name!r}", str(exc))
    return (
        f"Unexpected error while trying to {action} model {name!r}",
        f"{type(exc).__name__}: {exc}. This is a bug in terraform-provider-blaxel; please report it.",
    )


def _interrupted(exc: errors.DeploymentInterruptedError, *, action: str, name: str, where: str) -> tuple[str, str]:
    """Terraform was asked to stop mid-operation: say what exists remotely and what the next apply does."""
    summary = f"Interrupted while trying to {action} model {name!r}"
    asked = "Terraform was asked to stop (Ctrl-C or SIGTERM)"
    if not exc.sent:
        return summary, f"{asked} before the {action} of model {name!r} {where} was sent: nothing was changed."
    status = exc.last_status or "in an unknown state"
    since = f"after {format_duration(exc.waited)}"
    if action == "create" and exc.document is not None:
        return (
            f"Interrupted while model {name!r} was {status}",
            f"{asked} {since} of the create. Model {name!r} exists {where} and Terraform keeps it in state "
            "(tainted): the next apply replaces it, or, to keep this deployment, run terraform untaint "
            "<resource address> first and the next apply waits for it to finish.",
        )
    if action == "create":
        return (
            summary,
            f"{asked} {since}, after the create of model {name!r} {where} was sent, and the model could not be "
            f"read back. It may exist: the next apply adopts it if it carries this configuration's {OWNER_LABEL!r} "
            f"label; otherwise import it (terraform import <resource address> {name}) or delete it.",
        )
    if action == "update":
        return (
            f"Interrupted while model {name!r} was {status}",
            f"{asked} {since} of the update of model {name!r} {where}. The update was sent; the state records "
            "the model as Blaxel last reported it, and the next apply waits for its deployment to finish.",
        )
    return (
        f"Interrupted while model {name!r} was {status}",
        f"{asked} {since} of the delete of model {name!r} {where}. The delete was sent; Terraform keeps the "
        "model in state until it is gone: the next plan no longer finds it, and a destroy finishes at once.",
    )


def _describe_resource(
    exc: BaseException, *, kind: str, action: str, name: str, workspace: str | None
) -> tuple[str, str]:
    """The diagnostic of a resource without a deployment lifecycle (an integration connection, a policy).

    Never quotes a document: a connection's would carry its secret.
    """
    where = f"in workspace {workspace!r}" if workspace else "in the configured workspace"
    title = kind[0].upper() + kind[1:]
    if isinstance(exc, errors.StillInUseError):
        return (
            f"{title} {name!r} is still in use",
            f"Blaxel kept refusing to delete {kind} {name!r} {where} for {format_duration(exc.waited)}: {exc}. "
            f"Remove it from those models' integration_connections (or delete the models) and apply again; "
            f"referencing the {kind} (blaxel_integration_connection.<name>.name) instead of writing its name "
            "lets Terraform order the deletes by itself.",
        )
    if isinstance(exc, errors.DeploymentInterruptedError):
        done = "nothing was changed" if not exc.sent else "its outcome is unknown; the next plan reads it again"
        return (
            f"Interrupted while trying to {action} {kind} {name!r}",
            f"Terraform was asked to stop (Ctrl-C or SIGTERM) during the {action} of {kind} {name!r} {where}: {done}.",
        )
    if isinstance(exc, errors.NameTakenError):
        return (
            f"{title} {name!r} already exists and is not this configuration's",
            f"The create got no clear answer ({exc.cause}); looking the name up found a different {kind} named "
            f"{name!r} {where}, so nothing was created or changed. To manage it here, import it: terraform "
            f"import <resource address> {name}. Otherwise choose another name.",
        )
    if isinstance(exc, errors.ConflictError):
        return (
            f"{title} {name!r} already exists",
            f"A {kind} named {name!r} already exists {where} and this Terraform state does not track it. To "
            f"manage it here, import it: terraform import <resource address> {name} (or an import block with "
            "id = the name). Otherwise choose another name.",
        )
    if isinstance(exc, errors.UnauthorizedError):
        return (
            "Blaxel rejected the credentials",
            f"{exc} while trying to {action} {kind} {name!r}. Set BL_API_KEY (or the provider's api_key), "
            "or BL_CLIENT_CREDENTIALS, to a valid credential.",
        )
    if isinstance(exc, errors.ForbiddenError):
        return (
            "No access to the workspace",
            f"{exc} while trying to {action} {kind} {name!r} {where}. Check BL_WORKSPACE (or the provider's "
            "workspace) and that the credential belongs to that workspace.",
        )
    if isinstance(exc, errors.BadRequestError):
        return (f"Blaxel rejected {kind} {name!r}", f"{exc}. Fix the configuration of {kind} {name!r} and apply again.")
    if isinstance(exc, errors.NotFoundError):
        return (
            f"{title} {name!r} not found",
            f"{exc}. It was deleted outside Terraform during the {action}; run terraform apply again.",
        )
    if isinstance(exc, errors.APIError | errors.TransportError):
        return (
            f"Could not {action} {kind} {name!r}",
            f"{exc}. The Blaxel API failed or could not be reached; check BL_API_URL and retry.",
        )
    if isinstance(exc, errors.ConfigurationError):
        return ("Invalid provider configuration", str(exc))
    if isinstance(exc, errors.BlaxelError):
        return (f"Could not {action} {kind} {name!r}", str(exc))
    return (
        f"Unexpected error while trying to {action} {kind} {name!r}",
        f"{type(exc).__name__}. This is a bug in terraform-provider-blaxel; please report it.",
    )


def report(
    diagnostics: Any,
    exc: BaseException,
    *,
    action: str,
    name: str,
    workspace: str | None,
    kind: str = "model",
) -> None:
    """Add one error diagnostic for ``exc``, raised while trying to ``action`` the ``kind`` named ``name``.

    ``kind`` is ``model`` (deployments: statuses, events, taint) or another resource's name in words
    (``integration connection``, ``policy``), which has no deployment to report on.
    """
    if kind == "model":
        summary, detail = _describe(exc, action=action, name=name, workspace=workspace)
    else:
        summary, detail = _describe_resource(exc, kind=kind, action=action, name=name, workspace=workspace)
    diagnostics.add_error(summary, detail)
