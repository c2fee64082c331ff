"""Translation of every library error into a Terraform diagnostic: the provider's one error boundary.

HashiCorp's convention: a short summary, and a detail that says what failed, on which object, the last
status seen, and what to try next. An exception that escaped a CRUD method would reach the user as an
unreadable gRPC error, so ``report`` also turns unexpected exceptions into a readable diagnostic.

One mapping for every kind, worded from the kind's description: its noun, and what its capabilities make
true (a kind that deploys is tainted after a failed create and waited for after an interrupted update; one
whose constructs carry the owner label is adopted by the next apply after an interrupted create; one whose
delete waits while in use names its users). A kind with secrets never has an exception's text quoted: its
documents carry them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from blaxel_constructs import errors
from blaxel_constructs.document.rules import OWNER_LABEL
from blaxel_constructs.durations import format_duration
from blaxel_constructs.kinds import users_of
from blaxel_constructs.kinds.description import Kind, Problem

__all__ = ["add_problems", "describe", "report"]


def describe(exc: BaseException, *, kind: Kind, action: str, name: str, workspace: str | None) -> tuple[str, str]:
    """The summary and the detail of the diagnostic for ``exc``, raised while trying to ``action`` ``name``."""
    where = f"in workspace {workspace!r}" if workspace else "in the configured workspace"
    noun, title = kind.noun, kind.title
    if isinstance(exc, errors.DeploymentFailedError):
        tracked = (
            f"The {noun} exists and stays in the Terraform state; it is tainted after a create, so the next "
            "apply replaces it."
            if action == "create"
            else f"The Terraform state now matches the {noun} as Blaxel reports it."
        )
        hint = f"{kind.lifecycle.failure_hint}, then run" if kind.lifecycle else "Then run"
        return (
            f"{title} {name!r} failed to deploy",
            f"Blaxel reported status {exc.last_status} for {noun} {name!r} {where} after "
            f"{format_duration(exc.waited)} of the {action}, with the message: "
            f"{exc.message or '(no event message)'}.\n\n{tracked} {hint} terraform apply again.",
        )
    if isinstance(exc, errors.DeploymentInterruptedError):
        return _interrupted(exc, kind=kind, action=action, name=name, where=where)
    if isinstance(exc, errors.DeploymentTimeoutError):
        cause = f" Last error while polling: {exc.__cause__}." if exc.__cause__ else ""
        return (
            f"Timed out waiting for {noun} {name!r}",
            f"{title} {name!r} {where} did not become {exc.goal} within {format_duration(exc.waited)} "
            f"({action}); last status seen: {exc.last_status or 'none'}. Raise timeouts.{action} in the "
            f"configuration if deployments are slow, or inspect the {noun} in Blaxel. "
            + ("It stays in state, tainted: the next apply replaces it." if action == "create" else "")
            + cause,
        )
    if isinstance(exc, errors.StillInUseError):
        return _still_in_use(exc, kind=kind, name=name, where=where)
    if isinstance(exc, errors.NameTakenError):
        return (
            f"{title} {name!r} already exists and is not this configuration's",
            f"The create got no clear answer ({exc.cause}); looking the {noun} up found a different {noun} named "
            f"{name!r} {where}, so nothing was created or changed. To manage that {noun} here, import it: "
            f"terraform import <resource address> {name}. Otherwise choose another name.",
        )
    if isinstance(exc, errors.ConflictError):
        label = (
            f", and it does not carry this configuration's {OWNER_LABEL!r} label, so it was not adopted"
            if kind.owner_label
            else ""
        )
        return (
            f"{title} {name!r} already exists",
            f"A {noun} named {name!r} already exists {where}, this Terraform state does not track it{label}. To "
            f"manage it here, import it: terraform import <resource address> {name} (or an import block with "
            "id = the name). Otherwise choose another name.",
        )
    if isinstance(exc, errors.UnauthorizedError):
        return (
            "Blaxel rejected the credentials",
            f"{exc} while trying to {action} {noun} {name!r}. Set BL_API_KEY (or the provider's api_key), "
            "or BL_CLIENT_CREDENTIALS, to a valid credential.",
        )
    if isinstance(exc, errors.ForbiddenError):
        return (
            "No access to the workspace",
            f"{exc} while trying to {action} {noun} {name!r} {where}. Check BL_WORKSPACE (or the provider's "
            "workspace) and that the credential belongs to that workspace.",
        )
    if isinstance(exc, errors.BadRequestError):
        return (f"Blaxel rejected {noun} {name!r}", f"{exc}. Fix the configuration of {noun} {name!r} and apply again.")
    if isinstance(exc, errors.NotFoundError):
        return (
            f"{title} {name!r} not found",
            f"{exc}. It was deleted outside Terraform during the {action}; run terraform apply again.",
        )
    if isinstance(exc, errors.APIError | errors.TransportError):
        adopted = (
            f" If a create was interrupted, the next apply adopts or replaces the {noun}." if kind.owner_label else ""
        )
        return (
            f"Could not {action} {noun} {name!r}",
            f"{exc}. The Blaxel API failed or could not be reached; check BL_API_URL and retry.{adopted}",
        )
    if isinstance(exc, errors.ConfigurationError):
        return ("Invalid provider configuration", str(exc))
    if isinstance(exc, errors.BlaxelError):
        return (f"Could not {action} {noun} {name!r}", str(exc))
    text = "" if kind.secrets else f": {exc}"  # a kind's documents may carry its secrets: never quote them
    return (
        f"Unexpected error while trying to {action} {noun} {name!r}",
        f"{type(exc).__name__}{text}. This is a bug in terraform-provider-blaxel; please report it.",
    )


def _interrupted(
    exc: errors.DeploymentInterruptedError, *, kind: Kind, action: str, name: str, where: str
) -> tuple[str, str]:
    """Terraform was asked to stop mid-operation: say what exists remotely and what the next apply does."""
    noun = kind.noun
    summary = f"Interrupted while trying to {action} {noun} {name!r}"
    asked = "Terraform was asked to stop (Ctrl-C or SIGTERM)"
    if not exc.sent:
        return summary, f"{asked} before the {action} of {noun} {name!r} {where} was sent: nothing was changed."
    status = exc.last_status or "in an unknown state"
    since = f"after {format_duration(exc.waited)}"
    if action == "create" and exc.document is not None:
        return (
            f"Interrupted while {noun} {name!r} was {status}",
            f"{asked} {since} of the create. {kind.title} {name!r} exists {where} and Terraform keeps it in state "
            "(tainted): the next apply replaces it, or, to keep this deployment, run terraform untaint "
            "<resource address> first and the next apply waits for it to finish.",
        )
    if action == "create":
        next_apply = (
            f"the next apply adopts it if it carries this configuration's {OWNER_LABEL!r} label; otherwise"
            if kind.owner_label
            else "if so, the next apply reports its name as taken:"
        )
        return (
            summary,
            f"{asked} {since}, after the create of {noun} {name!r} {where} was sent, and the {noun} could not be "
            f"read back. It may exist: {next_apply} import it (terraform import <resource address> {name}) or "
            "delete it.",
        )
    if action == "update":
        then = "waits for its deployment to finish" if kind.lifecycle else "reads it again"
        return (
            f"Interrupted while {noun} {name!r} was {status}",
            f"{asked} {since} of the update of {noun} {name!r} {where}. The update was sent; the state records "
            f"the {noun} as Blaxel last reported it, and the next apply {then}.",
        )
    return (
        f"Interrupted while {noun} {name!r} was {status}",
        f"{asked} {since} of the delete of {noun} {name!r} {where}. The delete was sent; Terraform keeps the "
        f"{noun} in state until it is gone: the next plan no longer finds it, and a destroy finishes at once.",
    )


def _still_in_use(exc: errors.StillInUseError, *, kind: Kind, name: str, where: str) -> tuple[str, str]:
    """A delete refused until its deadline: name the arguments that keep the object in use, and the way out."""
    users = users_of(kind)
    holders = " or ".join(f"those {user.noun}s' {argument}" for user, argument in users) or "what uses it"
    owners = " or ".join(f"the {user.noun}s" for user, _ in users) or "them"
    return (
        f"{kind.title} {name!r} is still in use",
        f"Blaxel kept refusing to delete {kind.noun} {name!r} {where} for {format_duration(exc.waited)}: {exc}. "
        f"Remove it from {holders} (or delete {owners}) and apply again; referencing the {kind.noun} "
        f"({kind.type_name}.<name>.name) instead of writing its name lets Terraform order the deletes by itself.",
    )


def report(
    diagnostics: Any,
    exc: BaseException,
    *,
    kind: Kind,
    action: str,
    name: str,
    workspace: str | None,
) -> None:
    """Add one error diagnostic for ``exc``, raised while trying to ``action`` the object of ``kind`` ``name``."""
    summary, detail = describe(exc, kind=kind, action=action, name=name, workspace=workspace)
    diagnostics.add_error(summary, detail)


def add_problems(diagnostics: Any, problems: Iterable[Problem]) -> None:
    """Report each problem as an error diagnostic on its attribute path (validate and plan of every resource)."""
    for problem in problems:
        diagnostics.add_error(problem.summary, problem.detail, path=problem.path)
