"""``INTEGRATION_CONNECTION``: the credentials a model gateway endpoint proxies with
(``blaxel_integration_connection``), described once.

No deployment: the API applies a change at once to every model using the connection. The secret comes in one
of two forms, at most one of them: ``secret_wo`` (write-only: never in the plan or the state; Terraform 1.11+),
sent on create and whenever ``secret_wo_version`` changes, or ``secret`` (sensitive, stored in the state).
Neither is ever read back: the API masks every secret value. A delete refused because a model still names
the connection is retried until the delete timeout (that model may be going away in the same apply).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from blaxel_constructs.kinds.description import (
    Docs,
    Kind,
    OperationTimeouts,
    Problem,
    ValueType,
    argument,
    computed_metadata,
    display_name_argument,
    is_concrete,
    labels_argument,
    local,
    name_argument,
    non_empty,
)

__all__ = ["INTEGRATION_CONNECTION"]


def _secret_rules(config: Mapping[str, Any]) -> Iterator[Problem]:
    """At most one form of the secret, and a version only with the write-only one."""
    if is_concrete(config.get("secret")) and is_concrete(config.get("secret_wo")):
        yield Problem(
            ["secret"],
            "Conflicting secret arguments",
            "Set either secret_wo (write-only, never stored; Terraform 1.11+) or secret (stored in the state), "
            "not both.",
        )
    if is_concrete(config.get("secret_wo_version")) and config.get("secret_wo") is None:
        yield Problem(
            ["secret_wo_version"],
            "secret_wo_version without secret_wo",
            "secret_wo_version says when to send secret_wo again; set secret_wo too, or remove secret_wo_version.",
        )


INTEGRATION_CONNECTION: Final = Kind(
    noun="integration connection",
    short_noun="connection",
    type_name="blaxel_integration_connection",
    document_kind="IntegrationConnection",
    collection="/integrations/connections",
    description="A Blaxel integration connection: the credentials and settings of an external service "
    "(an LLM provider such as OpenAI or Anthropic) that model gateway endpoints use. Changes apply at once "
    "to every model using it, without redeploying them.",
    data_description="Reads a Blaxel integration connection by name (never its secret, which Blaxel masks), to "
    "reference a connection managed elsewhere.",
    attributes=(
        name_argument("connection"),
        argument(
            "integration",
            ValueType.STRING,
            "Integration type, e.g. `openai` or `anthropic`. Changing it replaces the connection.",
            wire="spec.integration",
            required=True,
            forces_replacement=True,
            check=non_empty("e.g. openai, anthropic"),
        ),
        argument(
            "config",
            ValueType.STRING_MAP,
            "Non-secret settings of the integration (e.g. organization or region).",
            wire="spec.config",
        ),
        argument(
            "secret_wo",
            ValueType.STRING_MAP,
            "Credentials (e.g. `{ apiKey = var.openai_key }`), **write-only**: sent to Blaxel on "
            "create and whenever `secret_wo_version` changes, never stored in the plan or the state. Needs "
            "Terraform 1.11 or later; feed it from an ephemeral variable. Conflicts with `secret`.",
            wire="spec.secret",
            sensitive=True,
            write_only=True,
            version="secret_wo_version",
            instead="secret",
            construct_keyword="secret",
        ),
        local(
            "secret_wo_version",
            ValueType.NUMBER,
            "Any number; change it (e.g. increment it) to send `secret_wo` again, which rotates "
            "the secret. Changing `secret_wo` alone sends nothing, since Terraform cannot compare a value "
            "it never stores.",
            construct_keyword="secret_version",
        ),
        argument(
            "secret",
            ValueType.STRING_MAP,
            "Credentials, for Terraform older than 1.11: sensitive, but **stored in the state** in "
            "clear text. Prefer `secret_wo`. Conflicts with `secret_wo`. Blaxel masks secrets when read, so a "
            "change made outside Terraform is not detected.",
            wire="spec.secret",
            sensitive=True,
            secret=True,
        ),
        argument(
            "sandbox",
            ValueType.BOOL,
            "Whether these are sandbox (test) credentials. Default `false`.",
            wire="spec.sandbox",
            default=False,
        ),
        display_name_argument(),
        labels_argument(),
        *computed_metadata("connection"),
    ),
    timeouts=OperationTimeouts(create=5 * 60.0, update=5 * 60.0, delete=10 * 60.0),
    docs=Docs(
        intro="Creating, updating or deleting a connection is one API call: there is no deployment to wait for, and "
        "Blaxel applies a change at once to every model using the connection, without redeploying them. "
        "Changing `name` or `integration` replaces it.\n\n"
        "The secret, in one of two ways:\n\n"
        "- `secret_wo` (Terraform 1.11 and later), **write-only**: Terraform hands it to the provider and never "
        "writes it to the plan or the state; the plan shows `(write-only attribute)`. Feed it from an ephemeral "
        "variable. It is sent on create, and again whenever `secret_wo_version` changes: to rotate the secret, "
        "change the value and increment the version. With an older Terraform, `secret_wo` is an error that says so.\n"
        "- `secret`, sensitive but stored in the state, for Terraform older than 1.11.\n\n"
        "Blaxel masks secrets when read (every value becomes `********`), so neither form can detect a secret "
        "changed outside Terraform. A delete that Blaxel refuses because a model still names the connection "
        '(409 "in use") is retried for up to 10 minutes, since that model may be going away in the same apply; '
        "then the error names the models.",
        import_what="a connection",
    ),
    construct=("blaxel_constructs.constructs", "IntegrationConnection"),
    document=("blaxel_constructs.document", "IntegrationConnection"),
    delete_waits_while_in_use=True,
    rules=(_secret_rules,),
)
